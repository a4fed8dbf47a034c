#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `update --resources -` judged as the runtime applies it, with the real runc and the real crun.
#
# Engines send every member, with 0 for what they do not set: dockerd 20.10 for `docker update
# --cpus` (daemon/update_linux.go toContainerdResources), the CRI for UpdateContainerResources.
# runc 1.1.5 leaves a 0 unchanged (update.go pre-fills zeros, the cgroup managers skip them);
# crun 1.8.1 writes it, and `memory.limit: 0` fails with EBUSY.  ocigate drops the zeros and the
# members runc's update does not apply, so both runtimes leave them unchanged, and refuses what
# lifts a limit: -1, a value above the policy maximum, a value above what the host has
# (MemTotal, kernel.pid_max).  Every value is read from the container's own cgroup files on the
# host (found through /proc/<pid>/cgroup, as runc and crun place cgroups differently).

load helpers

setup() {
	setup_bundle
	update_config 'del(.linux.resources.memory, .linux.resources.pids) | .process.args = ["sleep", "300"]'
}

# ocg_update JSON [FLAGS...]: `update --resources -` of the container through ocigate, the
# document on stdin.
ocg_update() {
	local doc=$1
	shift
	ocg_stdin "$doc" "$@" update --resources - "$(cid)"
}

# direct_update JSON: the same through the runtime alone.
direct_update() {
	run "$RT" --root "$ROOT" update --resources - "$(cid)" < <(printf '%s' "$1")
	echo "$RT alone (status=$status): $output" >&2
}

# dockerd 20.10's document for `docker update --cpus 0.5` on a container started without limits.
DOCKER_CPUS='{"memory":{"limit":0,"reservation":0,"kernel":0},"cpu":{"shares":0,"cpus":"","mems":"","period":100000,"quota":50000,"realtimeRuntime":0,"realtimePeriod":0},"blockIO":{"weight":0}}'
# ... for `docker update --memory 1g --memory-swap 1g`.
DOCKER_MEM='{"memory":{"limit":1073741824,"reservation":0,"swap":1073741824,"kernel":0},"cpu":{"shares":0,"cpus":"","mems":"","period":0,"quota":0,"realtimeRuntime":0,"realtimePeriod":0},"blockIO":{"weight":0}}'
# The CRI shape: every member, zeros for unset ones, the spec's devices and hugepages.
cri_doc() {
	printf '{"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":%s,"reservation":0,"swap":0,"kernel":0,"kernelTCP":0,"swappiness":0,"disableOOMKiller":false},"cpu":{"shares":2,"quota":0,"period":0,"realtimeRuntime":0,"realtimePeriod":0,"cpus":"","mems":""},"pids":{"limit":%s},"blockIO":{"weight":0},"hugepageLimits":[]}' "$1" "$2"
}

docker_cpus_case() {
	use_runtime "$1"
	ocg_start
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	ocg_update "$DOCKER_CPUS"
	[ "$status" -eq 0 ]
	[ "$(cg cpu cpu.cfs_quota_us)" = 50000 ]
	[ "$(cg cpu cpu.cfs_period_us)" = 100000 ]
	# The injected limits are untouched.
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	[ "$(cg pids pids.max)" = 4096 ]
	# The audit trail says what was dropped.
	tail -n 1 "$AUDIT" | jq -e '.verb == "update" and .verdict == "rewrite" and .executed
		and ([.patch[] | select(.op == "remove") | .path] | index("/memory") != null)' >/dev/null
}

@test "update: Docker's --cpus document (memory.limit 0) succeeds under runc, injected limits stay" {
	docker_cpus_case runc
	# runc alone reads the zeros as "unchanged" too: the same document, straight.
	direct_update "$DOCKER_CPUS"
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
}

@test "update: Docker's --cpus document succeeds under crun, which alone fails on memory.limit 0" {
	use_runtime crun
	ocg_start
	# crun alone writes 0 into memory.limit_in_bytes: the update fails (EBUSY).
	direct_update "$DOCKER_CPUS"
	[ "$status" -ne 0 ]
	[[ "$output" == *memory.limit_in_bytes* ]]
	"$RT" --root "$ROOT" delete --force "$(cid)" >/dev/null 2>&1
	docker_cpus_case crun
}

