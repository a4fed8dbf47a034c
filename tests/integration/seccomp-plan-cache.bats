#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck disable=SC2016
# (SC2016: the seccomp objects are jq programs, $docker is jq's variable.)
# The seccomp rule's remembered plans (shim/seccomp_plan_cache.h) through ocigate and the real
# runc: a create whose plan comes from the cache writes the same config.json and the same audit
# record as the create that computed it, and the container it starts is confined the same way; a
# document whose seccomp object changed is judged anew.  Each test's seccomp object holds a rule
# for a syscall name of its own (runc 1.1.5 libcontainer/seccomp/seccomp_linux.go matchCall
# skips a name libseccomp does not know), so its plan is certainly not cached before it runs and
# its entry is found by that name.

load helpers

PLANS=/run/ocigate/seccomp-plans

setup() {
	setup_bundle
	command -v strace >/dev/null || skip "needs strace"
	MARK="ocg_plan_$(tr -d - </proc/sys/kernel/random/uuid)"
}

# entries: the cache entries that hold this test's syscall name.
entries() {
	grep -laF "$MARK" "$PLANS"/* 2>/dev/null || true
}

# with_seccomp JQ: the bundle's seccomp object is JQ (with $docker, Docker's captured one),
# plus this test's own rule; the container prints its seccomp mode and whether it may create a
# user namespace.
with_seccomp() {
	update_config --slurpfile d "$OCG_FIXTURES/real-clients/docker-default.config.json" \
		--arg m "$MARK" "(\$d[0].linux.seccomp) as \$docker | .linux.seccomp = ($1)
		| .linux.seccomp.syscalls += [{names: [\$m], action: \"SCMP_ACT_ERRNO\", errnoRet: 1}]
		| .process.args = [\"sh\", \"-c\", \"grep ^Seccomp: /proc/self/status; unshare -U true && echo UNSHARED || echo BLOCKED\"]"
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/orig.json"
}

# create_as NAME: `create` of the original config as container $(cid NAME) under strace (not -f:
# the container's `runc init` waits for a start that never comes); the config it wrote is kept
# as NAME.json, its audit record (without time and container id) as NAME.rec.
create_as() {
	cp "$BATS_TEST_TMPDIR/orig.json" "$BUNDLE/config.json"
	OCIGATE_STRACE="$BATS_TEST_TMPDIR/$1.strace"
	status=0
	strace -o "$OCIGATE_STRACE" "$OCIGATE" --ocigate-runtime "$RT" --ocigate-audit-log "$AUDIT" \
		--root "$ROOT" create --bundle "$BUNDLE" "$(cid "$1")" </dev/null >/dev/null 2>&1 3>&- || status=$?
	[ "$status" -eq 0 ]
	"$RT" --root "$ROOT" delete --force "$(cid "$1")" >/dev/null 2>&1
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/$1.json"
	audit_record create | jq -c 'del(.time, .container)' >"$BATS_TEST_TMPDIR/$1.rec"
}

# remembered NAME: did the create NAME store a plan (rename its temporary file onto an entry's
# slot, three hex digits, in the cache directory)?
remembered() {
	grep -qE 'renameat\([0-9]+, "\.tmp-[0-9]+", [0-9]+, "[0-9a-f]{3}"\)' "$BATS_TEST_TMPDIR/$1.strace"
}

@test "seccomp plan cache: a remembered plan writes the same config, record and container" {
	local profile base=$MARK i=0
	# A profile that confines (Docker's: the plan leaves it as it is) and one that does not (the
	# plan is the policy's profile merged with it: the cache holds the merged object).
	for profile in '$docker' '{defaultAction: "SCMP_ACT_ALLOW"}'; do
		MARK="${base}_$((i += 1))"
		with_seccomp "$profile"
		[ -z "$(entries)" ]
		create_as computed
		remembered computed
		[ "$(entries | wc -l)" -eq 1 ]
		create_as cached
		# The second create read the plan and stored none.
		! remembered cached
		grep -q "openat([0-9]*, \"$(basename "$(entries)")\", O_RDONLY" "$BATS_TEST_TMPDIR/cached.strace"
		cmp "$BATS_TEST_TMPDIR/computed.json" "$BATS_TEST_TMPDIR/cached.json"
		cmp "$BATS_TEST_TMPDIR/computed.rec" "$BATS_TEST_TMPDIR/cached.rec"
		[ "$(jq -c .linux.seccomp "$BATS_TEST_TMPDIR/cached.json")" != null ]
	done
	# The last one, started through ocigate (its plan remembered), is confined: seccomp mode 2
	# and no user namespace (unshare(2) needs CAP_SYS_ADMIN in the policy's profile).
	cp "$BATS_TEST_TMPDIR/orig.json" "$BUNDLE/config.json"
	direct_run plain
	[[ "$output" == *UNSHARED* ]]
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *BLOCKED* ]]
}

@test "seccomp plan cache: a changed seccomp object is judged anew" {
	with_seccomp '$docker'
	create_as confining
	run jq -c '.rewritten // [] | map(select(.rule == "seccomp"))' "$BATS_TEST_TMPDIR/confining.rec"
	[ "$output" = "[]" ]
	# The same document, its seccomp object now allowing everything by default: not the
	# remembered plan, a new one that adds the policy's profile.
	with_seccomp '$docker | .defaultAction = "SCMP_ACT_ALLOW"'
	create_as allowing
	remembered allowing
	[ "$(entries | wc -l)" -eq 2 ]
	run jq -r '.rewritten[] | select(.rule == "seccomp") | .message' "$BATS_TEST_TMPDIR/allowing.rec"
	[[ "$output" == *"does not confine the container"* ]]
	[ "$(jq -r .linux.seccomp.defaultAction "$BATS_TEST_TMPDIR/allowing.json")" != SCMP_ACT_ALLOW ]
	cp "$BATS_TEST_TMPDIR/orig.json" "$BUNDLE/config.json"
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *BLOCKED* ]]
}
