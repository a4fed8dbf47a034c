#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Podman 4.3 through ocigate, on what sensitive-mounts judges by identity and by engine shape:
# a named volume created with `--opt type=none --opt o=bind --opt device=/etc` (Podman mounts
# /etc onto the volume's _data, a path no list names), `podman run --init` (catatonit bound
# read-only at /run/podman-init) and a pod (its containers bind the infra container's shm and
# join its IPC namespace).  The escape is shown with Podman driving the real runc alone.

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
	MARKERS=()
}

teardown() {
	local m
	for m in "${MARKERS[@]}"; do
		rm -f "$m"
	done
}

# podman_runc ARGS...: the same private Podman with the real runc as its runtime (no ocigate).
podman_runc() {
	podman --root "$E2E_WORK/storage" --runroot "$E2E_WORK/run" --tmpdir "$E2E_WORK/tmp" \
		--cgroup-manager cgroupfs --events-backend file --runtime "$E2E_REAL_RUNTIME" "$@"
}

@test "podman: a volume with /etc bound onto it reads /etc/shadow with runc alone; ocigate denies it" {
	local marker="ocg-e2e-podman-etcvol-$$"
	MARKERS+=("/etc/$marker")
	run e2e_podman volume create --opt type=none --opt o=bind --opt device=/etc ocg-etcvol
	[ "$status" -eq 0 ]
	run podman_runc run --rm -v ocg-etcvol:/x "$E2E_PODMAN_IMAGE" \
		sh -c "cut -d: -f1 /x/shadow | head -n 1; touch /x/$marker && echo wrote"
	echo "runc alone: status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = root ]
	[ "${lines[1]}" = wrote ]
	[ -e "/etc/$marker" ]
	rm -f "/etc/$marker"

	run e2e_podman run --rm -v ocg-etcvol:/x -v "$T:/out" "$E2E_PODMAN_IMAGE" touch "/x/$marker" /out/ran
	echo "ocigate: status=$status output=$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}sensitive-mounts"*"shows the sensitive host path \`/etc\` under another name"* ]]
	[ ! -e "/etc/$marker" ]
	[ ! -e "$T/ran" ]
	e2e_podman volume rm -f ocg-etcvol >/dev/null
}

@test "podman: a plain named volume runs through ocigate and keeps what the container wrote" {
	run e2e_podman run --rm -v ocg-plain:/x "$E2E_PODMAN_IMAGE" sh -c 'echo kept > /x/f'
	echo "$output"
	[ "$status" -eq 0 ]
	run e2e_podman run --rm -v ocg-plain:/x "$E2E_PODMAN_IMAGE" cat /x/f
	[ "$status" -eq 0 ]
	[ "$output" = kept ]
	e2e_podman volume rm -f ocg-plain >/dev/null
}

@test "podman: run --init runs through ocigate with catatonit as PID 1" {
	[ -x /usr/libexec/podman/catatonit ] || skip "needs catatonit (Debian package catatonit)"
	run e2e_podman run --rm --init "$E2E_PODMAN_IMAGE" cat /proc/1/comm
	echo "status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "$output" = podman-init ]
}

@test "podman: a pod's container (the infra's shm, its IPC namespace) runs through ocigate" {
	[ -x /usr/libexec/podman/catatonit ] || skip "needs catatonit for the pod's infra container"
	run e2e_podman pod create --name ocg-pod
	echo "$output"
	[ "$status" -eq 0 ]
	run e2e_podman run --rm --pod ocg-pod "$E2E_PODMAN_IMAGE" sh -c 'echo pod-ok > /dev/shm/f && cat /dev/shm/f'
	echo "status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "$output" = pod-ok ]
	e2e_podman pod rm -f ocg-pod >/dev/null 2>&1 || true
}
