#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate check` for CI: the configs captured from real engines (tests/fixtures/real-clients and
# its production/ copies, whose README says which decision each must get) judged in every
# format, from stdin, several at a time (the worst status wins), with --portable (the node's
# facts become notes, path denials still deny), with --print-config (the config `create` would
# hand runc, which the real runc then runs), with and without colour, and as SARIF that the
# SARIF 2.1.0 schema accepts (tests/fixtures/sarif/sarif-schema-2.1.0.json, OASIS sarif-spec
# sarif-2.1/schema) with each result at the line and column of its JSON Pointer.

bats_require_minimum_version 1.5.0
load helpers

FIX="$OCG_FIXTURES/real-clients"
PROD="$FIX/production"
# The Docker container of production/docker-volume-etc: its own resolv.conf, hostname and hosts.
ETC_ID=2190d6e96b85f6d6b4a7ad8f04f362b906fd36222e637f4595dcc301d89dd4b8

setup() {
	command -v jq >/dev/null || skip "needs jq"
	# ocigate reads a policy file only when it and every directory above it are root's; with none
	# (the default path is not there in a build tree) the built-in baseline applies.
	[ "$(id -u)" -eq 0 ] || skip "needs root (policy files must be root's)"
	unset OCIGATE_POLICY
	EMPTY="$BATS_TEST_TMPDIR/empty.json"
	echo '{}' >"$EMPTY"
}

teardown() {
	if [ -n "${CI_DIR:-}" ]; then rm -rf "$CI_DIR"; fi
}

# check ARGS...: `ocigate check ARGS...` under bats `run`, stderr kept apart in $stderr.
check() {
	run --separate-stderr "$OCIGATE" check "$@"
	echo "ocigate check $* (status=$status):" >&2
	echo "$output" >&2
	echo "stderr: $stderr" >&2
}

# The production configs judged as each engine calls: the container id the engine names its
# per-container files after (from cgroupsPath), and the runtime root containerd's CRI and CRI-O
# pass.
prod_check() {
	local f="$PROD/$1.config.json" root=() id
	if jq -e '.annotations["io.kubernetes.cri.sandbox-id"]' "$f" >/dev/null; then root=(--root /run/containerd/runc/k8s.io); fi
	if jq -e '.annotations["io.kubernetes.cri-o.ContainerType"]' "$f" >/dev/null; then root=(--root /run/runc); fi
	id=$(jq -r '.linux.cgroupsPath // "" | split("/") | last | split("-") | last | split(":") | last' "$f")
	shift
	run "$OCIGATE" "${root[@]}" check --id "$id" "$@" "$f"
	echo "check $f: status=$status" >&2
	echo "$output" >&2
}

