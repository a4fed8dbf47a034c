#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The resource and host-interface rules through ocigate and the real runc: resource-limits (CIS
# 5.11/5.12/5.19/5.29), oom-score-adj, sysctls (PSS), hooks, and the LSM rules on a host without
# AppArmor or SELinux.  What is injected must be what the container sees (its own cgroup files,
# /proc/self/limits, /proc/self/oom_score_adj, /proc/sys); what is denied must leave no container
# and no trace on the host (a hook's file, a host sysctl).
#
# This host is cgroup v1: runc bind-mounts the container's own cgroup directories at
# /sys/fs/cgroup/<controller> inside it (no cgroup namespace), so memory.limit_in_bytes there is
# the container's limit.  cgroup v2's `unified` map cannot be applied on v1 at all (runc: "cannot
# set unified resource on cgroup v1"), so its denial is shown here only as ocigate's own verdict;
# the parsing cases are unit-tested (tests/unit/test_rules_resources.c).

load helpers

setup() {
	setup_bundle
	AUDIT="$BATS_TEST_TMPDIR/audit.log"
	POLICY="$BATS_TEST_TMPDIR/policy.json"
	HOOKFILE="$BATS_TEST_TMPDIR/hook-was-here"
}

teardown() {
	teardown_bundle
}

# ocg_run [--ocigate-policy FILE]: `run` through ocigate with the real runc.
ocg_run() {
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" "$@" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
	echo "status=$status output=$output"
}

# A denial: exit 1, the rule named, no container left, and the last audit record says so.
# Leaves $output alone for the caller's own checks.
assert_denied() {
	local rule=$1 record
	[ "$status" -eq 1 ]
	[[ "$output" == *"denied by policy"*"$rule"* ]]
	[ -z "$("$REAL_RUNC" --root "$ROOT" list -q)" ]
	record=$(tail -n 1 "$AUDIT" | jq -r '[.verdict, .executed, ([.denied[].rule] | unique | join(","))] | @tsv')
	[[ "$record" == "$(printf 'deny\tfalse\t')"*"$rule"* ]]
}

# policy_file JSON: a root-owned 0644 policy file (policy files are trusted input).
policy_file() {
	printf '%s\n' "$1" >"$POLICY"
	chmod 0644 "$POLICY"
}

show_limits='cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares'

@test "resource-limits: missing memory, pids and CPU limits are injected and the cgroups hold them" {
	update_config "del(.linux.resources.memory, .linux.resources.pids, .linux.resources.cpu)
		| .process.args = [\"sh\", \"-c\", \"$show_limits\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 2147483648 ]
	[ "${lines[1]}" = 4096 ]
	[ "${lines[2]}" = 1024 ]
	# The bundle holds exactly what runc ran.
	[ "$(jq -c '.linux.resources | [.memory.limit, .pids.limit, .cpu.shares]' "$BUNDLE/config.json")" = '[2147483648,4096,1024]' ]
}

@test "resource-limits: unlimited (-1) is replaced, explicit limits are kept" {
	update_config ".linux.resources.memory = {limit: -1} | .linux.resources.pids = {limit: -1}
		| .process.args = [\"sh\", \"-c\", \"$show_limits\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 2147483648 ]
	[ "${lines[1]}" = 4096 ]

	setup_bundle second
	update_config ".linux.resources.memory = {limit: 67108864} | .linux.resources.pids = {limit: 50}
		| .linux.resources.cpu = {shares: 512} | .process.args = [\"sh\", \"-c\", \"$show_limits\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = 50 ]
	[ "${lines[2]}" = 512 ]
}

@test "resource-limits: RLIMIT_NOFILE 1024 is injected and is what the container gets" {
	# Without the injection the container would inherit our own limit, which is not 1024 here.
	[ "$(ulimit -Hn)" != 1024 ] || skip "the caller's own hard NOFILE is already 1024"
	update_config 'del(.process.rlimits) | .process.args = ["grep", "open files", "/proc/self/limits"]'
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^Max\ open\ files\ +1024\ +1024\ +files ]]
	[ "$(jq -c '.process.rlimits' "$BUNDLE/config.json")" = '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' ]
}

@test "resource-limits: limits above the policy maximum are denied, the default is capped by it" {
	policy_file '{"profile": "capped", "profiles": {"capped": {"extends": "baseline",
		"rules": {"resource-limits": {"memory_max": 1073741824, "pids_max": 1000}}}}}'
	update_config '.linux.resources.memory = {limit: 2147483648} | .linux.resources.pids = {limit: 1001}'
	ocg_run --ocigate-policy "$POLICY"
	assert_denied resource-limits
	[[ "$output" == *'memory limit `2147483648` is above the policy maximum `1073741824`'* ]]

	setup_bundle second
	update_config "del(.linux.resources.memory, .linux.resources.pids)
		| .process.args = [\"sh\", \"-c\", \"$show_limits\"]"
	ocg_run --ocigate-policy "$POLICY"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1073741824 ]
	[ "${lines[1]}" = 1000 ]
}

