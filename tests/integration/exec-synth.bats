#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `exec` without --process starts the process each runtime builds from its flags, and that is the
# process judged: runc 1.1.5 applies the flags over the config's process (exec.go getProcess),
# crun 1.8.1 builds a new one (src/exec.c).  `exec --cgroup` moves the process into a sub-cgroup,
# and one that leaves the container's cgroup leaves its limits.  Each escape is first shown with
# the runtime alone.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "300"]'
	CGNAME="ocgtest-$$-$BATS_TEST_NUMBER"
}

@test "crun exec without --process starts a process without NoNewPrivs: judged so, denied" {
	use_runtime crun
	ocg_start --ocigate-profile baseline
	jq -e '.process.noNewPrivileges == true' "$BUNDLE/config.json"
	# crun ignores the config's noNewPrivileges for such an exec (runc applies it).
	run "$REAL_CRUN" --root "$ROOT" exec "$(cid)" grep NoNewPrivs /proc/self/status
	[ "$output" = "$(printf 'NoNewPrivs:\t0')" ]
	ocg --ocigate-profile baseline exec "$(cid)" grep NoNewPrivs /proc/self/status
	[ "$status" -eq 1 ]
	[[ "$output" == *"no-new-privileges (CIS Docker 1.6.0 5.26"* ]]
	# With --no-new-privs crun sets it: no-new-privileges has nothing to say (another rule may:
	# crun also starts such a process with no rlimits of its own).
	ocg --ocigate-profile baseline exec --no-new-privs "$(cid)" grep NoNewPrivs /proc/self/status
	[[ "$output" != *"no-new-privileges"* ]]
	[ "$status" -ne 0 ] || [ "$output" = "$(printf 'NoNewPrivs:\t1')" ]
}

@test "crun exec without --process runs as uid 0 whatever the config's user: judged so" {
	requires crun
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	use_runtime crun
	ocg_start --ocigate-profile restricted
	run "$REAL_CRUN" --root "$ROOT" exec --no-new-privs "$(cid)" id -u
	[ "$output" = 0 ]
	# restricted requires a non-root process: crun's uid 0 is denied, an explicit -u is not.
	ocg --ocigate-profile restricted exec --no-new-privs "$(cid)" id -u
	[ "$status" -eq 1 ]
	[[ "$output" == *"root-user"*"exec process (CIS Docker 1.6.0 5.24) runs as root"* ]]
	ocg --ocigate-profile restricted exec --no-new-privs -u 65534:65534 "$(cid)" id -u
	[[ "$output" != *"root-user"* ]]
	[ "$status" -ne 0 ] || [ "$output" = 65534 ]
}

@test "runc exec -u 4294967296 is uid 0 (Atoi, then uint32): judged as root" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	use_runtime runc
	ocg_start --ocigate-profile restricted
	run "$REAL_RUNC" --root "$ROOT" exec -u 4294967296 "$(cid)" id -u
	[ "$output" = 0 ]
	ocg --ocigate-profile restricted exec -u 4294967296 "$(cid)" id -u
	[ "$status" -eq 1 ]
	[[ "$output" == *"root-user"*"runs as root"* ]]
	# 4294967297 is uid 1 to runc: not root, and it runs as 1.
	ocg --ocigate-profile restricted exec -u 4294967297 "$(cid)" id -u
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "runc exec --additional-gids is judged as runc applies it (not refused)" {
	use_runtime runc
	ocg_start --ocigate-profile baseline
	ocg --ocigate-profile baseline exec -g 5 -g 4294967303 "$(cid)" grep Groups /proc/self/status
	[ "$status" -eq 0 ]
	# 4294967303 is group 7 once runc made it a uint32.
	[ "$output" = "$(printf 'Groups:\t5 7 ')" ]
	run jq -sc '.[-1] | [.verb, .verdict, .document]' "$AUDIT"
	[ "$output" = '["exec","allow","exec flags over the config"]' ]
	ocg --ocigate-profile baseline exec -g -1 "$(cid)" true
	[ "$status" -eq 2 ]
	[[ "$output" == *"exec -g \`-1\`: runc refuses it"* ]]
}

# start_in_own_cgroup RUNTIME: the container through ocigate with RUNTIME, in its own cgroup
# /$CGNAME of every v1 hierarchy.
start_in_own_cgroup() {
	use_runtime "$1"
	update_config ".linux.cgroupsPath = \"/$CGNAME\""
	ocg_start --ocigate-profile baseline
}

@test "runc exec --cgroup: a sub-cgroup runs; a sibling with the container's name as prefix is denied" {
	start_in_own_cgroup runc
	local pids=/sys/fs/cgroup/pids
	mkdir "$pids/$CGNAME/sub" "$pids/$CGNAME-x"
	CGROUPS+=("$CGNAME/sub" "$CGNAME-x")
	ocg --ocigate-profile baseline exec --cgroup pids:sub "$(cid)" grep pids /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == *":pids:/$CGNAME/sub" ]]
	# runc only checks that the path starts with the container's as a string: a sibling passes,
	# and the process leaves the container's pids limit.
	run "$REAL_RUNC" --root "$ROOT" exec --cgroup "pids:../$CGNAME-x" "$(cid)" grep pids /proc/self/cgroup
	[[ "$output" == *":pids:/$CGNAME-x" ]]
	ocg --ocigate-profile baseline exec --cgroup "pids:../$CGNAME-x" "$(cid)" grep pids /proc/self/cgroup
	[ "$status" -eq 1 ]
	[[ "$output" == *"resource-limits"*"exec --cgroup \`pids:../$CGNAME-x\` moves the process out of the container's cgroup"* ]]
	# What runc refuses itself, it still says itself (runc's own suite checks this message).
	run "$REAL_RUNC" --root "$ROOT" exec --cgroup .. "$(cid)" true
	local runc_status=$status
	[[ "$output" == *" .. is not a sub cgroup path"* ]]
	ocg --ocigate-profile baseline exec --cgroup .. "$(cid)" true
	[ "$status" -eq "$runc_status" ]
	[[ "$output" == *" .. is not a sub cgroup path"* ]]
	# --cgroup applies with --process too.
	printf '{"args": ["true"], "cwd": "/", "noNewPrivileges": true}' >"$BATS_TEST_TMPDIR/p.json"
	ocg --ocigate-profile baseline exec --cgroup "pids:../$CGNAME-x" -p "$BATS_TEST_TMPDIR/p.json" "$(cid)"
	[ "$status" -eq 1 ]
}

@test "crun exec --cgroup ../..: crun reaches the root cgroup; denied" {
	start_in_own_cgroup crun
	run "$REAL_CRUN" --root "$ROOT" exec --cgroup ../.. "$(cid)" grep pids /proc/self/cgroup
	[[ "$output" == *":pids:/" ]]
	ocg --ocigate-profile baseline exec --cgroup ../.. "$(cid)" grep pids /proc/self/cgroup
	[ "$status" -eq 1 ]
	[[ "$output" == *"resource-limits"*"moves the process out of the container's cgroup"* ]]
}
