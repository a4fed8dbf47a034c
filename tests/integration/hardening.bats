#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The hardening rules (policy/rules/hardening.c) through ocigate and the real runc, proven inside
# the container: no-new-privileges (CIS Docker 1.6.0 5.26), seccomp (CIS 5.22) and masked-paths.
# What is injected or replaced must show in /proc/self/status and in what the container can do;
# where the same bundle run by runc alone does more, that run comes first, so the check cannot
# pass for a rewrite that changes nothing.

load helpers

setup() {
	setup_bundle
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
	direct_run plain
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
	direct_run plain
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
