#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `runc restore --bundle B` chdir()s into B and loads config.json exactly like create, so it is
# policed like create; otherwise a checkpoint restore would be a way around the policy.

load helpers

setup() {
	setup_bundle
}

teardown() {
	teardown_bundle
}

@test "restore of a privileged bundle is denied before runc runs" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		--root "$ROOT" restore --image-path "$BATS_TEST_TMPDIR/none" --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": '*'capabilities (CIS Docker 1.6.0 5.4'* ]]
	jq -e '.verb == "restore" and .verdict == "deny"' "$BATS_TEST_TMPDIR/audit.log"
}

@test "restore with --lsm-profile is refused: it would replace the judged labels" {
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		--root "$ROOT" restore --lsm-profile apparmor:unconfined --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--lsm-profile"* ]]
}

@test "an acceptable restore reaches runc (its own error about the missing checkpoint proves it)" {
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		--root "$ROOT" restore --image-path "$BATS_TEST_TMPDIR/none" --bundle "$BUNDLE" "$(cid)"
	[ "$status" -ne 0 ]
	[[ "$output" != *"ocigate:"* ]]
	jq -e '.verb == "restore" and .executed == true' "$BATS_TEST_TMPDIR/audit.log"
}
