#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# `ocigate audit summary`: the rollout step from audit to enforce.  Real runc and crun containers
# run through ocigate in audit mode; the summary counts what enforce would have denied and
# rewritten, by rule and by workload; the suggested drop-in, once installed beside the policy,
# validates, and enforce mode then runs exactly those workloads -- a pod container again under a
# new id, a container again under its id, with the capability the exemption lets through seen
# inside it -- and still denies another container asking for the same.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["sleep", "600"]'
	PRISTINE="$BATS_TEST_TMPDIR/pristine.json"
	cp "$BUNDLE/config.json" "$PRISTINE"
	CROOT="$BATS_TEST_TMPDIR/crun-state"
	ROOTS+=("$CROOT")
	# A policy directory of root's, as ocigate requires, with an empty drop-in directory.
	POLICY="$BATS_TEST_TMPDIR/etc/policy.json"
	mkdir -p "$BATS_TEST_TMPDIR/etc/policy.d"
	chmod 0755 "$BATS_TEST_TMPDIR/etc" "$BATS_TEST_TMPDIR/etc/policy.d"
	policy_file "{ \"audit_log\": \"$AUDIT\" }"
}

# new_bundle NAME [JQ-FILTER]: a bundle of its own, made from the config setup wrote; in $NB.
new_bundle() {
	NB="$BATS_TEST_TMPDIR/$1"
	mkdir -p "$NB"
	cp -a "$BUNDLE/rootfs" "$NB/rootfs"
	jq "${2:-.}" "$PRISTINE" >"$NB/config.json"
}

# start RUNTIME ROOT ID BUNDLE [FLAG...]: `run -d` through ocigate under $POLICY.
start() {
	local rt=$1 root=$2 id=$3 bundle=$4
	shift 4
	RT=$rt ROOT=$root ocg_detached --ocigate-policy "$POLICY" "$@" run -d --bundle "$bundle" "$id"
}

CAP_ADD='.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
# A pod container (the annotations containerd's CRI plugin sets) in the host's PID namespace.
pod() {
	echo '.annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system", "io.kubernetes.cri.sandbox-name": "'"$1"'", "io.kubernetes.cri.container-name": "agent", "io.kubernetes.cri.container-type": "container"} | .linux.namespaces |= map(select(.type != "pid"))'
}

# The audit-mode rollout of the tests: a runc container asking for CAP_SYS_ADMIN, a crun pod
# container in the host's PID namespace (twice: restarted under a new id), a plain container.
audit_rollout() {
	new_bundle priv "$CAP_ADD"
	start "$REAL_RUNC" "$ROOT" "$(cid priv)" "$NB" --ocigate-mode audit
	[ "$status" -eq 0 ]
	new_bundle agent "$(pod cni-node-x1)"
	start "$REAL_CRUN" "$CROOT" "$(cid agent-1)" "$NB" --ocigate-mode audit
	[ "$status" -eq 0 ]
	"$REAL_CRUN" --root "$CROOT" delete --force "$(cid agent-1)"
	start "$REAL_CRUN" "$CROOT" "$(cid agent-2)" "$NB" --ocigate-mode audit
	[ "$status" -eq 0 ]
	new_bundle plain
	start "$REAL_RUNC" "$ROOT" "$(cid plain)" "$NB" --ocigate-mode audit
	[ "$status" -eq 0 ]
}

@test "audit summary: by rule and by workload, from the policy's trail, a file or stdin" {
	requires crun
	audit_rollout
	run --separate-stderr "$OCIGATE" --ocigate-policy "$POLICY" audit summary --format json
	[ "$status" -eq 0 ]
	local json=$output
	jq -e --arg a "$AUDIT" '.source == $a and .records == 4 and .audit_mode_records == 4
		and .verdicts == {"deny": 3, "rewrite": 1, "allow": 0, "error": 0}' <<<"$json"
	jq -e '[.rules[] | select(.denied > 0) | {rule, denied, denied_in_audit_mode, workloads}] ==
		[{"rule": "host-namespaces", "denied": 2, "denied_in_audit_mode": 2, "workloads": 1},
		 {"rule": "capabilities", "denied": 1, "denied_in_audit_mode": 1, "workloads": 3}]' <<<"$json"
	jq -e '.rules[] | select(.rule == "seccomp") | .rewritten == 4 and .workloads == 3' <<<"$json"
	# The pod container's two ids are one workload.
	jq -e --arg a "$(cid agent-1)" --arg b "$(cid agent-2)" '.workloads[]
		| select(.workload == "kube-system/cni-node-x1/agent")
		| .container_ids == [$a, $b] and .records == 2 and .verdicts.deny == 2' <<<"$json"
	jq -e --arg p "$(cid plain)" '.workloads[] | select(.workload == $p) | .verdicts.rewrite == 1
		and all(.rules[]; .denied == 0)' <<<"$json"
	# The same from the file and from stdin; the text form names the same counts.
	run --separate-stderr "$OCIGATE" audit summary --format json - <"$AUDIT"
	[ "$(jq -c 'del(.source)' <<<"$output")" = "$(jq -c 'del(.source)' <<<"$json")" ]
	run --separate-stderr "$OCIGATE" audit summary "$AUDIT"
	[ "$status" -eq 0 ]
	grep -E '^  host-namespaces +2 +2 +0 +0 +1$' <<<"$output"
	grep -E '^  kube-system/cni-node-x1/agent: 2 records \(2 in audit mode\), 2 container ids, profile baseline$' <<<"$output"
	grep -E '^      denied by: capabilities 1$' <<<"$output"
}

