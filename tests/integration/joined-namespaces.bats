#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# host-namespaces on `linux.namespaces[].path`: a container may only join the namespace of a live
# container of its own runtime root (Docker's `--network/--ipc/--pid container:X`, a pod's pause),
# or a namespace pinned by a bind mount that no process is in yet (CNI's and dockerd's netns
# files); never a host process's private namespace, and never a mount namespace.
#
# Each escape is first shown with the runtime alone (runc, and crun where it applies), then denied
# through ocigate with the effect absent; the engines' shapes run through ocigate.  The "host
# daemons" are processes this test starts (`unshare ... sleep`, loopback only) and kills by pid.

load helpers

setup() {
	setup_bundle
	CRUN_ROOT="$BATS_TEST_TMPDIR/crun-state"
	ROOTS+=("$CRUN_ROOT")
	# The daemon's private directory: a tmpfs only its mount namespace sees.
	DAEMON_DIR="$BATS_TEST_TMPDIR/daemon-dir"
	mkdir -p "$DAEMON_DIR" "$CRUN_ROOT"
	echo container-rootfs >"$BUNDLE/rootfs/marker"
}

# start_daemon UNSHARE_ARGS... -- CMD: a host process in namespaces of its own.  Sets $DAEMON.
start_daemon() {
	unshare "$@" </dev/null >/dev/null 2>&1 3>&- &
	DAEMON=$!
	PIDS+=("$DAEMON")
	local i
	for i in $(seq 100); do
		[ "$(cat "/proc/$DAEMON/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.05
	done
	return 1
}

# mount_daemon: a daemon started with `unshare -m` that mounted a private tmpfs with a file in it.
mount_daemon() {
	start_daemon -m --propagation private sh -c \
		"mount -t tmpfs daemon-tmp '$DAEMON_DIR' && echo daemon-secret >'$DAEMON_DIR/daemon-file' && exec sleep 600"
	[ "$(cat "/proc/$DAEMON/root$DAEMON_DIR/daemon-file")" = daemon-secret ]
	[ ! -e "$DAEMON_DIR/daemon-file" ]
}

# join TYPE PATH: the bundle joins namespace TYPE at PATH.
join() {
	update_config "(.linux.namespaces[] | select(.type == \"$1\")) |= {type: \"$1\", path: \"$2\"}"
}

# denied_joining TEXT: the last `ocg` was denied by host-namespaces, the first rule named, for
# TEXT.
denied_joining() {
	assert_denied host-namespaces
	[[ "$output" == *'denied by policy "baseline": host-namespaces'*"$1"* ]]
}

# mount_escape RUNTIME ROOT: with the runtime alone, joining the daemon's mount namespace reads its
# private files, plants one, and pivots the DAEMON's root onto the container's rootfs; through
# ocigate, denied, and a fresh daemon keeps its own root and files.
mount_escape() {
	local RT=$1 ROOT=$2
	mount_daemon
	join mount "/proc/$DAEMON/ns/mnt"
	update_config ".mounts += [{destination: \"/daemon\", type: \"bind\", source: \"$DAEMON_DIR\", options: [\"rbind\"]}]
		| .process.args = [\"sh\", \"-c\", \"cat /daemon/daemon-file; echo planted >/daemon/planted\"]"
	direct_run direct
	[[ "$output" == *daemon-secret* ]]
	[ "$(cat "/proc/$DAEMON/root/marker")" = container-rootfs ]
	[ "$(cat "/proc/$DAEMON/root/daemon/planted")" = planted ]

	mount_daemon
	join mount "/proc/$DAEMON/ns/mnt"
	ocg_run ocg
	denied_joining 'joining the mount namespace `/proc/'"$DAEMON"'/ns/mnt`'
	[ ! -e "/proc/$DAEMON/root/marker" ]
	[ ! -e "/proc/$DAEMON/root$DAEMON_DIR/planted" ]
	[ "$(cat "/proc/$DAEMON/root$DAEMON_DIR/daemon-file")" = daemon-secret ]
}

@test "mount: runc alone joins an 'unshare -m' daemon's mount namespace and takes over its root; ocigate denies it" {
	mount_escape "$REAL_RUNC" "$ROOT"
}

@test "mount: crun alone joins an 'unshare -m' daemon's mount namespace and takes over its root; ocigate denies it" {
	requires crun
	mount_escape "$REAL_CRUN" "$CRUN_ROOT"
}

@test "mount: even another container's mount namespace of the same root is never joined by path" {
	start_pause "$ROOT" "$(cid pause)"
	join mount "/proc/$PAUSE_PID/ns/mnt"
	ocg_run ocg
	denied_joining 'joining the mount namespace'
}

# other_escape TYPE FILE UNSHARE_FLAG RUNTIME ROOT: a daemon in a private namespace of TYPE; the
# runtime alone puts the container into it; ocigate denies it.
other_escape() {
	local type=$1 file=$2 flag=$3 RT=$4 ROOT=$5 want
	start_daemon "$flag" sleep 600
	want=$(readlink "/proc/$DAEMON/ns/$file")
	[ "$want" != "$(readlink "/proc/self/ns/$file")" ]
	join "$type" "/proc/$DAEMON/ns/$file"
	update_config ".process.args = [\"readlink\", \"/proc/self/ns/$file\"]"
	direct_run direct
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	ocg_run ocg
	denied_joining 'the `'"$type"'` namespace `/proc/'"$DAEMON"'/ns/'"$file"'` is not the namespace of a live container of the runtime root `'"$ROOT"'`'
}

@test "network: runc alone joins a host daemon's private netns; ocigate denies it" {
	other_escape network net --net "$REAL_RUNC" "$ROOT"
}

@test "network: crun alone joins a host daemon's private netns; ocigate denies it" {
	requires crun
	other_escape network net --net "$REAL_CRUN" "$CRUN_ROOT"
}

@test "ipc: runc alone joins a host daemon's private ipc namespace; ocigate denies it" {
	other_escape ipc ipc --ipc "$REAL_RUNC" "$ROOT"
}

@test "uts: runc alone joins a host daemon's private uts namespace; ocigate denies it" {
	other_escape uts uts --uts "$REAL_RUNC" "$ROOT"
}

@test "cgroup: runc alone joins a host daemon's private cgroup namespace; ocigate denies it" {
	update_config '.linux.namespaces += [{type: "cgroup"}]'
	other_escape cgroup cgroup --cgroup "$REAL_RUNC" "$ROOT"
}

@test "pid: runc alone joins a host daemon's private pid namespace and sees its processes; ocigate denies it" {
	# unshare --fork: the namespace's init is its child; /proc/<unshare>/ns/pid is the host's.
	unshare --pid --fork --kill-child --mount-proc sleep 600 </dev/null >/dev/null 2>&1 3>&- &
	DAEMON=$!
	PIDS+=("$DAEMON")
	local child="" i
	for i in $(seq 100); do
		child=$(tr -d ' ' <"/proc/$DAEMON/task/$DAEMON/children" 2>/dev/null)
		[ -n "$child" ] && [ "$(cat "/proc/$child/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.05
	done
	[ -n "$child" ]
	join pid "/proc/$child/ns/pid"
	update_config '.process.args = ["sh", "-c", "cat /proc/1/comm"]'
	direct_run direct
	[ "$status" -eq 0 ]
	[ "$output" = sleep ]
	ocg_run ocg
	denied_joining 'the `pid` namespace `/proc/'"$child"'/ns/pid` is not the namespace of a live container'
}

# pod_shape RUNTIME ROOT: a pause container started by RUNTIME under ROOT; a second container
# joins its network, ipc, uts and pid namespaces through ocigate, as containerd's CRI
# (`/proc/<pause>/ns/*`) and `docker run --network/--ipc/--pid container:X` do, and is in them.
pod_shape() {
	local RT=$1 ROOT=$2 p t want=""
	PAUSE_RUNTIME=$RT start_pause "$ROOT" "$(cid pause)"
	p=$PAUSE_PID
	for t in network:net ipc:ipc uts:uts pid:pid; do
		join "${t%%:*}" "/proc/$p/ns/${t#*:}"
		want="$want$(readlink "/proc/$p/ns/${t#*:}") "
	done
	update_config '.process.args = ["sh", "-c", "for n in net ipc uts pid; do printf \"%s \" $(readlink /proc/self/ns/$n); done"]'
	ocg_run ocg
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	# The same namespaces seen from another runtime root are no container's: denied.
	ROOTS+=("$BATS_TEST_TMPDIR/other-root")
	ROOT=$BATS_TEST_TMPDIR/other-root ocg_run other
	denied_joining 'is not the namespace of a live container of the runtime root `'"$BATS_TEST_TMPDIR/other-root"'`'
}

@test "pod: a container joins its pause's net/ipc/uts/pid under the same runc root through ocigate" {
	pod_shape "$REAL_RUNC" "$ROOT"
}

@test "pod: a container joins its pause's net/ipc/uts/pid under the same crun root through ocigate" {
	requires crun
	pod_shape "$REAL_CRUN" "$CRUN_ROOT"
}

# A runtime root whose state names a host process: pid and start time must both match, and the
# root must be root's alone.
fake_state() {
	local root=$1 pid=$2 start=$3
	mkdir -p "$root/fake"
	chmod 0711 "$root/fake"
	printf '{"id":"fake","init_process_pid":%s,"init_process_start":%s,"created":"now"}' \
		"$pid" "$start" >"$root/fake/state.json"
	chmod 0600 "$root/fake/state.json"
}

@test "a runtime root's state naming a host daemon's pid with another start time (a reused pid) proves nothing" {
	start_daemon --net sleep 600
	local start
	start=$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$DAEMON/stat")
	fake_state "$ROOT" "$DAEMON" "$((start + 1))"
	join network "/proc/$DAEMON/ns/net"
	ocg_run ocg
	denied_joining 'is not the namespace of a live container'
}

@test "a runtime root others can write proves nothing, whatever its state files say" {
	start_daemon --net sleep 600
	local start root="$BATS_TEST_TMPDIR/open-root"
	start=$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$DAEMON/stat")
	mkdir -p "$root"
	fake_state "$root" "$DAEMON" "$start"
	chmod 0777 "$root"
	join network "/proc/$DAEMON/ns/net"
	ROOT=$root ocg_run ocg
	denied_joining "(the runtime root \`$root\` is not root's alone)"
}

# pinned_netns DIR [CMD...]: a netns file in DIR holding a fresh netns (`unshare --net=FILE`),
# with CMD running in it (a host service in an `ip netns`) or nothing (CNI's and dockerd's).
pinned_netns() {
	NSFILE="$1/netns-$BATS_TEST_NUMBER"
	touch "$NSFILE"
	MOUNTS+=("$NSFILE")
	shift
	if [ $# -gt 0 ]; then
		start_daemon --net="$NSFILE" "$@"
	else
		unshare --net="$NSFILE" true
	fi
}

@test "pinned netns: with a host service in it, runc alone joins it and ocigate denies; once nobody is in it, allowed" {
	pinned_netns "$BATS_TEST_TMPDIR" sleep 600
	join network "$NSFILE"
	update_config '.process.args = ["readlink", "/proc/self/ns/net"]'
	direct_run direct
	[ "$output" = "$(readlink "/proc/$DAEMON/ns/net")" ]
	ocg_run ocg
	denied_joining "process $DAEMON is in it"

	kill -KILL "$DAEMON"
	while [ -e "/proc/$DAEMON" ]; do sleep 0.05; done
	ocg_run ocg2
	[ "$status" -eq 0 ]
	[ "$output" = "net:[$(stat -L -c %i "$NSFILE")]" ]
}

@test "namespace paths others could swap before the runtime opens them are denied" {
	local shared="$BATS_TEST_TMPDIR/shared" p
	mkdir -p "$shared"
	pinned_netns "$BATS_TEST_TMPDIR"
	# A directory others can write: its entry can be replaced by a link to any namespace.
	chmod 0777 "$shared"
	ln -s "$NSFILE" "$shared/netns"
	join network "$shared/netns"
	ocg_run ocg
	denied_joining "could be swapped before the runtime opens it: \`$shared\` is writable by group or others"
	# A link owned by another user in a sticky directory: its owner can swap it.
	chmod 1777 "$shared"
	rm "$shared/netns"
	ln -s "$NSFILE" "$shared/netns"
	chown -h 65534:65534 "$shared/netns"
	ocg_run ocg
	denied_joining "belongs to uid 65534 in the shared directory"
	# Through a container's root: the container decides what the path is.
	start_pause "$ROOT" "$(cid pause)"
	join network "/proc/$PAUSE_PID/root/netns-file"
	ocg_run ocg
	denied_joining "is not a clean absolute path outside /proc"
	# The same pinned file from a root-only directory: allowed.
	join network "$NSFILE"
	update_config '.process.args = ["true"]'
	ocg_run ocg3
	[ "$status" -eq 0 ]
}
