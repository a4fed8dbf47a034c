#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The hooks rule (policy/rules/hooks.c) through ocigate and the real runc: hooks run on the host
# as root, so only allowlisted ones pass (path and arguments), every hook list is judged, and a
# denied hook leaves no trace on the host; the same bundle through runc alone shows what was
# prevented.  dockerd's libnetwork-setkey hook, trusted by identity, is hooks-identity.bats.

load helpers

setup() {
	setup_bundle
	HOOKFILE="$BATS_TEST_TMPDIR/hook-was-here"
}

@test "hooks: a hook that would touch a host file is denied and the file never appears" {
	update_config ".hooks = {prestart: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch $HOOKFILE\"]}]}"
	ocg_run
	assert_denied hooks
	[[ "$output" == *'prestart hook `/bin/sh` is not allowlisted: hooks run on the host as root'* ]]
	[ ! -e "$HOOKFILE" ]
	# The same bundle straight to runc: the hook runs on the host (what was prevented).
	direct_run direct
	[ "$status" -eq 0 ]
	[ -e "$HOOKFILE" ]
}

@test "hooks: every hook list is judged, /proc/self/exe is never allowed" {
	local list
	for list in createRuntime createContainer startContainer poststart poststop; do
		update_config ".hooks = {$list: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"touch $HOOKFILE\"]}]}"
		ocg_run
		assert_denied hooks
		[ ! -e "$HOOKFILE" ]
	done
	update_config '.hooks = {prestart: [{path: "/proc/self/exe", args: ["runc", "--version"]}]}'
	ocg_run
	assert_denied hooks
	[[ "$output" == *"would run the runtime's own process"* ]]
}

@test "hooks: an allowlisted hook runs" {
	policy_file "{\"profile\": \"hooked\", \"profiles\": {\"hooked\": {\"extends\": \"baseline\",
		\"rules\": {\"hooks\": {\"allow\": [\"/usr/bin/touch touch $BATS_TEST_TMPDIR/*\"]}}}}}"
	update_config ".hooks = {poststart: [{path: \"/usr/bin/touch\", args: [\"touch\", \"$HOOKFILE\"]}]}"
	ocg_run --ocigate-policy="$POLICY"
	[ "$status" -eq 0 ]
	[ -e "$HOOKFILE" ]
	# Another argument is another hook.
	setup_bundle second
	update_config ".hooks = {poststart: [{path: \"/usr/bin/touch\", args: [\"touch\", \"/tmp/ocg-not-allowed-$$\"]}]}"
	ocg_run --ocigate-policy="$POLICY"
	DENY_PROFILE=hooked assert_denied hooks
	[ ! -e "/tmp/ocg-not-allowed-$$" ]
}
