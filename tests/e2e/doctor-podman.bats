#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate doctor` and `ocigate runtime configure --engine podman` against the real Podman 4.3,
# reading its system configuration as on a real host -- /etc/containers/containers.conf and the
# containers.conf.d drop-ins -- in a private mount namespace whose /etc/containers is a copy in
# the work dir (doctor-lib.bash pm_ns).  Podman starts UNPROTECTED: its default runtime is crun,
# `--runtime runc` is /usr/sbin/runc.

load lib
load doctor-lib

setup_file() {
	doctor_podman_setup
}

teardown_file() {
	doctor_podman_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
	W=$E2E_WORK
}

pm_doctor() {
	run pm_ns "$OCIGATE" doctor --format json --engine podman "$@"
}

pm_configure() {
	run pm_ns "$OCIGATE" runtime "$@" --engine podman --state-dir "$W/ocigate-state"
}

@test "doctor-podman: a bypassed Podman is reported high: its default runtime and --runtime runc" {
	pm_doctor
	echo "$output"
	has_finding podman.default-runtime high
	has_finding podman.runtime-runc high
	jq -e '.findings[] | select(.id == "podman.default-runtime") | .fix == "ocigate runtime configure --engine podman --set-as-default"' <<<"$output"
	jq -e '.findings[] | select(.id == "podman.config") | .message | contains("/etc/containers/containers.conf.d")' <<<"$output"
}

@test "doctor-podman: the bypass is real: --runtime runc reads the host's /etc/shadow, the trail has nothing" {
	run pm run --rm --runtime runc --cidfile "$T/cid" -v /etc:/hostetc:ro "$E2E_PODMAN_IMAGE" head -n 1 /hostetc/shadow
	echo "$output"
	[ "$status" -eq 0 ]
	shadow_readable "$output"
	run e2e_audit_has "$(cat "$T/cid")" create
	[ "$status" -ne 0 ]
}

@test "doctor-podman: --dry-run prints the drop-in and changes nothing" {
	pm_configure configure --set-as-default --as-runc --dry-run
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"=== /etc/containers/containers.conf.d/99-ocigate.conf"* ]]
	[[ "$output" == *"+    runc = [\"$OCIGATE\"]"* ]]
	[ ! -e "$W/etc/containers.conf.d" ] && [ ! -e "$W/ocigate-state" ]
}

@test "doctor-podman: CONTAINERS_CONF (Podman then reads no drop-in) is refused" {
	run env CONTAINERS_CONF="$W/etc/containers.conf" "$OCIGATE" runtime configure --engine podman \
		--config "$W/etc/containers.conf" --state-dir "$W/ocigate-state"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"CONTAINERS_CONF"* && "$output" == *"nothing was changed"* ]]
	[ ! -e "$W/etc/containers.conf.d" ] && [ ! -e "$W/ocigate-state" ]
}

@test "doctor-podman: configure writes a containers.conf.d drop-in that Podman 4.3 reads" {
	pm_configure configure --set-as-default --as-runc
	echo "$output"
	[ "$status" -eq 0 ]
	[ -f "$W/etc/containers.conf.d/99-ocigate.conf" ]
	# Podman itself says which runtime it uses now, for the default and for `runc`.
	run pm info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'
	[ "$output" = "ocigate $OCIGATE" ]
	run pm --runtime runc info --format '{{.Host.OCIRuntime.Path}}'
	[ "$output" = "$OCIGATE" ]
	pm_doctor
	echo "$output"
	has_finding podman.default-runtime info
	has_finding podman.runtime-runc info
}

@test "doctor-podman: protected: --privileged is denied by default and with --runtime runc" {
	for rt in "" "--runtime runc"; do
		# shellcheck disable=SC2086
		run pm $rt run --rm --privileged -v "$T:/out" "$E2E_PODMAN_IMAGE" touch /out/ran
		echo "[$rt] status=$status output: $output"
		[ "$status" -ne 0 ]
		[[ "$output" == *"${E2E_DENY}privileged (CIS Docker 1.6.0 5.5"* ]]
		[ ! -e "$T/ran" ]
	done
	run pm run --rm --runtime runc -v /etc:/hostetc:ro "$E2E_PODMAN_IMAGE" head -n 1 /hostetc/shadow
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}sensitive-mounts"* ]]
}

@test "doctor-podman: protected: a default container runs and its create is in the trail" {
	run pm run --rm --cidfile "$T/cid" "$E2E_PODMAN_IMAGE" echo hello-doctor
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = hello-doctor ]
	run e2e_audit_has "$(cat "$T/cid")" create
	[ "$status" -eq 0 ]
}

@test "doctor-podman: protected: --probe finds its container's create line" {
	before=$(probe_dirs)
	pm_doctor --probe
	[ "$(probe_dirs)" = "$before" ]
	echo "$output"
	has_finding probe.route info "podman probe"
	[ -z "$(pm ps -aq --filter name=ocigate-probe)" ]
}

@test "doctor-podman: unconfigure removes the drop-in, and Podman is back to crun and runc" {
	pm_configure unconfigure
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$W/etc/containers.conf.d" ] && [ ! -e "$W/ocigate-state/runtime-podman.json" ]
	run pm info --format '{{.Host.OCIRuntime.Name}}'
	[ "$output" = crun ]
	pm_doctor
	has_finding podman.default-runtime high
	has_finding podman.runtime-runc high
}
