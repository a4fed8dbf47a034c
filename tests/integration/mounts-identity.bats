#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# sensitive-mounts judges a bind source by what is really mounted there, with runc and crun:
#  - a directory with /etc bind-mounted onto it (what `podman volume create --opt type=none
#    --opt o=bind --opt device=/etc` and Docker's local driver do to a volume's _data);
#  - a second sysfs outside /sys, where the masked paths do not reach;
#  - an engine's control socket in a directory no list names (containerd in k3s's layout).
# Each escape is first shown with the runtime alone, in the container; then ocigate must deny it
# (exit 1, the rule and the reason named), leave no container and no effect; and the legitimate
# shape must still run.

load helpers

setup() {
	setup_bundle
}

# denied_mount TEXT: the last `ocg` was denied by sensitive-mounts, the first rule named, for TEXT.
denied_mount() {
	assert_denied sensitive-mounts "$1"
	[[ "$output" == 'ocigate: denied by policy "baseline": sensitive-mounts (CIS Docker 1.6.0 5.6, 5.32'* ]]
}

bind_mount() {
	mount --bind "$1" "$2"
	MOUNTS+=("$2")
}

@test "a volume with /etc mounted on it: /etc/shadow read and written with the runtime alone; ocigate denies it" {
	local vol="$BATS_TEST_TMPDIR/volumes/etcvol/_data" marker rt n=0
	mkdir -p "$vol"
	bind_mount /etc "$vol"
	update_config ".mounts += [{destination: \"/vol\", type: \"bind\", source: \"$vol\", options: [\"rbind\", \"rw\"]}]"
	for rt in $(runtimes); do
		n=$((n + 1))
		marker="ocg-escape-etcvol-$$-$BATS_TEST_NUMBER-$n"
		defer rm -f "/etc/$marker"
		update_config ".process.args = [\"sh\", \"-c\", \"cut -d: -f1 /vol/shadow | head -n 1; touch /vol/$marker && echo wrote\"]"
		RT=$rt direct_run "direct$n"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = root ]
		[ "${lines[1]}" = wrote ]
		[ -e "/etc/$marker" ]
		rm -f "/etc/$marker"

		RT=$rt ocg_run "ocg$n"
		denied_mount "bind of \`$vol\` at \`/vol\` shows the sensitive host path \`/etc\` under another name"
		[ ! -e "/etc/$marker" ]
	done
}

