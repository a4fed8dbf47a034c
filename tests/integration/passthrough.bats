#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Pass-through fidelity: every verb ocigate does not police must behave exactly like the real runc
# -- same stdout, same stderr, same exit status -- because engines parse what runc prints:
# containerd's go-runc decodes `state`, `ps --format json` and `list --format json`, dockerd reads
# `runc --version` (moby daemon/info_unix.go) and `features` is read by the engines that ask it.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "300"]'
	# Installed as runc (README "Closing the --runtime=runc bypass"): under that name ocigate has
	# no commands or help of its own, so every byte must be runc's.
	mkdir -p "$BATS_TEST_TMPDIR/as-runc"
	ln -sf "$OCIGATE" "$BATS_TEST_TMPDIR/as-runc/runc"
	AS_RUNC="$BATS_TEST_TMPDIR/as-runc/runc"
}

# compare_with_runc ARGS...: run ARGS through ocigate and directly through runc, compare status,
# stdout and stderr byte for byte.  Two things legitimately differ between two calls and are
# masked first: the second in runc's own logrus timestamp (time="...") and, in `ps` tables,
# the C column (recent CPU use of the container's processes).
compare_with_runc() {
	local o="$BATS_TEST_TMPDIR/o" r="$BATS_TEST_TMPDIR/r" os rs f
	set +e
	"$AS_RUNC" --ocigate-runtime "$REAL_RUNC" "$@" >"$o.out" 2>"$o.err"
	os=$?
	"$REAL_RUNC" "$@" >"$r.out" 2>"$r.err"
	rs=$?
	set -e
	echo "ocigate=$os runc=$rs"
	[ "$os" -eq "$rs" ]
	for f in "$o.err" "$r.err"; do
		sed -i -E 's/time="[^"]*"/time="T"/g' "$f"
	done
	if [ "${PS_TABLE:-}" = 1 ]; then
		for f in "$o.out" "$r.out"; do
			awk '{ $4 = "-"; print }' "$f" >"$f.n" && mv "$f.n" "$f"
		done
	fi
	cmp "$o.out" "$r.out"
	cmp "$o.err" "$r.err"
}

@test "--version, -v, --help, features and no arguments are byte-identical" {
	compare_with_runc --version
	compare_with_runc -v
	compare_with_runc --help
	compare_with_runc -h
	compare_with_runc features
	compare_with_runc
	compare_with_runc help
	compare_with_runc spec --help
}

@test "unknown verbs and bad flags on pass-through verbs report runc's own errors" {
	compare_with_runc no-such-verb
	compare_with_runc --root "$ROOT" state does-not-exist
	compare_with_runc --root "$ROOT" kill does-not-exist 9
	compare_with_runc --root "$ROOT" delete --no-such-flag x
	compare_with_runc --root "$ROOT" list --format json
}

@test "create/start/state/ps/pause/resume/exec/kill/delete through ocigate" {
	local id
	id=$(cid)
	# The container's init inherits create's stdio: keep it off bats' pipe, or `run` waits for
	# the container to exit.
	ocg_detached create --bundle "$BUNDLE" "$id"
	compare_with_runc --root "$ROOT" state "$id"
	ocg_detached start "$id"
	compare_with_runc --root "$ROOT" state "$id"
	PS_TABLE=1 compare_with_runc --root "$ROOT" ps "$id"
	compare_with_runc --root "$ROOT" ps --format json "$id"
	compare_with_runc --root "$ROOT" list
	compare_with_runc --root "$ROOT" list -q
	ocg pause "$id"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	compare_with_runc --root "$ROOT" state "$id"
	"$REAL_RUNC" --root "$ROOT" state "$id" | jq -e '.status == "paused"'
	# A state-changing verb on the wrong state: runc's error, through ocigate or not.
	compare_with_runc --root "$ROOT" pause "$id"
	ocg resume "$id"
	[ "$status" -eq 0 ]
	"$REAL_RUNC" --root "$ROOT" state "$id" | jq -e '.status == "running"'
	ocg exec "$id" echo from-exec
	[ "$status" -eq 0 ]
	[ "$output" = "from-exec" ]
	ocg kill "$id" 9
	[ "$status" -eq 0 ]
	for _ in $(seq 50); do
		"$REAL_RUNC" --root "$ROOT" state "$id" | jq -e '.status == "stopped"' >/dev/null && break
		sleep 0.1
	done
	compare_with_runc --root "$ROOT" state "$id"
	ocg delete "$id"
	[ "$status" -eq 0 ]
	run "$REAL_RUNC" --root "$ROOT" list -q
	[ -z "$output" ]
}

