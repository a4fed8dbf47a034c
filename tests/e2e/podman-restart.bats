#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Podman 4.3 starts a container again in the same bundle, its userdata directory, writing
# config.json anew each time (libpod saveSpec: remove, then write).  ocigate keeps the file it
# replaces in the bundle as .config.json.ocigate-orig.N (policy/spec/fsutil.h fsutil_keep_at):
# at most four of them, each podman's own config, and `podman rm` removes them with the bundle
# (containers/storage DeleteContainer: os.RemoveAll of userdata).

load lib

setup_file() {
	e2e_podman_setup podman-restart
}

teardown_file() {
	e2e_podman_teardown
}

setup() {
	e2e_require
}

@test "podman: a container started six times keeps at most four of podman's configs; rm removes them" {
	local id ud i kept
	run e2e_podman create --name e2e-restart "$E2E_PODMAN_IMAGE" sh -c 'grep NoNewPrivs /proc/self/status'
	[ "$status" -eq 0 ]
	id=$output
	e2e_record_cgroup "libpod_parent/libpod-$id"
	ud=$E2E_WORK/storage/overlay-containers/$id/userdata
	for i in 1 2 3 4 5 6; do
		run e2e_podman start -a e2e-restart
		echo "start $i: status=$status output=$output"
		[ "$status" -eq 0 ]
		[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
		# The runtime ran ocigate's rewrite (noNewPrivileges injected) ...
		jq -e '.process.noNewPrivileges == true' "$ud/config.json"
		kept=$(find "$ud" -maxdepth 1 -name '.config.json.ocigate-orig.*' | wc -l)
		[ "$kept" -eq $((i < 4 ? i : 4)) ]
	done
	# ... and each kept file is podman's own config, without it.
	for i in 0 1 2 3; do
		jq -e '.process.noNewPrivileges != true and .process.args == ["sh", "-c", "grep NoNewPrivs /proc/self/status"]' \
			"$ud/.config.json.ocigate-orig.$i"
	done
	run e2e_podman rm e2e-restart
	[ "$status" -eq 0 ]
	[ ! -e "$ud" ]
}
