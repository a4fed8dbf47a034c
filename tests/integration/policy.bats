#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The operator's control surface through ocigate and the real runc: policy files, profiles,
# exemptions, modes, the runtime key, and the `ocigate policy` commands.  Every policy file is a
# root-owned 0644 copy in the test's temp dir (policy files are trusted input).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	POLICY="$BATS_TEST_TMPDIR/policy.json"
	OCG_FLAGS=(--ocigate-policy "$POLICY")
}

# use_policy FIXTURE: install tests/fixtures/policy/FIXTURE as $POLICY.
use_policy() {
	install -m 0644 "$OCG_FIXTURES/policy/$1" "$POLICY"
}

# What `--privileged --net=host` looks like: every capability we hold (the engines copy the
# caller's bounding set), no network namespace.  Annotated like a containerd CRI pod container.
privileged_hostnet_bundle() {
	local ns=${1:-kube-system} caps
	caps=$(capsh --decode="$(awk '/^CapBnd/ {print $2}' /proc/self/status)" |
		sed 's/.*=//' | tr 'a-z' 'A-Z' | jq -R -c 'split(",")')
	update_config "
		.process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps}
		| .linux.namespaces |= map(select(.type != \"network\"))
		| .annotations = {\"io.kubernetes.cri.sandbox-namespace\": \"$ns\",
		                  \"io.kubernetes.cri.container-type\": \"container\"}
		| .process.args = [\"sh\", \"-c\", \"readlink /proc/self/ns/net; grep ^CapEff /proc/self/status\"]"
}

@test "policy: baseline denies a privileged host-network container" {
	privileged_hostnet_bundle
	echo '{}' >"$POLICY"
	ocg_run
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": privileged'* ]]
	[[ "$output" == *"host-namespaces"* ]]
	[ -z "$(containers_left)" ]
}

@test "policy: an exemption on an engine-set kube-system annotation lets it run, and is audited" {
	privileged_hostnet_bundle kube-system
	use_policy kube-system-exemption.json
	ocg_run
	[ "$status" -eq 0 ]
	# Really on the host network, really with every capability.
	[ "${lines[0]}" = "$(readlink /proc/self/ns/net)" ]
	[ "${lines[1]}" = "$(printf 'CapEff:\t%s' "$(awk '/^CapBnd/ {print $2}' /proc/self/status)")" ]
	# Still audited, with the exemption's name.
	run jq -r '[(.exemptions | join(",")), .verdict != "deny", .executed, (.denied | length)] | @tsv' "$AUDIT"
	[ "$output" = "$(printf 'kube-system-node-agents\ttrue\ttrue\t0')" ]
}

@test "policy: exec into an exempted container is exempted too (annotations from runc's state)" {
	privileged_hostnet_bundle kube-system
	update_config '.process.args = ["sleep", "60"]'
	use_policy kube-system-exemption.json
	local id
	id=$(cid)
	ocg_detached create --bundle "$BUNDLE" "$id"
	"$REAL_RUNC" --root "$ROOT" start "$id"
	# What `kubectl exec` / an exec probe sends for a privileged pod: the container's capabilities.
	jq '.process | .args = ["grep", "^CapEff", "/proc/self/status"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
	ocg exec --process "$BATS_TEST_TMPDIR/process.json" "$id"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'CapEff:\t%s' "$(awk '/^CapBnd/ {print $2}' /proc/self/status)")" ]
	run jq -r 'select(.verb == "exec") | .exemptions | join(",")' "$AUDIT"
	[ "$output" = kube-system-node-agents ]
	# Without the exemption the same exec is denied.
	echo '{}' >"$POLICY"
	ocg exec --process "$BATS_TEST_TMPDIR/process.json" "$id"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": '*capabilities* ]]
}

@test "policy: the exemption does not match another namespace" {
	privileged_hostnet_bundle default
	use_policy kube-system-exemption.json
	ocg_run
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": privileged'* ]]
	[ -z "$(containers_left)" ]
	run jq -r '.exemptions | length' "$AUDIT"
	[ "$output" = 0 ]
}

@test "policy: an annotation not declared engine-set never exempts: the policy is refused" {
	privileged_hostnet_bundle kube-system
	use_policy kube-system-undeclared.json
	ocg_run
	[ "$status" -eq 2 ]
	[[ "$output" == *"$POLICY:6:74: \$.exemptions.kube-system-node-agents.match."*'annotations["io.kubernetes.cri.sandbox-namespace"]: annotation `io.kubernetes.cri.sandbox-namespace` is not declared in `engine_set_annotations`'* ]]
	[ -z "$(containers_left)" ]
}

@test "policy: restricted rewrites a default container to non-root, read-only, NET_BIND_SERVICE only" {
	update_config '.process.args = ["sh", "-c", "id -u; grep -E \"^Cap(Prm|Eff|Bnd)\" /proc/self/status; if touch /probe 2>/dev/null; then echo rootfs-writable; else echo rootfs-ro; fi"]'
	use_policy restricted-default.json
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 65534 ]
	# NET_BIND_SERVICE is bit 10.  A non-root process keeps no permitted or effective capability
	# across execve without ambient ones (capabilities(7)), so Prm/Eff are 0: the bounding set is
	# what shows the rewrite.
	[ "${lines[1]}" = "CapPrm:	0000000000000000" ]
	[ "${lines[2]}" = "CapEff:	0000000000000000" ]
	[ "${lines[3]}" = "CapBnd:	0000000000000400" ]
	[ "${lines[4]}" = rootfs-ro ]
	run jq -r '[.policy, .verdict] | @tsv' "$AUDIT"
	[ "$output" = "$(printf 'restricted\trewrite')" ]
}

@test "policy: the invoked name ocigate-<profile> selects the profile, --ocigate-profile beats it" {
	update_config '.process.args = ["id", "-u"]'
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.orig"
	ln -s "$OCIGATE" "$BATS_TEST_TMPDIR/ocigate-restricted"
	echo '{}' >"$POLICY"
	run "$BATS_TEST_TMPDIR/ocigate-restricted" --ocigate-runtime "$REAL_RUNC" \
		--ocigate-audit-log "$AUDIT" --ocigate-policy "$POLICY" run --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
	# The same root bundle again: baseline only warns about root (root-user: warn).
	cp "$BATS_TEST_TMPDIR/config.orig" "$BUNDLE/config.json"
	run "$BATS_TEST_TMPDIR/ocigate-restricted" --ocigate-runtime "$REAL_RUNC" --ocigate-profile baseline \
		--ocigate-audit-log "$AUDIT" --ocigate-policy "$POLICY" run --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
	run jq -r '.policy' "$AUDIT"
	[ "$output" = "$(printf 'restricted\nbaseline')" ]
}

@test "policy: audit mode runs a violating container and records the would-be denial" {
	privileged_hostnet_bundle default
	use_policy audit.json
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/self/ns/net)" ]
	run jq -r '[.mode, .verdict, .executed, ([.denied[].rule] | unique | join(","))] | @tsv' "$AUDIT"
	[[ "$output" == "$(printf 'audit\tdeny\ttrue\t')"*privileged* ]]
	[[ "$output" == *host-namespaces* ]]
}