@test "audit summary: the suggested drop-in lets enforce run today's workloads, and still denies others" {
	requires crun
	audit_rollout
	run --separate-stderr "$OCIGATE" --ocigate-policy "$POLICY" audit summary --suggest-exemptions
	[ "$status" -eq 0 ]
	# Commented, for a person; nothing was installed by it.
	[[ "${lines[0]}" == "// Exemptions SUGGESTED by \`ocigate audit summary --suggest-exemptions\`"* ]]
	[ -z "$(ls "$BATS_TEST_TMPDIR/etc/policy.d")" ]
	install -m 0644 /dev/stdin "$BATS_TEST_TMPDIR/etc/policy.d/50-suggested.json" <<<"$output"
	run "$OCIGATE" policy validate "$POLICY"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	grep -E "^exemptions: .*audit-kube-system-cni-node-x1-agent" <<<"$output"
	grep -E "^exemptions: .*audit-$(cid priv)" <<<"$output"
	for c in $("$REAL_RUNC" --root "$ROOT" list -q) ; do "$REAL_RUNC" --root "$ROOT" delete --force "$c"; done
	"$REAL_CRUN" --root "$CROOT" delete --force "$(cid agent-2)"
	# Enforce: the container runs again under its id, with CAP_SYS_ADMIN (bit 21) inside it.
	new_bundle priv-again "$CAP_ADD"
	start "$REAL_RUNC" "$ROOT" "$(cid priv)" "$NB"
	[ "$status" -eq 0 ]
	local pid
	pid=$("$REAL_RUNC" --root "$ROOT" state "$(cid priv)" | jq -r .pid)
	[ $((0x$(awk '/^CapEff/ {print $2}' "/proc/$pid/status") >> 21 & 1)) -eq 1 ]
	audit_record run | jq -e --arg e "audit-$(cid priv)" '.mode == "enforce" and .exemptions == [$e]'
	# The pod container restarted under a new id: in the host's PID namespace (it sees pid 1's
	# comm, not its own sleep as pid 1).
	start "$REAL_CRUN" "$CROOT" "$(cid agent-3)" "$BATS_TEST_TMPDIR/agent"
	[ "$status" -eq 0 ]
	run "$REAL_CRUN" --root "$CROOT" exec "$(cid agent-3)" cat /proc/1/comm
	[ "$status" -eq 0 ]
	[ "$output" != sleep ]
	# Another container asking for the same is still denied, and so is another pod.
	new_bundle other "$CAP_ADD"
	start "$REAL_RUNC" "$ROOT" "$(cid other)" "$NB"
	KEEP+=("$(cid priv)")
	assert_denied capabilities:5.4 CAP_SYS_ADMIN
	new_bundle other-pod "$(pod cni-node-x2)"
	start "$REAL_CRUN" "$CROOT" "$(cid other-pod)" "$NB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"host-namespaces"* ]]
	[ "$("$REAL_CRUN" --root "$CROOT" list -q)" = "$(cid agent-3)" ]
}

@test "audit summary: nothing denied, a trail from elsewhere, usage and help" {
	printf '%s\n' '{"time":"t","hostname":"n1","verb":"create","container":"a","policy":"baseline","mode":"audit","verdict":"allow","executed":true}' \
		'not a record' >"$BATS_TEST_TMPDIR/trail"
	run --separate-stderr "$OCIGATE" --ocigate-policy "$POLICY" audit summary --suggest-exemptions "$BATS_TEST_TMPDIR/trail"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Nothing to exempt"* ]]
	run --separate-stderr "$OCIGATE" audit summary --format json "$BATS_TEST_TMPDIR/trail"
	jq -e '.records == 1 and .skipped_lines == 1 and .verdicts.allow == 1' <<<"$output"
	run --separate-stderr "$OCIGATE" audit summary "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"open the audit trail"* ]]
	run --separate-stderr "$OCIGATE" audit summary a b
	[ "$status" -eq 2 ]
	run --separate-stderr "$OCIGATE" audit
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: ocigate audit summary"* ]]
	run --separate-stderr "$OCIGATE" audit summary --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ocigate audit summary "* ]]
}
