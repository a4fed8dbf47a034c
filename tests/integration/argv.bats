#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# shim/argv.c against the real runc.  Three bundles print different markers ("one", "two", and
# "cwd" for the bundle that is the working directory).  For each spelling of the command line,
# runc runs a container and the marker it prints shows which bundle it really used;
# tests/unit/argv_dump, given the same argv and cwd, must name that same bundle (or fail exactly
# where runc fails).  exec gets the same treatment with two process files.

load helpers

ARGV_DUMP=${ARGV_DUMP:-$(dirname "$OCIGATE")/tests/unit/argv_dump}

setup() {
	requires root runc busybox
	[ -x "$ARGV_DUMP" ] || {
		echo "argv_dump not built: $ARGV_DUMP (run make check, or set ARGV_DUMP)" >&2
		return 1
	}
	local b
	for b in one two cwd; do
		setup_bundle "$b"
		update_config ".process.args = [\"echo\", \"marker-$b\"]"
	done
	B1=$(cd "$BATS_TEST_TMPDIR/one" && pwd -P)
	B2=$(cd "$BATS_TEST_TMPDIR/two" && pwd -P)
	B3=$(cd "$BATS_TEST_TMPDIR/cwd" && pwd -P)
	cd "$B3"
	N=0
}

# The bundle runc used, from the marker its container printed: one|two|cwd, "none" when runc
# succeeded without running anything (help, version), "error" when it failed.
runc_saw() {
	run "$REAL_RUNC" "$@"
	RUNC_OUT=$output
	case "$output" in
	*marker-one*) RUNC_SAW=one ;;
	*marker-two*) RUNC_SAW=two ;;
	*marker-cwd*) RUNC_SAW=cwd ;;
	*) if [ "$status" -eq 0 ]; then RUNC_SAW=none; else RUNC_SAW=error; fi ;;
	esac
}

# The bundle argv_dump names, resolved from the same cwd: one|two|cwd, "none" when it does not
# see a policed `run`, "error" when it refuses, "other:PATH" for anything else.
dump_saw() {
	run "$ARGV_DUMP" "$@"
	DUMP_OUT=$output
	if [ "$status" -ne 0 ]; then
		DUMP_SAW=error
		[ "$status" -eq 1 ] && jq -e .error <<<"$output" >/dev/null || DUMP_SAW="crash:$status"
		return 0
	fi
	if [ "$(jq -r .verb <<<"$output")" != run ]; then
		DUMP_SAW=none
		return 0
	fi
	local b p
	b=$(jq -r '.bundle // "."' <<<"$output")
	p=$(cd -- "$b" 2>/dev/null && pwd -P) || p="missing:$b"
	case "$p" in
	"$B1") DUMP_SAW=one ;;
	"$B2") DUMP_SAW=two ;;
	"$B3") DUMP_SAW=cwd ;;
	*) DUMP_SAW="other:$p" ;;
	esac
}

# check_form WANT ARG...: `runc ARG...` and `argv_dump ARG...` (with @ID@ replaced by a fresh
# container id) must both end up at WANT.
check_form() {
	local want=$1 id a
	shift
	N=$((N + 1))
	id=$(cid "f$N")
	local args=()
	for a in "$@"; do args+=("${a//@ID@/$id}"); done
	runc_saw "${args[@]}"
	dump_saw "${args[@]}"
	echo "argv: ${args[*]}"
	echo "runc: $RUNC_SAW: $RUNC_OUT"
	echo "argv_dump: $DUMP_SAW: $DUMP_OUT"
	[ "$RUNC_SAW" = "$want" ]
	[ "$DUMP_SAW" = "$want" ]
}

@test "argv: --bundle X and --bundle=X" {
	check_form one --root "$ROOT" run --bundle "$B1" @ID@
	check_form two --root "$ROOT" run --bundle="$B2" @ID@
}

@test "argv: -bundle X, -bundle=X (Go's single dash)" {
	check_form one --root "$ROOT" run -bundle "$B1" @ID@
	check_form two --root "$ROOT" run -bundle="$B2" @ID@
	run "$ARGV_DUMP" --root "$ROOT" run -bundle "$B1" c
	[ "$(jq -r .go_only_syntax <<<"$output")" = true ]
}

@test "argv: -b X, -b=X, --b X" {
	check_form two --root "$ROOT" run -b "$B2" @ID@
	check_form one --root "$ROOT" run -b="$B1" @ID@
	check_form two --root "$ROOT" run --b "$B2" @ID@
}

@test "argv: repeated bundle flags, the last one wins" {
	check_form two --root "$ROOT" run --bundle "$B1" --bundle="$B2" @ID@
	check_form one --root "$ROOT" run -b "$B2" -b "$B1" @ID@
	check_form two --root "$ROOT" run -bundle "$B1" --bundle "$B2" @ID@
}

@test "argv: --bundle and -b together are an error" {
	check_form error --root "$ROOT" run --bundle "$B1" -b "$B2" @ID@
	check_form error --root "$ROOT" run -b "$B1" @ID@ --bundle "$B2"
}