@test "check: help, usage, and the positional id is gone" {
	check --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--portable"*"--print-config"*"--format"* ]]
	check
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no config to check"* ]]
	[[ "$stderr$output" == *"usage: ocigate check"* ]]
	check --format yaml "$FIX/docker-default.config.json"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown format \`yaml\`"* ]]
	# A second path is a path, not a container id.
	check --portable "$FIX/docker-default.config.json" c1
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"c1: stat \`c1\`"* ]]
}

@test "check: the production configs get the decisions their README gives (--portable)" {
	local name want
	while read -r name want; do
		prod_check "$name" --portable --format json
		[ "$status" -eq "$want" ] || { echo "$name: status $status, want $want"; return 1; }
		[ "$(jq -r .verdict <<<"$output")" = "$([ "$want" -eq 1 ] && echo deny || echo rewrite)" ]
	done <<-EOF
		docker-default-bridge 0
		docker-init 0
		docker-named-volume-and-bind 0
		docker-net-host 1
		docker-volume-etc 1
		k8s-pod-sandbox 0
		k8s-pod-container 0
		podman-default 0
		crio-pod-container 0
	EOF
	# Without the engine's facts (no --id, no --root): the same decisions, the engines' own files
	# noted as the node's to prove.
	while read -r name want; do
		check --portable --format json "$PROD/$name.config.json"
		[ "$status" -eq "$want" ] || { echo "$name without --id: status $status, want $want"; return 1; }
	done <<-EOF
		docker-default-bridge 0
		docker-volume-etc 1
		k8s-pod-container 0
		podman-default 0
		crio-pod-container 0
	EOF
	check --portable --format json "$PROD/docker-default-bridge.config.json"
	jq -e '[.notes[] | select(.rule == "sensitive-mounts" and (.message | contains("is this container'"'"'s own engine file")))] | length == 3' <<<"$output"
	# Given another container's id, Docker's per-container files are another container's: denied.
	check --portable --id 0123456789ab --format json "$PROD/docker-default-bridge.config.json"
	[ "$status" -eq 1 ]
	jq -e '[.denied[] | select(.rule == "sensitive-mounts" and (.message | contains("/var/lib/docker")))] | length == 3' <<<"$output"
	# docker-net-host: the network namespace dockerd names the host's; docker-volume-etc: /etc.
	prod_check docker-net-host --portable --format json
	jq -e '[.denied[] | select(.rule == "host-namespaces" and .path == "/linux/namespaces/1/path")] | length == 1' <<<"$output"
	prod_check docker-volume-etc --portable --format json
	jq -e '[.denied[] | select(.rule == "sensitive-mounts" and (.message | contains("`/etc`")))] | length == 1' <<<"$output"
}

@test "check: text is a verdict, then denied, rewritten, warned and notes with rule, ids, pointer and hint" {
	check --portable --id "$ETC_ID" "$PROD/docker-volume-etc.config.json"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "$PROD/docker-volume-etc.config.json: denied (profile baseline, enforce mode; 1 denied, "* ]]
	[[ "$output" == *$'\n  denied\n    sensitive-mounts  CIS 5.6, 5.32  PSS hostPathVolumes  /mounts/7 (line 1, column '*$'\n      bind of `/etc` at `/hostetc`'*$'\n      hint: remove the bind'* ]]
	[[ "$output" == *$'\n  rewritten\n'*$'\n  warned\n'*$'\n  notes\n'* ]]
	# Not a terminal: no escape sequence.
	[[ "$output" != *$'\033'* ]]
	check --portable "$FIX/docker-default.config.json"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *": allowed after rewrites (profile baseline, enforce mode; 0 denied, "* ]]
}

@test "check: json is one decision record per path; stdin is judged like the file" {
	check --portable --format json "$FIX/docker-default.config.json" "$PROD/docker-volume-etc.config.json" - <"$PROD/docker-volume-etc.config.json"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(jq -r .verdict <<<"${lines[0]}")" = rewrite ]
	[ "$(jq -r .verdict <<<"${lines[1]}")" = deny ]
	[ "$(jq -r .document <<<"${lines[2]}")" = - ]
	# The same findings for the file and for stdin.
	[ "$(jq -c '[.denied, .rewritten, .warned, .notes]' <<<"${lines[1]}")" = "$(jq -c '[.denied, .rewritten, .warned, .notes]' <<<"${lines[2]}")" ]
}

@test "check: several paths give one result each and the worst status wins" {
	local ok="$FIX/docker-default.config.json" bad="$PROD/docker-volume-etc.config.json"
	check --portable --format json "$ok" "$ok"
	[ "$status" -eq 0 ]
	check --portable --format json "$ok" "$bad" "$ok"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	check --portable --format json "$bad" "$BATS_TEST_TMPDIR/missing.json" "$ok"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(jq -r .verdict <<<"${lines[1]}")" = error ]
	[[ "$(jq -r .error <<<"${lines[1]}")" == "stat \`$BATS_TEST_TMPDIR/missing.json\`"* ]]
	[[ "$stderr" == *"missing.json: stat"* ]]
	# A config that is not JSON: an error too, and the others are still judged.
	echo '{' >"$BATS_TEST_TMPDIR/broken.json"
	check --portable "$ok" "$BATS_TEST_TMPDIR/broken.json"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == *"docker-default.config.json: allowed after rewrites"* ]]
}

@test "check: --portable turns the capture host's facts into notes; path denials still deny" {
	local f="$FIX/docker-default.config.json"
	# Here, the captured config is denied for what belongs to the capture host.
	check --format json "$f"
	[ "$status" -eq 1 ]
	jq -e '[.denied[].message] | any(contains("does not exist")) and any(contains("not a running dockerd"))' <<<"$output"
	check --portable --format json "$f"
	[ "$status" -eq 0 ]
	jq -e '.denied == [] and ([.notes[] | select(.message | startswith("not judged without the node (--portable): on the node ocigate checks"))] | length >= 5)' <<<"$output"
	jq -e '[.notes[] | select(.rule == "hooks" and .path == "/hooks/prestart/0")] | length == 1' <<<"$output"
	jq -e '[.notes[] | select(.rule == "rootfs" and .path == "/root/path")] | length == 1' <<<"$output"
	# Still denied by path: /etc, the Docker socket by its /var/run name, a /proc magic link.
	for src in /etc /var/run/docker.sock /proc/1/root /run/containerd/containerd.sock; do
		jq --arg s "$src" '.mounts += [{destination: "/x", type: "bind", source: $s, options: ["rbind"]}]' "$f" >"$BATS_TEST_TMPDIR/c.json"
		check --portable --format json "$BATS_TEST_TMPDIR/c.json"
		[ "$status" -eq 1 ] || { echo "$src was not denied"; return 1; }
		jq -e '[.denied[] | select(.rule == "sensitive-mounts")] | length == 1' <<<"$output"
	done
	# A joined network namespace: here it cannot be resolved (denied); portable: a note.
	jq '.linux.namespaces |= map(if .type == "network" then .path = "/var/run/netns/cni-1234" else . end)' "$f" >"$BATS_TEST_TMPDIR/ns.json"
	check --format json "$BATS_TEST_TMPDIR/ns.json"
	jq -e '[.denied[] | select(.rule == "host-namespaces")] | length == 1' <<<"$output"
	check --portable --format json "$BATS_TEST_TMPDIR/ns.json"
	[ "$status" -eq 0 ]
	jq -e '[.notes[] | select(.rule == "host-namespaces" and (.message | contains("/var/run/netns/cni-1234")))] | length == 1' <<<"$output"
}

@test "check: --ocigate-mode audit and --profile apply" {
	local bad="$PROD/docker-volume-etc.config.json"
	run "$OCIGATE" --ocigate-mode audit check --portable --format json "$bad"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.mode + " " + .verdict' <<<"$output")" = "audit deny" ]
	check --portable --profile restricted --format json "$FIX/docker-default.config.json"
	[ "$status" -eq 1 ]
	[ "$(jq -r .policy <<<"$output")" = restricted ]
	check --portable --profile privileged --format json "$bad"
	[ "$status" -eq 0 ]
	[ "$(jq -r .mode <<<"$output")" = audit ]
	# --policy: a file that only warns about host paths lets the /etc bind through, warned.
	policy_file '{"profiles": {"baseline": {"rules": {"sensitive-mounts": {"action": "warn"}}}}}'
	check --portable --policy "$POLICY" --id "$ETC_ID" --format json "$bad"
	[ "$status" -eq 0 ]
	jq -e '[.warned[] | select(.rule == "sensitive-mounts" and (.message | contains("`/etc`")))] | length == 1' <<<"$output"
	check --portable --policy "$BATS_TEST_TMPDIR/none.json" "$bad"
	[ "$status" -eq 2 ]
}

@test "check: --print-config prints what create hands runc, and runc runs it" {
	setup_bundle
	check --print-config "$BUNDLE"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/printed.json"
	jq -e '.process.noNewPrivileges == true and .linux.resources.memory.limit > 0 and .linux.seccomp != null' "$BATS_TEST_TMPDIR/printed.json"
	[[ "$stderr" == *"$BUNDLE: allowed after rewrites"* ]]
	# The bundle is untouched; create writes back exactly the printed config.
	! jq -e '.process.noNewPrivileges == true' "$BUNDLE/config.json"
	update_config '.process.args = ["sh", "-c", "grep -E \"^(NoNewPrivs|Seccomp):\" /proc/self/status"]'
	check --print-config "$BUNDLE"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/printed.json"
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *"NoNewPrivs:"*"1"*"Seccomp:"*"2"* ]]
	[ "$(jq -S . "$BUNDLE/config.json")" = "$(jq -S . "$BATS_TEST_TMPDIR/printed.json")" ]
	# Denied: nothing would run, nothing printed.
	check --portable --print-config "$PROD/docker-volume-etc.config.json"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *": denied"* ]]
	# Audit mode runs the config as given.
	run --separate-stderr "$OCIGATE" --ocigate-mode audit check --portable --print-config "$PROD/docker-volume-etc.config.json"
	[ "$status" -eq 0 ]
	[ "$(jq -S . <<<"$output")" = "$(jq -S . "$PROD/docker-volume-etc.config.json")" ]
}

@test "check: colour on a terminal only, never with NO_COLOR" {
	requires script
	local f="$PROD/docker-volume-etc.config.json" out="$BATS_TEST_TMPDIR/tty.out"
	env -u NO_COLOR script -qec "'$OCIGATE' check --portable '$f'" "$out" >/dev/null || true
	grep -q $'\033\\[1;31mdenied' "$out"
	NO_COLOR=1 script -qec "'$OCIGATE' check --portable '$f'" "$out" >/dev/null || true
	grep -q "denied" "$out"
	! grep -q $'\033\\[' "$out"
	NO_COLOR= script -qec "'$OCIGATE' check --portable '$f'" "$out" >/dev/null || true
	! grep -q $'\033\\[' "$out"
}

@test "check: SARIF that the SARIF 2.1.0 schema accepts" {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "needs python3-jsonschema (Debian) to validate against the schema"
	cd "$BATS_TEST_TMPDIR"
	mkdir -p deploy
	jq . "$PROD/docker-volume-etc.config.json" >deploy/config.json
	check --portable --format sarif deploy/config.json "$FIX/docker-default.config.json" missing.json - <"$FIX/ctr-privileged.config.json"
	[ "$status" -eq 2 ]
	printf '%s\n' "$output" >out.sarif
	[ "$(jq '.runs[0].results | length' out.sarif)" -gt 10 ]
	/usr/bin/python3 - "$OCG_FIXTURES/sarif/sarif-schema-2.1.0.json" out.sarif <<-'PY'
		import json, sys, jsonschema
		schema = json.load(open(sys.argv[1]))
		log = json.load(open(sys.argv[2]))
		jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
	PY
}

@test "check: SARIF rules and results, each result at its pointer's line and column" {
	local pretty="$BATS_TEST_TMPDIR/deploy/config.json" line col
	mkdir -p "$BATS_TEST_TMPDIR/deploy"
	jq . "$PROD/docker-volume-etc.config.json" >"$pretty"
	cd "$BATS_TEST_TMPDIR"
	check --portable --id "$ETC_ID" --format sarif deploy/config.json "$FIX/docker-default.config.json" missing.json
	[ "$status" -eq 2 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.sarif"
	# Every rule of the policy is a reportingDescriptor with its ids and help; every result names
	# one of them by id and index.
	"$OCIGATE" policy show --profile baseline "$EMPTY" 2>/dev/null | jq -r '.profiles.baseline.rules | keys[]' | sort >"$BATS_TEST_TMPDIR/rules"
	jq -r '.runs[0].tool.driver.rules[].id' out.sarif | sort | diff - "$BATS_TEST_TMPDIR/rules"
	jq -e '.version == "2.1.0" and (.runs[0].tool.driver.rules | all(.help.text != "" and .properties.tags[0] == "security"))' out.sarif
	jq -e '.runs[0].tool.driver.rules[] | select(.id == "privileged") | .properties.cis == "5.5" and .properties.pss == "privileged"' out.sarif
	jq -e '.runs[0] as $r | $r.results | all(. as $x | $r.tool.driver.rules[$x.ruleIndex].id == $x.ruleId)' out.sarif
	jq -e '.runs[0].invocations[0].executionSuccessful == false and (.runs[0].invocations[0].toolExecutionNotifications[0].message.text | startswith("missing.json: stat"))' out.sarif
	# The /etc denial: relative uri as given, level error, at the `{` of mounts[7] in the pretty file.
	jq -e '[.runs[0].results[] | select(.level == "error")] | length == 1' out.sarif
	read -r line col < <(jq -r '.runs[0].results[] | select(.level == "error") | .locations[0] | select(.physicalLocation.artifactLocation.uri == "deploy/config.json" and .logicalLocations[0].fullyQualifiedName == "/mounts/7") | .physicalLocation.region | "\(.startLine) \(.startColumn)"' out.sarif)
	# Independently: the line of mounts[7]'s "destination" (jq writes it first), one line after its `{`.
	local dest
	dest=$(grep -n '"destination": "/hostetc"' "$pretty" | cut -d: -f1)
	[ "$line" -eq "$((dest - 1))" ]
	[ "$(sed -n "${line}p" "$pretty" | cut -c"$col")" = "{" ]
	# A member a rewrite adds points at its nearest existing parent: /process/noNewPrivileges at `"process": {`.
	read -r line col < <(jq -r '.runs[0].results[] | .locations[0] | select(.physicalLocation.artifactLocation.uri == "deploy/config.json" and .logicalLocations[0].fullyQualifiedName == "/process/noNewPrivileges") | .physicalLocation.region | "\(.startLine) \(.startColumn)"' out.sarif)
	[[ "$(sed -n "${line}p" "$pretty")" == '  "process": {' ]]
	[ "$col" -eq 14 ]
	# An absolute path is a file:// URI.
	jq -e '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri | select(startswith("file:///") and endswith("/real-clients/docker-default.config.json"))] | length > 0' out.sarif
}

@test "check: a CI job's own policy file, owned by the job's user, is used by check alone" {
	local bad="$PROD/docker-volume-etc.config.json" ci
	# Under /tmp itself: bats' own directories are root's alone, and nobody must reach the files.
	CI_DIR=$(mktemp -d /tmp/ocg-check-ci.XXXXXX)
	ci=$CI_DIR
	chmod 0755 "$ci"
	echo '{"profiles": {"baseline": {"rules": {"sensitive-mounts": {"action": "warn"}}}}}' >"$ci/policy.json"
	cp "$bad" "$ci/config.json"
	chown -R nobody: "$ci"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$OCIGATE" check --portable \
		--policy "$ci/policy.json" --id "$ETC_ID" --format json "$ci/config.json"
	echo "$output"
	[ "$status" -eq 0 ]
	jq -e '[.warned[] | select(.rule == "sensitive-mounts")] | length == 1' <<<"$output"
	# Root's shim never takes it: the policy of a create must be root's.
	run "$OCIGATE" --ocigate-policy "$ci/policy.json" --ocigate-runtime /bin/false create --bundle "$ci" x
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"owned by uid $(id -u nobody), not root"* ]]
	# Nor does check run as root: the file is someone else's there.
	check --portable --policy "$ci/policy.json" "$ci/config.json"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not root"* ]]
}
