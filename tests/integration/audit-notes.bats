#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What ocigate could not read is said in the audit record, not swallowed: exec and update are
# exempted by the annotations the real runtime recorded for the container (runc's state.json
# labels); when that file cannot be trusted, no exemption on annotations applies -- stricter --
# and the record's notes say why, with no rule.

load helpers

setup() {
	setup_bundle
	POLICY="$BATS_TEST_TMPDIR/policy.json"
	AUDIT="$BATS_TEST_TMPDIR/audit.log"
	cat >"$POLICY" <<-'EOF'
		{"engine_set_annotations": ["io.kubernetes.cri.sandbox-namespace"],
		 "exemptions": {"system": {"match": {"annotations": {
		   "io.kubernetes.cri.sandbox-namespace": "kube-*"}},
		   "rules": {"root-user": "off"}}}}
	EOF
	chmod 0644 "$POLICY"
	ID=$(cid)
	# Started by the real runc itself, as an engine's earlier create would have been.
	update_config '.process.args = ["sleep", "600"]
		| .annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system"}'
	"$REAL_RUNC" --root "$ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 3>&-
	jq '.process | .args = ["true"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
}

teardown() {
	teardown_bundle
}

ocg_exec() {
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-policy "$POLICY" \
		--ocigate-audit-log "$AUDIT" --root "$ROOT" exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	echo "status=$status output=$output"
	tail -n 1 "$AUDIT"
}

@test "audit notes: exec is exempted by the annotations runc recorded, with nothing to note" {
	ocg_exec
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$AUDIT" | jq -c '[.exemptions, [.notes[] | select(.rule == null)],
		[.warned[].rule]]')" = '[["system"],[],[]]' ]
}

@test "audit notes: a runtime state file others could write: no exemption, and the record says why" {
	chmod g+w "$ROOT/$ID/state.json"
	ocg_exec
	# Stricter, never looser: the exec still runs (root-user only warns), unexempted.
	[ "$status" -eq 0 ]
	tail -n 1 "$AUDIT" | jq -e --arg id "$ID" '.exemptions == [] and ([.warned[].rule] == ["root-user"])
		and ([.notes[] | select(.rule == null)] | length == 1)
		and (.notes[] | select(.rule == null) | .cis == null and .pss == null and .path == ""
			and (.message | startswith("the annotations the runtime recorded for container `"
				+ $id + "` cannot be read ("))
			and (.message | endswith("): no exemption that matches on annotations applies")))'
}
