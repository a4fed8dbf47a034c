#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocigate installed as the `runc` that dockerd and containerd find (README: "Closing the
# `--runtime=runc` bypass"): it must skip itself when it searches for the real runtime, and a
# wrapper that leads back to it must stop instead of looping.

load helpers

# /usr/local/sbin comes first in the built-in search, so a copy there shadows /usr/sbin/runc.
SHADOW=/usr/local/sbin/runc

setup() {
	requires root runc
	[ ! -e "$SHADOW" ] || skip "$SHADOW exists on this host; not overwriting it"
	# Only once it is known to be this test's own.
	defer rm -f "$SHADOW"
}

@test "a copy of ocigate installed as runc finds the real runc, not itself" {
	cp "$OCIGATE" "$SHADOW"
	run "$SHADOW" --version
	[ "$status" -eq 0 ]
	[ "$output" = "$("$REAL_RUNC" --version)" ]
}

@test "a symlink named runc pointing at ocigate is recognised as ocigate" {
	ln -s "$OCIGATE" "$SHADOW"
	run "$SHADOW" --version
	[ "$status" -eq 0 ]
	[ "$output" = "$("$REAL_RUNC" --version)" ]
	# Naming ocigate itself as the runtime is refused outright.
	run "$OCIGATE" --ocigate-runtime "$SHADOW" --version
	[ "$status" -eq 2 ]
	[[ "$output" == *"is ocigate itself"* ]]
}

@test "a wrapper script that leads back to ocigate stops with a loop error" {
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$OCIGATE" >"$SHADOW"
	chmod +x "$SHADOW"
	run timeout 20 "$OCIGATE" --version
	[ "$status" -eq 2 ]
	[[ "$output" == *"runtime loop"* ]]
}

@test "a full container run through ocigate installed as runc" {
	setup_bundle
	cp "$OCIGATE" "$SHADOW"
	run "$SHADOW" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 0 ]
	[ "$output" = "hello" ]
}
