#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate runtime configure` on files alone (no daemon: --socket names one nobody listens on):
# profile links, a daemon.json created and removed again, owner and mode kept.  The engines
# themselves are tests/e2e/doctor-*.bats.

load helpers

setup() {
	requires root
	T=$BATS_TEST_TMPDIR
	chmod 0755 "$T"
	mkdir -p "$T/bin"
	cp "$OCIGATE" "$T/bin/ocigate"
	echo '{}' >"$T/policy.json"
	export OCIGATE_POLICY=$T/policy.json
}

configure() {
	run "$T/bin/ocigate" runtime "$1" --engine docker --socket "$T/none.sock" \
		--config "$T/daemon.json" --state-dir "$T/state" "${@:2}"
}

@test "runtime configure: --profile registers ocigate-<profile>, which must be a link to ocigate" {
	configure configure --profile restricted
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$T/bin/ocigate-restricted is not a link to ocigate"* ]]
	[ ! -e "$T/daemon.json" ]
	ln -s ocigate "$T/bin/ocigate-restricted"
	configure configure --profile restricted
	[ "$status" -eq 0 ]
	jq -e --arg p "$T/bin/ocigate-restricted" '.runtimes["ocigate-restricted"].path == $p' "$T/daemon.json"
	configure configure --profile nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"profile \`nosuch\`"* ]]
}

@test "runtime configure: a daemon.json it creates is root:root 0644, and unconfigure removes it" {
	configure configure --set-as-default
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stat -c '%a %u %g' "$T/daemon.json")" = "644 0 0" ]
	[ ! -e "$T/daemon.json.ocigate.bak" ]
	configure unconfigure
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$T/daemon.json" ] && [ ! -e "$T/state/runtime-docker.json" ]
}

@test "runtime configure: an existing daemon.json keeps its owner and mode; the backup is root-only" {
	printf '{"debug": true}\n' >"$T/daemon.json"
	chown 12:34 "$T/daemon.json"
	chmod 0604 "$T/daemon.json"
	configure configure
	[ "$status" -eq 0 ]
	[ "$(stat -c '%a %u %g' "$T/daemon.json")" = "604 12 34" ]
	[ "$(stat -c '%a %u' "$T/daemon.json.ocigate.bak")" = "600 0" ]
	[ "$(cat "$T/daemon.json.ocigate.bak")" = '{"debug": true}' ]
	jq -e '.debug == true and (.runtimes.ocigate.path | length > 0)' "$T/daemon.json"
	configure unconfigure
	[ "$status" -eq 0 ]
	[ "$(jq -c . "$T/daemon.json")" = '{"debug":true}' ]
	[ "$(stat -c '%a %u %g' "$T/daemon.json")" = "604 12 34" ]
}

@test "runtime configure: without a record, unconfigure takes back only what is ocigate's" {
	printf '{"runtimes": {"ocigate": {"path": "%s"}, "other": {"path": "/bin/true"}}, "default-runtime": "ocigate"}\n' \
		"$T/bin/ocigate" >"$T/daemon.json"
	configure unconfigure
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -c . "$T/daemon.json")" = '{"runtimes":{"other":{"path":"/bin/true"}}}' ]
}
