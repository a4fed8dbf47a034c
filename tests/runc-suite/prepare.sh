#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare runc's own integration suite from Debian's source package, with no registry and no Go
# proxy (see README.md in this folder):
#
#   tests/runc-suite/prepare.sh WORKDIR
#
# 1. the source package `runc` at the installed version, through a private apt configuration
#    (a deb-src entry of our own: the host's apt sources are not touched). apt verifies the
#    .dsc and tarballs against the Sources index, whose InRelease signature it checks with
#    Debian's archive keyring;
# 2. the helpers the suite runs (recvtty, sd-helper, seccompagent), built with Debian's Go in
#    GOPATH mode: the tree itself provides github.com/opencontainers/runc, Debian's golang-*-dev
#    packages in /usr/share/gocode the rest;
# 3. the two images the suite untars, built from this host's Debian packages instead of being
#    downloaded (get-images.sh only downloads a file that is missing).
#
# Leaves WORKDIR/runc (the suite: tests/integration, contrib/cmd/*/BINARY) and prints nothing on
# success but progress lines.  Idempotent: a finished step leaves a stamp and is not redone.
set -euo pipefail

WORK=${1:?usage: prepare.sh WORKDIR}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# The suite is runc 1.1.5's; the source package is the one of the installed runc, so that the
# tests and the binary they test come from the same upload.
VERSION=${RUNC_SUITE_SRC_VERSION:-$(dpkg-query -W -f='${Version}' runc)}
TREE=$WORK/runc
say() { echo "runc-suite: $*" >&2; }

fetch_source() {
	local apt=$WORK/apt
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	rm -rf "$apt" "$WORK/src"
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$WORK/src"
	cat >"$apt/sources.list" <<-EOF
		deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
		deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm-updates main
		deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
	EOF
	# Lists and cache of our own: the host's apt state is neither read for sources nor written.
	# apt's download sandbox user (_apt) may not reach a build tree under a private home: root.
	local opts=(-q -o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o APT::Sandbox::User=root)
	say "fetching the source package runc=$VERSION (private apt lists in $apt)"
	apt-get "${opts[@]}" update >"$WORK/apt-update.log" 2>&1 ||
		{ cat "$WORK/apt-update.log" >&2; return 1; }
	(cd "$WORK/src" && apt-get "${opts[@]}" source --download-only "runc=$VERSION") \
		>"$WORK/apt-source.log" 2>&1 || { cat "$WORK/apt-source.log" >&2; return 1; }
	rm -rf "$TREE"
	# dpkg-source checks the .dsc's checksums again and applies Debian's patches (the .dsc's own
	# signature needs debian-keyring and is not what we rely on: apt checked the hashes above).
	(cd "$WORK/src" && dpkg-source -x "runc_${VERSION#*:}.dsc" runc) >"$WORK/dpkg-source.log" 2>&1 ||
		{ cat "$WORK/dpkg-source.log" >&2; return 1; }
	mv "$WORK/src/runc" "$TREE"
	[ -f "$TREE/tests/integration/helpers.bash" ] || { say "no tests/integration in runc=$VERSION"; return 1; }
	skip_network_test
}

# spec.bats "spec validator" clones github.com/opencontainers/runtime-spec and runs `go get`:
# this machine reaches no such host.  It is made to skip, with the reason in its TAP line, rather
# than left to fail or to try the network.
skip_network_test() {
	local f=$TREE/tests/integration/spec.bats
	local reason='ocigate runc-suite: needs the network (git clone github.com/opencontainers/runtime-spec, go get)'
	sed -i "/^@test \"spec validator\" {\$/a\\	skip \"$reason\"" "$f"
	grep -qF "skip \"$reason\"" "$f" || { say "cannot make spec.bats \"spec validator\" skip"; return 1; }
	say "LOUD: spec.bats \"spec validator\" is made to skip: it needs the network"
}

# GOPATH mode: $WORK/gopath/src/github.com/opencontainers/runc is this tree (its libcontainer
# packages are what the helpers import), /usr/share/gocode holds every other import (Debian's
# golang-github-opencontainers-runc-dev depends on exactly the -dev packages runc builds with).
build_helpers() {
	local gp=$WORK/gopath cmd rc=0
	mkdir -p "$gp/src/github.com/opencontainers"
	ln -sfn "$TREE" "$gp/src/github.com/opencontainers/runc"
	for cmd in recvtty sd-helper seccompagent; do
		rm -f "$TREE/contrib/cmd/$cmd/$cmd"
		if (cd "$gp/src/github.com/opencontainers/runc" &&
			env GOPATH="$gp:/usr/share/gocode" GO111MODULE=off GOPROXY=off GOFLAGS= \
				GOCACHE="$WORK/gocache" CGO_ENABLED=1 \
				go build -tags "seccomp urfave_cli_no_docs" -o "contrib/cmd/$cmd/$cmd" "./contrib/cmd/$cmd") \
			>"$WORK/build-$cmd.log" 2>&1; then
			say "built contrib/cmd/$cmd"
		else
			say "WARNING: cannot build contrib/cmd/$cmd (the tests that run it fail or skip):"
			sed 's/^/    /' "$WORK/build-$cmd.log" >&2
			rc=1
		fi
	done
	return $rc
}