@test "run --bundle B id behaves like runc run --bundle B id" {
	update_config '.process.args = ["sh", "-c", "echo out; echo err >&2; exit 7"]'
	local o="$BATS_TEST_TMPDIR/o" r="$BATS_TEST_TMPDIR/r" os rs
	set +e
	__ocg run --bundle "$BUNDLE" "$(cid a)" >"$o.out" 2>"$o.err"
	os=$?
	"$REAL_RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$(cid b)" >"$r.out" 2>"$r.err"
	rs=$?
	set -e
	[ "$os" -eq 7 ]
	[ "$rs" -eq 7 ]
	cmp "$o.out" "$r.out"
	cmp "$o.err" "$r.err"
}

@test "ocigate's own flags are stripped and the environment reaches the runtime" {
	# The runtime must see exactly the argv ocigate was given minus --ocigate-* (a recording
	# runtime stands in for runc here only to observe argv; it then execs the real runc).
	local rec="$BATS_TEST_TMPDIR/rec"
	cat >"$rec" <<-EOS
		#!/bin/sh
		printf '%s\n' "\$@" >"$BATS_TEST_TMPDIR/argv"
		env >"$BATS_TEST_TMPDIR/env"
		exec "$REAL_RUNC" "\$@"
	EOS
	chmod +x "$rec"
	OCG_PROBE=value run "$OCIGATE" --ocigate-runtime "$rec" --ocigate-profile baseline --root "$ROOT" \
		--log-format=json list -q "a b" ''
	printf '%s\n' --root "$ROOT" --log-format=json list -q "a b" '' >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/argv" "$BATS_TEST_TMPDIR/want"
	grep -qx 'OCG_PROBE=value' "$BATS_TEST_TMPDIR/env"
}

@test "OCIGATE_RUNTIME selects the runtime; --ocigate-runtime wins over it" {
	run env OCIGATE_RUNTIME=/nonexistent/runc "$OCIGATE" --version
	[ "$status" -eq 2 ]
	[[ "$output" == *"/nonexistent/runc"* ]]
	run env OCIGATE_RUNTIME=/nonexistent/runc "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "runc version"* ]]
}

@test "a relative or non-executable runtime path is refused, never searched in PATH" {
	run env PATH="$BATS_TEST_TMPDIR" "$OCIGATE" --ocigate-runtime runc --version
	[ "$status" -eq 2 ]
	[[ "$output" == *"not an absolute path"* ]]
	run "$OCIGATE" --ocigate-runtime /etc/passwd --version
	[ "$status" -eq 2 ]
}

@test "--ocigate-version prints ocigate's version; --version stays runc's" {
	run "$OCIGATE" --ocigate-version
	[ "$status" -eq 0 ]
	[[ "$output" == "ocigate version "* ]]
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --version
	[[ "$output" == "runc version"* ]]
}

@test "a bundle or config.json writable by others is refused: it could be swapped after judging" {
	chmod o+w "$BUNDLE"
	ocg_run a
	[ "$status" -eq 2 ]
	[[ "$output" == *"writable by group or others"* ]]
	chmod o-w "$BUNDLE"
	chmod g+w "$BUNDLE/config.json"
	ocg_run b
	[ "$status" -eq 2 ]
	[[ "$output" == *"config.json"*"writable by group or others"* ]]
	run "$REAL_RUNC" --root "$ROOT" list -q
	[ -z "$output" ]
}
