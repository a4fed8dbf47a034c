#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Podman 4.3 with a user namespace (--uidmap): the bundle directory and userdata/ (whose hosts,
# hostname, resolv.conf and shm podman binds in) belong to the host uid the container's root is
# mapped to.  That is the container's own: it runs through ocigate, with its protections.

load lib

setup_file() {
	e2e_podman_setup podman-userns
}

teardown_file() {
	e2e_podman_teardown
}

setup() {
	e2e_require
}

# In a user namespace the runtime may only lower the hard limits it inherited, and NPROC is
# counted per real uid: ask for values every host can grant.
USERNS=(--uidmap 0:100000:65536 --gidmap 0:100000:65536 --ulimit nproc=1024:1024)

@test "podman --uidmap: the container runs through ocigate, as its own mapped root, protected" {
	run e2e_podman run --rm "${USERNS[@]}" "$E2E_PODMAN_IMAGE" \
		sh -c 'cat /proc/self/uid_map; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^[[:space:]]+0[[:space:]]+100000[[:space:]]+65536$ ]]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
	# It went through ocigate: judged, allowed (with rewrites), run.
	jq -se 'map(select(.verb == "create")) | length >= 1
		and (last | .executed == true and .verdict != "deny")' "$E2E_WORK/audit.log"
}

@test "podman --uidmap: the bundle podman used is owned by the mapped root (the shape judged)" {
	run e2e_podman create "${USERNS[@]}" "$E2E_PODMAN_IMAGE" true
	[ "$status" -eq 0 ]
	local id=$output
	run e2e_podman start -a "$id"
	[ "$status" -eq 0 ]
	[ "$(stat -c %u "$E2E_WORK/storage/overlay-containers/$id/userdata")" = 100000 ]
	# conmon's exit command (`podman container cleanup`) unmounts userdata/shm after `start -a`
	# returns; an rm racing it fails with EBUSY on that directory.  Retry until it is gone.
	local try
	for try in 1 2 3 4 5 6 7 8 9 10; do
		e2e_podman rm -f "$id" >/dev/null 2>&1 && break
		sleep 1
	done
	run e2e_podman container exists "$id"
	[ "$status" -eq 1 ]
}
