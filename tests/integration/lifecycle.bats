#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A policy error never blocks a container's lifecycle.  Whatever state the policy files are in
# (a typo, a file cut short while being written, wrong permissions, gone), the verbs that cannot
# loosen a container reach the runtime that created it, with the real runc and crun; create,
# run, exec and update still fail closed, naming file:line:column.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "300"]'
	POLICY="$BATS_TEST_TMPDIR/policy.json"
	CROOT="$BATS_TEST_TMPDIR/crun-state"
	ROOTS+=("$CROOT")
	# ocigate as an engine calls it: no --ocigate-runtime, no OCIGATE_RUNTIME, only the policy
	# file names the runtime.
	RT=
	OCG_FLAGS=(--ocigate-policy "$POLICY")
}

good_policy() {
	policy_file "$(printf '{"runtime": "%s", "mode": "enforce"}' "$1")"
}

# break_policy KIND RUNTIME: the shapes an operator meets.
break_policy() {
	case "$1" in
	typo)
		printf '{"runtime": "%s",\n "profiles": {"baseline": {"rules": {"root-user": "warning"}}}}\n' "$2" >"$POLICY"
		;;
	cut-short) printf '{"runtime": "%s", "mode": "enf' "$2" >"$POLICY" ;;
	group-writable) chmod 0664 "$POLICY" ;;
	gone) rm -f "$POLICY" ;;
	esac
}

# start_container ROOT: create and start $ID under ROOT through ocigate with the good policy.
start_container() {
	local ROOT=$1
	ocg_detached create --bundle "$BUNDLE" "$ID"
	ocg start "$ID"
	[ "$status" -eq 0 ]
}

