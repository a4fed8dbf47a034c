#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# One pass through the shim, seen by strace: a judged call reads each policy file once (the
# policy built from them both chooses the runtime and judges), and a verb that cannot loosen a
# container reads none of them once their verdict is stamped -- only stat(2)s, the drop-in
# directory's listing and the stamp (shim/policy_peek.h).

load helpers

setup() {
	command -v strace >/dev/null || skip "needs strace"
	setup_bundle
	POLICY_DIR="$BATS_TEST_TMPDIR/etc"
	POLICY="$POLICY_DIR/policy.json"
	DROPIN="$POLICY_DIR/policy.d/10-limits.json"
	SECCOMP="$POLICY_DIR/seccomp.json"
	AUDIT="$BATS_TEST_TMPDIR/audit.log"
	TRACE="$BATS_TEST_TMPDIR/trace"
	mkdir -p "$POLICY_DIR/policy.d"
	chmod 0755 "$POLICY_DIR" "$POLICY_DIR/policy.d"
	install -m 0644 "$OCG_SRCDIR/seccomp-profiles/default.json" "$SECCOMP"
	# The main file, a drop-in and a seccomp profile named by path: three files the policy reads.
	jq -n --arg sc "$SECCOMP" --arg rt "$REAL_RUNC" '{runtime: $rt,
		profiles: {baseline: {rules: {seccomp: {action: "rewrite", profile: $sc}}}}}' >"$POLICY"
	echo '{"profiles": {"baseline": {"rules": {"root-user": "off"}}}}' >"$DROPIN"
	chmod 0644 "$POLICY" "$DROPIN"
}

teardown() {
	teardown_bundle
}

# traced ARGS...: ocigate ARGS under strace (the runtime it execs is the same process, so its
# opens come after ocigate's; neither runtime opens our files), its openat(2)s in $TRACE.  The
# output goes through a file: a created container keeps its stdio open.
traced() {
	status=0
	strace -qq -e trace=open,openat -o "$TRACE" env -u OCIGATE_RUNTIME "$OCIGATE" \
		--ocigate-policy "$POLICY" --ocigate-audit-log "$AUDIT" "$@" \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "status=$status output=$output"
}

# reads FILE: how many times the traced call opened FILE to read it (an O_PATH open only walks
# to it, to check who owns it and every directory on its way).
reads() {
	grep -F "\"${1##*/}\"" "$TRACE" | grep -vc 'O_PATH' || true
}

# every_file_read_once [FILE...]: each file (default: the policy's three) opened once for reading.
every_file_read_once() {
	local f files=("$@")
	[ $# -gt 0 ] || files=("$POLICY" "$DROPIN" "$SECCOMP")
	for f in "${files[@]}"; do
		echo "$f: $(reads "$f") reads"
		grep -F "${f##*/}" "$TRACE" || true
		[ "$(reads "$f")" -eq 1 ]
	done
}

@test "one pass: a judged create reads each policy file once, and runs" {
	traced --root "$ROOT" create --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 0 ]
	every_file_read_once
	# The policy's runtime got the call: the container exists in its state directory.
	"$REAL_RUNC" --root "$ROOT" state "$(cid)"
}

@test "one pass: a denied run reads each policy file once" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	traced --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"denied by policy"* ]]
	every_file_read_once
}

@test "one pass: exec --process and update -r read each policy file once" {
	local id
	id=$(cid)
	update_config '.process.args = ["sleep", "600"]'
	"$OCIGATE" --ocigate-policy "$POLICY" --ocigate-audit-log "$AUDIT" --root "$ROOT" \
		run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 3>&-
	jq '.process | .args = ["true"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
	traced --root "$ROOT" exec --process "$BATS_TEST_TMPDIR/process.json" "$id"
	[ "$status" -eq 0 ]
	every_file_read_once
	echo '{"pids": {"limit": 100}}' >"$BATS_TEST_TMPDIR/resources.json"
	traced --root "$ROOT" update -r "$BATS_TEST_TMPDIR/resources.json" "$id"
	[ "$status" -eq 0 ]
	every_file_read_once
}

@test "one pass: ocigate check reads each policy file once" {
	traced check --format json "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(jq -r .verdict <<<"$output")" = rewrite ]
	every_file_read_once
}

@test "one pass: a pass-through state reads no policy file once the files' verdict is stamped" {
	local id
	id=$(cid)
	"$OCIGATE" --ocigate-policy "$POLICY" --ocigate-audit-log "$AUDIT" --root "$ROOT" \
		create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 3>&-
	# The first pass-through call meets this version of the files: it validates them (without
	# building a profile, so not the seccomp file) and stamps the verdict.
	traced --root "$ROOT" state "$id"
	[ "$status" -eq 0 ]
	every_file_read_once "$POLICY" "$DROPIN"
	traced --root "$ROOT" state "$id"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output")" = "$id" ]
	local f
	for f in "$POLICY" "$DROPIN" "$SECCOMP"; do
		[ "$(reads "$f")" -eq 0 ]
	done
	# What it did open of ours: the record directory and the stamps, and the drop-in directory
	# to list it (the stamp is keyed by every drop-in's identity).
	grep -F '"/run/ocigate"' "$TRACE"
	grep -F "\"$POLICY_DIR/policy.d\"" "$TRACE"
}
