#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The LSM rules (policy/rules/lsm.c) through ocigate and the real runc: apparmor (CIS Docker
# 1.6.0 5.2) and selinux (CIS 5.3) inject nothing on a host with neither LSM.  A profile in
# complain mode on an AppArmor host is seccomp-merge.bats.

load helpers

setup() {
	setup_bundle
}

@test "apparmor, selinux: on a host with neither LSM, nothing is injected" {
	requires no_apparmor no_selinux
	update_config '.process.args = ["true"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.process.apparmorProfile, .process.selinuxLabel, .linux.mountLabel]' "$BUNDLE/config.json")" = '[null,null,null]' ]
	run jq -r '[.rewritten[].rule, .warned[].rule] | map(select(. == "apparmor" or . == "selinux")) | length' "$AUDIT"
	[ "$output" = 0 ]
}
