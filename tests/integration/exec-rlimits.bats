#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `exec --process` gets the container's limits: runc and crun set the rlimits of the exec
# document only, so a process.json without them (Docker's `docker exec`, the CRI's ExecSync)
# starts with the runtime caller's limits -- dockerd's RLIMIT_NOFILE instead of the 1024 the
# policy gave the container.  ocigate judges `rlimits` of the exec document exactly as
# process.rlimits at create: the default is injected when missing, and a hard limit above what
# the runtime may set here (no CAP_SYS_RESOURCE) is clamped.  Shown with `ulimit` inside a real
# container, with runc and crun.

load helpers

setup() {
	setup_bundle
	PROC="$BATS_TEST_TMPDIR/process.json"
	update_config 'del(.process.rlimits) | .process.args = ["sleep", "300"]'
}

# process_json [RLIMITS_JSON]: the exec document, as Docker writes it (no rlimits) or with some.
process_json() {
	jq -n --argjson rl "${1:-null}" '{args: ["sh", "-c", "ulimit -Sn; ulimit -Hn"], cwd: "/",
		user: {uid: 0, gid: 0}, env: ["PATH=/bin"]} + (if $rl == null then {} else {rlimits: $rl} end)' >"$PROC"
}

# direct_exec: the exec document through the runtime $RT alone.
direct_exec() {
	run "$RT" --root "$ROOT" exec --process "$PROC" "$(cid)"
	echo "$RT alone (status=$status): $output" >&2
}

injected_case() {
	use_runtime "$1"
	requires nofile_not_1024
	ocg_start
	# The container's init got the policy's 1024.
	[ "$(jq -c '.process.rlimits' "$BUNDLE/config.json")" = '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' ]
	# The runtime alone: the exec'd process has the caller's limits.
	process_json
	direct_exec
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(ulimit -Hn)" ]
	# Through ocigate: the container's.
	process_json
	ocg exec --process "$PROC" "$(cid)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1024 ]
	[ "${lines[1]}" = 1024 ]
	jq -e '.rlimits == [{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' "$PROC" >/dev/null
	tail -n 1 "$AUDIT" | jq -e '.verb == "exec" and .verdict == "rewrite"
		and ([.rewritten[].rule] | index("resource-limits") != null)' >/dev/null
}

@test "exec: a process.json without rlimits gets the container's RLIMIT_NOFILE (runc)" {
	injected_case runc
}

@test "exec: a process.json without rlimits gets the container's RLIMIT_NOFILE (crun)" {
	injected_case crun
}

clamped_case() {
	use_runtime "$1"
	requires no_cap_sys_resource
	local hard
	hard=$(ulimit -Hn)
	ocg_start
	process_json '[{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]'
	direct_exec
	[ "$status" -ne 0 ]
	process_json '[{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]'
	ocg exec --process "$PROC" "$(cid)"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$hard" ]
}

@test "exec: an exec rlimit above what the runtime may set is clamped as at create (runc)" {
	clamped_case runc
}

@test "exec: an exec rlimit above what the runtime may set is clamped as at create (crun)" {
	clamped_case crun
}

@test "exec: the container's own rlimits in the exec document are kept (runc)" {
	use_runtime runc
	ocg_start
	process_json '[{"type": "RLIMIT_NOFILE", "hard": 512, "soft": 256}]'
	ocg exec --process "$PROC" "$(cid)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 256 ]
	[ "${lines[1]}" = 512 ]
	# Other rules may complete the document (no_new_privileges); resource-limits changed nothing.
	tail -n 1 "$AUDIT" | jq -e '[.rewritten[].rule] | index("resource-limits") == null' >/dev/null
	jq -e '.rlimits == [{"type":"RLIMIT_NOFILE","hard":512,"soft":256}]' "$PROC" >/dev/null
}