@test "policy: --ocigate-mode audit overrides the file's enforce, and enforce overrides audit" {
	privileged_hostnet_bundle default
	printf '{"mode": "enforce"}\n' >"$POLICY"
	ocg --ocigate-mode audit run --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 0 ]
	use_policy audit.json
	ocg --ocigate-mode enforce run --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 1 ]
	run jq -r '.mode' "$AUDIT"
	[ "$output" = "$(printf 'audit\nenforce')" ]
}

@test "policy: a group-writable or non-root policy file stops create with exit 2" {
	echo '{}' >"$POLICY"
	chmod 0664 "$POLICY"
	ocg create --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"policy file \`$POLICY\` is writable by group or others (mode 0664): refusing to use a policy another user could have written"* ]]
	chmod 0644 "$POLICY"
	chown 65534 "$POLICY"
	ocg create --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is owned by uid 65534, not root"* ]]
	[ -z "$(containers_left)" ]
	[ ! -e "$AUDIT" ]
}

@test "policy: a malformed policy file stops create with exit 2, naming file:line:column" {
	use_policy bad-unknown-rule.json
	ocg create --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$POLICY:6:25: \$.profiles.web.rules.host-network: unknown rule \`host-network\`"* ]]
	[ -z "$(containers_left)" ]
}

@test "policy: the file's runtime serves create AND the pass-through verbs" {
	local log="$BATS_TEST_TMPDIR/runtime.log" wrapper="$BATS_TEST_TMPDIR/my-runtime"
	printf '#!/bin/sh\necho "$*" >>%s\nexec %s "$@"\n' "$log" "$REAL_RUNC" >"$wrapper"
	chmod 0755 "$wrapper"
	printf '{"runtime": "%s"}\n' "$wrapper" >"$POLICY"
	update_config '.process.args = ["sleep", "30"]'
	local id
	id=$(cid)
	# No --ocigate-runtime, no OCIGATE_RUNTIME: only the policy file names the runtime (RT empty).
	RT= ocg_detached create --bundle "$BUNDLE" "$id"
	RT= ocg state "$id"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .status)" = created ]
	RT= ocg delete --force "$id"
	[ "$status" -eq 0 ]
	run cut -d' ' -f3 "$log"
	[ "$output" = "$(printf 'create\nstate\ndelete')" ]
	run jq -r .runtime "$AUDIT"
	[ "$output" = "$wrapper" ]
}

@test "policy validate: good files (and the contrib examples) pass, a bad file fails with its position" {
	local f
	for f in 01-audit.json 02-enforce-with-exemptions.json; do
		install -m 0644 "$OCG_SRCDIR/contrib/policy/$f" "$BATS_TEST_TMPDIR/$f"
		run --separate-stderr "$OCIGATE" policy validate "$BATS_TEST_TMPDIR/$f"
		echo "$output"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[[ "${lines[0]}" == "loaded $BATS_TEST_TMPDIR/$f (searched "* ]]
	done
	[[ "$output" == *"exemptions: kube-system-node-agents, monitoring-agent"* ]]
	use_policy bad-unknown-rule.json
	run --separate-stderr "$OCIGATE" policy validate "$POLICY"
	[ "$status" -eq 1 ]
	[ "$stderr" = "$(printf '%s\n' "ocigate: $POLICY:6:25: \$.profiles.web.rules.host-network: unknown rule \`host-network\`" "ocigate: the policy is invalid: 1 error")" ]
	# --ocigate-policy names the file too.
	run "$OCIGATE" --ocigate-policy "$POLICY" policy validate
	[ "$status" -eq 1 ]
}

@test "policy show --profile restricted prints the effective profile as a policy file" {
	echo '{"profiles": {"restricted": {"rules": {"sshd": "deny"}}}}' >"$POLICY"
	run --separate-stderr "$OCIGATE" --ocigate-policy "$POLICY" policy show --profile restricted
	[ "$status" -eq 0 ]
	echo "$output" >"$BATS_TEST_TMPDIR/shown.json"
	run jq -r '.profile, .mode, (.profiles.restricted.rules | ."root-user".action, ."readonly-rootfs".action, .sshd.action, (.capabilities.allow | join(",")), .seccomp.profile)' "$BATS_TEST_TMPDIR/shown.json"
	[ "$output" = "$(printf 'restricted\nenforce\nrewrite\nrewrite\ndeny\nCAP_NET_BIND_SERVICE\nstrict')" ]
	# ... which is itself a valid policy file.
	chmod 0644 "$BATS_TEST_TMPDIR/shown.json"
	run "$OCIGATE" policy validate "$BATS_TEST_TMPDIR/shown.json"
	[ "$status" -eq 0 ]
	run "$OCIGATE" policy show --profile nope "$POLICY"
	[ "$status" -eq 1 ]
	[ "$output" = 'ocigate: unknown policy profile `nope` (profiles: `baseline`, `restricted`, `privileged`)' ]
}
