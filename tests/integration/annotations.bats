#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What crun 1.8.1 does that runc does not, through ocigate with the real crun as the runtime:
# annotations crun acts on (run.oci.seccomp_bpf_data replaces the seccomp filter ocigate injected,
# run.oci.seccomp.plugins dlopen()s a host library as root, run.oci.hooks.stdout creates a host
# file as root) and repeated linux.namespaces entries (crun joins the entry with a path).  Each
# test first runs the same bundle with crun directly and shows the escape, so the denial that
# follows is proven necessary; then ocigate must deny it (exit 1, the rule named), leave no
# container behind, and the host effect must not happen.

load helpers

setup() {
	[ -x "$REAL_CRUN" ] || skip "needs crun at $REAL_CRUN"
	# crun refuses a hybrid cgroup host whose cgroup2 mount still holds a controller ("cgroups in
	# hybrid mode not supported"); contrib/setup-host.sh moves hugetlb to a v1 hierarchy.
	local c=/sys/fs/cgroup/unified/cgroup.controllers
	if [ -s "$c" ]; then
		skip "crun refuses this host: $c lists controllers ($(cat "$c")); run contrib/setup-host.sh"
	fi
	setup_bundle
}

teardown() {
	[ -n "${ROOT:-}" ] && [ -d "$ROOT" ] || return 0
	local c
	for c in $("$REAL_CRUN" --root "$ROOT" list -q 2>/dev/null); do
		"$REAL_CRUN" --root "$ROOT" delete --force "$c" >/dev/null 2>&1 || true
	done
}

