#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `runc exec` without --process runs the container's own process with the flags applied on top
# (runc exec.go getProcess): what the flags add is judged, and what cannot be judged is refused.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "120"]'
	ocg_start
}

@test "exec --cap CAP_SYS_ADMIN is denied; without ocigate runc would grant it" {
	ocg exec --cap CAP_SYS_ADMIN "$(cid)" grep CapEff /proc/self/status
	[ "$status" -eq 1 ]
	[[ "$output" == *"capabilities (CIS Docker 1.6.0 5.4"*"CAP_SYS_ADMIN"* ]]
	run "$REAL_RUNC" --root "$ROOT" exec --cap CAP_SYS_ADMIN "$(cid)" grep CapEff /proc/self/status
	[ "$status" -eq 0 ]
	# bit 21 = CAP_SYS_ADMIN is set when runc runs it directly.
	[ $((0x${output##*:	} >> 21 & 1)) -eq 1 ]
}

@test "exec --cap of an allowed capability is still denied: --cap also fills the ambient set" {
	ocg exec --cap CAP_KILL "$(cid)" true
	[ "$status" -eq 1 ]
	[[ "$output" == *"ambient"* ]]
}

@test "exec --no-new-privs=false is judged as runc applies it: denied, the flag cannot be rewritten" {
	# runc alone clears NoNewPrivs for the exec'd process ...
	run "$REAL_RUNC" --root "$ROOT" exec --no-new-privs=false "$(cid)" grep NoNewPrivs /proc/self/status
	[ "$output" = "$(printf 'NoNewPrivs:\t0')" ]
	# ... through ocigate the no-new-privileges rule sees that process and denies it.
	ocg exec --no-new-privs=false "$(cid)" grep NoNewPrivs /proc/self/status
	[ "$status" -eq 1 ]
	[[ "$output" == *"no-new-privileges (CIS Docker 1.6.0 5.26"*"noNewPrivileges is not set"* ]]
	jq -se '.[-1] | .verb == "exec" and .verdict == "deny" and .executed == false
		and .document == "exec flags over the config"' "$BATS_TEST_TMPDIR/audit.log"
}

@test "exec --apparmor is judged by the apparmor rule, then runc answers (no AppArmor here)" {
	requires no_apparmor
	run "$REAL_RUNC" --root "$ROOT" exec --apparmor unconfined "$(cid)" true
	local runc_status=$status
	[ "$runc_status" -ne 0 ]
	ocg exec --apparmor unconfined "$(cid)" true
	[ "$status" -eq "$runc_status" ]
	[[ "$output" == *"apparmor failed to apply profile"* ]]
	jq -se '.[-1] | .verdict == "allow" and ([.notes[].rule] | index("apparmor") != null)' \
		"$BATS_TEST_TMPDIR/audit.log"
}

@test "plain exec and exec -u 65534 run" {
	ocg exec "$(cid)" echo plain
	[ "$status" -eq 0 ]
	[ "$output" = plain ]
	ocg exec -u 65534 "$(cid)" id -u
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
}

@test "exec without --process judges config.json as runc re-reads it at exec time" {
	# Editing the bundle after create: runc exec.go getProcess reloads it.
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
		| .process.capabilities.effective += ["CAP_SYS_ADMIN"]
		| .process.capabilities.permitted += ["CAP_SYS_ADMIN"] | .process.noNewPrivileges = false'
	# runc alone would start the exec'd process with CAP_SYS_ADMIN (bit 21) ...
	run "$REAL_RUNC" --root "$ROOT" exec "$(cid)" grep CapEff /proc/self/status
	[ "$status" -eq 0 ]
	[ $((0x${output##*:	} >> 21 & 1)) -eq 1 ]
	# ... ocigate judges that same process and denies it.
	ocg exec "$(cid)" grep CapEff /proc/self/status
	[ "$status" -eq 1 ]
	[[ "$output" == *"capabilities (CIS Docker 1.6.0 5.4"*"CAP_SYS_ADMIN"* ]]
}
