#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# containerd 1.6 (`ctr run --runc-binary ocigate`): the bundle the shim hands to the runtime is
# <state>/io.containerd.runtime.v2.task/<namespace>/<id>, made for the container and written once
# (runtime/v2/bundle.go NewBundle).  ocigate keeps the config.json it replaces there as
# .config.json.ocigate-orig.0 (policy/spec/fsutil.h fsutil_keep_at); deleting the task removes the
# whole directory (Bundle.Delete: rename, then os.RemoveAll), the kept file with it.

load lib

setup_file() {
	e2e_begin ctr-bundle ocg-e2e containerd busybox-static jq || return 0
	if ! e2e_containerd_start; then
		E2E_BROKEN="containerd did not start: $(tail -n 3 "$E2E_WORK/containerd.log" | tr '\n' ' ')"
		export E2E_BROKEN
		return 0
	fi
	e2e_ctr_image e2e_ctr
}

teardown_file() {
	e2e_ctr_teardown
}

setup() {
	e2e_require
	ID=e2e-bundle-$BATS_TEST_NUMBER-$$
	e2e_record_cgroup "ocg-e2e/$ID"
}

@test "ctr: the bundle keeps containerd's config.json beside the rewrite, and task rm removes both" {
	local b=$E2E_WORK/state/io.containerd.runtime.v2.task/ocg-e2e/$ID
	run e2e_ctr run -d --runc-binary "$OCIGATE" --runc-root "$E2E_WORK/runc" "$E2E_CTR_IMAGE" "$ID" sleep 600
	echo "$output"
	[ "$status" -eq 0 ]
	# ctr's spec has no seccomp filter: the runtime got ocigate's rewrite, which has one ...
	jq -e '.linux.seccomp != null' "$b/config.json"
	# ... and the file kept is containerd's, without it, the only one.
	jq -e '.linux.seccomp == null and .process.args == ["sleep", "600"]' "$b/.config.json.ocigate-orig.0"
	[ "$(find "$b" -maxdepth 1 -name '.config.json.*' | wc -l)" -eq 1 ]
	run e2e_ctr task rm -f "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	run e2e_ctr container rm "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$b" ]
}
