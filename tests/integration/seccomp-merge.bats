#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A seccomp rewrite only ever adds restrictions, in a real container through the real runc and
# crun.  Each test first runs the bundle with the runtime alone (what the container asked for, and
# what it could do), then through ocigate:
#   - runc's own seccomp tests hand a profile that allows everything but mkdir (SCMP_ACT_ERRNO,
#     SCMP_ACT_KILL): through ocigate mkdir is still denied, the same way, and the policy's profile
#     is on top (unshare of a user namespace refused) -- both runtimes compile the merged object;
#   - Podman's own default profile allows keyctl, unshare, clone and clone3: with the runtime alone
#     the container links and reads a key the HOST's root keeps in its user keyring and creates a
#     user namespace; through ocigate both fail and the container still runs;
#   - a container profile the merge cannot keep (a conditional denial where the policy has
#     conditions of its own) is denied, not replaced;
#   - an AppArmor profile in complain mode is replaced by the enforced default (AppArmor hosts
#     only: skipped, loudly, elsewhere).

load helpers

setup_file() {
	# busybox has no keyctl: a static program with the raw syscalls.
	build_static keyring
}

set_args() {
	update_config ".process.args = [\"sh\", \"-c\", $(jq -Rn --arg c "$1" '$c')]"
}

# runc tests/integration/seccomp.bats "runc run [seccomp] (SCMP_ACT_ERRNO default)" and
# "(SCMP_ACT_KILL)": allow everything, deny mkdir.
runc_mkdir_profile() {
	update_config ".process.noNewPrivileges = false | .linux.seccomp = {
		\"defaultAction\": \"SCMP_ACT_ALLOW\",
		\"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],
		\"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"$1\"}]}"
}

check_mkdir_errno() {
	use_runtime "$1"
	setup_bundle
	runc_mkdir_profile SCMP_ACT_ERRNO
	set_args 'grep "^Seccomp:" /proc/self/status; mkdir /dev/shm/foo && echo MKDIR-OK; unshare -U true && echo USERNS-OK; true'
	direct_run direct
	[[ "$output" == *"mkdir: can't create directory '/dev/shm/foo': Operation not permitted"* ]]
	[[ "$output" == *"USERNS-OK"* ]]

	ocg_run ocg
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" == *"mkdir: can't create directory '/dev/shm/foo': Operation not permitted"* ]]
	[[ "$output" != *"MKDIR-OK"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
	jq -e '.rewritten | map(select(.rule == "seccomp")) | .[0].message | test("keeping every restriction")' \
		"$AUDIT"
}

@test "seccomp: runc's mkdir ERRNO profile keeps its denial under the policy's profile (runc)" {
	check_mkdir_errno runc
}

@test "seccomp: runc's mkdir ERRNO profile keeps its denial under the policy's profile (crun)" {
	check_mkdir_errno crun
}

check_mkdir_kill() {
	use_runtime "$1"
	setup_bundle
	runc_mkdir_profile SCMP_ACT_KILL
	set_args 'mkdir /dev/shm/foo; echo "mkdir status=$?"'
	direct_run direct
	[[ "$output" == *"mkdir status=159"* ]] # 128 + SIGSYS: the thread was killed

	ocg_run ocg
	[ "$status" -eq 0 ]
	[[ "$output" == *"mkdir status=159"* ]]
	jq -e '[.linux.seccomp.syscalls[] | select(.names == ["mkdir"])] == [{"names": ["mkdir"], "action": "SCMP_ACT_KILL"}]' \
		"$BUNDLE/config.json"
}

@test "seccomp: runc's mkdir KILL profile still kills mkdir under the policy's profile (runc)" {
	check_mkdir_kill runc
}

@test "seccomp: runc's mkdir KILL profile still kills mkdir under the policy's profile (crun)" {
	check_mkdir_kill crun
}

# podman_profile: the seccomp object Podman 4.3 hands the runtime (captured, real-clients/).
podman_profile() {
	update_config --slurpfile p "$OCG_FIXTURES/real-clients/podman-default.config.json" \
		'.linux.seccomp = $p[0].linux.seccomp'
}

check_podman_keyring() {
	use_runtime "$1"
	requires static_keyring
	setup_bundle
	podman_profile
	cp "$BATS_FILE_TMPDIR/keyring" "$BUNDLE/rootfs/bin/keyring"
	# A secret in the HOST root's user keyring, unlinked in teardown.
	local desc="ocigate-test-$$-$BATS_TEST_NUMBER" secret="host-secret-$RANDOM$RANDOM" key
	key=$("$BATS_FILE_TMPDIR/keyring" add "$desc" "$secret")
	defer "$BATS_FILE_TMPDIR/keyring" unlink "$key"
	set_args "keyring read $desc; unshare -U true && echo USERNS-OK; echo done"

	direct_run direct
	[ "$status" -eq 0 ]
	[[ "$output" == *"keyring: read $secret"* ]]
	[[ "$output" == *"USERNS-OK"* ]]

	ocg_run ocg
	[ "$status" -eq 0 ]
	[[ "$output" == *"done"* ]]
	[[ "$output" != *"$secret"* ]]
	[[ "$output" == *"keyring: EPERM (link)"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
	jq -e '.rewritten | map(select(.rule == "seccomp")) | .[0].message | test("allows `clone`, `clone3`, `keyctl`, `unshare`")' \
		"$AUDIT"
}

@test "seccomp: Podman's profile reads the host root's keyring alone, not through ocigate (runc)" {
	check_podman_keyring runc
}

@test "seccomp: Podman's profile reads the host root's keyring alone, not through ocigate (crun)" {
	check_podman_keyring crun
}

@test "seccomp: a conditional denial the policy's profile cannot keep is denied, not replaced" {
	setup_bundle
	# Allow all, AF_VSOCK sockets refused by argument; the policy allows socket by argument too.
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}]}]}'
	ocg_run ocg
	assert_denied seccomp
	[[ "$output" == *'denied by policy "baseline": seccomp'*'cannot be kept under the policy'*'`socket`'* ]]
}

# The AppArmor half: a profile loaded in complain mode confines nothing.  This VM has no AppArmor;
# on a host with it, the test loads two profiles of its own and removes them afterwards.
@test "apparmor: a profile in complain mode is replaced by the enforced default" {
	requires apparmor apparmor_parser
	setup_bundle
	local dir="$BATS_TEST_TMPDIR/aa" complain="ocigate-test-complain-$$" enforced="ocigate-test-default-$$"
	mkdir -p "$dir"
	printf 'profile %s flags=(complain,attach_disconnected) {\n  file,\n  capability,\n  network,\n  mount,\n  umount,\n  pivot_root,\n  signal,\n  ptrace,\n  unix,\n  dbus,\n}\n' \
		"$complain" >"$dir/complain"
	printf 'profile %s flags=(attach_disconnected) {\n  file,\n  capability,\n  network,\n  signal,\n  unix,\n  deny /proc/sys/kernel/** w,\n}\n' \
		"$enforced" >"$dir/enforced"
	apparmor_parser -r "$dir/complain" "$dir/enforced"
	defer apparmor_parser -R "$dir/complain" "$dir/enforced"
	policy_file "{\"profiles\": {\"baseline\": {\"rules\": {\"apparmor\": {\"default\": \"$enforced\"}}}}}"
	update_config ".process.apparmorProfile = \"$complain\""
	set_args 'cat /proc/self/attr/current'
	ocg_run --ocigate-policy="$POLICY" aa
	[ "$status" -eq 0 ]
	[[ "$output" == *"$enforced (enforce)"* ]]
}
