#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate report`: real runc and crun containers, started through ocigate in enforce and audit
# mode and around it, in runtime roots of the test's own (never the machine's shared roots:
# every call has --no-default-roots), judged as their create would be judged now.  Each is
# marked allowed / would-rewrite / would-deny with its engine, Kubernetes identity, image,
# findings and whether the audit trail has its create; the report changes nothing; a config that
# cannot be read, or is a symlink, makes the report incomplete (exit 2) instead of being judged;
# the profile is the one the create was judged under (an engine picks it per container) or --profile.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "600"]'
	PRISTINE="$BATS_TEST_TMPDIR/pristine.json"
	cp "$BUNDLE/config.json" "$PRISTINE"
	CROOT="$BATS_TEST_TMPDIR/crun-state"
	ROOTS+=("$CROOT")
	# The audit trail is the one the policy names.
	policy_file "{ \"audit_log\": \"$AUDIT\" }"
}

# new_bundle NAME [JQ-FILTER]: a bundle of its own (enforce rewrites config.json in place), made
# from the config setup wrote, edited by FILTER; its path in $NB.
new_bundle() {
	NB="$BATS_TEST_TMPDIR/$1"
	mkdir -p "$NB"
	cp -a "$BUNDLE/rootfs" "$NB/rootfs"
	jq "${2:-.}" "$PRISTINE" >"$NB/config.json"
}

# through_ocigate RUNTIME ROOT ID BUNDLE [FLAG...]: `run -d` through ocigate; must start.
through_ocigate() {
	local rt=$1 root=$2 id=$3 bundle=$4
	shift 4
	RT=$rt ROOT=$root ocg_detached "$@" run -d --bundle "$bundle" "$id"
	[ "$status" -eq 0 ]
}

# around_ocigate RUNTIME ROOT ID BUNDLE: `run -d` with the runtime alone.
around_ocigate() {
	"$1" --root "$2" run -d --bundle "$4" "$3" </dev/null >/dev/null 2>&1 3>&-
}

# report FLAG...: `ocigate report` over the test's two roots; $output is stdout alone.
report() {
	run --separate-stderr "$OCIGATE" report --policy "$POLICY" --no-default-roots \
		--root "$ROOT" --root "$CROOT" "$@"
	echo "ocigate report $* (status=$status): $stderr" >&2
	echo "$output" >&2
}

# container ID: the report's object for container ID.
container() {
	jq -e --arg id "$1" '.containers[] | select(.id == $id)' <<<"$output"
}

CAP_ADD='.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
POD='.annotations = {"io.kubernetes.cri.sandbox-namespace": "team-a", "io.kubernetes.cri.sandbox-name": "web-1", "io.kubernetes.cri.container-name": "app", "io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.image-name": "registry.local/web:1.2"}'