@test "resource-limits: a cgroup v2 unified memory.max=max is denied before runc sees it" {
	update_config '.linux.resources.memory = {limit: 67108864} | .linux.resources.unified = {"memory.max": "max"}'
	ocg_run
	assert_denied resource-limits
	[[ "$output" == *'unified `memory.max` = `max` overrides the memory limit'* ]]
}

# ocg_update JSON: `runc update --resources -` through ocigate, the document on stdin.
ocg_update() {
	run bash -c "printf '%s' '$1' | '$OCIGATE' --ocigate-runtime '$REAL_RUNC' --ocigate-audit-log '$AUDIT' \
		--root '$ROOT' update --resources - '$(cid)'"
	echo "status=$status output=$output"
}

@test "resource-limits: an update that lifts a limit is denied, a lower limit is applied" {
	local limit=/sys/fs/cgroup/memory/memory.limit_in_bytes
	update_config 'del(.linux.resources.memory) | .process.args = ["sleep", "60"]'
	# Detached, its stdio away from bats' capture.
	"$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" \
		--root "$ROOT" run -d --bundle "$BUNDLE" "$(cid)" </dev/null >/dev/null 2>&1
	[ "$("$REAL_RUNC" --root "$ROOT" exec "$(cid)" cat $limit)" = 2147483648 ]

	ocg_update '{"memory": {"limit": -1}}'
	[ "$status" -eq 1 ]
	[[ "$output" == *'resource-limits'*'update sets the memory limit to `-1`, removing it'* ]]
	[ "$("$REAL_RUNC" --root "$ROOT" exec "$(cid)" cat $limit)" = 2147483648 ]

	ocg_update '{"memory": {"limit": 104857600}}'
	[ "$status" -eq 0 ]
	[ "$("$REAL_RUNC" --root "$ROOT" exec "$(cid)" cat $limit)" = 104857600 ]
}

@test "resource-limits: update with individual flags is judged like --resources, the limit stays" {
	local pids=/sys/fs/cgroup/pids/pids.max
	update_config 'del(.linux.resources.pids) | .process.args = ["sleep", "60"]'
	"$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" \
		--root "$ROOT" run -d --bundle "$BUNDLE" "$(cid)" </dev/null >/dev/null 2>&1
	[ "$("$REAL_RUNC" --root "$ROOT" exec "$(cid)" cat $pids)" = 4096 ]
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --root "$ROOT" update --pids-limit -1 "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'resource-limits'*'pids limit to `-1`'* ]]
	# runc itself would have lifted it: ocigate stood in the way.
	[ "$("$REAL_RUNC" --root "$ROOT" exec "$(cid)" cat $pids)" = 4096 ]
}

@test "resource-limits: an rlimit above what the runtime may set here is clamped, so it runs" {
	# Only on hosts whose runtime caller lacks CAP_SYS_RESOURCE (bit 24), like this VM kind.
	local eff
	eff=$(awk '/^CapEff/{print $2}' /proc/self/status)
	[ $((0x$eff >> 24 & 1)) -eq 0 ] || skip "the caller has CAP_SYS_RESOURCE: nothing to clamp"
	local hard
	hard=$(ulimit -Hn)
	# Podman's default: NOFILE 1048576 (real-clients.md §5).
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}]
		| .process.args = ["sh", "-c", "ulimit -Hn"]'
	run "$REAL_RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$(cid plain)"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error setting rlimit"* ]]
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = "$hard" ]
}

@test "oom-score-adj: a value below the policy floor is raised to it inside the container" {
	policy_file '{"profile": "floor", "profiles": {"floor": {"extends": "baseline",
		"rules": {"oom-score-adj": {"floor": 100}}}}}'
	update_config '.process.oomScoreAdj = 50 | .process.args = ["cat", "/proc/self/oom_score_adj"]'
	ocg_run --ocigate-policy "$POLICY"
	[ "$status" -eq 0 ]
	[ "$output" = 100 ]
	# At or above the floor: untouched.
	setup_bundle second
	update_config '.process.oomScoreAdj = 300 | .process.args = ["cat", "/proc/self/oom_score_adj"]'
	ocg_run --ocigate-policy "$POLICY"
	[ "$status" -eq 0 ]
	[ "$output" = 300 ]
}

@test "oom-score-adj: the default floor turns -1000 (unkillable) into -999" {
	# Lowering oom_score_adj below 0 needs CAP_SYS_RESOURCE, which this CI VM's bounding set
	# lacks: runc itself would fail on -999 as on -1000.  The rewrite is still checked in the
	# bundle; the in-container value only where the capability exists.
	update_config '.process.oomScoreAdj = -1000 | .process.args = ["cat", "/proc/self/oom_score_adj"]'
	ocg_run
	[ "$(jq '.process.oomScoreAdj' "$BUNDLE/config.json")" = -999 ]
	if capsh --has-p=cap_sys_resource 2>/dev/null; then
		[ "$status" -eq 0 ]
		[ "$output" = -999 ]
	else
		[ "$status" -ne 0 ]
		[[ "$output" == *oom_score_adj* ]]
		skip "no CAP_SYS_RESOURCE here: runc cannot set any negative oom_score_adj"
	fi
}

