#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A policy error never blocks a container's lifecycle, with the real Docker 20.10: a running
# container, then a broken policy (the one-character typo an operator makes, a file others can
# write, a file gone while it is replaced), then `docker stop` and `docker rm` finish, and leave
# no containerd task and no runc state behind; `docker run` is refused with the policy's error.
#
# ocigate is dockerd's default runtime and finds the real runtime the way an installation does:
# no OCIGATE_RUNTIME, only the policy file's `runtime`, here a wrapper that logs each call and
# execs runc -- so the log proves which runtime every verb reached.

load lib

setup_file() {
	e2e_begin docker-lifecycle docker docker.io busybox-static jq || return 0
	export DOCKER_HOST="unix://$E2E_WORK/docker.sock"
	lc_runtime_wrapper
	lc_good_policy
	e2e_docker_daemon lc_docker_start
}

teardown_file() {
	e2e_docker_teardown
}

setup() {
	e2e_require
	lc_good_policy
}

# The runtime the policy names: logs "<verb> <container id>" per call, then is runc.
lc_runtime_wrapper() {
	mkdir -p "$E2E_WORK/bin"
	cat >"$E2E_WORK/bin/logging-runtime" <<-EOF
		#!/bin/sh
		echo "\$*" >>"$E2E_WORK/runtime-calls.log"
		exec "$E2E_REAL_RUNTIME" "\$@"
	EOF
	chmod 0755 "$E2E_WORK/bin/logging-runtime"
}

lc_good_policy() {
	printf '{"runtime": "%s"}\n' "$E2E_WORK/bin/logging-runtime" >"$E2E_WORK/policy.json"
	chmod 0644 "$E2E_WORK/policy.json"
}

# lc_break_policy KIND
lc_break_policy() {
	local p=$E2E_WORK/policy.json
	case "$1" in
	typo)
		printf '{"runtime": "%s",\n "profiles": {"baseline": {"rules": {"root-user": "warning"}}}}\n' \
			"$E2E_WORK/bin/logging-runtime" >"$p"
		;;
	group-writable) chmod 0664 "$p" ;;
	gone) rm -f "$p" ;;
	esac
}

# lc_docker_start STORAGE_DRIVER: e2e_docker_start with ocigate as the default runtime, minus
# OCIGATE_RUNTIME: the policy file alone names the runtime.
lc_docker_start() {
	e2e_docker_conf "$1" ocigate
	e2e_dockerd_up -u OCIGATE_RUNTIME OCIGATE_AUDIT_LOG="$E2E_WORK/audit.log" OCIGATE_POLICY="$E2E_WORK/policy.json"
}

# docker's own containerd, as `ctr` sees it.
lc_ctr() {
	ctr -a "$E2E_WORK/exec/containerd/containerd.sock" -n moby "$@"
}

# The --root dockerd's shim passes to the runtime (from the wrapper's log).
lc_runc_root() {
	grep -oE -- '--root [^ ]+' "$E2E_WORK/runtime-calls.log" | head -n 1 | cut -d' ' -f2
}

# lc_calls ID VERB: how many times the logged runtime got VERB for container ID.
lc_calls() {
	grep -E "(^| )$2( .*)? $1( |$)" "$E2E_WORK/runtime-calls.log" | wc -l
}

lc_stop_and_remove_with_broken_policy() {
	local kind=$1 name="lc-$1" id root
	"$DOCKER" rm -f "$name" >/dev/null 2>&1 || true
	run "$DOCKER" run -d --name "$name" --network none "$E2E_IMAGE" sleep 600
	echo "run: $output"
	[ "$status" -eq 0 ]
	id=$output
	e2e_record_cgroup "docker/$id"
	lc_break_policy "$kind"
	# busybox sleep as pid 1 ignores SIGTERM: stop sends it, then SIGKILL after 2 s.
	run "$DOCKER" stop -t 2 "$name"
	echo "stop ($kind): $output"
	[ "$status" -eq 0 ]
	[ "$("$DOCKER" inspect -f '{{.State.Running}}' "$name")" = false ]
	[ "$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$name")" = 137 ]
	run "$DOCKER" rm "$name"
	[ "$status" -eq 0 ]
	# dockerd never failed to reach the runtime (the failure this guards against: "Cannot kill
	# container ...: ocigate: load policy").
	run bash -c "grep -F '$id' '$E2E_WORK/dockerd.log' | grep -E 'Cannot kill|ocigate'"
	echo "dockerd.log: $output"
	[ -z "$output" ]
	# The runtime that created the container got the kill and the delete.
	[ "$(lc_calls "$id" create)" -eq 1 ]
	[ "$(lc_calls "$id" kill)" -ge 1 ]
	[ "$(lc_calls "$id" delete)" -ge 1 ]
	# Nothing left: no containerd task, no runc state.
	run lc_ctr tasks ls -q
	echo "tasks: $output"
	[[ "$output" != *"$id"* ]]
	root=$(lc_runc_root)
	[ -n "$root" ]
	run "$E2E_REAL_RUNTIME" --root "$root" list -q
	echo "runc list: $output"
	[[ "$output" != *"$id"* ]]
}

@test "docker lifecycle: a typo in the policy: stop and rm finish, no task and no runc state left" {
	lc_stop_and_remove_with_broken_policy typo
}

@test "docker lifecycle: a policy file others can write: stop and rm finish, nothing left" {
	lc_stop_and_remove_with_broken_policy group-writable
}

@test "docker lifecycle: a policy file gone mid-replacement: stop and rm finish, nothing left" {
	lc_stop_and_remove_with_broken_policy gone
}

@test "docker lifecycle: docker run is refused with the policy's error, file:line:column" {
	lc_break_policy typo
	run "$DOCKER" run --rm --network none "$E2E_IMAGE" true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"ocigate: load policy: $E2E_WORK/policy.json:2:51: \$.profiles.baseline.rules.root-user: \`warning\` is not one of"* ]]
}

@test "docker lifecycle: the broken policy is in the audit trail once per version of the file" {
	local before
	before=$(jq -s '[.[] | select(.verdict == "policy-error")] | length' "$E2E_WORK/audit.log" 2>/dev/null || echo 0)
	run "$DOCKER" run -d --name lc-audit --network none "$E2E_IMAGE" sleep 600
	[ "$status" -eq 0 ]
	e2e_record_cgroup "docker/$output"
	# A version of the file no earlier test made (an extra space).
	printf '{"runtime": "%s", "mode": "enforce" ,\n "profiles": {"baseline": {"rules": {"root-user": "warning"}}}}\n' \
		"$E2E_WORK/bin/logging-runtime" >"$E2E_WORK/policy.json"
	"$DOCKER" pause lc-audit
	"$DOCKER" unpause lc-audit
	"$DOCKER" rm -f lc-audit
	run jq -s '[.[] | select(.verdict == "policy-error")] | length' "$E2E_WORK/audit.log"
	echo "policy-error records: $before -> $output"
	[ "$output" -eq $((before + 1)) ]
}