@test "report: runc and crun containers through ocigate (enforce, audit) and around it, each judged" {
	requires crun
	new_bundle enforced
	through_ocigate "$REAL_RUNC" "$ROOT" "$(cid enforced)" "$NB"
	new_bundle audited "$CAP_ADD"
	through_ocigate "$REAL_RUNC" "$ROOT" "$(cid audited)" "$NB" --ocigate-mode audit
	new_bundle around
	around_ocigate "$REAL_RUNC" "$ROOT" "$(cid around)" "$NB"
	new_bundle pod "$CAP_ADD | $POD"
	through_ocigate "$REAL_CRUN" "$CROOT" "$(cid pod)" "$NB" --ocigate-mode audit
	report --format json
	# One container would be denied: exit 1.
	[ "$status" -eq 1 ]
	jq -e '.summary == {"containers": 4, "allowed": 1, "would-rewrite": 1, "would-deny": 2, "error": 0}' <<<"$output"
	jq -e --arg a "$AUDIT" '.audit_trail == $a and .profile == "baseline"' <<<"$output"
	# ocigate rewrote it at create: the config on disk is the rewritten one, and passes.
	container "$(cid enforced)" | jq -e --arg r "$ROOT" '.status == "allowed" and .engine == "runc"
		and .root == $r and .judged_at_create == true and .create.mode == "enforce"
		and .create.verdict == "rewrite" and .kubernetes == null and .image == "unknown"
		and all(.findings[]; .kind == "warned")'
	# Audit mode ran it as it was: enforce would deny it today.
	container "$(cid audited)" | jq -e '.status == "would-deny" and .judged_at_create == true
		and .create.mode == "audit" and .create.verdict == "deny"
		and any(.findings[]; .kind == "denied" and .rule == "capabilities" and .cis == "5.4")'
	# Started by runc alone: never judged, and enforce would inject what is missing.
	container "$(cid around)" | jq -e '.status == "would-rewrite" and .judged_at_create == false
		and .create == null and any(.findings[]; .kind == "rewritten" and .rule == "seccomp")'
	# crun's own copy of the config is judged; the pod's identity and image from its annotations.
	container "$(cid pod)" | jq -e --arg c "$CROOT/$(cid pod)/config.json" --arg b "$BATS_TEST_TMPDIR/pod" \
		'.status == "would-deny" and .engine == "crun" and .config == $c and .bundle == $b
		and .kubernetes == {"namespace": "team-a", "pod": "web-1", "container": "app", "type": "container"}
		and .image == "registry.local/web:1.2" and .judged_at_create == true'
	jq -e --arg r "$ROOT" --arg c "$CROOT" '[.roots[] | {path, containers, error}] ==
		[{"path": $r, "containers": 3, "error": null}, {"path": $c, "containers": 1, "error": null}]' <<<"$output"
}

@test "report: text and SARIF say the same, and the report changes nothing" {
	requires crun
	new_bundle audited "$CAP_ADD"
	through_ocigate "$REAL_RUNC" "$ROOT" "$(cid audited)" "$NB" --ocigate-mode audit
	new_bundle pod "$POD"
	around_ocigate "$REAL_CRUN" "$CROOT" "$(cid pod)" "$NB"
	local before after
	before=$(find "$ROOT" "$CROOT" "$BATS_TEST_TMPDIR/audited" "$BATS_TEST_TMPDIR/pod" \
		"$AUDIT" -path '*/rootfs' -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
	report
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "ocigate report "*": 2 running containers, profile baseline: 1 would-deny, 1 would-rewrite, 0 allowed, 0 error" ]]
	grep -E "^would-deny +runc +$(cid audited | cut -c1-12) +yes +- +unknown$" <<<"$output"
	grep -E "^would-rewrite +crun +$(cid pod | cut -c1-12) +no +team-a/web-1/app +registry.local/web:1.2$" <<<"$output"
	grep -F "    denied    capabilities (CIS Docker 1.6.0 5.4): denied capabilities \`CAP_SYS_ADMIN\` at /process/capabilities" <<<"$output"
	report --format sarif
	[ "$status" -eq 1 ]
	# Every rule of the policy is a reportingDescriptor; each finding a result on its config.
	jq -e --argjson n "$("$OCIGATE" policy show --profile baseline "$POLICY" | jq '.profiles.baseline.rules | length')" \
		'.version == "2.1.0" and (.runs[0].tool.driver.rules | length) == $n' <<<"$output"
	jq -e --arg u "file://$BATS_TEST_TMPDIR/audited/config.json" --arg id "$(cid audited)" \
		'any(.runs[0].results[]; .ruleId == "capabilities" and .level == "error"
			and .locations[0].physicalLocation.artifactLocation.uri == $u
			and .locations[0].logicalLocations[0].name == $id)' <<<"$output"
	jq -e '.runs[0].results[.runs[0].results | length - 1] as $r
		| .runs[0].tool.driver.rules[$r.ruleIndex].id == $r.ruleId' <<<"$output"
	jq -e '.runs[0].invocations[0].executionSuccessful == true' <<<"$output"
	after=$(find "$ROOT" "$CROOT" "$BATS_TEST_TMPDIR/audited" "$BATS_TEST_TMPDIR/pod" \
		"$AUDIT" -path '*/rootfs' -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
	[ "$before" = "$after" ]
	[ "$("$REAL_RUNC" --root "$ROOT" state "$(cid audited)" | jq -r .status)" = running ]
	[ "$("$REAL_CRUN" --root "$CROOT" state "$(cid pod)" | jq -r .status)" = running ]
}

