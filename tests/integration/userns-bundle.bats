#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# podman --uidmap and --userns=auto chown the bundle directory (overlay-containers/<id>/userdata,
# mode 0700) to the host uid the container's root is mapped to.  That owner is the container's
# own: the bundle runs.  Any other owner could swap config.json after it was judged: refused.

load helpers

setup() {
	setup_bundle
	# The mapped root must reach its rootfs: a directory of its own that others may traverse (bats'
	# own temp dirs are root's, 0700).
	USERNS_DIR=$(mktemp -d /tmp/ocg-userns.XXXXXX)
	defer rm -rf "$USERNS_DIR"
	chmod 0711 "$USERNS_DIR"
	mv "$BUNDLE" "$USERNS_DIR/bundle"
	BUNDLE=$USERNS_DIR/bundle
	update_config '.process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map"]
		| .linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	# Podman's shape: the directory is the mapped root's, 0700; config.json stays root's.
	chown 100000:100000 "$BUNDLE"
	chmod 0700 "$BUNDLE"
}

@test "userns bundle: a directory owned by the container's own mapped root runs" {
	ocg_run a
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^[[:space:]]+0[[:space:]]+100000[[:space:]]+65536$ ]]
}

@test "userns bundle: binds from the container's own userdata (podman's /etc/hosts) run; another owner's do not" {
	# Podman binds hosts, hostname, resolv.conf and /dev/shm from userdata/, chowned to the
	# mapped root like the bundle.
	local userdata=$USERNS_DIR/userdata
	mkdir "$userdata"
	echo "127.0.0.1 from-userdata" >"$userdata/hosts"
	chown 100000:100000 "$userdata"
	chmod 0700 "$userdata"
	# The mount point exists, as in an image: the mapped root cannot create it in root's /etc.
	touch "$BUNDLE/rootfs/etc/hosts"
	update_config ".mounts += [{\"destination\": \"/etc/hosts\", \"type\": \"bind\",
		\"source\": \"$userdata/hosts\", \"options\": [\"rbind\", \"ro\"]}]
		| .process.args = [\"cat\", \"/etc/hosts\"]"
	ocg_run a
	[ "$status" -eq 0 ]
	[ "$output" = "127.0.0.1 from-userdata" ]
	# Owned by a uid that is not this container's root: it could be swapped before runc mounts it.
	chown 100001 "$userdata"
	ocg_run b
	[ "$status" -eq 1 ]
	[[ "$output" == *"sensitive-mounts"*"could be swapped"*"is owned by uid 100001"* ]]
}

@test "userns bundle: the same directory owned by anyone else is still refused" {
	chown 100001 "$BUNDLE"
	ocg_run a
	[ "$status" -eq 2 ]
	[[ "$output" == *"is owned by uid 100001: it could be replaced after it was judged"* ]]
	# Owned by the mapped root, but the container asks for no user namespace: nobody's own.
	chown 100000 "$BUNDLE"
	update_config 'del(.linux.uidMappings) | del(.linux.gidMappings)
		| .linux.namespaces |= map(select(.type != "user"))' 
	ocg_run b
	[ "$status" -eq 2 ]
	[[ "$output" == *"is owned by uid 100000"* ]]
	# Owned by the mapped root but writable by its group: refused as before.
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	chmod 0770 "$BUNDLE"
	ocg_run c
	[ "$status" -eq 2 ]
	[[ "$output" == *"writable by group or others"* ]]
	[ -z "$("$REAL_RUNC" --root "$ROOT" list -q)" ]
}