# The image runc's suite downloads is docker-library's busybox "stable/glibc": every applet as a
# hard link in /bin, buildroot's skeleton passwd/group, /tmp 1777, /root, /home, /var/spool/mail
# (docker-library/busybox, Dockerfile.builder).  Built here from busybox-static.  Like the image,
# it has no /proc and no /sys (mask.bats makes them symlinks and expects runc to refuse), and its
# top directory is 0755 (tests run processes as uid 1000 and in user namespaces).
make_busybox_tree() {
	local r=$1 a
	chmod 0755 "$r"
	mkdir -p "$r"/{bin,dev,etc,home,root,tmp,usr/sbin,var/spool/mail,var/www}
	chmod 1777 "$r/tmp"
	chmod 700 "$r/root"
	cp /bin/busybox "$r/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln "$r/bin/busybox" "$r/bin/$a"
	done
	cat >"$r/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		daemon:x:1:1:daemon:/usr/sbin:/bin/false
		bin:x:2:2:bin:/bin:/bin/false
		sys:x:3:3:sys:/dev:/bin/false
		sync:x:4:100:sync:/bin:/bin/sync
		mail:x:8:8:mail:/var/spool/mail:/bin/false
		www-data:x:33:33:www-data:/var/www:/bin/false
		operator:x:37:37:Operator:/var:/bin/false
		nobody:x:65534:65534:nobody:/home:/bin/false
	EOF
	cat >"$r/etc/group" <<-'EOF'
		root:x:0:
		daemon:x:1:
		bin:x:2:
		sys:x:3:
		adm:x:4:
		tty:x:5:
		disk:x:6:
		lp:x:7:
		mail:x:8:
		kmem:x:9:
		wheel:x:10:root
		cdrom:x:11:
		dialout:x:18:
		floppy:x:19:
		video:x:28:
		audio:x:29:
		tape:x:32:
		www-data:x:33:
		operator:x:37:
		utmp:x:43:
		plugdev:x:46:
		staff:x:50:
		lock:x:54:
		netdev:x:82:
		users:x:100:
		nogroup:x:65534:
	EOF
	chown 8:8 "$r/var/spool/mail"
	chown 33:33 "$r/var/www"
}

# The "debian" image is used by one test only (hooks.bats): its container runs
# `ldconfig -p | grep librunc` after hooks bind-mount libraries into a real /lib directory.
# The busybox tree plus Debian's static /sbin/ldconfig and a real /lib is what that needs.
make_debian_tree() {
	local r=$1
	make_busybox_tree "$r"
	mkdir -p "$r/lib" "$r/usr/lib" "$r/sbin" "$r/etc/ld.so.conf.d"
	cp /sbin/ldconfig "$r/sbin/ldconfig"
	echo 'include /etc/ld.so.conf.d/*.conf' >"$r/etc/ld.so.conf"
}

make_images() {
	local data=$TREE/tests/integration/testdata kind tmp
	for kind in busybox debian; do
		tmp=$(mktemp -d "$WORK/image.XXXXXX")
		"make_${kind}_tree" "$tmp"
		tar --numeric-owner -C "$tmp" -cJf "$data/$kind-amd64.tar.xz.tmp" .
		mv "$data/$kind-amd64.tar.xz.tmp" "$data/$kind-amd64.tar.xz"
		rm -rf "$tmp"
	done
	say "built testdata/busybox-amd64.tar.xz and testdata/debian-amd64.tar.xz"
}

stamp() { [ -f "$WORK/.stamp-$1-$VERSION" ]; }
done_() { touch "$WORK/.stamp-$1-$VERSION"; }

[ "$(dpkg --print-architecture)" = amd64 ] || { say "only amd64 images are built here"; exit 1; }
if ! stamp source; then
	rm -f "$WORK"/.stamp-*
	fetch_source
	done_ source
fi
if ! stamp helpers; then
	# A helper that does not build is reported above; the run goes on without it.
	if build_helpers; then done_ helpers; fi
fi
stamp images || { make_images && done_ images; }
