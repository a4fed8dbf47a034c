#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate doctor` on ocigate itself (--engine none: no engine is looked at) and its drift check
# against containers the real runc runs: a container runc created directly is reported, one that
# went through ocigate is not.  The engines' routes are tests/e2e/doctor-*.bats.

load helpers

setup() {
	requires root runc
	T=$BATS_TEST_TMPDIR
	ROOTS+=("$T/state")
	policy_file '{}'
	chmod 0755 "$T"
	export OCIGATE_POLICY=$POLICY OCIGATE_AUDIT_LOG=$T/audit.log OCIGATE_RUNTIME=$REAL_RUNC
}

doctor() {
	run "$OCIGATE" doctor --format json --engine none "$@"
}

# sev ID: the severities of the findings with that id, one per line.
sev() {
	jq -r --arg id "$1" '.findings[] | select(.id == $id) | .severity' <<<"$output"
}

@test "doctor: a healthy ocigate: the policy files with their digest, the runtime's version, the trail" {
	doctor
	echo "$output"
	[ "$status" -eq 0 ]
	digest=$(sha256sum "$T/policy.json" | cut -d' ' -f1)
	jq -e --arg d "sha256:$digest" '.findings[] | select(.id == "ocigate.policy") | .severity == "info" and (.message | contains($d))' <<<"$output"
	jq -e --arg v "$("$REAL_RUNC" --version | head -n 1)" '.findings[] | select(.id == "ocigate.runtime") | .message | contains($v)' <<<"$output"
	jq -e --arg p "$T/audit.log" '.findings[] | select(.id == "ocigate.audit-log") | .severity == "info" and .location == $p' <<<"$output"
}

@test "doctor: a policy that does not validate is high (every container start would fail)" {
	echo '{"profile": "nope"}' >"$T/policy.json"
	doctor
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(sev ocigate.policy)" = high ]
}

@test "doctor: no runtime to exec is high" {
	OCIGATE_RUNTIME=/nonexistent/runc doctor
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(sev ocigate.runtime)" = high ]
}

@test "doctor: an audit trail on a read-only filesystem is high" {
	mkdir -p "$T/ro"
	# shellcheck disable=SC2016  # expanded by the inner shell
	run unshare -m --propagation private sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		OCIGATE_AUDIT_LOG="$1/audit.log" exec "$0" doctor --format json --engine none' "$OCIGATE" "$T/ro"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(sev ocigate.audit-log)" = high ]
	jq -e '.findings[] | select(.id == "ocigate.audit-log") | .message | contains("Read-only file system")' <<<"$output"
}

@test "doctor: profile links: a symlink is fine, a copy or an unknown profile is not" {
	mkdir -p "$T/bin"
	cp "$OCIGATE" "$T/bin/ocigate"
	ln -s ocigate "$T/bin/ocigate-restricted"
	ln -s ocigate "$T/bin/ocigate-nosuch"
	cp "$T/bin/ocigate" "$T/bin/ocigate-privileged"
	run "$T/bin/ocigate" doctor --format json --engine none
	echo "$output"
	jq -e '[.findings[] | select(.id == "ocigate.profile-links" and .severity == "medium") | .location] | sort
		== ["'"$T"'/bin/ocigate-nosuch", "'"$T"'/bin/ocigate-privileged"]' <<<"$output"
	jq -e '.findings[] | select(.id == "ocigate.profile-links" and .severity == "info") | .message | startswith("3 ")' <<<"$output"
}

@test "doctor: a container runc created directly is drift; one created through ocigate is not" {
	setup_bundle
	update_config '.process.args = ["sleep", "600"]'
	mkdir -p "$T/state"
	"$REAL_RUNC" --root "$T/state" run -d --bundle "$BUNDLE" direct-$$ </dev/null >/dev/null 2>&1
	"$OCIGATE" --root "$T/state" run -d --bundle "$BUNDLE" gated-$$ </dev/null >/dev/null 2>&1
	doctor --runtime-root "$T/state"
	echo "$output"
	[ "$status" -eq 1 ]
	jq -e --arg id "direct-$$" '[.findings[] | select(.id == "drift.container")] | length == 1 and (.[0].subject | endswith($id))' <<<"$output"
	jq -e '.findings[] | select(.id == "drift.scan") | .message | startswith("2 live containers")' <<<"$output"
}

@test "doctor: bad options are errors (exit 2)" {
	run "$OCIGATE" doctor --format yaml
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown format \`yaml\`"* ]]
	run "$OCIGATE" doctor --engine cri-o
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown engine \`cri-o\`"* ]]
}