# ocg_run [POLICY]: `run` through ocigate with the real crun (built-in baseline, or POLICY).
ocg_run() {
	local policy=()
	[ $# -eq 0 ] || policy=(--ocigate-policy "$1")
	run "$OCIGATE" --ocigate-runtime "$REAL_CRUN" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		"${policy[@]}" --root "$ROOT" run --bundle "$BUNDLE" "$(cid ocg)"
	echo "status=$status output=$output"
}

# crun_direct NAME: the same bundle straight through crun (the proof), then its container removed.
crun_direct() {
	run "$REAL_CRUN" --root "$ROOT" run --bundle "$BUNDLE" "$(cid "$1")"
	echo "direct status=$status output=$output"
	"$REAL_CRUN" --root "$ROOT" delete --force "$(cid "$1")" >/dev/null 2>&1 || true
}

# A denial by RULE: exit 1, one line naming the rule, no container left in crun's state.
assert_denied() {
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": '*"$1"* ]]
	[ -z "$("$REAL_CRUN" --root "$ROOT" list -q)" ]
}

# Let ocigate inject its protections (the default seccomp profile above all) into config.json: an
# allowed run rewrites the bundle in place, so the later direct crun runs use the judged config.
inject_protections() {
	ocg_run
	[ "$status" -eq 0 ]
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"' "$BUNDLE/config.json" >/dev/null
	"$REAL_CRUN" --root "$ROOT" delete --force "$(cid ocg)" >/dev/null 2>&1 || true
}

@test "crun: run.oci.seccomp_bpf_data would replace the injected seccomp filter; denied" {
	update_config '.process.args = ["sh", "-c", "unshare -U true 2>/dev/null && echo unshare-allowed || echo unshare-refused"]'
	inject_protections
	[ "$output" = "unshare-refused" ]

	# One BPF instruction, RET ALLOW: crun loads it instead of the filter ocigate put in the config.
	update_config '.annotations = {"run.oci.seccomp_bpf_data": "BgAAAAAA/38="}'
	crun_direct direct
	[ "$status" -eq 0 ]
	[ "$output" = "unshare-allowed" ]

	ocg_run
	assert_denied annotations
	[[ "$output" == *'annotation `run.oci.seccomp_bpf_data` makes crun replace'*"(CIS 5.22)"* ]]
}

@test "crun: run.oci.seccomp.plugins would dlopen() a host library as root; denied, it never runs" {
	command -v cc >/dev/null || skip "needs a C compiler for the test plugin"
	local mark="$BATS_TEST_TMPDIR/plugin-ran"
	cat >"$BATS_TEST_TMPDIR/plugin.c" <<-'EOF'
		#include <stdio.h>
		#include <unistd.h>
		__attribute__ ((constructor)) static void
		mark (void)
		{
		  FILE *f = fopen (MARK, "w");
		  if (f != NULL)
		    fprintf (f, "uid=%d\n", (int) getuid ()), fclose (f);
		}
	EOF
	cc -shared -fPIC -DMARK="\"$mark\"" -o "$BATS_TEST_TMPDIR/plugin.so" "$BATS_TEST_TMPDIR/plugin.c"
	inject_protections
	update_config ".annotations = {\"run.oci.seccomp.plugins\": \"$BATS_TEST_TMPDIR/plugin.so\"}"

	# crun loads the plugin in its own process on the host (then fails: no notify handler).
	# Under a loaded machine crun has been seen to skip the plugin once in a while: try again
	# before concluding anything, the escape needs to be shown only once.
	local try
	for try in 1 2 3; do
		crun_direct "direct$try"
		[ ! -e "$mark" ] || break
	done
	[ "$(cat "$mark")" = "uid=0" ]
	rm -f "$mark"

	ocg_run
	assert_denied annotations
	[[ "$output" == *'annotation `run.oci.seccomp.plugins` makes crun dlopen()'* ]]
	[ ! -e "$mark" ]
}

@test "crun: run.oci.hooks.stdout would create a host file as root; denied even with the hook allowed" {
	local target="$BATS_TEST_TMPDIR/host-file"
	local policy="$BATS_TEST_TMPDIR/policy.json"
	update_config ".hooks = {prestart: [{path: \"/bin/true\"}]}
		| .annotations = {\"run.oci.hooks.stdout\": \"$target\"}"

	crun_direct direct
	[ "$status" -eq 0 ]
	[ -f "$target" ]
	[ "$(stat -c %u "$target")" = "0" ]
	rm -f "$target"

	# The hook itself is allowlisted, so only the annotation stands between crun and the file.
	echo '{"profiles": {"baseline": {"rules": {"hooks": {"allow": ["/bin/true"]}}}}}' >"$policy"
	chmod 0644 "$policy"
	ocg_run "$policy"
	assert_denied annotations
	[[ "$output" == *'"baseline": annotations: '* && "$output" != *"hooks: "* ]]
	[[ "$output" == *'annotation `run.oci.hooks.stdout` makes crun create'* ]]
	[ ! -e "$target" ]
}

@test "crun: a namespace listed twice puts crun in the host netns, in either order; denied" {
	local host orig order
	host=$(readlink /proc/self/ns/net)
	update_config '.process.args = ["readlink", "/proc/self/ns/net"]'
	orig=$(jq -c '.linux.namespaces' "$BUNDLE/config.json")
	# The host's netns by path first, or after the runtime-spec's own {type: network}: crun
	# unshares for the entry without a path and setns()es for the one with it, either way round.
	for order in '[{type: "network", path: $p}] + $o' '$o + [{type: "network", path: $p}]'; do
		jq --arg p "/proc/$$/ns/net" --argjson o "$orig" ".linux.namespaces = ($order)" \
			"$BUNDLE/config.json" >"$BUNDLE/c.tmp" && mv "$BUNDLE/c.tmp" "$BUNDLE/config.json"
		[ "$(jq '[.linux.namespaces[] | select(.type == "network")] | length' "$BUNDLE/config.json")" -eq 2 ]

		crun_direct direct
		[ "$status" -eq 0 ]
		[ "$output" = "$host" ]

		ocg_run
		assert_denied host-namespaces
		[[ "$output" == *'the `network` namespace is listed twice'* ]]
	done
}

@test "crun: a policy can allow a runtime annotation; the allowed key reaches crun" {
	local policy="$BATS_TEST_TMPDIR/policy.json"
	update_config '.process.args = ["grep", "^Groups:", "/proc/self/status"]
		| .annotations = {"run.oci.keep_original_groups": "1"}'

	run setpriv --groups=4242 "$OCIGATE" --ocigate-runtime "$REAL_CRUN" \
		--ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" --root "$ROOT" run --bundle "$BUNDLE" "$(cid a)"
	assert_denied annotations
	[[ "$output" == *'annotation `run.oci.keep_original_groups`'* ]]

	echo '{"profiles": {"baseline": {"rules": {"annotations": {"allow": ["run.oci.keep_original_groups"]}}}}}' >"$policy"
	chmod 0644 "$policy"
	run "$OCIGATE" policy validate "$policy"
	[ "$status" -eq 0 ]
	run setpriv --groups=4242 "$OCIGATE" --ocigate-runtime "$REAL_CRUN" --ocigate-policy "$policy" \
		--ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" --root "$ROOT" run --bundle "$BUNDLE" "$(cid b)"
	echo "status=$status output=$output"
	[ "$status" -eq 0 ]
	# crun skipped setgroups: the caller's supplementary group is in the container.
	[[ "$output" == "Groups:"*"4242"* ]]
}
