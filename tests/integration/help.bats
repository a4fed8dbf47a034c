#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocigate's own help and version.  Invoked as `ocigate`, --help/-h/help print ocigate's usage and
# every own command answers --help; invoked as `runc`, help stays runc's (passthrough.bats
# compares every byte).  --ocigate-version says the version, the commit, the policy directory
# and the runtime, as text or JSON.

load helpers

setup() {
	requires root runc
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$OCIGATE" "$BATS_TEST_TMPDIR/bin/ocigate"
	ln -sf "$OCIGATE" "$BATS_TEST_TMPDIR/bin/runc"
	OCG="$BATS_TEST_TMPDIR/bin/ocigate"
	AS_RUNC="$BATS_TEST_TMPDIR/bin/runc"
}

@test "help: ocigate --help, -h and help print ocigate's usage, then point at the runtime's" {
	local form
	for form in --help -h help; do
		run "$OCG" --ocigate-runtime "$REAL_RUNC" "$form"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "usage: ocigate [--ocigate-FLAG VALUE]... COMMAND [ARG]..." ]
		[[ "$output" == *"check PATH|-..."* ]]
		[[ "$output" == *"policy show|validate"* ]]
		[[ "$output" == *"seccomp check FILE"* ]]
		[[ "$output" == *"  doctor  "* ]]
		[[ "$output" == *"  runtime configure|unconfigure"* ]]
		[[ "$output" == *"--ocigate-runtime PATH"* ]]
		[[ "$output" == *"--ocigate-version"* ]]
		[[ "$output" == *"see \`$REAL_RUNC --help\`"* ]]
	done
	# As runc, the same words are runc's own help.
	run "$AS_RUNC" --ocigate-runtime "$REAL_RUNC" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "NAME:" ]]
	# `help COMMAND` of a runtime command is the runtime's.
	run "$OCG" --ocigate-runtime "$REAL_RUNC" help create
	[ "$status" -eq 0 ]
	[[ "$output" == *"runc create"* ]]
}

@test "help: every own command answers --help with exit 0" {
	local cmd
	for cmd in "check --help" "check -h" "policy --help" "policy show --help" \
		"policy validate --help" "seccomp --help" "seccomp check --help" "help check" \
		"help policy" "help seccomp" "doctor --help" "doctor -h" "help doctor" \
		"runtime --help" "runtime -h" "runtime configure --help" "help runtime" "help --help" \
		"help help"; do
		# shellcheck disable=SC2086  # the words are the command line
		run "$OCG" $cmd
		echo "$cmd: status=$status $output"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "usage: ocigate "* ]]
	done
}

@test "help: an unknown own subcommand names the valid ones" {
	run "$OCG" seccomp bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown seccomp command \`bogus\` (the only one is \`check\`)"* ]]
	run "$OCG" policy bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"ocigate policy show"*"ocigate policy validate"* ]]
	run "$OCG" runtime bogus
	[ "$status" -eq 2 ]
	[[ "$output" == "usage: ocigate runtime configure|unconfigure"* ]]
	run "$OCG" check
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: ocigate check [--format text|json|sarif]"* ]]
	# A command neither ocigate nor a runtime knows: named, then still the runtime's to answer.
	run "$OCG" --ocigate-runtime "$REAL_RUNC" chek
	[ "$status" -ne 0 ]
	[[ "$output" == *"\`chek\` is not one of ocigate's commands (check, policy, seccomp, doctor, report, audit, runtime, help)"* ]]
	[[ "$output" == *"No help topic for 'chek'"* ]]
	# As runc, no such line: stderr is runc's alone.
	run "$AS_RUNC" --ocigate-runtime "$REAL_RUNC" chek
	[[ "$output" != *"ocigate"* ]]
}

@test "version: --ocigate-version says version, commit, policy directory and runtime; --format json" {
	run "$OCG" --ocigate-runtime "$REAL_RUNC" --ocigate-version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ocigate version "* ]]
	[[ "${lines[1]}" =~ ^commit:\ ([0-9a-f]{40}(-dirty)?|unknown)$ ]]
	[[ "${lines[2]}" == "policy directory: /"* ]]
	[[ "${lines[3]}" == "policy file: "*"/policy.json" ]]
	[ "${lines[4]}" = "runtime: $REAL_RUNC" ]
	local text=$output
	run "$OCG" --ocigate-runtime "$REAL_RUNC" --ocigate-version --format json
	[ "$status" -eq 0 ]
	jq -e --arg rt "$REAL_RUNC" '.runtime == $rt and (.version | length > 0)
		and (.commit | length > 0) and (.policy_directory | startswith("/"))' <<<"$output"
	# The same facts both ways.
	[ "$(jq -r '"ocigate version \(.version)\ncommit: \(.commit)\npolicy directory: \(.policy_directory)\npolicy file: \(.policy_file)\nruntime: \(.runtime)"' <<<"$output")" = "$text" ]
	run "$OCG" --ocigate-version --format=yaml
	[ "$status" -eq 2 ]
}

@test "version: the commit is the source tree's when built from git" {
	local src=$OCG_SRCDIR
	git -C "$src" rev-parse HEAD >/dev/null 2>&1 || skip "not built from a git checkout"
	run "$OCG" --ocigate-runtime "$REAL_RUNC" --ocigate-version --format json
	# The binary under test was built from this tree: its commit is HEAD at build time, which may
	# be older than HEAD now, but always an ancestor of it.
	local commit
	commit=$(jq -r .commit <<<"$output")
	commit=${commit%-dirty}
	git -C "$src" merge-base --is-ancestor "$commit" HEAD
}
