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

OCG_SRCDIR=${OCG_SRCDIR:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}

setup_file() {
	# busybox has no keyctl: a static program with the raw syscalls.
	if [ "$(id -u)" -eq 0 ] && "${CC:-cc}" -static -O2 -o "$BATS_FILE_TMPDIR/keyring" \
		"$BATS_TEST_DIRNAME/keyring.c" 2>"$BATS_FILE_TMPDIR/keyring.log"; then
		export OCG_KEYRING="$BATS_FILE_TMPDIR/keyring"
	fi
}

teardown() {
	if [ -n "${KEY_ID:-}" ]; then
		"$OCG_KEYRING" unlink "$KEY_ID" || true
	fi
	for rt in "$REAL_RUNC" "$REAL_CRUN"; do
		[ -n "${ROOT:-}" ] && [ -d "$ROOT" ] && [ -x "$rt" ] || continue
		for c in $("$rt" --root "$ROOT" list -q 2>/dev/null); do
			"$rt" --root "$ROOT" delete --force "$c" >/dev/null 2>&1 || true
		done
	done
}

# needs_runtime RUNTIME: skip (loudly) when it is crun and crun cannot run on this host.
needs_runtime() {
	[ -x "$1" ] || skip "needs $1"
	if [ "$1" = "$REAL_CRUN" ] && [ -s /sys/fs/cgroup/unified/cgroup.controllers ]; then
		skip "crun refuses this host: /sys/fs/cgroup/unified/cgroup.controllers lists controllers; run contrib/setup-host.sh"
	fi
}

# direct RUNTIME NAME: the bundle with the runtime alone.
direct() {
	run "$1" --root "$ROOT" run --bundle "$BUNDLE" "$(cid "$2")"
	echo "direct ($1) status=$status output=$output"
	"$1" --root "$ROOT" delete --force "$(cid "$2")" >/dev/null 2>&1 || true
}

# through RUNTIME NAME: the bundle through ocigate (baseline), which rewrites config.json.
through() {
	run "$OCIGATE" --ocigate-runtime "$1" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid "$2")"
	echo "ocigate ($1) status=$status output=$output"
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
	needs_runtime "$1"
	setup_bundle
	runc_mkdir_profile SCMP_ACT_ERRNO
	set_args 'grep "^Seccomp:" /proc/self/status; mkdir /dev/shm/foo && echo MKDIR-OK; unshare -U true && echo USERNS-OK; true'
	direct "$1" direct
	[[ "$output" == *"mkdir: can't create directory '/dev/shm/foo': Operation not permitted"* ]]
	[[ "$output" == *"USERNS-OK"* ]]

	through "$1" ocg
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" == *"mkdir: can't create directory '/dev/shm/foo': Operation not permitted"* ]]
	[[ "$output" != *"MKDIR-OK"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
	jq -e '.rewritten | map(select(.rule == "seccomp")) | .[0].message | test("keeping every restriction")' \
		"$BATS_TEST_TMPDIR/audit.log"
}

@test "seccomp: runc's mkdir ERRNO profile keeps its denial under the policy's profile (runc)" {
	check_mkdir_errno "$REAL_RUNC"
}

@test "seccomp: runc's mkdir ERRNO profile keeps its denial under the policy's profile (crun)" {
	check_mkdir_errno "$REAL_CRUN"
}

check_mkdir_kill() {
	needs_runtime "$1"
	setup_bundle
	runc_mkdir_profile SCMP_ACT_KILL
	set_args 'mkdir /dev/shm/foo; echo "mkdir status=$?"'
	direct "$1" direct
	[[ "$output" == *"mkdir status=159"* ]] # 128 + SIGSYS: the thread was killed

	through "$1" ocg
	[ "$status" -eq 0 ]
	[[ "$output" == *"mkdir status=159"* ]]
	jq -e '[.linux.seccomp.syscalls[] | select(.names == ["mkdir"])] == [{"names": ["mkdir"], "action": "SCMP_ACT_KILL"}]' \
		"$BUNDLE/config.json"
}

@test "seccomp: runc's mkdir KILL profile still kills mkdir under the policy's profile (runc)" {
	check_mkdir_kill "$REAL_RUNC"
}

@test "seccomp: runc's mkdir KILL profile still kills mkdir under the policy's profile (crun)" {
	check_mkdir_kill "$REAL_CRUN"
}

# podman_profile: the seccomp object Podman 4.3 hands the runtime (captured, real-clients/).
podman_profile() {
	jq --slurpfile p "$OCG_FIXTURES/real-clients/podman-default.config.json" \
		'.linux.seccomp = $p[0].linux.seccomp' "$BUNDLE/config.json" >"$BUNDLE/config.json.tmp"
	mv "$BUNDLE/config.json.tmp" "$BUNDLE/config.json"
}

check_podman_keyring() {
	needs_runtime "$1"
	[ -n "${OCG_KEYRING:-}" ] || skip "cannot build a static program (${CC:-cc} -static): $(cat "$BATS_FILE_TMPDIR/keyring.log")"
	setup_bundle
	podman_profile
	cp "$OCG_KEYRING" "$BUNDLE/rootfs/bin/keyring"
	# A secret in the HOST root's user keyring.
	local desc="ocigate-test-$$-$BATS_TEST_NUMBER" secret="host-secret-$RANDOM$RANDOM"
	KEY_ID=$("$OCG_KEYRING" add "$desc" "$secret")
	set_args "keyring read $desc; unshare -U true && echo USERNS-OK; echo done"

	direct "$1" direct
	[ "$status" -eq 0 ]
	[[ "$output" == *"keyring: read $secret"* ]]
	[[ "$output" == *"USERNS-OK"* ]]

	through "$1" ocg
	[ "$status" -eq 0 ]
	[[ "$output" == *"done"* ]]
	[[ "$output" != *"$secret"* ]]
	[[ "$output" == *"keyring: EPERM (link)"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
	jq -e '.rewritten | map(select(.rule == "seccomp")) | .[0].message | test("allows `clone`, `clone3`, `keyctl`, `unshare`")' \
		"$BATS_TEST_TMPDIR/audit.log"
}

@test "seccomp: Podman's profile reads the host root's keyring alone, not through ocigate (runc)" {
	check_podman_keyring "$REAL_RUNC"
}

@test "seccomp: Podman's profile reads the host root's keyring alone, not through ocigate (crun)" {
	check_podman_keyring "$REAL_CRUN"
}

@test "seccomp: a conditional denial the policy's profile cannot keep is denied, not replaced" {
	needs_runtime "$REAL_RUNC"
	setup_bundle
	# Allow all, AF_VSOCK sockets refused by argument; the policy allows socket by argument too.
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}]}]}'
	through "$REAL_RUNC" ocg
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": seccomp'*'cannot be kept under the policy'*'`socket`'* ]]
	[ -z "$("$REAL_RUNC" --root "$ROOT" list -q)" ]
}

