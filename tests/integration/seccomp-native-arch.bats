#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The seccomp rule's `native_arch_only` parameter in a real container through the real runc and
# crun.  A container without a seccomp profile (Kubernetes' default) gets the policy's profile
# injected; a static program in it makes one 32-bit system call (`int $0x80`, the i386 getpid,
# tests/integration/compat32.c):
#   - baseline as built in (Docker's profile with its x86 and x32 sections): the call runs;
#   - baseline with `native_arch_only: true` in a policy file: the injected profile lists only
#     the native architecture and the process is killed (SIGSYS: libseccomp's default action for
#     an architecture the filter does not list, which neither runtime changes);
#   - restricted (on there by default, over the `default` profile named in a policy file, which
#     has the 32-bit sections): killed too.
# Needs an x86_64 host whose kernel runs 32-bit system calls (CONFIG_IA32_EMULATION): the probe
# runs the program on the host first and skips, loudly, without it.

load helpers

setup_file() {
	build_static compat32
}

# compat32_setup: a bundle without seccomp whose process runs compat32; skips unless the host
# itself answers the 32-bit call.
compat32_setup() {
	requires static_compat32
	local probe
	probe=$("$BATS_FILE_TMPDIR/compat32")
	[[ "$probe" == "compat32: getpid="* ]] ||
		skip "this host does not run 32-bit system calls from a 64-bit process (probe said: $probe)"
	setup_bundle
	cp "$BATS_FILE_TMPDIR/compat32" "$BUNDLE/rootfs/bin/compat32"
	update_config '.process.args = ["compat32"] | del(.linux.seccomp)'
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.orig.json"
}

# run_compat32 NAME [FLAG...]: the original bundle through ocigate; $output has the program's line.
run_compat32() {
	local name=$1
	shift
	cp "$BATS_TEST_TMPDIR/config.orig.json" "$BUNDLE/config.json"
	ocg_run "$@" "$name"
}

check_native_arch() {
	use_runtime "$1"
	compat32_setup
	run_compat32 all
	[ "$status" -eq 0 ]
	[[ "$output" == *"compat32: getpid="* ]]
	jq -e '.linux.seccomp.architectures | length == 3' "$BUNDLE/config.json"

	policy_file '{"profiles": {"baseline": {"rules": {"seccomp": {"native_arch_only": true}}}}}'
	run_compat32 native --ocigate-policy="$POLICY"
	[[ "$output" != *"compat32: getpid="* ]]
	[ "$status" -eq 159 ] # 128 + SIGSYS: killed by the filter's bad-architecture action
	jq -e '.linux.seccomp.architectures == ["SCMP_ARCH_X86_64"]' "$BUNDLE/config.json"
	[ -z "$(containers_left)" ]
}

@test "seccomp native_arch_only: a 32-bit system call runs with the default profile and fails without its 32-bit sections (runc)" {
	check_native_arch runc
}

@test "seccomp native_arch_only: a 32-bit system call runs with the default profile and fails without its 32-bit sections (crun)" {
	check_native_arch crun
}

@test "seccomp native_arch_only: on in restricted, even over a profile with 32-bit sections (runc)" {
	use_runtime runc
	compat32_setup
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.orig.json"
	policy_file '{"profile": "restricted", "profiles": {"restricted": {"rules": {"seccomp": {"profile": "default"}}}}}'
	run_compat32 restricted --ocigate-policy="$POLICY"
	[[ "$output" != *"compat32: getpid="* ]]
	[ "$status" -eq 159 ] # 128 + SIGSYS: killed by the filter's bad-architecture action
	jq -e '.linux.seccomp.architectures == ["SCMP_ARCH_X86_64"]' "$BUNDLE/config.json"
}
