#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped seccomp profiles, specialised by seccomp_specialise (through tests/unit/seccomp_dump)
# and run by the REAL runc (and crun) on a busybox bundle: the filter is installed, capability-
# conditioned syscalls stay shut without the capability and open with it, glibc threads still
# start thanks to clone3's ENOSYS.  Every denial is paired with a control run that succeeds
# without the profile (or with one detail changed), so no test here can pass by accident.
# Plus `ocigate seccomp check` on the shipped profiles and on a broken one.

load helpers

SECCOMP_DUMP=${SECCOMP_DUMP:-$(dirname "$OCIGATE")/tests/unit/seccomp_dump}

setup_file() {
	# busybox has no threads: a static glibc program that starts one.
	build_static threads -pthread
}

setup() {
	if [ ! -x "$SECCOMP_DUMP" ]; then
		echo "seccomp_dump not built: $SECCOMP_DUMP (run make check, or set SECCOMP_DUMP)" >&2
		return 1
	fi
}

# bundle_caps: the bundle's bounding set, as moby's loader reads it.
bundle_caps() {
	jq -r '.process.capabilities.bounding[]' "$BUNDLE/config.json"
}

# add_cap CAP: into every capability set of the bundle.
add_cap() {
	update_config ".process.capabilities |= with_entries(.value += [\"$1\"])"
}

# inject_seccomp PROFILE: linux.seccomp = PROFILE specialised for the bundle's bounding set.
inject_seccomp() {
	local out="$BATS_TEST_TMPDIR/seccomp.json"
	# shellcheck disable=SC2046 # one argument per capability
	"$SECCOMP_DUMP" "$1" $(bundle_caps) >"$out"
	update_config --slurpfile s "$out" '.linux.seccomp = $s[0]'
}

# run_in_container SHELL-CMD [RUNTIME [NAME]]: the command in the bundle, run by the runtime
# alone (default the real runc), as container $(cid NAME) (default "c").
run_in_container() {
	update_config ".process.args = [\"sh\", \"-c\", $(jq -Rn --arg c "$1" '$c')]"
	RT=${2:-$REAL_RUNC} direct_run "${3:-c}"
}

needs_threads() {
	requires static_threads
	cp "$BATS_FILE_TMPDIR/threads" "$BUNDLE/rootfs/bin/threads"
}

@test "seccomp: the default profile is installed and shuts unshare without CAP_SYS_ADMIN" {
	setup_bundle
	# Control: without a filter, root in the container may create a user namespace.
	run_in_container 'grep "^Seccomp:" /proc/self/status; unshare -U true && echo USERNS-OK' "" control
	[ "$status" -eq 0 ]
	[[ "$output" == *"USERNS-OK"* ]]
	[[ "$output" == *"Seccomp:"*"0"* ]]

	inject_seccomp default
	run_in_container 'grep "^Seccomp:" /proc/self/status; unshare -U true && echo USERNS-OK'
	echo "$output"
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: with CAP_SYS_ADMIN the capability-conditioned syscalls come back" {
	setup_bundle
	add_cap CAP_SYS_ADMIN
	inject_seccomp default
	run_in_container 'grep "^Seccomp:" /proc/self/status; unshare -U true && echo USERNS-OK; unshare -m true && echo MNTNS-OK'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" == *"USERNS-OK"* ]]
	[[ "$output" == *"MNTNS-OK"* ]]
}

@test "seccomp: glibc threads start under the default profile because clone3 answers ENOSYS" {
	setup_bundle
	needs_threads
	inject_seccomp default
	run_in_container 'threads'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"threads: ok"* ]]

	# Control: the same profile with clone3 answering EPERM breaks thread creation
	# (moby/moby#42680), so the ENOSYS is what makes the run above work.
	update_config '(.linux.seccomp.syscalls[] | select(.names == ["clone3"]) | .errnoRet) = 1'
	run_in_container 'threads' "" eperm
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"pthread_create: Operation not permitted"* ]]
}

@test "seccomp: ENOSYS for clone3 and NUMA policy, EPERM for kexec_load and AF_VSOCK" {
	setup_bundle
	needs_threads
	# Control: no filter, the kernel itself answers.
	run_in_container 'threads errno' "" control
	echo "$output"
	[[ "$output" == *"get_mempolicy: ok"* ]]
	[[ "$output" == *"clone3: EINVAL"* ]]

	inject_seccomp default
	run_in_container 'threads errno'
	echo "$output"
	[[ "$output" == *"get_mempolicy: ENOSYS"* ]]
	[[ "$output" == *"clone3: ENOSYS"* ]]
	[[ "$output" == *"kexec_load: EPERM"* ]]
	[[ "$output" == *"socket_vsock: EPERM"* ]]

	# CAP_SYS_NICE opens the NUMA policy calls, CAP_SYS_ADMIN hands clone3 to the kernel.
	add_cap CAP_SYS_NICE
	add_cap CAP_SYS_ADMIN
	inject_seccomp default
	run_in_container 'threads errno' "" caps
	echo "$output"
	[[ "$output" == *"get_mempolicy: ok"* ]]
	[[ "$output" == *"clone3: EINVAL"* ]]
	[[ "$output" == *"kexec_load: EPERM"* ]]
}

