#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The sysctls rule (policy/rules/sysctls.c) through ocigate and the real runc: a namespaced
# sysctl is set in the container's own namespace and the host keeps its value; one that needs a
# namespace the container does not have, or that is not namespaced at all, is refused and the
# host keeps its value.

load helpers

setup() {
	setup_bundle
}

@test "sysctls: an IPC sysctl in a private IPC namespace is set there, not on the host" {
	local host
	host=$(cat /proc/sys/kernel/msgmax)
	[ "$host" != 12345 ]
	update_config '.linux.sysctl = {"kernel.msgmax": "12345"} | .process.args = ["cat", "/proc/sys/kernel/msgmax"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = 12345 ]
	[ "$(cat /proc/sys/kernel/msgmax)" = "$host" ]
}

@test "sysctls: Docker's net.* defaults pass in a private netns and are set in it" {
	local host
	host=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
	[ "$host" != 0 ]
	update_config '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "0", "net.ipv4.ping_group_range": "0 2147483647"}
		| .process.args = ["cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start"]'
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
	[ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" = "$host" ]
}

@test "sysctls: net.* with the host's network namespace is denied" {
	update_config 'del(.linux.namespaces[] | select(.type == "network"))
		| .linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "0"}'
	ocg_run
	assert_denied sysctls
	[[ "$output" == *'sysctl `net.ipv4.ip_unprivileged_port_start` needs a private network namespace'* ]]
}

@test "sysctls: a host-wide sysctl (vm.swappiness, kernel.core_pattern) is denied, the host keeps its value" {
	local swappiness pattern
	swappiness=$(cat /proc/sys/vm/swappiness)
	pattern=$(cat /proc/sys/kernel/core_pattern)
	update_config '.linux.sysctl = {"vm.swappiness": "1", "kernel/core_pattern": "|/bin/false"}'
	ocg_run
	assert_denied sysctls
	[[ "$output" == *'sysctl `vm.swappiness` is not on the allowlist'* ]]
	[[ "$output" == *'sysctl `kernel/core_pattern` is not on the allowlist'* ]]
	[ "$(cat /proc/sys/vm/swappiness)" = "$swappiness" ]
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$pattern" ]
}
