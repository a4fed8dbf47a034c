#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# containerd 1.6 (Debian's containerd package, a private instance without the CRI plugin) driven
# by `ctr run --runc-binary ocigate`: the io.containerd.runc.v2 shim calls ocigate as its runc.
# ctr's own spec has no seccomp filter, so a filter seen in the container was put there by ocigate
# (ctr already sets no_new_privileges).

load lib

setup_file() {
	e2e_ctr_setup
}

teardown_file() {
	e2e_ctr_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
	ID=e2e-$BATS_TEST_NUMBER-$$
	e2e_record_cgroup "ocg-e2e/$ID"
}

# ctr_run ARGS...: `ctr run --rm --runc-binary $OCIGATE ARGS...` (image and id come from the caller)
ctr_run() {
	run e2e_ctr run --rm --runc-binary "$OCIGATE" --runc-root "$E2E_WORK/runc" "$@"
}

@test "ctr: a default container runs through ocigate and prints its output" {
	ctr_run "$E2E_CTR_IMAGE" "$ID" sh -c 'echo ctr-ok; id -u'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ctr-ok
0" ]
}

@test "ctr: the default container's create is in ocigate's audit trail" {
	ctr_run "$E2E_CTR_IMAGE" "$ID" true
	[ "$status" -eq 0 ]
	run e2e_audit_has "$ID" create
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "ctr: default container gets Seccomp: 2 (ctr's spec has none) and NoNewPrivs: 1" {
	ctr_run "$E2E_CTR_IMAGE" "$ID" grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
}

@test "ctr: run --privileged is denied (privileged, CIS 5.5) and never runs" {
	ctr_run --privileged --mount "type=bind,src=$T,dst=/out,options=rbind:rw" \
		"$E2E_CTR_IMAGE" "$ID" touch /out/ran
	echo "status=$status output: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${E2E_DENY}privileged (CIS Docker 1.6.0 5.5"* ]]
	[ ! -e "$T/ran" ]
}
