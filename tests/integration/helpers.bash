# SPDX-License-Identifier: GPL-2.0-or-later
# Shared bats helpers, after runc's tests/integration/helpers.bash: the binary under test and the
# real runtime are swappable, every bundle lives in a per-test temp dir, every runc call gets its
# own --root so tests never see each other's containers.
#
#   OCIGATE    ocigate binary under test (set by `make check`)
#   REAL_RUNC  the real runc (default /usr/sbin/runc)
#   REAL_CRUN  the real crun (default /usr/bin/crun)

OCIGATE=${OCIGATE:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/ocigate}
REAL_RUNC=${REAL_RUNC:-/usr/sbin/runc}
REAL_CRUN=${REAL_CRUN:-/usr/bin/crun}
OCG_FIXTURES=${OCG_FIXTURES:-$(cd "$BATS_TEST_DIRNAME/../fixtures" && pwd)}

# Skip unless we can really start containers (root, runc, busybox-static).
requires_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	[ -x "$REAL_RUNC" ] || skip "needs runc"
	[ -x /bin/busybox ] || skip "needs busybox-static"
}

# A busybox rootfs built once per bats run from Debian's busybox-static (no image download).
busybox_rootfs() {
	local r="$BATS_RUN_TMPDIR/rootfs"
	if [ ! -x "$r/bin/busybox" ]; then
		mkdir -p "$r"/{bin,etc,proc,sys,dev,tmp,root}
		cp /bin/busybox "$r/bin/busybox"
		local a
		for a in sh cat echo grep id ls sleep true false ps head stat readlink unshare mount touch \
			wc sed awk env printf test mkdir rm hostname nslookup ip kill seq dd; do
			ln -sf busybox "$r/bin/$a"
		done
		echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$r/etc/passwd"
		echo 'root:x:0:' >"$r/etc/group"
		echo 'nogroup:x:65534:' >>"$r/etc/group"
	fi
	echo "$r"
}

# setup_bundle [NAME]: makes $BUNDLE (a bundle from `runc spec`, rootfs = busybox, terminal off)
# and $ROOT (a private runc state dir).
setup_bundle() {
	requires_root
	local name=${1:-bundle}
	BUNDLE="$BATS_TEST_TMPDIR/$name"
	ROOT="$BATS_TEST_TMPDIR/state"
	mkdir -p "$BUNDLE" "$ROOT"
	cp -a "$(busybox_rootfs)" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$REAL_RUNC" spec)
	update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo hello"]'
}

# update_config JQ_FILTER [BUNDLE]: edit config.json in place with jq.
update_config() {
	local b=${2:-$BUNDLE}
	jq "$1" "$b/config.json" >"$b/config.json.tmp" && mv "$b/config.json.tmp" "$b/config.json"
}

# Unique container id per test.
cid() {
	echo "ocg-$$-${BATS_TEST_NUMBER}-${1:-c}"
}

teardown_bundle() {
	[ -n "${ROOT:-}" ] && [ -d "$ROOT" ] || return 0
	local c
	for c in $("$REAL_RUNC" --root "$ROOT" list -q 2>/dev/null); do
		"$REAL_RUNC" --root "$ROOT" delete --force "$c" >/dev/null 2>&1 || true
	done
}

# start_pause ROOT ID [TYPE...]: a long-running busybox container ID under the state dir ROOT,
# started by the real runtime itself ($PAUSE_RUNTIME, default the real runc), in new namespaces
# of the given OCI types (default mount network pid ipc uts): what a pod's pause container or the
# target of Docker's `--network container:X` is.  Prints its init pid.  The caller deletes it
# (teardown_bundle does for runc containers under $ROOT).
start_pause() {
	local root=$1 id=$2 rt=${PAUSE_RUNTIME:-$REAL_RUNC} dir types
	shift 2
	dir="$BATS_TEST_TMPDIR/pause-$id"
	types=$(printf '%s\n' "${@:-mount}" | jq -R . | jq -sc .)
	[ $# -gt 0 ] || types='["mount","network","pid","ipc","uts"]'
	mkdir -p "$dir"
	cp -a "$(busybox_rootfs)" "$dir/rootfs"
	(cd "$dir" && "$REAL_RUNC" spec)
	jq --argjson t "$types" '.process.terminal = false | .process.args = ["sleep", "600"]
		| .linux.namespaces = [$t[] | {type: .}]
		| if any($t[]; . == "uts") then . else del(.hostname) end' "$dir/config.json" >"$dir/config.json.tmp"
	mv "$dir/config.json.tmp" "$dir/config.json"
	"$rt" --root "$root" create --bundle "$dir" "$id" </dev/null >/dev/null 2>&1 3>&- || return 1
	"$rt" --root "$root" start "$id" </dev/null >/dev/null 2>&1 3>&- || return 1
	"$rt" --root "$root" state "$id" | jq -r .pid
}