# The AppArmor half: a profile loaded in complain mode confines nothing.  This VM has no AppArmor;
# on a host with it, the test loads two profiles of its own and removes them afterwards.
@test "apparmor: a profile in complain mode is replaced by the enforced default" {
	local profiles=/sys/kernel/security/apparmor/profiles
	if [ ! -r "$profiles" ] || ! grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null; then
		skip "AppArmor is not enabled on this host ($profiles unreadable): the rule is covered by unit tests with a fake host only"
	fi
	command -v apparmor_parser >/dev/null || skip "AppArmor is on, but apparmor_parser is not installed"
	needs_runtime "$REAL_RUNC"
	setup_bundle
	local dir="$BATS_TEST_TMPDIR/aa" complain="ocigate-test-complain-$$" enforced="ocigate-test-default-$$"
	mkdir -p "$dir"
	printf 'profile %s flags=(complain,attach_disconnected) {\n  file,\n  capability,\n  network,\n  mount,\n  umount,\n  pivot_root,\n  signal,\n  ptrace,\n  unix,\n  dbus,\n}\n' \
		"$complain" >"$dir/complain"
	printf 'profile %s flags=(attach_disconnected) {\n  file,\n  capability,\n  network,\n  signal,\n  unix,\n  deny /proc/sys/kernel/** w,\n}\n' \
		"$enforced" >"$dir/enforced"
	apparmor_parser -r "$dir/complain" "$dir/enforced"
	echo "{\"profiles\": {\"baseline\": {\"rules\": {\"apparmor\": {\"default\": \"$enforced\"}}}}}" >"$dir/policy.json"
	chmod 0644 "$dir/policy.json"
	update_config ".process.apparmorProfile = \"$complain\""
	set_args 'cat /proc/self/attr/current'
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-policy "$dir/policy.json" \
		--ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" --root "$ROOT" run --bundle "$BUNDLE" "$(cid aa)"
	echo "$output"
	apparmor_parser -R "$dir/complain" "$dir/enforced" || true
	[ "$status" -eq 0 ]
	[[ "$output" == *"$enforced (enforce)"* ]]
}