docker_mem_case() {
	use_runtime "$1"
	ocg_start
	ocg_update "$DOCKER_MEM"
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 1073741824 ]
	[ "$(cg memory memory.memsw.limit_in_bytes)" = 1073741824 ]
	[ "$(cg pids pids.max)" = 4096 ]
}

@test "update: docker update --memory 1g --memory-swap 1g is applied under runc" {
	[ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || skip "no swap accounting on this host"
	docker_mem_case runc
}

@test "update: docker update --memory 1g --memory-swap 1g is applied under crun" {
	[ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || skip "no swap accounting on this host"
	docker_mem_case crun
}

cri_case() {
	use_runtime "$1"
	ocg_start
	ocg_update "$(cri_doc 0 0)"
	[ "$status" -eq 0 ]
	[ "$(cg cpu cpu.shares)" = 2 ]
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	[ "$(cg pids pids.max)" = 4096 ]
	ocg_update "$(cri_doc 536870912 0)"
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 536870912 ]
}

@test "update: a CRI-shaped document (every member, zeros) succeeds under runc" {
	cri_case runc
}

@test "update: a CRI-shaped document (every member, zeros) succeeds under crun" {
	cri_case crun
}

# refusal_case RUNTIME: what lifts a limit is denied through ocigate and the limit stays; the
# same document straight to the runtime lifts it (the escape ocigate stands in front of).
refusal_case() {
	use_runtime "$1"
	ocg_start
	local unlimited=9223372036854771712 pid_max
	pid_max=$(cat /proc/sys/kernel/pid_max)

	ocg_update "$(cri_doc -1 0)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'update sets the memory limit to `-1`, removing it'* ]]
	ocg_update "$(cri_doc 0 -1)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'update sets the pids limit to `-1`, removing it'* ]]
	ocg_update "$(cri_doc $unlimited 0)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"update sets the memory limit to \`$unlimited\`, above the host's memory (MemTotal)"*"not a limit"* ]]
	ocg_update "$(cri_doc 0 $((pid_max + 1)))"
	[ "$status" -eq 1 ]
	[[ "$output" == *"update sets the pids limit to \`$((pid_max + 1))\`, above the host's kernel.pid_max ($pid_max): not a limit"* ]]
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	[ "$(cg pids pids.max)" = 4096 ]
	tail -n 1 "$AUDIT" | jq -e '.verdict == "deny" and (.executed | not)' >/dev/null

	# Above the policy maximum.
	policy_file '{"profile": "capped", "profiles": {"capped": {"extends": "baseline",
		"rules": {"resource-limits": {"memory_max": 1073741824}}}}}'
	ocg_update '{"memory":{"limit":1073741825}}' --ocigate-policy "$POLICY"
	[ "$status" -eq 1 ]
	[[ "$output" == *'above the policy maximum `1073741824`'* ]]

	# The runtime alone: the "limits" above the host lift both.
	direct_update "{\"memory\":{\"limit\":$unlimited},\"pids\":{\"limit\":$((pid_max + 1))}}"
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = "$unlimited" ]
	[ "$(cg pids pids.max)" = $((pid_max + 1)) ]
}

@test "update: -1, limits above the policy maximum or the host are denied under runc" {
	refusal_case runc
}

@test "update: -1, limits above the policy maximum or the host are denied under crun" {
	refusal_case crun
}

@test "update: a --resources FILE is rewritten the same way before crun reads it" {
	use_runtime crun
	ocg_start
	local f="$BATS_TEST_TMPDIR/resources.json"
	printf '%s' "$DOCKER_CPUS" >"$f"
	ocg update --resources "$f" "$(cid)"
	[ "$status" -eq 0 ]
	[ "$(cg cpu cpu.cfs_quota_us)" = 50000 ]
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	[ "$(jq -c . "$f")" = '{"cpu":{"period":100000,"quota":50000}}' ]
}
