#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The core rules through ocigate and the real runc, proven inside the container: privileged
# (CIS 5.5, 5.23), capabilities (CIS 5.4), masked-paths, seccomp (CIS 5.22), no-new-privileges
# (CIS 5.26) and root-user (CIS 4.1, a warning in baseline).  What is rewritten must show in
# /proc/self/status; what is denied must leave no container (or exec'd process) behind.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

# ocg [ARGS...]: ocigate with the real runc, the built-in baseline policy, a per-test audit log.
ocg() {
	"$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		--root "$ROOT" "$@"
}

# ocg_run: `run` the bundle in the foreground; $output is what the container printed.
ocg_run() {
	run ocg run --bundle "$BUNDLE" "$(cid)"
	echo "status=$status output=$output"
}

# A denial: exit 1, one line naming the rule with its CIS id, no container left behind.
assert_denied() {
	local rule=$1 cis=$2
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": '*"$rule (CIS Docker 1.6.0 $cis"* ]]
	[ -z "$("$REAL_RUNC" --root "$ROOT" list -q)" ]
}

# The last audit record.
last_audit() {
	tail -n 1 "$BATS_TEST_TMPDIR/audit.log"
}

# Docker's 14 default capabilities, as a /proc/self/status mask.
DOCKER_CAPS=00000000a80425fb

@test "capabilities: a capability outside the allowlist is dropped from every set (CapEff, CapBnd)" {
	update_config '.process.capabilities = {
			bounding: ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE","CAP_SYS_NICE"],
			effective: ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE","CAP_SYS_NICE"],
			permitted: ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE","CAP_SYS_NICE"],
			inheritable: ["CAP_KILL"],
			ambient: ["CAP_KILL"]}
		| .process.args = ["grep", "^Cap", "/proc/self/status"]'
	ocg_run
	[ "$status" -eq 0 ]
	# CAP_SYS_NICE (bit 23) is gone; inheritable and ambient are empty (CVE-2022-24769).
	[[ "$output" == *"CapEff:	$DOCKER_CAPS"* ]]
	[[ "$output" == *"CapBnd:	$DOCKER_CAPS"* ]]
	[[ "$output" == *"CapPrm:	$DOCKER_CAPS"* ]]
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
	[[ "$output" == *"CapAmb:	0000000000000000"* ]]
	# The judged (rewritten) config is what runc read.
	run jq -c '.process.capabilities.bounding | index("CAP_SYS_NICE")' "$BUNDLE/config.json"
	[ "$output" = null ]
	last_audit | jq -e '.rewritten[] | select(.rule == "capabilities")'
}

@test "capabilities: --cap-add SYS_ADMIN is denied (CIS 5.4) and nothing runs" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
		| .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]
		| .process.args = ["touch", "/ran"]'
	ocg_run
	assert_denied capabilities 5.4
	[[ "$output" == *'`CAP_SYS_ADMIN`'* ]]
	[ ! -e "$BUNDLE/rootfs/ran" ]
	last_audit | jq -e '.verdict == "deny" and .executed == false'
}

@test "no-new-privileges: injected, the kernel reports NoNewPrivs 1" {
	update_config '.process.noNewPrivileges = false | .process.args = ["grep", "NoNewPrivs", "/proc/self/status"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = "NoNewPrivs:	1" ]
}

@test "seccomp: the default profile is injected and the kernel reports a filter (Seccomp 2)" {
	update_config 'del(.linux.seccomp) | .process.args = ["grep", "^Seccomp", "/proc/self/status"]'
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	# The injected profile was specialised for the final capability set: no CAP_SYS_ADMIN, so
	# `mount` is not allowed and clone3 answers ENOSYS (moby's default profile).
	run jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"
		and ([.linux.seccomp.syscalls[].names[]] | index("mount") == null)
		and ([.linux.seccomp.syscalls[] | select(.names == ["clone3"])][0].errnoRet == 38)' "$BUNDLE/config.json"
	[ "$status" -eq 0 ]
}

