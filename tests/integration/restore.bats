#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `runc restore --bundle B` chdir()s into B and loads config.json exactly like create, so it is
# policed like create; otherwise a checkpoint restore would be a way around the policy.  The
# restored process itself comes from the CRIU image (capabilities, seccomp, no_new_privs, LSM
# profile), which ocigate does not read: the `restore` rule refuses it unless the policy allows.
# CRIU is not usable on this VM (criu 3.17 from Debian fails `criu check` on its kernel), so no
# real image is restored here; runc's own error about the missing image shows it was reached.

load helpers

setup() {
	setup_bundle
}

@test "restore of a privileged bundle is denied before runc runs" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	ocg restore --image-path "$BATS_TEST_TMPDIR/none" --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": '*'capabilities (CIS Docker 1.6.0 5.4'* ]]
	jq -e '.verb == "restore" and .verdict == "deny"' "$AUDIT"
}

@test "restore with --lsm-profile is refused: it would replace the judged labels" {
	ocg restore --lsm-profile apparmor:unconfined --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--lsm-profile"* ]]
}

@test "restore is refused by default: the process would come from an image ocigate does not read" {
	ocg restore --image-path "$BATS_TEST_TMPDIR/none" --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": restore: '*'checkpoint image'* ]]
	jq -e '.verb == "restore" and .executed == false' "$AUDIT"
	# The same bundle is created: only the verb is refused.
	update_config '.process.args = ["true"]'
	ocg_run
	[ "$status" -eq 0 ]
}

@test "a policy that allows restore lets an acceptable restore reach runc (its own error about the missing checkpoint proves it)" {
	policy_file '{"profiles": {"baseline": {"rules": {"restore": "warn"}}}}'
	ocg --ocigate-policy "$POLICY" restore --image-path "$BATS_TEST_TMPDIR/none" --bundle "$BUNDLE" "$(cid)"
	[ "$status" -ne 0 ]
	[[ "$output" != *"ocigate:"* ]]
	jq -e '.verb == "restore" and .executed == true and (.warned | map(.rule) | index("restore") != null)' \
		"$AUDIT"
}
