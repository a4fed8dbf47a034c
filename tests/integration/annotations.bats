#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The annotations rule (policy/rules/annotations.c) through ocigate with the real crun as the
# runtime: crun 1.8.1 acts on annotations runc ignores -- run.oci.seccomp_bpf_data replaces the
# seccomp filter ocigate injected, run.oci.seccomp.plugins dlopen()s a host library as root,
# run.oci.hooks.stdout creates a host file as root.  Each test first runs the same bundle with
# crun directly and shows the escape, so the denial that follows is proven necessary; then
# ocigate must deny it (exit 1, the rule named), leave no container behind, and the host effect
# must not happen.  A policy may allow an annotation, and then crun acts on it.

load helpers

setup() {
	requires crun
	RT=$REAL_CRUN
	setup_bundle
}

# Let ocigate inject its protections (the default seccomp profile above all) into config.json: an
# allowed run rewrites the bundle in place, so the later direct crun runs use the judged config.
inject_protections() {
	ocg_run
	[ "$status" -eq 0 ]
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"' "$BUNDLE/config.json" >/dev/null
}

@test "crun: run.oci.seccomp_bpf_data would replace the injected seccomp filter; denied" {
	update_config '.process.args = ["sh", "-c", "unshare -U true 2>/dev/null && echo unshare-allowed || echo unshare-refused"]'
	inject_protections
	[ "$output" = "unshare-refused" ]

	# One BPF instruction, RET ALLOW: crun loads it instead of the filter ocigate put in the config.
	update_config '.annotations = {"run.oci.seccomp_bpf_data": "BgAAAAAA/38="}'
	direct_run
	[ "$status" -eq 0 ]
	[ "$output" = "unshare-allowed" ]

	ocg_run
	assert_denied annotations
	[[ "$output" == *'annotation `run.oci.seccomp_bpf_data` makes crun replace'*"(CIS 5.22)"* ]]
}

@test "crun: run.oci.seccomp.plugins would dlopen() a host library as root; denied, it never runs" {
	requires cc
	local marks="$BATS_TEST_TMPDIR/marks"
	local mark="$marks/plugin-ran"
	mkdir -p "$marks"
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
	# crun loads the plugins in its own process on the host, in wait_for_process(), and only while
	# the container still runs: a container already gone by then makes it return at once
	# (src/libcrun/container.c: reap_subprocesses() reports the last process, before
	# libcrun_load_seccomp_notify_plugins()).  So the container waits, through a read-only bind of
	# the mark's directory, until the plugin has run; the dlopen() runs the plugin's constructor,
	# then crun fails (the plugin has no run_oci_seccomp_notify_handle_request).  The wait has a
	# bound only so that a crun that never loads the plugin cannot hang the test.
	update_config ".annotations = {\"run.oci.seccomp.plugins\": \"$BATS_TEST_TMPDIR/plugin.so\"}
		| .mounts += [{destination: \"/marks\", type: \"bind\", source: \"$marks\", options: [\"rbind\", \"ro\"]}]
		| .process.args = [\"sh\", \"-c\", \"i=0; while [ ! -e /marks/plugin-ran ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done\"]"

	direct_run
	[ "$(cat "$mark")" = "uid=0" ]
	[[ "$output" == *"run_oci_seccomp_notify_handle_request"* ]]
	rm -f "$mark"

	ocg_run
	assert_denied annotations
	[[ "$output" == *'annotation `run.oci.seccomp.plugins` makes crun dlopen()'* ]]
	[ ! -e "$mark" ]
}

@test "crun: run.oci.hooks.stdout would create a host file as root; denied even with the hook allowed" {
	local target="$BATS_TEST_TMPDIR/host-file"
	update_config ".hooks = {prestart: [{path: \"/bin/true\"}]}
		| .annotations = {\"run.oci.hooks.stdout\": \"$target\"}"

	direct_run
	[ "$status" -eq 0 ]
	[ -f "$target" ]
	[ "$(stat -c %u "$target")" = "0" ]
	rm -f "$target"

	# The hook itself is allowlisted, so only the annotation stands between crun and the file.
	policy_file '{"profiles": {"baseline": {"rules": {"hooks": {"allow": ["/bin/true"]}}}}}'
	ocg_run --ocigate-policy="$POLICY"
	assert_denied annotations
	[[ "$output" == *'"baseline": annotations: '* && "$output" != *"hooks: "* ]]
	[[ "$output" == *'annotation `run.oci.hooks.stdout` makes crun create'* ]]
	[ ! -e "$target" ]
}

@test "crun: a policy can allow a runtime annotation; the allowed key reaches crun" {
	update_config '.process.args = ["grep", "^Groups:", "/proc/self/status"]
		| .annotations = {"run.oci.keep_original_groups": "1"}'

	run setpriv --groups=4242 "$OCIGATE" --ocigate-runtime "$REAL_CRUN" \
		--ocigate-audit-log "$AUDIT" --root "$ROOT" run --bundle "$BUNDLE" "$(cid a)"
	assert_denied annotations
	[[ "$output" == *'annotation `run.oci.keep_original_groups`'* ]]

	policy_file '{"profiles": {"baseline": {"rules": {"annotations": {"allow": ["run.oci.keep_original_groups"]}}}}}'
	run "$OCIGATE" policy validate "$POLICY"
	[ "$status" -eq 0 ]
	run setpriv --groups=4242 "$OCIGATE" --ocigate-runtime "$REAL_CRUN" --ocigate-policy "$POLICY" \
		--ocigate-audit-log "$AUDIT" --root "$ROOT" run --bundle "$BUNDLE" "$(cid b)"
	echo "status=$status output=$output"
	[ "$status" -eq 0 ]
	# crun skipped setgroups: the caller's supplementary group is in the container.
	[[ "$output" == "Groups:"*"4242"* ]]
}