@test "sysctls: an IPC sysctl in a private IPC namespace is set there, not on the host" {
	local host
	host=$(cat /proc/sys/kernel/msgmax)
	[ "$host" != 12345 ]
	update_config '.linux.sysctl = {"kernel.msgmax": "12345"} | .process.args = ["cat", "/proc/sys/kernel/msgmax"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = 12345 ]
	[ "$(cat /proc/sys/kernel/msgmax)" = "$host" ]
}

@test "sysctls: Docker's net.* defaults pass in a private netns and are set in it" {
	local host
	host=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
	[ "$host" != 0 ]
	update_config '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "0", "net.ipv4.ping_group_range": "0 2147483647"}
		| .process.args = ["cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
	[ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" = "$host" ]
}

@test "sysctls: net.* with the host's network namespace is denied" {
	update_config 'del(.linux.namespaces[] | select(.type == "network"))
		| .linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "0"}'
	ocg_run
	assert_denied sysctls
	[[ "$output" == *'sysctl `net.ipv4.ip_unprivileged_port_start` needs a private network namespace'* ]]
}

@test "sysctls: a host-wide sysctl (vm.swappiness, kernel.core_pattern) is denied, the host keeps its value" {
	local swappiness pattern
	swappiness=$(cat /proc/sys/vm/swappiness)
	pattern=$(cat /proc/sys/kernel/core_pattern)
	update_config '.linux.sysctl = {"vm.swappiness": "1", "kernel/core_pattern": "|/bin/false"}'
	ocg_run
	assert_denied sysctls
	[[ "$output" == *'sysctl `vm.swappiness` is not on the allowlist'* ]]
	[[ "$output" == *'sysctl `kernel/core_pattern` is not on the allowlist'* ]]
	[ "$(cat /proc/sys/vm/swappiness)" = "$swappiness" ]
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$pattern" ]
}

@test "hooks: a hook that would touch a host file is denied and the file never appears" {
	update_config ".hooks = {prestart: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch $HOOKFILE\"]}]}"
	ocg_run
	assert_denied hooks
	[[ "$output" == *'prestart hook `/bin/sh` is not allowlisted: hooks run on the host as root'* ]]
	[ ! -e "$HOOKFILE" ]
	# The same bundle straight to runc: the hook runs on the host (what was prevented).
	run "$REAL_RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$(cid direct)"
	[ "$status" -eq 0 ]
	[ -e "$HOOKFILE" ]
}

@test "hooks: every hook list is judged, /proc/self/exe is never allowed" {
	local list
	for list in createRuntime createContainer startContainer poststart poststop; do
		update_config ".hooks = {$list: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch $HOOKFILE\"]}]}"
		ocg_run
		assert_denied hooks
		[ ! -e "$HOOKFILE" ]
	done
	update_config '.hooks = {prestart: [{path: "/proc/self/exe", args: ["runc", "--version"]}]}'
	ocg_run
	assert_denied hooks
	[[ "$output" == *"would run the runtime's own process"* ]]
}

@test "hooks: an allowlisted hook runs" {
	policy_file "{\"profile\": \"hooked\", \"profiles\": {\"hooked\": {\"extends\": \"baseline\",
		\"rules\": {\"hooks\": {\"allow\": [\"/usr/bin/touch touch $BATS_TEST_TMPDIR/*\"]}}}}}"
	update_config ".hooks = {poststart: [{path: \"/usr/bin/touch\", args: [\"touch\", \"$HOOKFILE\"]}]}"
	ocg_run --ocigate-policy "$POLICY"
	[ "$status" -eq 0 ]
	[ -e "$HOOKFILE" ]
	# Another argument is another hook.
	setup_bundle second
	update_config ".hooks = {poststart: [{path: \"/usr/bin/touch\", args: [\"touch\", \"/tmp/ocg-not-allowed-$$\"]}]}"
	ocg_run --ocigate-policy "$POLICY"
	assert_denied hooks
	[ ! -e "/tmp/ocg-not-allowed-$$" ]
}

@test "apparmor, selinux: on a host with neither LSM, nothing is injected" {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] || skip "AppArmor is enabled here"
	[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is enabled here"
	update_config '.process.args = ["true"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.process.apparmorProfile, .process.selinuxLabel, .linux.mountLabel]' "$BUNDLE/config.json")" = '[null,null,null]' ]
	run jq -r '[.rewritten[].rule, .warned[].rule] | map(select(. == "apparmor" or . == "selinux")) | length' "$AUDIT"
	[ "$output" = 0 ]
}