@test "seccomp: the strict profile runs busybox sh and threads, and shuts unshare" {
	setup_bundle
	needs_threads
	inject_seccomp strict
	run_in_container 'grep "^Seccomp:" /proc/self/status; echo piped | cat; threads; unshare -U true && echo USERNS-OK'
	echo "$output"
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" == *"piped"* ]]
	[[ "$output" == *"threads: ok"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
}

@test "seccomp: strict has no 32-bit ABI (int 0x80 dies of SIGSYS) where default allows it" {
	requires arch_x86_64
	setup_bundle
	needs_threads
	# The host first, outside any container and without any filter: a kernel built without IA32
	# emulation, or booted with ia32_emulation=0, kills the caller of `int $0x80` with SIGSEGV,
	# and then no profile can be told apart from another here.
	run "$BATS_FILE_TMPDIR/threads" int80
	if [ "$status" -ne 0 ] || [ "$output" != "int80: ok" ]; then
		skip "THIS HOST CANNOT RUN THE 32-BIT SYSCALL ENTRY: \`threads int80\` outside any container exited $status (output: '$output'); the kernel has no IA32 emulation (CONFIG_IA32_EMULATION, ia32_emulation=), so the 32-bit ABI of the profiles cannot be tested here"
	fi
	inject_seccomp default
	run_in_container 'threads int80; echo "status=$?"'
	echo "$output"
	[[ "$output" == *"int80: ok"* ]]

	inject_seccomp strict
	run_in_container 'threads int80; echo "status=$?"' "" strict
	echo "$output"
	[[ "$output" != *"int80: ok"* ]]
	[[ "$output" == *"status=159"* ]] # 128 + SIGSYS
}

@test "seccomp: crun loads the specialised default profile too" {
	requires crun
	setup_bundle
	needs_threads
	inject_seccomp default
	run_in_container 'grep "^Seccomp:" /proc/self/status; threads; unshare -U true && echo USERNS-OK' "$REAL_CRUN"
	echo "$output"
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" == *"threads: ok"* ]]
	[[ "$output" != *"USERNS-OK"* ]]
}

@test "seccomp: seccomp_check_file accepts the shipped profiles and refuses a typo" {
	run "$SECCOMP_DUMP" --check "$OCG_SRCDIR/seccomp-profiles/default.json"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$SECCOMP_DUMP" --check "$OCG_SRCDIR/seccomp-profiles/strict.json"
	[ "$status" -eq 0 ]

	jq '.syscalls[0].names += ["frobnicate"]' "$OCG_SRCDIR/seccomp-profiles/default.json" \
		>"$BATS_TEST_TMPDIR/broken.json"
	run "$SECCOMP_DUMP" --check "$BATS_TEST_TMPDIR/broken.json"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"SCMP_ARCH_X86_64: unknown syscall \`frobnicate\`"* ]]
}

@test "seccomp: ocigate seccomp check accepts the shipped profiles and refuses a bad action" {
	run "$OCIGATE" seccomp check "$OCG_SRCDIR/seccomp-profiles/default.json"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$OCIGATE" seccomp check "$OCG_SRCDIR/seccomp-profiles/strict.json"
	[ "$status" -eq 0 ]

	jq '.syscalls[0].action = "SCMP_ACT_PERMIT"' "$OCG_SRCDIR/seccomp-profiles/default.json" \
		>"$BATS_TEST_TMPDIR/broken.json"
	run "$OCIGATE" seccomp check "$BATS_TEST_TMPDIR/broken.json"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"SCMP_ACT_PERMIT"* ]]
}

@test "seccomp: a policy that grants CAP_SYS_ADMIN gets the capability-conditioned syscalls in the injected profile" {
	setup_bundle
	add_cap CAP_SYS_ADMIN
	policy_file '{"profiles": {"admin": {"extends": "baseline", "rules": {"capabilities": {"action": "rewrite",
		"allow": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"],
		"deny": ["CAP_SYS_MODULE"]}}}}}'
	update_config '.process.args = ["sh", "-c", "grep ^Seccomp: /proc/self/status; unshare -U true && echo USERNS-OK; unshare -m true && echo MNTNS-OK"]'
	# The same bundle under baseline: CAP_SYS_ADMIN is a denied capability.
	ocg_run base
	[ "$status" -eq 1 ]
	# Under the allowing profile the profile is injected for the FINAL caps: the SYS_ADMIN groups
	# (unshare, mount, ...) are in, so both namespaces can be made inside the filter.
	ocg_run --ocigate-policy="$POLICY" --ocigate-profile=admin admin
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:"*"2"* ]]
	[[ "$output" == *"USERNS-OK"* ]]
	[[ "$output" == *"MNTNS-OK"* ]]
	jq -e '.linux.seccomp.syscalls | map(.names[]) | index("unshare") != null' "$BUNDLE/config.json"
}
