#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Audit mode changes nothing: nothing is refused for policy or load reasons, every byte of input
# reaches the runtime, and every record says what enforce would have done.  And in both modes, a
# verb aimed at a container that does not exist reaches the runtime, which says so.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "300"]'
	AUDIT="$BATS_TEST_TMPDIR/audit.log"
}

teardown() {
	teardown_bundle
}

# ocg MODE ARGS...: ocigate with the real runc in MODE (enforce or audit).
ocg() {
	local mode=$1
	shift
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" \
		--ocigate-mode "$mode" --root "$ROOT" "$@"
	echo "status=$status output=$output"
}

# ocg_detached MODE ARGS...: like ocg, for `run -d`: the container keeps the stdio it was given,
# so it must not be bats' pipe.
ocg_detached() {
	local mode=$1
	shift
	set +e
	"$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" --ocigate-mode "$mode" \
		--root "$ROOT" "$@" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	status=$?
	set -e
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "status=$status output=$output"
}

# start MODE: the container, created through ocigate in MODE.
start() {
	"$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" --ocigate-mode "$1" \
		--root "$ROOT" run -d --bundle "$BUNDLE" "$(cid)" </dev/null >/dev/null 2>&1
	[ "$("$REAL_RUNC" --root "$ROOT" state "$(cid)" | jq -r .status)" = running ]
}

record_of() {
	jq -sc --arg verb "$1" '[.[] | select(.verb == $verb)][-1]' "$AUDIT"
}

@test "audit: a config enforce cannot load (a case-folded key) runs, recorded as an error" {
	# runc's Go decoder reads "Pids" as "pids"; crun's would not: enforce refuses it.
	update_config '.linux.resources.Pids = {"limit": 1000}'
	ocg_detached enforce run -d --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 2 ]
	[ -z "$("$REAL_RUNC" --root "$ROOT" list -q)" ]
	ocg_detached audit run -d --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 0 ]
	[ "$("$REAL_RUNC" --root "$ROOT" state "$(cid b)" | jq -r .status)" = running ]
	# Audit changed nothing: the bundle is as it was written.
	jq -e '.linux.resources.Pids.limit == 1000 and .linux.seccomp == null' "$BUNDLE/config.json"
	run record_of run
	jq -e '.mode == "audit" and .verdict == "error" and .executed == true
		and (.error | test("Pids"))' <<<"$output"
}

@test "audit: update -r - hands every byte of stdin to runc, whatever the verdict" {
	start audit
	local pids
	pids=$(awk -F: '$2 == "pids" {print $3}' "/proc/$("$REAL_RUNC" --root "$ROOT" state "$(cid)" | jq -r .pid)/cgroup")
	run bash -c "printf '{\"pids\": {\"limit\": 123}}' | '$OCIGATE' --ocigate-runtime '$REAL_RUNC' \
		--ocigate-audit-log '$AUDIT' --ocigate-mode audit --root '$ROOT' update -r - '$(cid)'"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/pids$pids/pids.max")" = 123 ]
	run record_of update
	jq -e '.document == "-" and .verdict == "allow" and .executed == true' <<<"$output"
	# A limit lifted: enforce would deny it, audit runs it and says so.
	run bash -c "printf '{\"pids\": {\"limit\": -1}}' | '$OCIGATE' --ocigate-runtime '$REAL_RUNC' \
		--ocigate-audit-log '$AUDIT' --ocigate-mode audit --root '$ROOT' update -r - '$(cid)'"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/pids$pids/pids.max")" = max ]
	run record_of update
	jq -e '.verdict == "deny" and .executed == true' <<<"$output"
	# A document enforce cannot load still reaches runc whole.
	run bash -c "printf '{\"Pids\": {\"limit\": 77}}' | '$OCIGATE' --ocigate-runtime '$REAL_RUNC' \
		--ocigate-audit-log '$AUDIT' --ocigate-mode audit --root '$ROOT' update -r - '$(cid)'"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/pids$pids/pids.max")" = 77 ]
	run record_of update
	jq -e '.verdict == "error" and .executed == true' <<<"$output"
}

@test "exec -p <(...): a process file on a pipe is read, judged and handed on, in both modes" {
	start enforce
	local proc='{"args": ["echo", "from-a-pipe"], "env": ["PATH=/bin"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true}'
	run bash -c "'$OCIGATE' --ocigate-runtime '$REAL_RUNC' --ocigate-audit-log '$AUDIT' \
		--root '$ROOT' exec -p <(printf '%s' '$proc') '$(cid)'"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = from-a-pipe ]
	run record_of exec
	jq -e '(.document | startswith("/dev/fd/")) and .verdict != "deny" and .executed == true' <<<"$output"
	run bash -c "'$OCIGATE' --ocigate-runtime '$REAL_RUNC' --ocigate-audit-log '$AUDIT' \
		--ocigate-mode audit --root '$ROOT' exec -p <(printf '%s' '$proc') '$(cid)'"
	[ "$status" -eq 0 ]
	[ "$output" = from-a-pipe ]
	# Judged like any process file: CAP_SYS_ADMIN through a pipe is denied.
	local admin='{"args": ["true"], "cwd": "/", "capabilities": {"bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"], "permitted": ["CAP_SYS_ADMIN"]}, "noNewPrivileges": true}'
	run bash -c "'$OCIGATE' --ocigate-runtime '$REAL_RUNC' --ocigate-audit-log '$AUDIT' \
		--root '$ROOT' exec -p <(printf '%s' '$admin') '$(cid)'"
	[ "$status" -eq 1 ]
	[[ "$output" == *"CAP_SYS_ADMIN"* ]]
}

@test "exec and update aimed at a container that does not exist: runc answers, in both modes" {
	local mode want_exec want_update
	run "$REAL_RUNC" --root "$ROOT" exec no-such-container true
	want_exec=$status
	[[ "$output" == *"container does not exist"* ]]
	run "$REAL_RUNC" --root "$ROOT" update --memory 1m no-such-container
	want_update=$status
	for mode in enforce audit; do
		ocg "$mode" exec no-such-container true
		[ "$status" -eq "$want_exec" ]
		[[ "$output" == *"container does not exist"* ]]
		ocg "$mode" exec --cap CAP_SYS_ADMIN no-such-container true
		[ "$status" -eq "$want_exec" ]
		ocg "$mode" update --pids-limit -1 no-such-container
		[ "$status" -eq "$want_update" ]
		[[ "$output" == *"container does not exist"* ]]
	done
	# Nothing was judged, so nothing was recorded.
	[ ! -e "$AUDIT" ]
}

@test "audit: exec without --process is judged against the process enforce's create would have left" {
	# runc spec's process has ambient capabilities; enforce's create empties them
	# (capabilities rule) -- audit's create leaves them in config.json.
	jq -e '.process.capabilities.ambient | length > 0' "$BUNDLE/config.json"
	start audit
	jq -e '.process.capabilities.ambient | length > 0' "$BUNDLE/config.json"
	ocg audit exec "$(cid)" true
	[ "$status" -eq 0 ]
	run record_of exec
	echo "$output"
	# Enforce would have allowed this exec (its create had rewritten the config).
	jq -e '.verdict != "deny" and .executed == true
		and .document == "exec flags over the config as enforce'"'"'s create would have rewritten it"
		and ([.denied[].rule] | index("capabilities") == null)' <<<"$output"
	# What enforce says of the same exec after its own create: the same verdict.
	ocg_detached enforce run -d --bundle "$BUNDLE" "$(cid e)"
	[ "$status" -eq 0 ]
	ocg enforce exec "$(cid e)" true
	[ "$status" -eq 0 ]
}
