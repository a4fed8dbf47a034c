#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The isolation rules through ocigate and the real runc: host-namespaces (CIS 5.10/5.16),
# sensitive-mounts (CIS 5.6/5.32), mount-propagation (CIS 5.20) and devices (CIS 5.18).  Denials
# must leave no container behind; what is allowed must really run, and the container must show
# the effect (namespace inodes, files written through a bind, mountinfo propagation tags, /dev).
# Network namespaces are only ever created by the test itself (unshare) and hold only loopback.

load helpers

setup() {
	setup_bundle
	NSFILES=()
}

teardown() {
	teardown_bundle
	local f
	for f in "${NSFILES[@]}"; do
		umount "$f" 2>/dev/null || true
	done
}

# ocg_run [ARGS...]: `run` through ocigate with the real runc and the built-in baseline policy.
ocg_run() {
	run "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$BATS_TEST_TMPDIR/audit.log" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid "$@")"
	echo "status=$status output=$output"
}

# A denial: exit 1, the rule named with its CIS id, no container left behind.
assert_denied() {
	local rule=$1 cis=$2
	[ "$status" -eq 1 ]
	[[ "$output" == *"denied by policy"* ]]
	[[ "$output" == *"$rule (CIS Docker 1.6.0 "*"$cis"* ]]
	[ -z "$("$REAL_RUNC" --root "$ROOT" list -q)" ]
}

@test "host-namespaces: a Docker-style netns file holding the host's netns is denied" {
	# Docker's --net=host: a file with the host's netns bind-mounted on it (<exec-root>/netns/default).
	local f="$BATS_TEST_TMPDIR/netns-default"
	touch "$f"
	mount --bind /proc/self/ns/net "$f"
	NSFILES+=("$f")
	# Same inode as ours: this is what the rule must catch, by inode and not by name.
	[ "$(stat -L -c %i "$f")" = "$(stat -L -c %i /proc/self/ns/net)" ]
	update_config "(.linux.namespaces[] | select(.type == \"network\")) |= {type: \"network\", path: \"$f\"}"
	ocg_run
	assert_denied host-namespaces 5.10
	[[ "$output" == *"network"*"$f"*"is the host's (CIS 5.10)"* ]]
}

@test "host-namespaces: joining a netns created by the test is allowed, and the container is in it" {
	local f="$BATS_TEST_TMPDIR/netns-private"
	touch "$f"
	unshare --net="$f" true
	NSFILES+=("$f")
	local want host
	want="net:[$(stat -L -c %i "$f")]"
	host=$(readlink /proc/self/ns/net)
	[ "$want" != "$host" ]
	update_config "(.linux.namespaces[] | select(.type == \"network\")) |= {type: \"network\", path: \"$f\"}
		| .process.args = [\"readlink\", \"/proc/self/ns/net\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
}

@test "host-namespaces: a private netns by default; no pid namespace is denied" {
	update_config '.process.args = ["readlink", "/proc/self/ns/net"]'
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == "net:["* ]]
	[ "$output" != "$(readlink /proc/self/ns/net)" ]

	update_config 'del(.linux.namespaces[] | select(.type == "pid"))'
	ocg_run
	assert_denied host-namespaces 5.16
	[[ "$output" == *'no `pid` namespace'*"CIS 5.16"* ]]
}

@test "host-namespaces: a namespace path that cannot be resolved is denied (fail closed)" {
	update_config '(.linux.namespaces[] | select(.type == "network")) |= {type: "network", path: "/proc/999999999/ns/net"}'
	ocg_run
	assert_denied host-namespaces 5.10
	[[ "$output" == *"cannot resolve"* ]]
}

@test "sensitive-mounts: binds of /etc, read-write and read-only, are denied" {
	local opts
	for opts in '["rbind"]' '["rbind", "ro"]'; do
		update_config ".mounts += [{destination: \"/hostetc\", type: \"bind\", source: \"/etc\", options: $opts}]"
		ocg_run
		assert_denied sensitive-mounts 5.6
		[[ "$output" == *'`/etc`'*"(CIS 5.6)"* ]]
		update_config 'del(.mounts[] | select(.destination == "/hostetc"))'
	done
}

