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
	AUDIT="$BATS_TEST_TMPDIR/audit.log"
	PROC="$BATS_TEST_TMPDIR/process.json"
	update_config 'del(.process.rlimits) | .process.args = ["sleep", "300"]'
}

teardown() {
	local rt c
	for rt in "$REAL_RUNC" "$REAL_CRUN"; do
		[ -x "$rt" ] || continue
		for c in $("$rt" --root "$ROOT" list -q 2>/dev/null); do
			"$rt" --root "$ROOT" delete --force "$c" >/dev/null 2>&1 || true
		done
	done
}

use_runtime() {
	case "$1" in
	runc) RT=$REAL_RUNC ;;
	crun)
		[ -x "$REAL_CRUN" ] || skip "needs crun at $REAL_CRUN"
		local c=/sys/fs/cgroup/unified/cgroup.controllers
		[ ! -s "$c" ] || skip "crun refuses this host: $c lists controllers; run contrib/setup-host.sh"
		RT=$REAL_CRUN
		;;
	esac
}

start() {
	"$OCIGATE" --ocigate-runtime "$RT" --ocigate-audit-log "$AUDIT" \
		--root "$ROOT" run -d --bundle "$BUNDLE" "$(cid)" </dev/null >/dev/null 2>&1
	[ "$("$RT" --root "$ROOT" state "$(cid)" | jq -r .status)" = running ]
}

# process_json [RLIMITS_JSON]: the exec document, as Docker writes it (no rlimits) or with some.
process_json() {
	jq -n --argjson rl "${1:-null}" '{args: ["sh", "-c", "ulimit -Sn; ulimit -Hn"], cwd: "/",
		user: {uid: 0, gid: 0}, env: ["PATH=/bin"]} + (if $rl == null then {} else {rlimits: $rl} end)' >"$PROC"
}

ocg_exec() {
	run "$OCIGATE" --ocigate-runtime "$RT" --ocigate-audit-log "$AUDIT" --root "$ROOT" \
		exec --process "$PROC" "$(cid)"
	echo "status=$status output=$output"
}

direct_exec() {
	run "$RT" --root "$ROOT" exec --process "$PROC" "$(cid)"
	echo "direct status=$status output=$output"
}

injected_case() {
	use_runtime "$1"
	[ "$(ulimit -Hn)" != 1024 ] || skip "the caller's own hard NOFILE is already 1024"
	start
	# The container's init got the policy's 1024.
	[ "$(jq -c '.process.rlimits' "$BUNDLE/config.json")" = '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' ]
	# The runtime alone: the exec'd process has the caller's limits.
	process_json
	direct_exec
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(ulimit -Hn)" ]
	# Through ocigate: the container's.
	process_json
	ocg_exec
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
	local eff hard
	eff=$(awk '/^CapEff/{print $2}' /proc/self/status)
	[ $((0x$eff >> 24 & 1)) -eq 0 ] || skip "the caller has CAP_SYS_RESOURCE: nothing to clamp"
	hard=$(ulimit -Hn)
	start
	process_json '[{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]'
	direct_exec
	[ "$status" -ne 0 ]
	process_json '[{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]'
	ocg_exec
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
	start
	process_json '[{"type": "RLIMIT_NOFILE", "hard": 512, "soft": 256}]'
	ocg_exec
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 256 ]
	[ "${lines[1]}" = 512 ]
	# Other rules may complete the document (no_new_privileges); resource-limits changed nothing.
	tail -n 1 "$AUDIT" | jq -e '[.rewritten[].rule] | index("resource-limits") == null' >/dev/null
	jq -e '.rlimits == [{"type":"RLIMIT_NOFILE","hard":512,"soft":256}]' "$PROC" >/dev/null
}