@test "a volume with a part of /etc, or the host's root, mounted on it is denied; a plain volume runs and writes" {
	local ssh="$BATS_TEST_TMPDIR/volumes/sshvol/_data" rootvol="$BATS_TEST_TMPDIR/volumes/rootvol/_data"
	local plain="$BATS_TEST_TMPDIR/volumes/plain/_data" rt n=0
	mkdir -p "$ssh" "$rootvol" "$plain"
	bind_mount /etc/ssh "$ssh"
	bind_mount / "$rootvol"
	for rt in $(runtimes); do
		n=$((n + 1))
		update_config "del(.mounts[] | select(.destination == \"/vol\"))
			| .mounts += [{destination: \"/vol\", type: \"bind\", source: \"$ssh\", options: [\"rbind\", \"ro\"]}]"
		RT=$rt ocg_run "ssh$n"
		denied_mount "read-only bind of \`$ssh\` at \`/vol\` shows the sensitive host path \`/etc\`"
		update_config "(.mounts[] | select(.destination == \"/vol\")).source = \"$rootvol\""
		RT=$rt ocg_run "root$n"
		denied_mount "shows the sensitive host path \`/\` under another name"

		update_config "(.mounts[] | select(.destination == \"/vol\")) |= {destination: \"/vol\", type: \"bind\", source: \"$plain\", options: [\"rbind\", \"rw\"]}
			| .process.args = [\"sh\", \"-c\", \"echo in-volume-$n > /vol/f$n && cat /vol/f$n\"]"
		RT=$rt ocg_run "plain$n"
		[ "$status" -eq 0 ]
		[ "$output" = "in-volume-$n" ]
		[ "$(cat "$plain/f$n")" = "in-volume-$n" ]
		"$rt" --root "$ROOT" delete --force "$(cid "plain$n")" >/dev/null 2>&1 || true
	done
}

@test "a source holding a host kernel filesystem (rbind carries it along) is denied; a plain bind of it is not" {
	local tree="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$tree/proc" "$tree/data"
	mount -t proc proc "$tree/proc"
	MOUNTS+=("$tree/proc")
	update_config ".mounts += [{destination: \"/t\", type: \"bind\", source: \"$tree\", options: [\"rbind\"]}]
		| .process.args = [\"sh\", \"-c\", \"ls /t/proc/1/ >/dev/null && echo host-proc-visible\"]"
	direct_run direct
	[ "$output" = host-proc-visible ]
	ocg_run ocg
	denied_mount "shows \`$tree/proc\`, a mount of the host's \`proc\` filesystem"
	update_config "(.mounts[] | select(.destination == \"/t\")).source = \"$tree/proc\"
		| (.mounts[] | select(.destination == \"/t\")).options = [\"bind\"]"
	ocg_run ocg2
	denied_mount "a mount of the host's \`proc\` filesystem"
	update_config "(.mounts[] | select(.destination == \"/t\")).source = \"$tree\"
		| .process.args = [\"sh\", \"-c\", \"ls /t/proc | wc -l\"]"
	ocg_run ocg3
	[ "$status" -eq 0 ]
	[ "$output" -eq 0 ]
}

@test "a second sysfs at /hostsys shows /sys/firmware with the runtime alone; ocigate denies it, the one /sys runs masked" {
	[ -n "$(ls /sys/firmware 2>/dev/null)" ] || skip "this host has nothing in /sys/firmware to show"
	local rt n=0
	for rt in $(runtimes); do
		n=$((n + 1))
		update_config 'del(.mounts[] | select(.destination == "/hostsys"))
			| .mounts += [{destination: "/hostsys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]}]
			| .process.args = ["sh", "-c", "echo sys=$(ls /sys/firmware | wc -l) hostsys=$(ls /hostsys/firmware | wc -l)"]'
		RT=$rt direct_run "direct$n"
		[ "$status" -eq 0 ]
		[[ "$output" == "sys=0 hostsys="[1-9]* ]]

		RT=$rt ocg_run "ocg$n"
		denied_mount '`sysfs` mounted at `/hostsys`: the masked paths hide the host'"'"'s `/sys` only at `/sys`'

		update_config 'del(.mounts[] | select(.destination == "/hostsys"))
			| .process.args = ["sh", "-c", "echo sys=$(ls /sys/firmware | wc -l)"]'
		RT=$rt ocg_run "one$n"
		[ "$status" -eq 0 ]
		[ "$output" = "sys=0" ]
		"$rt" --root "$ROOT" delete --force "$(cid "one$n")" >/dev/null 2>&1 || true
	done
}

# start_containerd DIR: the real containerd, its socket at DIR/run/k3s/containerd/containerd.sock
# (k3s's layout under a temp root), state and root below DIR; sets CTRD_PID and CTRD_SOCK.
start_containerd() {
	local d=$1 i
	mkdir -p "$d/run/k3s/containerd" "$d/var/lib/rancher/k3s/agent/containerd"
	chmod 0755 "$d" "$d/run" "$d/run/k3s"
	CTRD_SOCK="$d/run/k3s/containerd/containerd.sock"
	cat >"$d/config.toml" <<-EOF
		version = 2
		root = "$d/var/lib/rancher/k3s/agent/containerd"
		state = "$d/run/k3s/containerd"
		disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
		[grpc]
		  address = "$CTRD_SOCK"
		[ttrpc]
		  address = "$CTRD_SOCK.ttrpc"
		[debug]
		  address = ""
		[metrics]
		  address = ""
	EOF
	/usr/bin/containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 </dev/null 3>&- &
	CTRD_PID=$!
	PIDS+=("$CTRD_PID")
	for i in $(seq 100); do
		[ -S "$CTRD_SOCK" ] && /usr/bin/ctr -a "$CTRD_SOCK" version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$d/containerd.log"
	return 1
}

@test "containerd's socket in k3s's layout: it answers in the container with the runtime alone; ocigate denies the directory wherever it is bound" {
	requires containerd
	local k3s="$BATS_TEST_TMPDIR/k3s" alias="$BATS_TEST_TMPDIR/alias" lib rt n=0
	start_containerd "$k3s"
	# ctr and the libc it needs, in the container's rootfs: the client that proves the socket answers.
	mkdir -p "$BUNDLE/rootfs/usr/bin" "$BUNDLE/rootfs/lib64"
	cp /usr/bin/ctr "$BUNDLE/rootfs/usr/bin/ctr"
	for lib in $(ldd /usr/bin/ctr | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
		mkdir -p "$BUNDLE/rootfs$(dirname "$lib")"
		cp -L "$lib" "$BUNDLE/rootfs$lib"
	done
	update_config ".mounts += [{destination: \"/ctrd\", type: \"bind\", source: \"$k3s/run/k3s/containerd\", options: [\"rbind\"]}]
		| .process.args = [\"/usr/bin/ctr\", \"-a\", \"/ctrd/containerd.sock\", \"version\"]"
	direct_run direct
	[ "$status" -eq 0 ]
	[[ "$output" == *"Server:"*"Version:"* ]]

	# The same directory under another name (a bind mount of it) is the same socket.
	mkdir -p "$alias"
	bind_mount "$k3s/run/k3s/containerd" "$alias"
	for rt in $(runtimes); do
		n=$((n + 1))
		update_config "(.mounts[] | select(.destination == \"/ctrd\")).source = \"$k3s/run/k3s/containerd\""
		RT=$rt ocg_run "dir$n"
		denied_mount "exposes the socket \`$CTRD_SOCK"
		[[ "$output" == *"that \`containerd\` (pid $CTRD_PID) listens on, an engine or node control socket (CIS 5.32)"* ]]
		update_config "(.mounts[] | select(.destination == \"/ctrd\")).source = \"$alias\""
		RT=$rt ocg_run "alias$n"
		denied_mount "exposes the socket \`$alias/containerd.sock"
		[[ "$output" == *"that \`containerd\` (pid $CTRD_PID)"* ]]
		update_config "(.mounts[] | select(.destination == \"/ctrd\")).source = \"$k3s\""
		RT=$rt ocg_run "root$n"
		denied_mount "that \`containerd\` (pid $CTRD_PID) listens on"
	done
}

@test "a socket anybody else listens on may be bound, and it answers" {
	# Debian's python3, not whatever python3 comes first in PATH (a pyenv shim, say).
	requires python3
	local d="$BATS_TEST_TMPDIR/app"
	mkdir -p "$d"
	/usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[1] + ".ready", "w").close()
s.accept()
' "$d/app.sock" 3>&- &
	PIDS+=("$!")
	for _ in $(seq 50); do [ -e "$d/app.sock.ready" ] && break; sleep 0.1; done
	update_config ".mounts += [{destination: \"/app\", type: \"bind\", source: \"$d\", options: [\"rbind\"]}]
		| .process.args = [\"sh\", \"-c\", \"test -S /app/app.sock && echo socket-there\"]"
	ocg_run app
	[ "$status" -eq 0 ]
	[ "$output" = socket-there ]
}
