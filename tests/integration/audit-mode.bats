#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Audit mode changes nothing: nothing is refused for policy or load reasons, every byte of input
# reaches the runtime, and every record says what enforce would have done.  And in both modes, a
# verb aimed at a container that does not exist reaches the runtime, which says so.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "300"]'
}

@test "audit: a config enforce cannot load (a case-folded key) runs, recorded as an error" {
	# runc's Go decoder reads "Pids" as "pids"; crun's would not: enforce refuses it.
	update_config '.linux.resources.Pids = {"limit": 1000}'
	ocg_detached --ocigate-mode enforce run -d --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 2 ]
	[ -z "$(containers_left)" ]
	ocg_detached --ocigate-mode audit run -d --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 0 ]
	[ "$("$REAL_RUNC" --root "$ROOT" state "$(cid b)" | jq -r .status)" = running ]
	# Audit changed nothing: the bundle is as it was written.
	jq -e '.linux.resources.Pids.limit == 1000 and .linux.seccomp == null' "$BUNDLE/config.json"
	run audit_record run
	jq -e '.mode == "audit" and .verdict == "error" and .executed == true
		and (.error | test("Pids"))' <<<"$output"
}

@test "audit: update -r - hands every byte of stdin to runc, whatever the verdict" {
	ocg_start --ocigate-mode audit
	local pids
	pids=$(awk -F: '$2 == "pids" {print $3}' "/proc/$PID/cgroup")
	ocg_stdin '{"pids": {"limit": 123}}' --ocigate-mode audit update -r - "$(cid)"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/pids$pids/pids.max")" = 123 ]
	run audit_record update
	jq -e '.document == "-" and .verdict == "allow" and .executed == true' <<<"$output"
	# A limit lifted: enforce would deny it, audit runs it and says so.
	ocg_stdin '{"pids": {"limit": -1}}' --ocigate-mode audit update -r - "$(cid)"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/pids$pids/pids.max")" = max ]
	run audit_record update
	jq -e '.verdict == "deny" and .executed == true' <<<"$output"
	# A document enforce cannot load still reaches runc whole.
	ocg_stdin '{"Pids": {"limit": 77}}' --ocigate-mode audit update -r - "$(cid)"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/pids$pids/pids.max")" = 77 ]
	run audit_record update
	jq -e '.verdict == "error" and .executed == true' <<<"$output"
}

@test "exec -p <(...): a process file on a pipe is read, judged and handed on, in both modes" {
	ocg_start --ocigate-mode enforce
	local proc='{"args": ["echo", "from-a-pipe"], "env": ["PATH=/bin"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true}'
	ocg exec -p <(printf '%s' "$proc") "$(cid)"
	[ "$status" -eq 0 ]
	[ "$output" = from-a-pipe ]
	run audit_record exec
	jq -e '(.document | startswith("/dev/fd/")) and .verdict != "deny" and .executed == true' <<<"$output"
	ocg --ocigate-mode audit exec -p <(printf '%s' "$proc") "$(cid)"
	[ "$status" -eq 0 ]
	[ "$output" = from-a-pipe ]
	# Judged like any process file: CAP_SYS_ADMIN through a pipe is denied.
	local admin='{"args": ["true"], "cwd": "/", "capabilities": {"bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"], "permitted": ["CAP_SYS_ADMIN"]}, "noNewPrivileges": true}'
	ocg exec -p <(printf '%s' "$admin") "$(cid)"
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
		ocg --ocigate-mode "$mode" exec no-such-container true
		[ "$status" -eq "$want_exec" ]
		[[ "$output" == *"container does not exist"* ]]
		ocg --ocigate-mode "$mode" exec --cap CAP_SYS_ADMIN no-such-container true
		[ "$status" -eq "$want_exec" ]
		ocg --ocigate-mode "$mode" update --pids-limit -1 no-such-container
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
	ocg_start --ocigate-mode audit
	jq -e '.process.capabilities.ambient | length > 0' "$BUNDLE/config.json"
	ocg --ocigate-mode audit exec "$(cid)" true
	[ "$status" -eq 0 ]
	run audit_record exec
	# Enforce would have allowed this exec (its create had rewritten the config).
	jq -e '.verdict != "deny" and .executed == true
		and .document == "exec flags over the config as enforce'"'"'s create would have rewritten it"
		and ([.denied[].rule] | index("capabilities") == null)' <<<"$output"
	# What enforce says of the same exec after its own create: the same verdict.
	ocg_detached --ocigate-mode enforce run -d --bundle "$BUNDLE" "$(cid e)"
	[ "$status" -eq 0 ]
	ocg --ocigate-mode enforce exec "$(cid e)" true
	[ "$status" -eq 0 ]
}
