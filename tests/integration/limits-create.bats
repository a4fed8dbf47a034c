#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Limits that are limits, at create, with the real runc and crun:
#  - a memory limit above the host's MemTotal (9223372036854771712 is what an unlimited cgroup v1
#    memory.limit_in_bytes reads) and a pids limit above kernel.pid_max limit nothing: they are
#    replaced like a missing limit;
#  - crun's `--cgroup-manager=disabled` (Podman's --cgroups=disabled) leaves the container in
#    the caller's cgroups: no memory, pids or device cgroup.  Denied;
#  - a rootless runtime on cgroup v1 cannot create the container's cgroups: runc refuses to start
#    with injected limits ("container could not join or create cgroup"), crun drops them.  The
#    limits are then not injected and a note says so, unless the policy makes them mandatory.
# Values are read from the container's own cgroup files on the host (/proc/<pid>/cgroup).

load helpers

setup() {
	setup_bundle
}

# start_direct: the bundle through the runtime $RT alone, detached (its stdio away from bats'
# pipe); $PID is the container's init.
start_direct() {
	"$RT" --root "$ROOT" run -d --bundle "$BUNDLE" "$(cid direct)" </dev/null >"$BATS_TEST_TMPDIR/direct.out" 2>&1 3>&-
	PID=$("$RT" --root "$ROOT" state "$(cid direct)" | jq .pid)
	[ "$PID" -gt 0 ]
}

above_host_case() {
	use_runtime "$1"
	local unlimited=9223372036854771712 pid_max
	pid_max=$(cat /proc/sys/kernel/pid_max)
	update_config ".linux.resources.memory = {limit: $unlimited} | .linux.resources.pids = {limit: $((pid_max + 1))}
		| .process.args = [\"sleep\", \"300\"]"
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/asked.json"
	# The runtime alone: no memory limit, and more pids than the host can have.
	start_direct
	[ "$(cg memory memory.limit_in_bytes)" = "$unlimited" ]
	[ "$(cg pids pids.max)" = $((pid_max + 1)) ]
	"$RT" --root "$ROOT" delete --force "$(cid direct)"
	# Through ocigate: the defaults.
	ocg_start
	[ "$(cg memory memory.limit_in_bytes)" = 2147483648 ]
	[ "$(cg pids pids.max)" = 4096 ]
	# (jq 1.6 writes the number as 9223372036854772000: the kernel caps either the same.)
	tail -n 1 "$AUDIT" | jq -e '[.rewritten[].message] | any(test("^no memory limit \\(`[0-9]+` is above the host.s memory \\(MemTotal\\), [0-9]+: not a limit\\)$"))' >/dev/null
	tail -n 1 "$AUDIT" | jq -e --arg m "no pids limit (\`$((pid_max + 1))\` is above the host's kernel.pid_max, $pid_max: not a limit)" \
		'[.rewritten[].message] | index($m) != null' >/dev/null
}

@test "limits: memory above MemTotal and pids above pid_max are no limits; replaced (runc)" {
	above_host_case runc
}

@test "limits: memory above MemTotal and pids above pid_max are no limits; replaced (crun)" {
	above_host_case crun
}

@test "limits: limits within what the host has are kept (runc)" {
	use_runtime runc
	update_config '.linux.resources.memory = {limit: 1073741824} | .linux.resources.pids = {limit: 100}
		| .process.args = ["sleep", "300"]'
	ocg_start
	[ "$(cg memory memory.limit_in_bytes)" = 1073741824 ]
	[ "$(cg pids pids.max)" = 100 ]
}

# ------------------------------------------------------------------ crun --cgroup-manager=disabled

@test "limits: crun --cgroup-manager=disabled gives no cgroups (a device outside the list opens); denied" {
	use_runtime crun
	requires tun
	# CAP_MKNOD is one of Docker's defaults; 10:200 (tun) is not in the default device list.
	update_config '.process.capabilities |= with_entries(.value += ["CAP_MKNOD"]) | .root.readonly = false
		| .process.args = ["sh", "-c", "grep -E \"^[0-9]+:(devices|memory):\" /proc/self/cgroup; mknod /tmp/tun c 10 200 && (exec 3<>/tmp/tun) && echo device-opened; rm -f /tmp/tun"]'
	for a in mknod rm; do ln -sf busybox "$BUNDLE/rootfs/bin/$a"; done
	run "$RT" --root "$ROOT" --cgroup-manager=disabled run --bundle "$BUNDLE" "$(cid direct)"
	echo "direct: status=$status output=$output"
	[[ "$output" == *device-opened* ]]
	[[ "$output" == *"devices:/"$'\n'* ]] || [[ "$output" == *"devices:/" ]]
	direct_run plain
	[[ "$output" != *device-opened* ]]

	for flags in "--cgroup-manager=disabled" "--cgroup-manager disabled" \
		"--cgroup-manager=cgroupfs --cgroup-manager=disabled"; do
		# shellcheck disable=SC2086 # the flags are meant to split
		ocg $flags run --bundle "$BUNDLE" "$(cid ocg)"
		assert_denied resource-limits
		[[ "$output" == *"resource-limits"*'`--cgroup-manager=disabled`: the container would get no memory, pids or device cgroup'* ]]
		[[ "$output" == *"devices"*"no device cgroup"* ]]
		[[ "$output" != *device-opened* ]]
	done
	# A later --cgroup-manager wins, as in crun: cgroupfs runs, with its device cgroup.
	ocg_run --cgroup-manager=disabled --cgroup-manager=cgroupfs ocg2
	[ "$status" -eq 0 ]
	[[ "$output" != *device-opened* ]]
}

# ------------------------------------------------------------------ rootless runtime on cgroup v1

# rootless_bundle: a rootless bundle (`runc spec --rootless` as uid 65534) in a directory that
# user owns; $RL is that directory.
rootless_bundle() {
	requires root setpriv cgroups_v1 userns
	RL=$(mktemp -d /tmp/ocg-rootless.XXXXXX)
	# Its containers run in the foreground and are gone by teardown.
	defer rm -rf "$RL" "$RL.policy"
	cp -a "$(busybox_rootfs)" "$RL/rootfs"
	chown -R 65534:65534 "$RL"
	chmod 0755 "$RL"
	as_nobody sh -c "cd '$RL' && '$REAL_RUNC' spec --rootless"
	# A private network namespace and sysfs of its own, as a rootless engine gives (runc's
	# rootless template shares the host's network and binds its /sys).
	jq '.process.args = ["sh", "-c", "echo started"] | .process.terminal = false | del(.linux.resources)
		| .linux.namespaces += [{"type": "network"}]
		| .mounts |= map(if .destination == "/sys" then {destination: "/sys", type: "sysfs",
			source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]} else . end)' \
		"$RL/config.json" >"$RL/c"
	chown 65534:65534 "$RL/c"
	mv "$RL/c" "$RL/config.json"
}

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- env HOME="$RL" XDG_RUNTIME_DIR="$RL" "$@"
}

