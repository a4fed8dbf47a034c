#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The capabilities rule (policy/rules/capabilities.c, CIS Docker 1.6.0 5.4) through ocigate and
# the real runc, proven inside the container: a capability outside the allowlist is dropped from
# every set, as /proc/self/status shows; one on the deny list is refused and nothing runs.

load helpers

setup() {
	setup_bundle
}

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
	audit_record | jq -e '.rewritten[] | select(.rule == "capabilities")'
}

@test "capabilities: --cap-add SYS_ADMIN is denied (CIS 5.4) and nothing runs" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
		| .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]
		| .process.args = ["touch", "/ran"]'
	ocg_run
	assert_denied capabilities:5.4
	[[ "$output" == *'`CAP_SYS_ADMIN`'* ]]
	[ ! -e "$BUNDLE/rootfs/ran" ]
	audit_record | jq -e '.verdict == "deny" and .executed == false'
}
