#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The process rules (policy/rules/process.c) through ocigate and the real runc: root-user
# (CIS Docker 1.6.0 4.1) only warns in the baseline profile, so a root container runs and the
# audit record carries the warning.

load helpers

setup() {
	setup_bundle
}

@test "root-user: a root container runs, with a warning in the audit log only" {
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	audit_record | jq -e '.verdict != "deny" and .executed == true
		and ([.warned[] | select(.rule == "root-user" and .cis == "4.1")] | length == 1)'
}