# the_whole_lifecycle ROOT RUNTIME: every verb that cannot loosen a container, through ocigate,
# each checked against what the runtime itself says.
the_whole_lifecycle() {
	local ROOT=$1 rt=$2 root=$1
	ocg state "$ID"
	[ "$status" -eq 0 ]
	# stdout is JSON and nothing else: containerd's go-runc decodes state with stderr merged in.
	[ "$(jq -r .status <<<"$output")" = running ]
	ocg ps --format json "$ID"
	[ "$status" -eq 0 ]
	jq -e 'length >= 1' <<<"$output"
	ocg pause "$ID"
	[ "$status" -eq 0 ]
	[ "$("$rt" --root "$root" state "$ID" | jq -r .status)" = paused ]
	ocg resume "$ID"
	[ "$status" -eq 0 ]
	[ "$("$rt" --root "$root" state "$ID" | jq -r .status)" = running ]
	ocg list -q
	[ "$status" -eq 0 ]
	[ "$output" = "$ID" ]
	ocg kill "$ID" 9
	[ "$status" -eq 0 ]
	for _ in $(seq 50); do
		[ "$("$rt" --root "$root" state "$ID" | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	ocg delete "$ID"
	[ "$status" -eq 0 ]
	run "$rt" --root "$root" list -q
	[ -z "$output" ]
}

@test "lifecycle: with runc, every broken policy leaves start/state/ps/pause/resume/list/kill/delete working" {
	local kind
	for kind in typo cut-short group-writable gone; do
		ID=$(cid "$kind")
		good_policy "$REAL_RUNC"
		start_container "$ROOT"
		break_policy "$kind" "$REAL_RUNC"
		the_whole_lifecycle "$ROOT" "$REAL_RUNC"
	done
}

@test "lifecycle: a container crun created is reached through crun after its policy breaks (the record)" {
	requires crun
	local kind
	for kind in typo cut-short group-writable gone; do
		ID=$(cid "$kind")
		good_policy "$REAL_CRUN"
		start_container "$CROOT"
		break_policy "$kind" "$REAL_CRUN"
		# group-writable and gone leave nothing readable: without its record the call would go to
		# the built-in list's runc, which knows no such container.
		the_whole_lifecycle "$CROOT" "$REAL_CRUN"
	done
}

@test "lifecycle: without a record, the runtime key is still read around an error elsewhere" {
	requires crun
	ID=$(cid)
	# Created by crun directly: ocigate kept no record of it.
	"$REAL_CRUN" --root "$CROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	break_policy typo "$REAL_CRUN"
	ROOT=$CROOT ocg state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	ROOT=$CROOT ocg delete --force "$ID"
	[ "$status" -eq 0 ]
}

@test "lifecycle: --version, features and list reach the runtime on a broken policy" {
	break_policy typo "$REAL_RUNC"
	ROOT='' ocg --version
	[ "$status" -eq 0 ]
	[[ "$output" == "runc version"* ]]
	ROOT='' ocg features
	[ "$status" -eq 0 ]
	jq -e '.ociVersionMax' <<<"$output"
	ocg list
	[ "$status" -eq 0 ]
	[[ "$output" == ID* ]]
}

@test "lifecycle: create, run, exec and update still fail closed on a broken policy, naming file:line:column" {
	ID=$(cid)
	good_policy "$REAL_RUNC"
	start_container "$ROOT"
	break_policy typo "$REAL_RUNC"
	local want="ocigate: load policy: $POLICY:2:51: \$.profiles.baseline.rules.root-user: \`warning\` is not one of"
	ocg run --bundle "$BUNDLE" "$(cid other)"
	[ "$status" -eq 2 ]
	[[ "$output" == "$want"* ]]
	ocg create --bundle "$BUNDLE" "$(cid other)"
	[ "$status" -eq 2 ]
	[[ "$output" == "$want"* ]]
	ocg exec "$ID" true
	[ "$status" -eq 2 ]
	[[ "$output" == "$want"* ]]
	ocg_stdin $'{}\n' update -r - "$ID"
	[ "$status" -eq 2 ]
	[[ "$output" == "$want"* ]]
	[ "$("$REAL_RUNC" --root "$ROOT" list -q)" = "$ID" ]
}

@test "lifecycle: the broken policy is said on stderr (not on state or ps) and once in the audit trail" {
	ID=$(cid)
	good_policy "$REAL_RUNC"
	start_container "$ROOT"
	break_policy typo "$REAL_RUNC"
	# (bats `run` would fold stderr into $output: kept apart here.)
	run --separate-stderr __ocg state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	[ -z "$stderr" ]
	ocg pause "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ocigate: policy error (\`pause\` goes to $REAL_RUNC anyway): $POLICY:2:51:"* ]]
	ocg resume "$ID"
	[ "$status" -eq 0 ]
	ocg kill "$ID" 9
	[ "$status" -eq 0 ]
	# Four calls met this version of the file: one record of it.
	run jq -sc '[.[] | select(.verdict == "policy-error")] | map([.verb, .container, .runtime, .executed])' "$AUDIT"
	[ "$output" = "[[\"state\",\"$ID\",\"$REAL_RUNC\",true]]" ]
	# A new version of the file is a new record.
	break_policy cut-short "$REAL_RUNC"
	ocg delete --force "$ID"
	[ "$status" -eq 0 ]
	run jq -s '[.[] | select(.verdict == "policy-error")] | length' "$AUDIT"
	[ "$output" = 2 ]
}

@test "lifecycle: delete of a container whose state is gone drops its record" {
	ID=$(cid)
	good_policy "$REAL_RUNC"
	start_container "$ROOT"
	local records_before
	records_before=$(grep -l "^state $ROOT/$ID\$" /run/ocigate/containers/* 2>/dev/null | wc -l)
	[ "$records_before" -eq 1 ]
	"$REAL_RUNC" --root "$ROOT" delete --force "$ID"
	ocg delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
	[ "$(grep -l "^state $ROOT/$ID\$" /run/ocigate/containers/* 2>/dev/null | wc -l)" -eq 0 ]
}
