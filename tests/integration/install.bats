#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What `make install` puts where, and where the installed binary looks for its policy: exactly
# the binary, its profile links, the documented examples (engine configurations naming the
# real installed path), the manual pages and the bash completion; nothing left after `make
# uninstall`; with --prefix=/usr the policy is
# read from /etc/ocigate, as Debian's packages keep their configuration.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	BUILD=$(cd "$(dirname "$OCIGATE")" && pwd)
	[ -f "$BUILD/Makefile" ] || skip "OCIGATE ($OCIGATE) is not in a build tree (make check sets it)"
	SRC=$OCG_SRCDIR
}

# mk ARGS...: make, without the flags of the `make check` that runs us (its -w would print
# "Entering directory" lines, its jobserver is not ours).
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory "$@"
}

# make_var DIR VAR: the value of a make variable in the build tree DIR, fully expanded.
make_var() {
	printf 'ocg-print-var:\n\t@echo $(%s)\n' "$2" | mk -C "$1" -f Makefile -f - ocg-print-var
}

@test "install: exactly the binary, its links, the examples, manuals, completion; uninstall leaves nothing" {
	local dest="$BATS_TEST_TMPDIR/dest" prefix bindir docdir mandir compdir
	bindir=$(make_var "$BUILD" bindir)
	docdir=$(make_var "$BUILD" docdir)
	mandir=$(make_var "$BUILD" mandir)
	compdir=$(make_var "$BUILD" bashcompletiondir)
	mk -C "$BUILD" install DESTDIR="$dest" >"$BATS_TEST_TMPDIR/install.log" 2>&1
	run bash -c "cd '$dest' && find . -mindepth 1 \( -type f -o -type l \) -printf '%y %p\n' | sort"
	echo "$output"
	expected=$(sort <<-EOF
		f .$bindir/ocigate
		l .$bindir/ocigate-restricted
		l .$bindir/ocigate-privileged
		f .$docdir/examples/docker/daemon.json
		f .$docdir/examples/containerd/config.toml
		f .$docdir/examples/podman/containers.conf
		f .$docdir/examples/kubernetes/runtimeclass.yaml
		f .$docdir/examples/kubernetes/daemonset.yaml
		f .$docdir/examples/kubernetes/policy-configmap.yaml
		f .$docdir/examples/kubernetes/ocigate-installer
		f .$docdir/examples/kubernetes/installer-containerd.bash
		f .$docdir/examples/kubernetes/log-agents.md
		f .$docdir/examples/policy/README.md
		f .$docdir/examples/policy/01-audit.json
		f .$docdir/examples/policy/02-enforce-with-exemptions.json
		f .$docdir/examples/logrotate/ocigate
		f .$mandir/man8/ocigate.8
		l .$mandir/man8/ocigate-restricted.8
		l .$mandir/man8/ocigate-privileged.8
		f .$mandir/man5/ocigate-policy.5
		f .$mandir/man7/ocigate-rules.7
		f .$compdir/ocigate
	EOF
	)
	[ "$output" = "$expected" ]
	[ "$(readlink "$dest$bindir/ocigate-restricted")" = ocigate ]
	# The engine configurations name the binary where it was installed.
	[ "$(jq -r '.runtimes.ocigate.path' "$dest$docdir/examples/docker/daemon.json")" = "$bindir/ocigate" ]
	grep -qxF "    BinaryName = \"$bindir/ocigate\"" "$dest$docdir/examples/containerd/config.toml"
	grep -qxF "ocigate = [\"$bindir/ocigate\"]" "$dest$docdir/examples/podman/containers.conf"
	run ! grep -rn '@bindir@' "$dest$docdir/examples"
	mk -C "$BUILD" uninstall DESTDIR="$dest" >>"$BATS_TEST_TMPDIR/install.log" 2>&1
	run find "$dest" -mindepth 1
	[ "$output" = "" ]
}

@test "install: the binary looks for its policy where the build tree's sysconfdir says" {
	local sysconfdir
	sysconfdir=$(make_var "$BUILD" sysconfdir)
	run env -u OCIGATE_POLICY "$OCIGATE" policy validate
	echo "$output"
	[[ "$output" == *"(searched $sysconfdir/ocigate/policy.json, $sysconfdir/ocigate/policy.d/*.json)"* ]]
}

@test "install: --prefix=/usr reads /etc/ocigate; other prefixes keep \$prefix/etc; --sysconfdir wins" {
	[ -x "$SRC/configure" ] || skip "needs a configured source tree (./autogen.sh)"
	[ ! -f "$SRC/config.status" ] || skip "the source tree is configured in place; configure refuses another build there"
	local b="$BATS_TEST_TMPDIR/b"
	check() { # check EXPECTED_SYSCONFDIR CONFIGURE_ARGS...
		local want=$1
		shift
		rm -rf "$b" && mkdir -p "$b"
		(cd "$b" && "$SRC/configure" "$@") >"$BATS_TEST_TMPDIR/configure.log" 2>&1
		[ "$(make_var "$b" sysconfdir)" = "$want" ]
		grep -qxF "configure: ocigate reads its policy from $want/ocigate/policy.json and $want/ocigate/policy.d/" "$BATS_TEST_TMPDIR/configure.log"
	}
	check /etc --prefix=/usr
	# The example engine configurations of that build name /usr/bin/ocigate.
	mk -C "$b" contrib/docker/daemon.json
	[ "$(jq -r '.runtimes.ocigate.path' "$b/contrib/docker/daemon.json")" = /usr/bin/ocigate ]
	check /usr/local/etc
	check /opt/ocg/etc --prefix=/opt/ocg
	check /srv/conf --prefix=/usr --sysconfdir=/srv/conf
}
