#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The privileged rule (policy/rules/privileged.c, CIS Docker 1.6.0 5.5) through ocigate and the
# real runc: what Docker writes for `docker run --privileged` and `docker exec --privileged` (the
# process documents captured in tests/fixtures/real-clients) is refused and nothing runs, while a
# plain exec and `exec -u nobody` into the same container run.

load helpers

setup() {
	setup_bundle
}

@test "privileged: a docker --privileged style config is denied (CIS 5.5), no container left" {
	# What docker 20.10 writes for --privileged: the 38 capabilities it knows, no seccomp, no
	# masked paths, rw /sys, an allow-all device rule.
	local all='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_LINUX_IMMUTABLE","CAP_NET_BIND_SERVICE","CAP_NET_BROADCAST","CAP_NET_ADMIN","CAP_NET_RAW","CAP_IPC_LOCK","CAP_IPC_OWNER","CAP_SYS_MODULE","CAP_SYS_RAWIO","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SYS_PACCT","CAP_SYS_ADMIN","CAP_SYS_BOOT","CAP_SYS_NICE","CAP_SYS_RESOURCE","CAP_SYS_TIME","CAP_SYS_TTY_CONFIG","CAP_MKNOD","CAP_LEASE","CAP_AUDIT_WRITE","CAP_AUDIT_CONTROL","CAP_SETFCAP","CAP_MAC_OVERRIDE","CAP_MAC_ADMIN","CAP_SYSLOG","CAP_WAKE_ALARM","CAP_BLOCK_SUSPEND","CAP_AUDIT_READ"]'
	update_config ".process.capabilities = {bounding: $all, effective: $all, permitted: $all}
		| del(.linux.seccomp) | .linux.maskedPaths = [] | .linux.readonlyPaths = []
		| (.mounts[] | select(.destination == \"/sys\") | .options) |= map(select(. != \"ro\"))
		| .linux.resources.devices = [{allow: true, access: \"rwm\"}]
		| .process.args = [\"touch\", \"/ran\"]"
	ocg_run
	assert_denied privileged:5.5
	[[ "$output" == *"container is privileged"* ]]
	[[ "$output" == *"capabilities (CIS Docker 1.6.0 5.4"* ]]
	[ ! -e "$BUNDLE/rootfs/ran" ]
}

@test "exec: docker exec --privileged (process.json with 38 caps) is denied; plain and -u nobody run" {
	update_config '.process.args = ["sleep", "100"]'
	ocg_start

	# Copies: a rewrite is written back to the --process file.
	local priv="$BATS_TEST_TMPDIR/priv.json" plain="$BATS_TEST_TMPDIR/plain.json" nobody="$BATS_TEST_TMPDIR/nobody.json"
	jq '.args = ["touch", "/tmp/exec-ran"]' "$OCG_FIXTURES/real-clients/docker-exec-privileged.process.json" >"$priv"
	jq '.args = ["grep", "-E", "^(Cap(Eff|Bnd)|NoNewPrivs)", "/proc/self/status"]' \
		"$OCG_FIXTURES/real-clients/docker-exec-plain.process.json" >"$plain"
	jq '.args = ["id", "-u"]' "$OCG_FIXTURES/real-clients/docker-exec-user-nobody.process.json" >"$nobody"

	ocg exec --process "$priv" "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": privileged (CIS Docker 1.6.0 5.5'*"exec --privileged"* ]]
	run "$REAL_RUNC" --root "$ROOT" exec "$(cid)" test -e /tmp/exec-ran
	[ "$status" -ne 0 ]

	ocg exec --process "$plain" "$(cid)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapEff:	$DOCKER_CAPS"* ]]
	# no-new-privileges applies to exec too (runc takes it from the process document).
	[[ "$output" == *"NoNewPrivs:	1"* ]]

	ocg exec --process "$nobody" "$(cid)"
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
}