@test "seccomp: an allow-everything profile is replaced" {
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW"}
		| .process.args = ["sh", "-c", "grep ^Seccomp: /proc/self/status; unshare -U true && echo UNSHARED || echo BLOCKED"]'
	# Without ocigate the same container may create a user namespace ...
	run "$REAL_RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$(cid plain)"
	[ "$status" -eq 0 ]
	[[ "$output" == *UNSHARED* ]]
	# ... through ocigate it may not.
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	# unshare(2) is only allowed with CAP_SYS_ADMIN in the default profile; a user namespace
	# needs no capability at all, so only seccomp can stop it.
	[[ "$output" == *BLOCKED* ]]
}

@test "masked-paths: missing defaults are added; /proc/timer_list reads empty, /proc/sys is read-only" {
	update_config 'del(.linux.maskedPaths) | del(.linux.readonlyPaths)
		| .process.args = ["sh", "-c", "wc -c < /proc/timer_list; (echo x > /proc/sys/kernel/hostname) 2>/dev/null && echo WRITABLE || echo READONLY"]'
	# Without ocigate the container reads the host's timer list and may write /proc/sys ...
	run "$REAL_RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$(cid plain)"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -gt 0 ]
	[[ "$output" == *WRITABLE* ]]
	# ... through ocigate /proc/timer_list is masked (a bind of /dev/null) and /proc/sys is ro.
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "$output" == *READONLY* ]]
	[[ "$output" != *WRITABLE* ]]
	run jq -e '.linux.maskedPaths | index("/proc/timer_list") != null' "$BUNDLE/config.json"
	[ "$status" -eq 0 ]
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
	assert_denied privileged 5.5
	[[ "$output" == *"container is privileged"* ]]
	[[ "$output" == *"capabilities (CIS Docker 1.6.0 5.4"* ]]
	[ ! -e "$BUNDLE/rootfs/ran" ]
}

@test "exec: docker exec --privileged (process.json with 38 caps) is denied; plain and -u nobody run" {
	update_config '.process.args = ["sleep", "100"]'
	ocg run -d --bundle "$BUNDLE" "$(cid)" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/run.err"
	[ "$("$REAL_RUNC" --root "$ROOT" state "$(cid)" | jq -r .status)" = running ]

	# Copies: a rewrite is written back to the --process file.
	local priv="$BATS_TEST_TMPDIR/priv.json" plain="$BATS_TEST_TMPDIR/plain.json" nobody="$BATS_TEST_TMPDIR/nobody.json"
	jq '.args = ["touch", "/tmp/exec-ran"]' "$OCG_FIXTURES/real-clients/docker-exec-privileged.process.json" >"$priv"
	jq '.args = ["grep", "-E", "^(Cap(Eff|Bnd)|NoNewPrivs)", "/proc/self/status"]' \
		"$OCG_FIXTURES/real-clients/docker-exec-plain.process.json" >"$plain"
	jq '.args = ["id", "-u"]' "$OCG_FIXTURES/real-clients/docker-exec-user-nobody.process.json" >"$nobody"

	run ocg exec --process "$priv" "$(cid)"
	echo "status=$status output=$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": privileged (CIS Docker 1.6.0 5.5'*"exec --privileged"* ]]
	run "$REAL_RUNC" --root "$ROOT" exec "$(cid)" test -e /tmp/exec-ran
	[ "$status" -ne 0 ]

	run ocg exec --process "$plain" "$(cid)"
	echo "status=$status output=$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapEff:	$DOCKER_CAPS"* ]]
	# no-new-privileges applies to exec too (runc takes it from the process document).
	[[ "$output" == *"NoNewPrivs:	1"* ]]

	run ocg exec --process "$nobody" "$(cid)"
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
}

@test "root-user: a root container runs, with a warning in the audit log only" {
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	last_audit | jq -e '.verdict != "deny" and .executed == true
		and ([.warned[] | select(.rule == "root-user" and .cis == "4.1")] | length == 1)'
}
