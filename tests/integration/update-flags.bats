#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `update` with individual flags is judged like `update --resources`, in every mode: runc 1.1.5
# reads the flags itself (go-units sizes such as 512m, Go's number syntax), crun 1.8.1 pastes them
# into a JSON text it then parses.  Every effect is read back from the container's cgroup.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "300"]'
}

# upd [--ocigate-mode M] FLAGS...: update of the container through ocigate.
upd() {
	local mode=()
	if [ "$1" = --ocigate-mode ]; then
		mode=(--ocigate-mode "$2")
		shift 2
	fi
	ocg "${mode[@]}" update "$@" "$(cid)"
}

# last_record: what the last audit record says of the update.
last_record() {
	audit_record | jq -c '{verb, document, verdict, executed, mode}'
}

@test "update flags, runc: go-units sizes are read as runc reads them and applied" {
	use_runtime runc
	ocg_start
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	upd --memory 512m
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 536870912 ]
	[ "$(last_record)" = '{"verb":"update","document":"update flags","verdict":"allow","executed":true,"mode":"enforce"}' ]
	upd --memory "256 MiB"
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 268435456 ]
	# Go's flag package reads --pids-limit with base 0.
	upd --pids-limit 0x20
	[ "$status" -eq 0 ]
	[ "$(cg pids pids.max)" = 32 ]
}

@test "update flags, runc: lifting a limit is denied (runc alone would lift it), in every form" {
	use_runtime runc
	ocg_start
	upd --pids-limit -1
	[ "$status" -eq 1 ]
	[[ "$output" == *'resource-limits'*'pids limit to `-1`'* ]]
	[ "$(cg pids pids.max)" = 4096 ]
	upd --memory -1
	[ "$status" -eq 1 ]
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	[ "$(last_record)" = '{"verb":"update","document":"update flags","verdict":"deny","executed":false,"mode":"enforce"}' ]
	# The proof that the denial matters: runc itself lifts it.
	run "$REAL_RUNC" --root "$ROOT" update --pids-limit -1 "$(cid)"
	[ "$status" -eq 0 ]
	[ "$(cg pids pids.max)" = max ]
}

@test "update flags, runc: cpu period and quota, cpuset, swap, kernel memory, a paused container" {
	use_runtime runc
	ocg_start
	upd --cpu-period 100000 --cpu-quota 50000
	[ "$status" -eq 0 ]
	[ "$(cg cpu cpu.cfs_quota_us)" = 50000 ]
	[ "$(cg cpu cpu.cfs_period_us)" = 100000 ]
	upd --cpuset-cpus 0
	[ "$status" -eq 0 ]
	[ "$(cg cpuset cpuset.cpus)" = 0 ]
	# runc 1.1.5 parses kernel memory and then ignores it ("Kernel memory settings are ignored").
	upd --kernel-memory 64m
	[ "$status" -eq 0 ]
	if cg memory memory.memsw.limit_in_bytes >/dev/null 2>&1; then
		upd --memory 256m --memory-swap 512m
		[ "$status" -eq 0 ]
		[ "$(cg memory memory.memsw.limit_in_bytes)" = 536870912 ]
	fi
	"$REAL_RUNC" --root "$ROOT" pause "$(cid)"
	upd --pids-limit 100
	[ "$status" -eq 0 ]
	[ "$(cg pids pids.max)" = 100 ]
	"$REAL_RUNC" --root "$ROOT" resume "$(cid)"
}

@test "update flags, runc: what runc refuses or cannot do here, it still says itself" {
	use_runtime runc
	ocg_start
	# Intel RDT is not part of a resources document: runc answers (no RDT on this host).
	if [ ! -d /sys/fs/resctrl/info/L3 ]; then
		upd --l3-cache-schema "L3:0=f"
		[ "$status" -eq 1 ]
		[[ "$output" == *"Intel RDT/CAT: l3 cache schema is not enabled"* ]]
	fi
	# A value runc cannot read (go-units 0.4.0 has no exponents) is refused before it runs.
	run "$REAL_RUNC" --root "$ROOT" update --memory 1e3 "$(cid)"
	[ "$status" -ne 0 ]
	upd --memory 1e3
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid value \`1e3\` for \`--memory\`: runc refuses it"* ]]
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
}

@test "update flags, audit mode: a denied update runs, and the record says enforce would deny it" {
	use_runtime runc
	ocg_start
	upd --ocigate-mode audit --pids-limit -1
	[ "$status" -eq 0 ]
	[ "$(cg pids pids.max)" = max ]
	[ "$(last_record)" = '{"verb":"update","document":"update flags","verdict":"deny","executed":true,"mode":"audit"}' ]
}

@test "update flags, crun: the flags crun pastes into its document are judged as crun parses it" {
	use_runtime crun
	ocg_start
	upd --memory 104857600
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 104857600 ]
	# crun pastes a numeric flag unchecked: this one carries a member of its own.
	local inject='1024}, "memory": {"limit": -1'
	upd --cpu-share "$inject"
	[ "$status" -eq 1 ]
	[[ "$output" == *'resource-limits'*'memory limit to `-1`'* ]]
	[ "$(cg memory memory.limit_in_bytes)" = 104857600 ]
	# crun alone lifts the limit with it.
	run "$REAL_CRUN" --root "$ROOT" update --cpu-share "$inject" "$(cid)"
	[ "$status" -eq 0 ]
	[ "$(cg memory memory.limit_in_bytes)" = 9223372036854771712 ]
}
