#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The hooks rule trusts dockerd's libnetwork-setkey prestart hook (`/proc/<pid>/exe
# libnetwork-setkey -exec-root=DIR ID CTL`) only when <pid> is the engine's dockerd, proven by
# identity: its executable is an installed dockerd binary (device and inode), it runs in the
# host's mount namespace, and it listens on DIR/libnetwork/CTL.sock.  runc runs that path on the
# host, as root: each test first shows with runc alone that the process the hook names gets its
# code run there, then that ocigate refuses it and nothing runs.  The real Docker default
# container, whose config carries the hook, is tests/e2e/docker.bats.
#
# The impostors: fake_dockerd.c (static) run as /usr/bin/dockerd inside a container, and the real
# /usr/sbin/dockerd blocked on a FIFO as its --config-file (it creates nothing before reading its
# config), once in a mount namespace of its own and once in the host's but not listening.

load helpers

setup_file() {
	build_static fake_dockerd
}

setup() {
	setup_bundle
	requires static_fake_dockerd
	EXEC_ROOT="$BATS_TEST_TMPDIR/exec-root"
	mkdir -p "$EXEC_ROOT"
}

ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
CTL=0123456789ab

# setkey_hook PID: the victim bundle carries moby's hook naming /proc/PID/exe, as dockerd writes it.
setkey_hook() {
	update_config ".hooks = {prestart: [{path: \"/proc/$1/exe\",
		args: [\"libnetwork-setkey\", \"-exec-root=$EXEC_ROOT\", \"$ID\", \"$CTL\"]}]}
		| .process.args = [\"true\"]"
}

# The hook ran on the host: as root, in the host's mount namespace.
assert_pwned() {
	cat "$EXEC_ROOT/pwned"
	[ "$(cat "$EXEC_ROOT/pwned")" = "uid=0 mnt=$(readlink /proc/self/ns/mnt)" ]
}

# assert_refused PID REASON: the victim was denied by `hooks` for REASON, and the hook never ran.
assert_refused() {
	assert_denied hooks
	[[ "$output" == *'hooks: prestart hook `/proc/'"$1"'/exe` is shaped like dockerd'"'"'s libnetwork-setkey, but `/proc/'"$1"'/exe` is not a running dockerd: '"$2"* ]]
	[ ! -e "$EXEC_ROOT/pwned" ]
}

# blocked_dockerd [WRAPPER...]: the real binary with a FIFO as its --config-file, blocked in
# open(2) before it does anything.  Sets $pid.
blocked_dockerd() {
	local fifo="$BATS_TEST_TMPDIR/config.fifo" i
	mkfifo "$fifo"
	"$@" /usr/sbin/dockerd --config-file "$fifo" </dev/null >/dev/null 2>&1 3>&- &
	pid=$!
	PIDS+=("$pid")
	for i in $(seq 100); do
		[ "$(readlink "/proc/$pid/exe")" = /usr/sbin/dockerd ] &&
			[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" = wait_for_partner ] && return 0
		sleep 0.05
	done
	return 1
}

@test "setkey hook: a process at /usr/bin/dockerd in another container gets runc to run it on the host; ocigate refuses it" {
	# The attacker's other container runs its own /usr/bin/dockerd.
	local dir="$BATS_TEST_TMPDIR/impostor" pid
	mkdir -p "$dir"
	cp -a "$(busybox_rootfs)" "$dir/rootfs"
	mkdir -p "$dir/rootfs/usr/bin"
	cp "$BATS_FILE_TMPDIR/fake_dockerd" "$dir/rootfs/usr/bin/dockerd"
	(cd "$dir" && "$REAL_RUNC" spec)
	update_config '.process.terminal = false | .process.args = ["/usr/bin/dockerd"]' "$dir"
	"$REAL_RUNC" --root "$ROOT" run -d --bundle "$dir" "$(cid impostor)" </dev/null >/dev/null 2>&1 3>&-
	KEEP+=("$(cid impostor)")
	pid=$("$REAL_RUNC" --root "$ROOT" state "$(cid impostor)" | jq -r .pid)
	# By name it IS dockerd: readlink shows the path inside its own mount namespace.
	[ "$(readlink "/proc/$pid/exe")" = /usr/bin/dockerd ]

	setkey_hook "$pid"
	direct_run direct
	[ "$status" -eq 0 ]
	assert_pwned
	rm "$EXEC_ROOT/pwned"

	ocg_run victim
	assert_refused "$pid" "its executable is not an installed dockerd binary"
}

@test "setkey hook: the installed dockerd binary in another mount namespace is refused" {
	requires dockerd
	local pid
	blocked_dockerd unshare -m --propagation private
	[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]
	[ "$(stat -L -c %d:%i "/proc/$pid/exe")" = "$(stat -c %d:%i /usr/sbin/dockerd)" ]
	setkey_hook "$pid"
	ocg_run victim
	assert_refused "$pid" "it runs in another mount namespace than the host's"
}

@test "setkey hook: the installed dockerd in the host's mount namespace, but not the daemon listening on the key socket, is refused" {
	requires dockerd
	local pid
	blocked_dockerd env
	[ "$(readlink "/proc/$pid/ns/mnt")" = "$(readlink /proc/self/ns/mnt)" ]
	setkey_hook "$pid"
	ocg_run victim
	assert_refused "$pid" "it does not listen on \`$EXEC_ROOT/libnetwork/$CTL.sock\`"
}