rootless_run() {
	run as_nobody "$OCIGATE" --ocigate-runtime "$RT" --ocigate-audit-log "$RL/audit.log" "$@" \
		--root "$RL/state" run --bundle "$RL" "rl-$$-$BATS_TEST_NUMBER"
	echo "status=$status output=$output"
}

@test "limits: rootless runc on cgroup v1 runs without the limits it cannot set, with a note" {
	use_runtime runc
	rootless_bundle
	# What used to happen: the injected limits make runc refuse to start.
	mkdir "$RL/limited"
	jq --arg r "$RL/rootfs" '.linux.resources = {memory: {limit: 2147483648}, pids: {limit: 4096}}
		| .root.path = $r' "$RL/config.json" >"$RL/limited/config.json"
	chown -R 65534:65534 "$RL/limited"
	run as_nobody "$RT" --root "$RL/state" run --bundle "$RL/limited" "rl-direct-$$"
	echo "direct: status=$status output=$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot set memory limit: container could not join or create cgroup"* ]]

	rootless_run
	[ "$status" -eq 0 ]
	[ "$output" = started ]
	jq -e '.linux.resources.memory.limit == null and .linux.resources.pids.limit == null' "$RL/config.json" >/dev/null
	tail -n 1 "$RL/audit.log" | jq -e '[.notes[].message] | any(startswith("the memory limit is not injected: the runtime runs rootless"))' >/dev/null
}

@test "limits: rootless crun on cgroup v1 is told the same (it would drop the limits silently)" {
	use_runtime crun
	rootless_bundle
	rootless_run
	[ "$status" -eq 0 ]
	[ "$output" = started ]
	tail -n 1 "$RL/audit.log" | jq -e '[.notes[].message] | any(startswith("the pids limit is not injected"))' >/dev/null
}

@test "limits: rootless with mandatory limits is denied" {
	use_runtime runc
	rootless_bundle
	# Policy files live in root-owned directories.
	mkdir -m 0755 "$RL.policy"
	printf '%s\n' '{"profile": "strict", "profiles": {"strict": {"extends": "baseline",
		"rules": {"resource-limits": {"mandatory": true}}}}}' >"$RL.policy/policy.json"
	chmod 0644 "$RL.policy/policy.json"
	rootless_run --ocigate-policy "$RL.policy/policy.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the memory limit is missing and cannot be set"*"the policy makes limits mandatory"* ]]
}
