#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Device entries under a user namespace are binds of host files.  runc 1.1.5 (rootfs_linux.go
# createDevices -> bindMountDeviceNode) mounts the HOST's file at each linux.devices path when
# the config has a user namespace or runc runs in one; crun 1.8.1 does the same when it runs in
# one (its pre-created node needs CAP_MKNOD there).  Without a user namespace runc still binds
# the host's file when mknod fails with EPERM, which a cgroupsPath naming an existing cgroup
# whose device rules refuse mknod provokes.  So a /dev/pts/N entry is a host terminal (a node made by mknod outside a
# devpts instance cannot even be opened: EIO), and a FIFO entry binds any host file.  The host terminal here is a pty that `script` holds, and what the
# container writes into it shows up in script's output: that is the host's screen.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	SCREEN="$BATS_TEST_TMPDIR/screen"
}

# host_terminal: a pty on the host, held by script(1); $PTS is its path, $SCREEN what it shows.
host_terminal() {
	requires script
	script -qfc 'tty; exec sleep 120' /dev/null >"$SCREEN" 2>&1 </dev/null 3>&- &
	PIDS+=("$!")
	local i
	for ((i = 0; i < 50; i++)); do
		PTS=$(head -n 1 "$SCREEN" 2>/dev/null | tr -d '\r')
		[[ "$PTS" == /dev/pts/* ]] && return 0
		sleep 0.1
	done
	echo "script did not report its terminal: $(cat "$SCREEN")"
	return 1
}

# userns_config ARGS_JSON DEVICES_JSON: a user namespace mapping ids 0-65535 onto themselves
# (so the rootfs needs no chown), no devpts mount at /dev/pts (the device lands there instead).
userns_config() {
	update_config ".process.args = $1 | .linux.devices = $2
		| .linux.namespaces += [{\"type\": \"user\"}]
		| .linux.uidMappings = [{\"containerID\": 0, \"hostID\": 0, \"size\": 65536}]
		| .linux.gidMappings = [{\"containerID\": 0, \"hostID\": 0, \"size\": 65536}]
		| .mounts |= map(select(.destination != \"/dev/pts\"))"
}

# screen_shows TEXT: script(1) copies what reaches the terminal into $SCREEN asynchronously, so
# wait (up to 10 s) for TEXT to arrive there.
screen_shows() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q "$1" "$SCREEN" && return 0
		sleep 0.1
	done
	return 1
}

pts_entry() {
	jq -nc --arg p "$PTS" --argjson n "${PTS##*/}" '[{path: $p, type: "c", major: 136, minor: $n, fileMode: 438, uid: 0, gid: 0}]'
}

@test "devices: a /dev/pts entry under a user namespace is the host's terminal with runc; denied" {
	host_terminal
	userns_config "[\"sh\", \"-c\", \"echo INTRUDER-RUNC > $PTS && echo wrote\"]" "$(pts_entry)"
	direct_run direct
	[ "$status" -eq 0 ]
	[ "$output" = wrote ]
	screen_shows INTRUDER-RUNC

	update_config ".process.args = [\"sh\", \"-c\", \"echo INTRUDER-OCIGATE > $PTS\"]"
	ocg_run
	assert_denied devices
	[[ "$output" == *'denied by policy "baseline": devices'*"\`$PTS\` would be a terminal of the host"* ]]
	run ! grep -q INTRUDER-OCIGATE "$SCREEN"
}

@test "devices: without a user namespace, runc binds the host's terminal when mknod is refused; denied" {
	requires cgroups_devices
	host_terminal
	update_config ".process.args = [\"sh\", \"-c\", \"echo INTRUDER-RUNC > $PTS && echo wrote\"]
		| .linux.devices = $(pts_entry) | .mounts |= map(select(.destination != \"/dev/pts\"))"
	# Made by mknod (no user namespace, mknod allowed), the node is outside any devpts: useless.
	direct_run mknod
	[[ "$output" == *"Input/output error"* ]]
	run ! grep -q INTRUDER-RUNC "$SCREEN"
	# A cgroupsPath naming an existing cgroup whose device rules refuse mknod (a hardened
	# service's, another container's): runc writes the container's own rules only after the
	# rootfs is set up, so its mknod gets EPERM and it bind-mounts the host's file instead.
	local cg_parent=ocg-devices-$$-$BATS_TEST_NUMBER
	mkdir "/sys/fs/cgroup/devices/$cg_parent"
	# Removed in teardown once its containers are gone (rmdir refuses a populated cgroup).
	CGROUPS+=("$cg_parent")
	echo a >"/sys/fs/cgroup/devices/$cg_parent/devices.deny"
	update_config ".linux.cgroupsPath = \"/$cg_parent\""
	direct_run direct
	[ "$status" -eq 0 ]
	[ "$output" = wrote ]
	screen_shows INTRUDER-RUNC

	update_config ".process.args = [\"sh\", \"-c\", \"echo INTRUDER-OCIGATE > $PTS\"]"
	ocg_run
	assert_denied devices
	[[ "$output" == *"device entries runc binds from the host when mknod is refused: \`$PTS\` would be a terminal of the host"* ]]
	run ! grep -q INTRUDER-OCIGATE "$SCREEN"
}

@test "devices: a FIFO entry under a user namespace binds any host file with runc; denied" {
	local secret="$BATS_TEST_TMPDIR/host-secret"
	echo "host-only-$$" >"$secret"
	userns_config "[\"cat\", \"$secret\"]" "[{\"path\": \"$secret\", \"type\": \"p\", \"fileMode\": 438}]"
	direct_run direct
	[ "$status" -eq 0 ]
	[ "$output" = "host-only-$$" ]

	ocg_run
	assert_denied devices
	[[ "$output" == *"FIFO \`$secret\` would be the host's file of that name"* ]]
}

@test "devices: crun running in a user namespace binds the host's terminal too; denied there" {
	requires crun userns
	host_terminal
	# The runtime runs as root of a user namespace that maps only uid/gid 0 (`unshare -r`), as
	# a rootless engine runs it; the container gets a user namespace of its own inside.
	update_config ".process.args = [\"sh\", \"-c\", \"echo INTRUDER-CRUN > $PTS && echo wrote\"]
		| .linux.devices = $(pts_entry)
		| .linux.namespaces += [{\"type\": \"user\"}]
		| .linux.uidMappings = [{\"containerID\": 0, \"hostID\": 0, \"size\": 1}]
		| .linux.gidMappings = [{\"containerID\": 0, \"hostID\": 0, \"size\": 1}]
		| .mounts |= map(select(.destination != \"/dev/pts\" and .destination != \"/dev/mqueue\" and .destination != \"/sys\"))
		| del(.linux.resources)"
	run unshare -U -r --mount -- "$REAL_CRUN" --root "$ROOT" run --bundle "$BUNDLE" "$(cid direct)"
	echo "direct: status=$status output=$output"
	[ "$status" -eq 0 ]
	[ "$output" = wrote ]
	grep -q INTRUDER-CRUN "$SCREEN"

	update_config ".process.args = [\"sh\", \"-c\", \"echo INTRUDER-OCIGATE > $PTS\"]"
	run unshare -U -r --mount -- "$OCIGATE" --ocigate-runtime "$REAL_CRUN" --ocigate-audit-log "$AUDIT" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid ocg)"
	echo "status=$status output=$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"\`$PTS\` would be a terminal of the host"* ]]
	run ! grep -q INTRUDER-OCIGATE "$SCREEN"
}

@test "devices: a user-namespaced container with the default device nodes runs" {
	# An explicit entry replaces runc's default cgroup rule for it (specconv createDevices), so
	# the engine repeats the rule, as Docker and Podman do.
	userns_config '["sh", "-c", "echo ok > /dev/null && head -c 4 /dev/zero | wc -c"]' \
		'[{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 438}, {"path": "/dev/zero", "type": "c", "major": 1, "minor": 5, "fileMode": 438}]'
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"}]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = 4 ]
}
