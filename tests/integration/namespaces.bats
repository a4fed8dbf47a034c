#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The host-namespaces rule (policy/rules/namespaces.c, CIS Docker 1.6.0 5.10, 5.16) through
# ocigate and the real runtimes: a namespace file holding the host's namespace, found by inode and
# not by name; a missing pid namespace; a path that cannot be resolved; and crun's reading of a
# namespace listed twice.  What is allowed must run in the namespace it names.  Network
# namespaces are only ever created by the test itself (unshare) and hold only loopback; the
# joined namespaces of containers and daemons are joined-namespaces.bats.

load helpers

setup() {
	setup_bundle
}

@test "host-namespaces: a Docker-style netns file holding the host's netns is denied" {
	# Docker's --net=host: a file with the host's netns bind-mounted on it (<exec-root>/netns/default).
	local f="$BATS_TEST_TMPDIR/netns-default"
	touch "$f"
	mount --bind /proc/self/ns/net "$f"
	MOUNTS+=("$f")
	# Same inode as ours: this is what the rule must catch, by inode and not by name.
	[ "$(stat -L -c %i "$f")" = "$(stat -L -c %i /proc/self/ns/net)" ]
	update_config "(.linux.namespaces[] | select(.type == \"network\")) |= {type: \"network\", path: \"$f\"}"
	ocg_run
	assert_denied host-namespaces:5.10
	[[ "$output" == *"network"*"$f"*"is the host's (CIS 5.10)"* ]]
}

@test "host-namespaces: joining a netns created by the test is allowed, and the container is in it" {
	local f="$BATS_TEST_TMPDIR/netns-private"
	touch "$f"
	unshare --net="$f" true
	MOUNTS+=("$f")
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
	assert_denied host-namespaces:5.16
	[[ "$output" == *'no `pid` namespace'*"CIS 5.16"* ]]
}

@test "host-namespaces: a namespace path that cannot be resolved is denied (fail closed)" {
	update_config '(.linux.namespaces[] | select(.type == "network")) |= {type: "network", path: "/proc/999999999/ns/net"}'
	ocg_run
	assert_denied host-namespaces:5.10
	[[ "$output" == *"cannot resolve"* ]]
}

@test "crun: a namespace listed twice puts crun in the host netns, in either order; denied" {
	use_runtime crun
	local host orig order
	host=$(readlink /proc/self/ns/net)
	update_config '.process.args = ["readlink", "/proc/self/ns/net"]'
	orig=$(jq -c '.linux.namespaces' "$BUNDLE/config.json")
	# The host's netns by path first, or after the runtime-spec's own {type: network}: crun
	# unshares for the entry without a path and setns()es for the one with it, either way round.
	for order in '[{type: "network", path: $p}] + $o' '$o + [{type: "network", path: $p}]'; do
		update_config --arg p "/proc/$$/ns/net" --argjson o "$orig" ".linux.namespaces = ($order)"
		[ "$(jq '[.linux.namespaces[] | select(.type == "network")] | length' "$BUNDLE/config.json")" -eq 2 ]

		direct_run direct
		[ "$status" -eq 0 ]
		[ "$output" = "$host" ]

		ocg_run
		assert_denied host-namespaces
		[[ "$output" == *'the `network` namespace is listed twice'* ]]
	done
}