@test "argv: no bundle, or an empty one, is the working directory" {
	check_form cwd --root "$ROOT" run @ID@
	check_form cwd --root "$ROOT" run -b "" @ID@
	check_form cwd --root "$ROOT" run --bundle= @ID@
}

@test "argv: a relative bundle is relative to the working directory" {
	check_form one --root "$ROOT" run --bundle ../one @ID@
	check_form two --root "$ROOT" run -b=../two @ID@
}

@test "argv: the -- terminator" {
	check_form cwd --root "$ROOT" run -- @ID@
	check_form one --root "$ROOT" run --bundle "$B1" -- @ID@
	check_form two --root "$ROOT" run -b "$B2" @ID@ --
	check_form error --root "$ROOT" run @ID@ -- --bundle "$B1"
	check_form one --root "$ROOT" -- run -b "$B1" @ID@
}

@test "argv: flags after the container id (urfave/cli reorders them)" {
	check_form two --root "$ROOT" run @ID@ --bundle "$B2"
	check_form two --root "$ROOT" run --bundle "$B1" @ID@ --bundle "$B2"
	check_form error --root "$ROOT" run --no-pivot @ID@ --bundle "$B1"
	check_form error --root "$ROOT" run @ID@ extra
	check_form one --root "$ROOT" run --bundle="$B1" @ID@ --no-pivot
	check_form error --root "$ROOT" run --bundle --no-pivot @ID@ --pid-file "$BATS_TEST_TMPDIR/pid"
}

@test "argv: a value that looks like a flag is still the value" {
	ln -s "$B1" -- "$B3/--detach"
	ln -s "$B2" -- "$B3/--"
	check_form one --root "$ROOT" run --bundle --detach @ID@
	check_form two --root "$ROOT" run --bundle -- @ID@
}

@test "argv: global flags with values, both spellings" {
	check_form one --root="$ROOT" run -b "$B1" @ID@
	check_form two --log "$BATS_TEST_TMPDIR/log.json" --log-format=json --root "$ROOT" run --bundle="$B2" @ID@
	check_form cwd -root "$ROOT" --log-format text run @ID@
	check_form one --criu /nonexistent --rootless=false --root "$ROOT" run -b "$B1" @ID@
}

@test "argv: boolean flags take =true/=false but never the next token" {
	check_form two --debug=true --systemd-cgroup=false --root "$ROOT" run --detach=false --keep=false -b "$B2" @ID@
	check_form one --root "$ROOT" run -d=0 --no-pivot=false -b "$B1" @ID@
	check_form error --root "$ROOT" run --detach false @ID@
	check_form error --root "$ROOT" run --detach=maybe @ID@
}

@test "argv: a missing value is an error" {
	check_form error --root "$ROOT" run --bundle
	check_form error --root "$ROOT" run @ID@ --bundle
	check_form error --root "$ROOT" run
}

@test "argv: unknown flags are errors" {
	check_form error --root "$ROOT" run --bogus @ID@
	check_form error --root "$ROOT" run @ID@ --bogus
	check_form error --root "$ROOT" run ---bundle "$B1" @ID@
	check_form error --root "$ROOT" --bogus run -b "$B1" @ID@
}

@test "argv: help and version run nothing" {
	check_form none --root "$ROOT" run -h -b "$B1" @ID@
	check_form none --help --root "$ROOT" run -b "$B1" @ID@
	check_form none -v --root "$ROOT" run -b "$B1" @ID@
	check_form one --version=false --root "$ROOT" run -b "$B1" @ID@
	check_form two --root "$ROOT" run --help=false -b "$B2" @ID@
}

@test "argv: --ocigate-* flags are removed, and runc runs the bundle argv_dump saw" {
	run "$ARGV_DUMP" --ocigate-mode audit --root "$ROOT" --ocigate-policy=/nonexistent.json \
		run --bundle "$B2" c1
	[ "$status" -eq 0 ]
	[ "$(jq -r .ocigate_mode <<<"$output")" = audit ]
	[ "$(jq -r .ocigate_policy <<<"$output")" = /nonexistent.json ]
	[ "$(jq -c '.argv[1:]' <<<"$output")" = "$(jq -cn --arg r "$ROOT" --arg b "$B2" \
		'["--root", $r, "run", "--bundle", $b, "c1"]')" ]
	local -a stripped
	mapfile -t stripped < <(jq -r '.argv[1:][]' <<<"$output")
	check_form two "${stripped[@]}"
	# runc itself rejects our flags, so they must never reach it.
	runc_saw --ocigate-mode=audit --root "$ROOT" run -b "$B1" c2
	[ "$RUNC_SAW" = error ]
	[[ "$RUNC_OUT" == *"flag provided but not defined: -ocigate-mode"* ]]
}

