#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Podman 4.3 (Debian's podman + conmon 2.1) with `--runtime $OCIGATE`: conmon calls ocigate for
# create and exec, podman itself for start/kill/delete, with no global flags (the runtime is not
# named runc or crun) and an almost empty environment.  Private storage under the work dir,
# cgroupfs, file events, netns "none" (no CNI network, no bridge).

load lib

setup_file() {
	e2e_podman_setup
}

teardown_file() {
	e2e_podman_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
}

@test "podman: a default container runs through ocigate and prints its output" {
	run e2e_podman run --rm "$E2E_PODMAN_IMAGE" sh -c 'echo podman-ok; exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[ "$output" = podman-ok ]
}

@test "podman: the default container's create is in ocigate's audit trail (--runtime-flag)" {
	run e2e_podman run --rm --cidfile "$T/cid" "$E2E_PODMAN_IMAGE" true
	[ "$status" -eq 0 ]
	run e2e_audit_has "$(cat "$T/cid")" create
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "podman: default container has NoNewPrivs: 1 (injected under baseline)" {
	run e2e_podman run --rm "$E2E_PODMAN_IMAGE" grep NoNewPrivs /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
}

@test "podman: run --privileged is denied with ocigate's reason in podman's error output" {
	run e2e_podman run --rm --privileged -v "$T:/out" "$E2E_PODMAN_IMAGE" touch /out/ran
	echo "status=$status output: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}privileged (CIS Docker 1.6.0 5.5"* ]]
	[ ! -e "$T/ran" ]
}

@test "podman: run -d, exec, exec -u nobody, stop and rm through ocigate" {
	run e2e_podman run -d --name e2e-pm "$E2E_PODMAN_IMAGE" sleep 600
	[ "$status" -eq 0 ]
	e2e_record_cgroup "libpod_parent/libpod-$output"
	run e2e_podman exec e2e-pm echo pm-exec-ok
	echo "$output"
	[ "$output" = pm-exec-ok ]
	run e2e_podman exec -u nobody e2e-pm id -u
	[ "$output" = 65534 ]
	run e2e_podman stop -t 1 e2e-pm
	[ "$status" -eq 0 ]
	[ "$(e2e_podman inspect -f '{{.State.Status}}' e2e-pm)" = exited ]
	run e2e_podman rm e2e-pm
	[ "$status" -eq 0 ]
	run e2e_podman inspect e2e-pm
	[ "$status" -ne 0 ]
}

@test "podman: --network/--ipc/--pid container:X run through ocigate, in X's namespaces" {
	# libpod addNamespaceContainer writes /proc/<X's init>/ns/*: X is a live container of the same
	# runtime root (the runtime's default, podman passes no --root).
	local x=e2e-ns-target pid want
	run e2e_podman run -d --name "$x" "$E2E_PODMAN_IMAGE" sleep 600
	[ "$status" -eq 0 ]
	e2e_record_cgroup "libpod_parent/libpod-$output"
	pid=$(e2e_podman inspect -f '{{.State.Pid}}' "$x")
	want="$(readlink "/proc/$pid/ns/net") $(readlink "/proc/$pid/ns/ipc") $(readlink "/proc/$pid/ns/pid")"
	run e2e_podman run --rm --network "container:$x" --ipc "container:$x" --pid "container:$x" \
		"$E2E_PODMAN_IMAGE" sh -c 'echo $(readlink /proc/self/ns/net) $(readlink /proc/self/ns/ipc) $(readlink /proc/self/ns/pid)'
	e2e_podman rm -f "$x" >/dev/null 2>&1 || true
	echo "want: $want; got: $output"
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]} - 1]}" = "$want" ]
}

# Without containers.conf's default_ulimits podman asks for NOFILE and NPROC 1048576; plain runc
# then fails on this VM kind ("error setting rlimit type 7": raising a hard limit needs
# CAP_SYS_RESOURCE).  ocigate's resource-limits rule keeps rlimits within what the caller holds.
@test "podman: with podman's built-in rlimits (no default_ulimits) the container still starts" {
	CONTAINERS_CONF=$E2E_WORK/containers-podman-ulimits.conf \
		run e2e_podman run --rm "$E2E_PODMAN_IMAGE" sh -c 'ulimit -Hn'
	echo "status=$status output: $output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+$ ]]
	[ "$output" -le "$(ulimit -Hn)" ]
}
