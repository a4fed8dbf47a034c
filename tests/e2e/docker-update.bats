#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `docker update` and `docker exec` on containers whose limits ocigate injected, with Docker 20.10
# (Debian's docker.io) and ocigate in front of runc (runtime `ocigate`) and of crun (runtime
# `ocigate-crun`, a script that execs ocigate with --ocigate-runtime /usr/bin/crun).
#
# dockerd does not know the injected limits: its every update sends `memory.limit: 0` and the
# other limits it does not set as 0 (daemon/update_linux.go toContainerdResources).  runc leaves a
# 0 unchanged, crun writes it; ocigate drops the zeros so that `--restart`, `--cpus` and a new
# memory limit work under both, and refuses what lifts a limit (-1, above the policy maximum).
# `docker exec` processes get the container's RLIMIT_NOFILE, not dockerd's.
#
# The policy of this daemon is baseline with `memory_max` 4 GiB (above the 2 GiB default), so
# that "above the policy maximum" can be shown.

load lib

setup_file() {
	e2e_begin docker-update docker docker.io busybox-static jq curl || return 0
	export DOCKER_HOST="unix://$E2E_WORK/docker.sock"
	mkdir -p "$E2E_WORK/bin"
	ln -sf "$OCIGATE" "$E2E_WORK/bin/ocigate-restricted"
	printf '#!/bin/sh\nexec %q --ocigate-runtime /usr/bin/crun "$@"\n' "$OCIGATE" >"$E2E_WORK/bin/ocigate-crun"
	chmod 0755 "$E2E_WORK/bin/ocigate-crun"
	# daemon.json gets the crun runtime beside lib.bash's.
	export E2E_DOCKER_RUNTIMES="{\"ocigate-crun\": {\"path\": \"$E2E_WORK/bin/ocigate-crun\"}}"
	printf '%s\n' '{"profiles": {"baseline": {"rules": {"resource-limits": {"memory_max": 4294967296}}}}}' \
		>"$E2E_WORK/policy.json"
	chmod 0644 "$E2E_WORK/policy.json"
	e2e_docker_daemon e2e_docker_start
}

teardown_file() {
	e2e_docker_teardown
}

setup() {
	e2e_require
}

# need_crun: crun's own requirement on this hybrid host (contrib/setup-host.sh).
need_crun() {
	[ -x /usr/bin/crun ] || skip "needs crun"
	local c=/sys/fs/cgroup/unified/cgroup.controllers
	[ ! -s "$c" ] || skip "crun refuses this host: $c lists controllers; run contrib/setup-host.sh"
}

# start RUNTIME NAME: a long-running container; $ID is its id, $CG its cgroup below each hierarchy.
start() {
	"$DOCKER" rm -f "$2" >/dev/null 2>&1 || true
	"$DOCKER" run -d --name "$2" --network none --runtime="$1" "$E2E_IMAGE" sleep 600 >/dev/null
	ID=$("$DOCKER" inspect -f '{{.Id}}' "$2")
	e2e_record_cgroup "docker/$ID"
	CG=docker/$ID
	# The limits ocigate injected.
	[ "$(cat "/sys/fs/cgroup/memory/$CG/memory.limit_in_bytes")" = 2147483648 ]
	[ "$(cat "/sys/fs/cgroup/pids/$CG/pids.max")" = 4096 ]
}

