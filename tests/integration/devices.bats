#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The devices rule (policy/rules/devices.c, CIS Docker 1.6.0 5.18) through ocigate and the real
# runc: host devices in linux.devices and an allow-all device cgroup rule are refused and nothing
# runs; the defaults run and are left as they were.  Device entries under a user namespace are
# devices-userns.bats.

load helpers

setup() {
	setup_bundle
}

@test "devices: host devices in linux.devices are denied (char and block)" {
	update_config '.linux.devices = [{path: "/dev/kvm", type: "c", major: 10, minor: 232, fileMode: 432, uid: 0, gid: 0}]
		| .linux.resources.devices += [{allow: true, type: "c", major: 10, minor: 232, access: "rwm"}]'
	ocg_run
	assert_denied devices:5.18
	[[ "$output" == *'`/dev/kvm` (c 10:232)'* ]]

	update_config '.linux.devices = [{path: "/dev/xvda", type: "b", major: 8, minor: 0}]
		| .linux.resources.devices = [{allow: false, access: "rwm"}]'
	ocg_run
	assert_denied devices:5.18
	[[ "$output" == *'`/dev/xvda` (b 8:0)'* ]]
}

@test "devices: an allow-all device cgroup rule is denied" {
	update_config '.linux.resources.devices = [{allow: true, access: "rwm"}]'
	ocg_run
	assert_denied devices:5.18
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