@test "sensitive-mounts: a bind of a temp dir is allowed and the container's write reaches the host" {
	local d="$BATS_TEST_TMPDIR/data"
	mkdir -p "$d"
	update_config ".mounts += [{destination: \"/data\", type: \"bind\", source: \"$d\", options: [\"rbind\", \"rw\"]}]
		| .process.args = [\"sh\", \"-c\", \"echo written-inside > /data/f && cat /data/f\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = "written-inside" ]
	[ "$(cat "$d/f")" = "written-inside" ]
}

@test "sensitive-mounts: engine sockets, by name and through a parent directory, are denied" {
	mkdir -p "$BATS_TEST_TMPDIR/run"
	touch "$BATS_TEST_TMPDIR/run/docker.sock"
	update_config ".mounts += [{destination: \"/docker.sock\", type: \"bind\", source: \"$BATS_TEST_TMPDIR/run/docker.sock\", options: [\"rbind\", \"ro\"]}]"
	ocg_run
	assert_denied sensitive-mounts 5.32
	[[ "$output" == *"engine socket"*"(CIS 5.32)"* ]]

	# /var/run is a symlink to /run here: binding it exposes /run/docker.sock and friends.
	update_config 'del(.mounts[] | select(.destination == "/docker.sock"))
		| .mounts += [{destination: "/hostrun", type: "bind", source: "/var/run", options: ["rbind"]}]'
	ocg_run
	assert_denied sensitive-mounts 5.32
	[[ "$output" == *'`/var/run` (`/run`)'*"engine socket"* ]]
}

@test "sensitive-mounts: a writable sysfs is denied, the default read-only one runs" {
	update_config '.process.args = ["awk", "$5 == \"/sys\" { print $6 }", "/proc/self/mountinfo"]'
	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == "ro,"* ]]

	update_config '(.mounts[] | select(.type == "sysfs")).options |= map(select(. != "ro"))'
	ocg_run
	assert_denied sensitive-mounts 5.6
	[[ "$output" == *'`sysfs` mounted read-write'* ]]
}

@test "mount-propagation: rshared is rewritten to rprivate, mountinfo shows no shared peer group" {
	local d="$BATS_TEST_TMPDIR/prop"
	mkdir -p "$d"
	update_config ".mounts += [{destination: \"/prop\", type: \"bind\", source: \"$d\", options: [\"rbind\", \"rshared\"]}]
		| .process.args = [\"grep\", \" /prop \", \"/proc/self/mountinfo\"]"

	# The same bundle straight through runc: the tag is there, so the check below can fail.
	run "$REAL_RUNC" --root "$ROOT" run --bundle "$BUNDLE" "$(cid direct)"
	[ "$status" -eq 0 ]
	[[ "$output" == *" /prop "*"shared:"* ]]

	ocg_run
	[ "$status" -eq 0 ]
	[[ "$output" == *" /prop "* ]]
	[[ "$output" != *"shared:"* ]]
	jq -e '.mounts[] | select(.destination == "/prop") | .options == ["rbind", "rprivate"]' "$BUNDLE/config.json"
}

@test "devices: host devices in linux.devices are denied (char and block)" {
	update_config '.linux.devices = [{path: "/dev/kvm", type: "c", major: 10, minor: 232, fileMode: 432, uid: 0, gid: 0}]
		| .linux.resources.devices += [{allow: true, type: "c", major: 10, minor: 232, access: "rwm"}]'
	ocg_run
	assert_denied devices 5.18
	[[ "$output" == *'`/dev/kvm` (c 10:232)'* ]]

	update_config '.linux.devices = [{path: "/dev/xvda", type: "b", major: 8, minor: 0}]
		| .linux.resources.devices = [{allow: false, access: "rwm"}]'
	ocg_run
	assert_denied devices 5.18
	[[ "$output" == *'`/dev/xvda` (b 8:0)'* ]]
}

@test "devices: an allow-all device cgroup rule is denied" {
	update_config '.linux.resources.devices = [{allow: true, access: "rwm"}]'
	ocg_run
	assert_denied devices 5.18
	[[ "$output" == *'`a *:* rwm`'* ]]
}

@test "devices: the defaults run, /dev/null works, and the devices are left as they were" {
	# runc stops auto-allowing a default device once linux.devices names it
	# (libcontainer/specconv createDevices), so the config carries Docker's rule for it.
	update_config '.linux.devices = [{path: "/dev/null", type: "c", major: 1, minor: 3, fileMode: 438, uid: 0, gid: 0}]
		| .linux.resources.devices += [{allow: true, type: "c", major: 1, minor: 3, access: "rwm"}]
		| .process.args = ["sh", "-c", "echo x > /dev/null && echo null-ok; busybox find /dev -type b | wc -l"]'
	local before
	before=$(jq -c '[.linux.devices, .linux.resources.devices]' "$BUNDLE/config.json")
	ocg_run
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "null-ok" ]
	# No block device node exists in the container.
	[ "${lines[1]}" -eq 0 ]
	[ "$(jq -c '[.linux.devices, .linux.resources.devices]' "$BUNDLE/config.json")" = "$before" ]
}