updates_succeed() {
	start "$1" "$2"
	run "$DOCKER" update --restart unless-stopped "$2"
	echo "restart: status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "$("$DOCKER" inspect -f '{{.HostConfig.RestartPolicy.Name}}' "$2")" = unless-stopped ]
	[ "$(cat "/sys/fs/cgroup/memory/$CG/memory.limit_in_bytes")" = 2147483648 ]

	run "$DOCKER" update --cpus 0.5 "$2"
	echo "cpus: status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/cpu/$CG/cpu.cfs_quota_us")" = 50000 ]
	[ "$(cat "/sys/fs/cgroup/memory/$CG/memory.limit_in_bytes")" = 2147483648 ]
	[ "$(cat "/sys/fs/cgroup/pids/$CG/pids.max")" = 4096 ]

	run "$DOCKER" update --memory 1g --memory-swap 1g "$2"
	echo "memory: status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/memory/$CG/memory.limit_in_bytes")" = 1073741824 ]
	# The audit trail names what was dropped from dockerd's documents.
	e2e_audit_has "$ID" update | jq -se 'length >= 3 and all(.[]; .executed)
		and any(.[]; [.patch[].path] | index("/memory/kernel") != null)' >/dev/null
}

@test "docker-update: --restart, --cpus, --memory 1g --memory-swap 1g succeed under runc" {
	updates_succeed ocigate upd-runc
}

@test "docker-update: --restart, --cpus, --memory 1g --memory-swap 1g succeed under crun" {
	need_crun
	updates_succeed ocigate-crun upd-crun
}

# api_update NAME JSON: POST /containers/NAME/update (the CLI itself refuses `--memory -1`).
api_update() {
	run curl -sS --unix-socket "$E2E_WORK/docker.sock" -H 'Content-Type: application/json' \
		-X POST -d "$2" "http://localhost/containers/$1/update"
	echo "api $2: status=$status output=$output"
}

updates_denied() {
	start "$1" "$2"
	local opts
	# `--memory -1`: the CLI refuses it ("invalid size"), and so does dockerd through the API,
	# before any runtime call (daemon_unix.go verifyPlatformContainerResources).
	api_update "$2" '{"Memory": -1, "MemorySwap": -1}'
	[[ "$output" == *"Minimum memory limit allowed is 6MB"* ]]
	# What does reach the runtime: a "limit" that limits nothing.
	api_update "$2" '{"Memory": 9223372036854771712, "MemorySwap": -1}'
	[[ "$output" == *"ocigate: denied by policy"*"resource-limits"*'update raises the memory limit to `9223372036854771712`'* ]]
	for opts in "--pids-limit -1" "--memory 5g --memory-swap 5g"; do
		# shellcheck disable=SC2086 # the options are meant to split
		run "$DOCKER" update $opts "$2"
		echo "$opts: status=$status output=$output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"$E2E_DENY"*resource-limits* ]]
	done
	[[ "$output" == *'above the policy maximum `4294967296`'* ]]
	[ "$(cat "/sys/fs/cgroup/memory/$CG/memory.limit_in_bytes")" = 2147483648 ]
	[ "$(cat "/sys/fs/cgroup/pids/$CG/pids.max")" = 4096 ]
}

@test "docker-update: --memory -1, --pids-limit -1 and above the policy maximum are denied under runc" {
	updates_denied ocigate deny-runc
}

@test "docker-update: --memory -1, --pids-limit -1 and above the policy maximum are denied under crun" {
	need_crun
	updates_denied ocigate-crun deny-crun
}

exec_limits() {
	start "$1" "$2"
	local dockerd
	dockerd=$(awk '/^Max open files/ {print $4}' "/proc/$(cat "$E2E_WORK/dockerd.spawned")/limits")
	[ "$dockerd" != 1024 ] || skip "dockerd's own RLIMIT_NOFILE is 1024: nothing to tell apart"
	run "$DOCKER" exec "$2" sh -c 'ulimit -Sn; ulimit -Hn'
	echo "exec: status=$status output=$output (dockerd: $dockerd)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1024 ]
	[ "${lines[1]}" = 1024 ]
}

@test "docker-update: docker exec gets the container's RLIMIT_NOFILE, not dockerd's (runc)" {
	exec_limits ocigate exec-runc
}

@test "docker-update: docker exec gets the container's RLIMIT_NOFILE, not dockerd's (crun)" {
	need_crun
	exec_limits ocigate-crun exec-crun
}
