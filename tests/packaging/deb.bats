#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package, end to end on this machine: `dpkg-buildpackage -us -uc -b` in a copy of the
# source tree; lintian at its default level shows nothing; `apt-get install ./ocigate_*.deb`
# installs the binary, its profile links, the manual pages, the completion, the logrotate
# configuration, the examples and /etc/ocigate; contrib/demo.sh runs against the INSTALLED
# /usr/bin/ocigate; `apt-get purge` leaves nothing behind.
#
# Not part of `make check` (it builds the whole package, about two minutes on two cores):
# tests/run-all.sh runs it, as `bats tests/packaging/deb.bats`.
#
# It never touches an ocigate it did not install: it skips, before building anything, when a
# package named ocigate is known to dpkg (installed, or its conffiles left behind) or when any file
# or link the package would install already exists (an ocigate built from source with
# --prefix=/usr, say); it purges only the package it installed itself.

bats_require_minimum_version 1.5.0

# The paths the package installs (not its directories), as dpkg-deb lists them.
deb_paths() {
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }'
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (apt-get install)"
	local c
	for c in dpkg-buildpackage dh lintian apt-get man; do
		command -v "$c" >/dev/null || skip "needs $c: run contrib/setup-host.sh"
	done
	export SRC=${OCG_SRCDIR:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
	if dpkg-query -W -f='${Status}\n' ocigate 2>/dev/null | grep -qv 'not-installed'; then
		skip "dpkg knows a package ocigate already ($(dpkg-query -W -f='${Status}' ocigate)): not touching it"
	fi
	for c in /usr/bin/ocigate /usr/bin/ocigate-restricted /usr/bin/ocigate-privileged /etc/ocigate \
		/etc/logrotate.d/ocigate /usr/share/man/man8/ocigate.8.gz \
		/usr/share/bash-completion/completions/ocigate /usr/share/doc/ocigate; do
		[ ! -e "$c" ] && [ ! -L "$c" ] || skip "$c exists and is not this test's: not installing over it"
	done

	# A copy of the tree (what git tracks and would track, or all of a tarball's), built where
	# its .deb files land in $WORK.
	export WORK=$BATS_FILE_TMPDIR
	mkdir -p "$WORK/src"
	if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$SRC" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$WORK/src"
		git -C "$SRC" rev-parse HEAD >"$WORK/src/.tarball-commit"
	else
		(cd "$SRC" && tar --exclude=./_build -cf - .) | tar -xf - -C "$WORK/src"
	fi
	(cd "$WORK/src" && dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1 ||
		{ tail -n 40 "$WORK/build.log" >&3; return 1; }
	export DEB CHANGES
	DEB=$(ls "$WORK"/ocigate_*_*.deb)
	CHANGES=$(ls "$WORK"/ocigate_*_*.changes)
	# Every path of the package is free here (the list above was a first, cheaper look).
	for c in $(deb_paths "$DEB"); do
		[ ! -e "$c" ] && [ ! -L "$c" ] || skip "$c exists and is not this test's: not installing over it"
	done
}

teardown_file() {
	# Only the package this file installed, and only if a test left it installed.
	if [ -n "${WORK:-}" ] && [ -f "$WORK/installed-by-test" ] &&
		dpkg-query -W -f='${Status}' ocigate 2>/dev/null | grep -q 'ok installed'; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ocigate >/dev/null 2>&1 || true
	fi
}

@test "deb: the binary is a static PIE that names the sources it carries; depends on runc or crun; /etc is conffiles" {
	run dpkg-deb -f "$DEB" Depends
	echo "$output"
	[[ "$output" == *"runc | crun"* ]]
	# configure.ac --enable-static-binary: no library is loaded at run time, and Built-Using
	# (Debian Policy 7.8) names every source package whose code is in the binary.
	run dpkg-deb -f "$DEB" Built-Using
	echo "$output"
	local src
	for src in glibc libseccomp libcap2 yajl libselinux; do
		[[ "$output" == *"$src (= "* ]]
	done
	dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/bin/ocigate >"$BATS_TEST_TMPDIR/ocigate"
	# A static PIE: position-independent (ELF type DYN), no interpreter, no shared library.
	readelf -h "$BATS_TEST_TMPDIR/ocigate" | grep -qE 'Type:[[:space:]]+DYN'
	! readelf -lW "$BATS_TEST_TMPDIR/ocigate" | grep -q INTERP
	! readelf -d "$BATS_TEST_TMPDIR/ocigate" | grep -q NEEDED
	dpkg-deb --ctrl-tarfile "$DEB" | tar -xOf - ./conffiles >"$BATS_TEST_TMPDIR/conffiles"
	cat "$BATS_TEST_TMPDIR/conffiles"
	diff <(sort "$BATS_TEST_TMPDIR/conffiles") <(printf '%s\n' /etc/logrotate.d/ocigate /etc/ocigate/policy.json)
	deb_paths "$DEB" >"$BATS_TEST_TMPDIR/paths"
	for lib in /usr/bin/ocigate /usr/bin/ocigate-restricted /usr/bin/ocigate-privileged \
		/usr/share/man/man8/ocigate.8.gz /usr/share/man/man5/ocigate-policy.5.gz \
		/usr/share/man/man7/ocigate-rules.7.gz /usr/share/bash-completion/completions/ocigate \
		/usr/share/doc/ocigate/examples/policy/01-audit.json /usr/share/doc/ocigate/copyright; do
		grep -qxF "$lib" "$BATS_TEST_TMPDIR/paths" || { echo "no $lib in the package"; return 1; }
	done
	dpkg-deb -c "$DEB" | grep -qE '^l.* \./usr/bin/ocigate-restricted -> ocigate$'
	dpkg-deb -c "$DEB" | grep -qE '^d.* \./etc/ocigate/policy\.d/$'
}

@test "deb: lintian at its default level reports no error and no warning" {
	run --separate-stderr lintian --fail-on error,warning "$CHANGES"
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -E '^[EW]: ' <<<"$output"
}

@test "deb: apt-get install ./ocigate_*.deb installs a working ocigate, its manuals and completion" {
	cd "$WORK"
	touch "$WORK/installed-by-test"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$(basename "$DEB")" >"$WORK/install.log" 2>&1 ||
		{ cat "$WORK/install.log"; return 1; }
	[ "$(dpkg-query -W -f='${Status}' ocigate)" = "install ok installed" ]
	run /usr/bin/ocigate --ocigate-version
	echo "$output"
	[[ "$output" == *"policy directory: /etc/ocigate"* ]]
	[ "$(readlink /usr/bin/ocigate-restricted)" = ocigate ]
	# The shipped policy file is loaded, and changes nothing (tests/integration/docs.bats).
	run /usr/bin/ocigate policy validate
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"loaded /etc/ocigate/policy.json"* ]]
	[ "$(stat -c '%U %a' /etc/ocigate/policy.json)" = "root 644" ]
	# man finds every page, the profile links' too.
	[ "$(man -w ocigate)" = /usr/share/man/man8/ocigate.8.gz ]
	man -w ocigate-policy ocigate-rules ocigate-restricted
	man ocigate-rules 2>/dev/null | grep -q 'rules.capabilities.allow'
	# The completion bash-completion loads for `ocigate`, and the logrotate configuration.
	bash -c 'source /usr/share/bash-completion/completions/ocigate && complete -p ocigate' | grep -q _ocigate
	if command -v logrotate >/dev/null; then
		logrotate -d /etc/logrotate.d/ocigate 2>&1 | grep -q '/var/log/ocigate/audit.log'
	fi
}