# A running container for exec, and two process files whose processes print different markers.
setup_exec() {
	setup_bundle long
	update_config '.process.args = ["sleep", "600"]'
	EXEC_ID=$(cid long)
	"$REAL_RUNC" --root "$ROOT" run -d -b "$BUNDLE" "$EXEC_ID" </dev/null >/dev/null 2>&1
	local m
	for m in one two; do
		jq -n --arg m "proc-$m" '{args: ["echo", $m], cwd: "/", user: {uid: 0, gid: 0},
			env: ["PATH=/bin"], capabilities: {bounding: [], effective: [], permitted: []}}' \
			>"$BATS_TEST_TMPDIR/p-$m.json"
	done
	P1=$BATS_TEST_TMPDIR/p-one.json
	P2=$BATS_TEST_TMPDIR/p-two.json
	cd "$B3"
}

# check_exec WANT ARG...: `runc --root R exec ARG...` prints proc-one|proc-two (a process file)
# or proc-args (the command line), and argv_dump must name the same source.
check_exec() {
	local want=$1 a
	shift
	local args=()
	for a in "$@"; do args+=("${a//@ID@/$EXEC_ID}"); done
	run "$REAL_RUNC" --root "$ROOT" exec "${args[@]}"
	echo "runc exec ${args[*]}: $status: $output"
	case "$output" in
	*proc-one*) [ "$want" = one ] ;;
	*proc-two*) [ "$want" = two ] ;;
	*proc-args*) [ "$want" = args ] ;;
	*) [ "$want" = error ] && [ "$status" -ne 0 ] ;;
	esac
	run "$ARGV_DUMP" --root "$ROOT" exec "${args[@]}"
	echo "argv_dump: $status: $output"
	if [ "$want" = error ]; then
		[ "$status" -eq 1 ]
		return 0
	fi
	[ "$status" -eq 0 ]
	[ "$(jq -r .container_id <<<"$output")" = "$EXEC_ID" ]
	case "$(jq -r '.process // "args"' <<<"$output")" in
	"$P1") [ "$want" = one ] ;;
	"$P2") [ "$want" = two ] ;;
	args) [ "$want" = args ] ;;
	*) false ;;
	esac
}

@test "argv: exec --process in every spelling" {
	setup_exec
	check_exec one --process "$P1" @ID@
	check_exec two -p "$P2" @ID@
	check_exec one --process="$P1" --detach=false @ID@
	check_exec two -p="$P2" @ID@
	check_exec one -process "$P1" @ID@
	check_exec two --process "$P1" --process "$P2" @ID@
	check_exec error --process "$P1" -p "$P2" @ID@
	check_exec args --process= @ID@ echo proc-args
	# exec is never reordered: after the id, --process is part of the command.
	check_exec args @ID@ echo proc-args --process "$P1"
	check_exec args -- @ID@ echo proc-args
	check_exec error --bogus @ID@ echo proc-args
}

@test "argv: exec --cap is collected, not last-wins" {
	setup_exec
	# runc spec's default CapEff is 0x20000420; CAP_NET_ADMIN is bit 12, CAP_SYS_ADMIN bit 21.
	run "$REAL_RUNC" --root "$ROOT" exec --cap CAP_NET_ADMIN --cap=CAP_SYS_ADMIN "$EXEC_ID" grep CapEff /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *0000000020201420* ]]
	run "$ARGV_DUMP" --root "$ROOT" exec --cap CAP_NET_ADMIN --cap=CAP_SYS_ADMIN "$EXEC_ID" grep CapEff /proc/self/status
	[ "$(jq -c .caps <<<"$output")" = '["CAP_NET_ADMIN","CAP_SYS_ADMIN"]' ]
	run "$REAL_RUNC" --root "$ROOT" exec -c CAP_NET_ADMIN --cap CAP_SYS_ADMIN "$EXEC_ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"two forms"* ]]
	run "$ARGV_DUMP" --root "$ROOT" exec -c CAP_NET_ADMIN --cap CAP_SYS_ADMIN "$EXEC_ID" true
	[ "$status" -eq 1 ]
}

@test "argv: exec --user and --no-new-privs=false" {
	setup_exec
	run "$REAL_RUNC" --root "$ROOT" exec -u 65534:65534 "$EXEC_ID" id -u
	[ "$output" = 65534 ]
	run "$ARGV_DUMP" --root "$ROOT" exec -u 65534:65534 "$EXEC_ID" id -u
	[ "$(jq -r .user <<<"$output")" = 65534:65534 ]
	[ "$(jq -r .no_new_privs <<<"$output")" = -1 ]
	# runc spec sets noNewPrivileges; the flag really clears it.
	run "$REAL_RUNC" --root "$ROOT" exec "$EXEC_ID" grep NoNewPrivs /proc/self/status
	[ "$output" = "$(printf 'NoNewPrivs:\t1')" ]
	run "$REAL_RUNC" --root "$ROOT" exec --no-new-privs=false "$EXEC_ID" grep NoNewPrivs /proc/self/status
	[ "$output" = "$(printf 'NoNewPrivs:\t0')" ]
	run "$ARGV_DUMP" --root "$ROOT" exec --no-new-privs=false "$EXEC_ID" grep NoNewPrivs /proc/self/status
	[ "$(jq -r .no_new_privs <<<"$output")" = 0 ]
}