@test "report: nothing would be denied: exit 0; Podman's containers told apart in a shared root" {
	# Podman 4.3 marks its configs (tests/fixtures/real-clients/podman-default.config.json).
	new_bundle enforced "$(jq '{annotations}' "$OCG_FIXTURES/real-clients/podman-default.config.json") as \$p | .annotations = \$p.annotations"
	through_ocigate "$REAL_RUNC" "$ROOT" "$(cid enforced)" "$NB"
	report --format json
	[ "$status" -eq 0 ]
	jq -e '[.containers[].id] == ["'"$(cid enforced)"'"] and .summary["would-deny"] == 0' <<<"$output"
	container "$(cid enforced)" | jq -e '.engine == "podman" and .image == "unknown" and .kubernetes == null'
}

@test "report: a config that is a symlink, or gone, is not judged: the report is incomplete" {
	new_bundle linked
	around_ocigate "$REAL_RUNC" "$ROOT" "$(cid linked)" "$NB"
	# Whoever can write the bundle directory points config.json elsewhere after the start.
	jq '.' "$NB/config.json" >"$BATS_TEST_TMPDIR/elsewhere.json"
	ln -sf "$BATS_TEST_TMPDIR/elsewhere.json" "$NB/config.json.new"
	mv -f "$NB/config.json.new" "$NB/config.json"
	new_bundle gone
	around_ocigate "$REAL_RUNC" "$ROOT" "$(cid gone)" "$NB"
	rm "$NB/config.json"
	report --format json
	[ "$status" -eq 2 ]
	container "$(cid linked)" | jq -e '.status == "error" and (.error | test("config.json"))'
	container "$(cid gone)" | jq -e '.status == "error" and (.error | test("config.json"))'
	report --format sarif
	[ "$status" -eq 2 ]
	jq -e '.runs[0].invocations[0].executionSuccessful == false
		and (.runs[0].invocations[0].toolExecutionNotifications | length) == 2' <<<"$output"
}

@test "report: a runtime root others can write is not read; usage and help" {
	local open="$BATS_TEST_TMPDIR/open-root"
	mkdir -p "$open"
	chmod 0777 "$open"
	run --separate-stderr "$OCIGATE" report --policy "$POLICY" --no-default-roots --root "$open" --format json
	[ "$status" -eq 2 ]
	jq -e --arg r "$open" '.roots[0].path == $r and (.roots[0].error | test("could be changed by others|not root"))' <<<"$output"
	run --separate-stderr "$OCIGATE" report --format yaml
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown format \`yaml\`"* ]]
	run --separate-stderr "$OCIGATE" report --root relative/dir
	[ "$status" -eq 2 ]
	run --separate-stderr "$OCIGATE" report --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ocigate report "* ]]
}

@test "report: each container under the profile its create was judged under, unless --profile" {
	new_bundle strict
	through_ocigate "$REAL_RUNC" "$ROOT" "$(cid strict)" "$NB" --ocigate-mode audit --ocigate-profile restricted
	# restricted rewrites a root user, baseline only warns about it.
	audit_record run | jq -e '.policy == "restricted" and any(.rewritten[]; .rule == "root-user")'
	report --format json
	[ "$status" -eq 0 ]
	container "$(cid strict)" | jq -e '.profile == "restricted" and .create.profile == "restricted"
		and any(.findings[]; .kind == "rewritten" and .rule == "root-user")'
	report --format json --profile baseline
	[ "$status" -eq 0 ]
	container "$(cid strict)" | jq -e '.profile == "baseline"
		and any(.findings[]; .kind == "warned" and .rule == "root-user")'
}