@test "deb: contrib/demo.sh runs against the installed /usr/bin/ocigate" {
	[ -x /usr/bin/ocigate ] || skip "the package is not installed (the test before failed)"
	[ -x /usr/sbin/runc ] && [ -x /bin/busybox ] || skip "the demo needs runc and busybox-static"
	run env OCIGATE=/usr/bin/ocigate bash "$SRC/contrib/demo.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"using /usr/bin/ocigate"* ]]
	# Not a build of its own: the demo never built anything.
	[[ "$output" != *"building ocigate"* ]]
	# What the installed binary injected, seen inside the container, and the denial.
	grep -qP '^NoNewPrivs:\t1$' <<<"$output"
	grep -qP '^Seccomp:\t2$' <<<"$output"
	grep -qx 'pids limit:   4096' <<<"$output"
	grep -qF 'exit status: 1 (1 = denied by policy' <<<"$output"
	grep -qF '"container":"demo-priv","verdict":"deny"' <<<"$output"
}

@test "deb: apt-get purge removes every file, link, manual page and /etc/ocigate" {
	[ -f "$WORK/installed-by-test" ] || skip "this test did not install the package"
	local p left=()
	dpkg -L ocigate >"$BATS_TEST_TMPDIR/owned"
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q ocigate >"$WORK/purge.log" 2>&1 ||
		{ cat "$WORK/purge.log"; return 1; }
	[ -z "$(dpkg-query -W -f='${Status}' ocigate 2>/dev/null | grep -v not-installed)" ]
	for p in $(deb_paths "$DEB") /etc/ocigate /usr/share/doc/ocigate /usr/share/man/man8/ocigate.8.gz \
		/usr/share/man/man8/ocigate-restricted.8.gz; do
		[ ! -e "$p" ] && [ ! -L "$p" ] || left+=("$p")
	done
	echo "left behind: ${left[*]}"
	[ "${#left[@]}" -eq 0 ]
	rm -f "$WORK/installed-by-test"
}
