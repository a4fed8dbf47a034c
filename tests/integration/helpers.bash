# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2016,SC2034,SC2154
# (SC2016: jq programs are single-quoted on purpose; SC2034: variables the .bats files read;
# SC2154: $status, $output and $lines are bats `run`'s.)
#
# The one set of helpers of the bats tests in tests/integration, after runc 1.1.5's
# tests/integration/helpers.bash: `ocg` runs ocigate the way runc's `runc` runs runc (bats `run`,
# then the command line, its status and its output on stderr, which bats shows only when the test
# fails), `__ocg` is the raw call, and `requires` skips a test, saying why, when the host lacks
# what it needs.  Every bundle, runtime state dir (--root), audit trail and policy file lives in
# the test's own temp dir; teardown_bundle undoes what a test registered, by pid and by path.
#
#   OCIGATE    ocigate binary under test (set by `make check`)
#   REAL_RUNC  the real runc (default /usr/sbin/runc)
#   REAL_CRUN  the real crun (default /usr/bin/crun)
#
# What a test sets and the helpers read:
#   BUNDLE     the bundle (setup_bundle)
#   ROOT       the runtime's state dir, its --root (setup_bundle: $BATS_TEST_TMPDIR/state); an
#              empty ROOT gives ocigate no --root
#   RT         the real runtime ocigate runs and direct_run uses (default $REAL_RUNC; use_runtime);
#              an empty RT calls ocigate as an installed engine does: no --ocigate-runtime and no
#              OCIGATE_RUNTIME, the policy file names the runtime
#   AUDIT      ocigate's audit trail (default $BATS_TEST_TMPDIR/audit.log)
#   OCG_FLAGS  more ocigate flags for every `ocg` of the test (--ocigate-policy FILE, ...)
#   KEEP       ids of containers the test keeps running under $ROOT (a pause, another container):
#              not "left behind" for assert_denied
#   DENY_PROFILE  the profile a denial names (default baseline)
# What teardown_bundle undoes; a test appends to them:
#   ROOTS      state dirs below the test's temp dir whose containers are deleted, by runc and crun
#   PIDS       processes the test started in the background: stopped by pid
#   MOUNTS     mount points the test made: unmounted, the last first
#   CGROUPS    cgroups (paths relative to each hierarchy) the test made: removed when empty, the
#              last first
#   defer CMD  anything else, run last, the last deferred first
# The `teardown` of every file is the one at the end of this file: a test registers what it made
# in the arrays above instead of writing a teardown of its own.

OCIGATE=${OCIGATE:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/ocigate}
REAL_RUNC=${REAL_RUNC:-/usr/sbin/runc}
REAL_CRUN=${REAL_CRUN:-/usr/bin/crun}
OCG_SRCDIR=${OCG_SRCDIR:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
OCG_FIXTURES=${OCG_FIXTURES:-$(cd "$BATS_TEST_DIRNAME/../fixtures" && pwd)}

# Docker's 14 default capabilities, as a /proc/self/status mask.
DOCKER_CAPS=00000000a80425fb

# bats makes the test's temp dir before it loads the file (not so in setup_file).
AUDIT=${BATS_TEST_TMPDIR:+$BATS_TEST_TMPDIR/audit.log}
KEEP=()
ROOTS=()
PIDS=()
MOUNTS=()
CGROUPS=()
DEFERRED=()
OCG_FLAGS=()

# ---------------------------------------------------------------- what the host must have

# crun_unusable: why the real crun cannot run here (nothing when it can).  crun 1.8.1 refuses a
# hybrid cgroup host whose cgroup2 mount still holds a controller ("cgroups in hybrid mode not
# supported"); contrib/setup-host.sh moves hugetlb to a v1 hierarchy.
crun_unusable() {
	local c=/sys/fs/cgroup/unified/cgroup.controllers
	if [ ! -x "$REAL_CRUN" ]; then
		echo "needs crun at $REAL_CRUN"
	elif [ -s "$c" ]; then
		echo "crun refuses this host: $c lists controllers ($(cat "$c")); run contrib/setup-host.sh"
	fi
}

# requires FEATURE...: skip the test, saying what is missing, unless the host has every FEATURE.
requires() {
	local f why
	for f in "$@"; do
		why=
		case $f in
		root) [ "$(id -u)" -eq 0 ] || why="needs root" ;;
		runc) [ -x "$REAL_RUNC" ] || why="needs runc at $REAL_RUNC" ;;
		crun) why=$(crun_unusable) ;;
		busybox) [ -x /bin/busybox ] || why="needs busybox-static (/bin/busybox)" ;;
		cc) command -v cc >/dev/null || why="needs a C compiler (cc)" ;;
		static_*)
			# A static test program setup_file built with build_static.
			[ -x "$BATS_FILE_TMPDIR/${f#static_}" ] ||
				why="cannot build the static program ${f#static_} (${CC:-cc} -static): $(cat "$BATS_FILE_TMPDIR/${f#static_}.log" 2>/dev/null)"
			;;
		script) command -v script >/dev/null || why="needs script(1) (bsdutils)" ;;
		setpriv) command -v setpriv >/dev/null || why="needs setpriv" ;;
		apparmor_parser) command -v apparmor_parser >/dev/null || why="AppArmor is on, but apparmor_parser is not installed" ;;
		catatonit) [ -x /usr/libexec/podman/catatonit ] || why="needs catatonit (Debian package catatonit)" ;;
		dockerd) [ -x /usr/sbin/dockerd ] || why="needs Debian's docker.io (/usr/sbin/dockerd)" ;;
		containerd) [ -x /usr/bin/containerd ] && [ -x /usr/bin/ctr ] || why="needs containerd and ctr" ;;
		python3) [ -x /usr/bin/python3 ] || why="needs Debian's python3 (/usr/bin/python3)" ;;
		userns) unshare -U -r --mount true 2>/dev/null || why="cannot create a user namespace here" ;;
		cgroups_v1) [ "$(stat -fc %T /sys/fs/cgroup/memory 2>/dev/null)" = cgroupfs ] || why="memory is not on cgroup v1 here" ;;
		cgroups_devices) [ -d /sys/fs/cgroup/devices ] || why="needs the cgroup v1 devices controller" ;;
		cgroups_swap) [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || why="no swap accounting on this host" ;;
		no_cap_sys_resource)
			# CAP_SYS_RESOURCE is bit 24: without it the runtime cannot raise a hard rlimit.
			[ $((0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24 & 1)) -eq 0 ] ||
				why="the caller has CAP_SYS_RESOURCE: nothing to clamp"
			;;
		nofile_not_1024)
			# Without an injected RLIMIT_NOFILE a container inherits the caller's own.
			[ "$(ulimit -Hn)" != 1024 ] || why="the caller's own hard NOFILE is already 1024"
			;;
		arch_x86_64) [ "$(uname -m)" = x86_64 ] || why="x86-64 only" ;;
		no_apparmor)
			[ ! -e /sys/kernel/security/apparmor ] && [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] ||
				why="AppArmor is enabled on this host"
			;;
		apparmor)
			[ -r /sys/kernel/security/apparmor/profiles ] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null ||
				why="AppArmor is not enabled on this host (/sys/kernel/security/apparmor/profiles unreadable): the rule is covered by unit tests with a fake host only"
			;;
		no_selinux) [ ! -e /sys/fs/selinux/enforce ] || why="SELinux is enabled here" ;;
		tun) [ -e /dev/net/tun ] || why="needs /dev/net/tun to show the device cgroup" ;;
		*)
			echo "BUG: unknown requirement \`$f\`" >&2
			return 1
			;;
		esac
		[ -z "$why" ] || skip "$why"
	done
}

# runtimes: the real runc, and crun when this host can run it (else a note in the TAP stream).
runtimes() {
	local why
	echo "$REAL_RUNC"
	why=$(crun_unusable)
	if [ -z "$why" ]; then
		echo "$REAL_CRUN"
	else
		echo "# crun is skipped: $why" >&3
	fi
}

# use_runtime runc|crun: $RT is that real runtime for the rest of the test.
use_runtime() {
	case $1 in
	runc) RT=$REAL_RUNC ;;
	crun)
		requires crun
		RT=$REAL_CRUN
		;;
	*)
		echo "BUG: use_runtime $1" >&2
		return 1
		;;
	esac
}

# build_static NAME [CC-FLAG...]: in setup_file, $BATS_TEST_DIRNAME/NAME.c as the static program
# $BATS_FILE_TMPDIR/NAME (a busybox root filesystem has no C library); `requires static_NAME`.
build_static() {
	local name=$1
	shift
	[ "$(id -u)" -eq 0 ] || return 0
	"${CC:-cc}" -static -O2 "$@" -o "$BATS_FILE_TMPDIR/$name" "$BATS_TEST_DIRNAME/$name.c" \
		2>"$BATS_FILE_TMPDIR/$name.log" || rm -f "$BATS_FILE_TMPDIR/$name"
}

# ---------------------------------------------------------------- bundles

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

# setup_bundle [NAME]: makes $BUNDLE (a bundle from `runc spec`, rootfs = busybox, terminal off,
# `sh -c "echo hello"`) and $ROOT (a private state dir); $RT and $AUDIT get their defaults.
setup_bundle() {
	requires root runc busybox
	local name=${1:-bundle}
	BUNDLE="$BATS_TEST_TMPDIR/$name"
	ROOT="$BATS_TEST_TMPDIR/state"
	RT=${RT-$REAL_RUNC}
	AUDIT=${AUDIT:-$BATS_TEST_TMPDIR/audit.log}
	ROOTS+=("$ROOT")
	mkdir -p "$BUNDLE" "$ROOT"
	cp -a "$(busybox_rootfs)" "$BUNDLE/rootfs"
	(cd "$BUNDLE" && "$REAL_RUNC" spec)
	update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo hello"]'
}

# update_config [JQ-OPTION NAME VALUE]... FILTER [BUNDLE]: edit config.json in place with jq;
# the options are jq's --arg, --argjson and --slurpfile.
update_config() {
	local opts=()
	while [[ ${1:-} == --* ]]; do
		opts+=("$1" "$2" "$3")
		shift 3
	done
	local b=${2:-$BUNDLE}
	jq "${opts[@]}" "$1" "$b/config.json" >"$b/config.json.tmp" && mv "$b/config.json.tmp" "$b/config.json"
}

# Unique container id per test.
cid() {
	echo "ocg-$$-${BATS_TEST_NUMBER}-${1:-c}"
}

# start_pause ROOT ID [TYPE...]: a long-running busybox container ID under the state dir ROOT,
# started by the real runtime itself ($PAUSE_RUNTIME, default the real runc), in new namespaces
# of the given OCI types (default mount network pid ipc uts): what a pod's pause container or the
# target of Docker's `--network container:X` is.  Sets $PAUSE_PID, its init; the container is
# kept (KEEP) and deleted in teardown (ROOTS).
start_pause() {
	local root=$1 id=$2 rt=${PAUSE_RUNTIME:-$REAL_RUNC} dir types
	shift 2
	dir="$BATS_TEST_TMPDIR/pause-$id"
	types=$(printf '%s\n' "${@:-mount}" | jq -R . | jq -sc .)
	[ $# -gt 0 ] || types='["mount","network","pid","ipc","uts"]'
	mkdir -p "$dir"
	cp -a "$(busybox_rootfs)" "$dir/rootfs"
	(cd "$dir" && "$REAL_RUNC" spec)
	update_config --argjson t "$types" '.process.terminal = false | .process.args = ["sleep", "600"]
		| .linux.namespaces = [$t[] | {type: .}]
		| if any($t[]; . == "uts") then . else del(.hostname) end' "$dir"
	ROOTS+=("$root")
	KEEP+=("$id")
	"$rt" --root "$root" create --bundle "$dir" "$id" </dev/null >/dev/null 2>&1 3>&- || return 1
	"$rt" --root "$root" start "$id" </dev/null >/dev/null 2>&1 3>&- || return 1
	PAUSE_PID=$("$rt" --root "$root" state "$id" | jq -r .pid)
	[ "$PAUSE_PID" -gt 0 ]
}

# policy_file TEXT: $POLICY (default $BATS_TEST_TMPDIR/policy.json) holds TEXT, root's and 0644:
# ocigate refuses a policy file another user could have written.
policy_file() {
	POLICY=${POLICY:-$BATS_TEST_TMPDIR/policy.json}
	printf '%s\n' "$1" >"$POLICY"
	chmod 0644 "$POLICY"
}

# ---------------------------------------------------------------- ocigate and the runtime alone

# __ocg ARGS...: ocigate as an engine's runtime: the real runtime $RT, the audit trail $AUDIT,
# $OCG_FLAGS, the state dir $ROOT, then ARGS (more global flags, the verb and its arguments).
__ocg() {
	local rt=${RT-$REAL_RUNC} flags=(--ocigate-audit-log "${AUDIT:-$BATS_TEST_TMPDIR/audit.log}" "${OCG_FLAGS[@]}")
	[ -z "${ROOT:-}" ] || flags+=(--root "$ROOT")
	if [ -n "$rt" ]; then
		"$OCIGATE" --ocigate-runtime "$rt" "${flags[@]}" "$@"
	else
		env -u OCIGATE_RUNTIME "$OCIGATE" "${flags[@]}" "$@"
	fi
}

# ocg ARGS...: __ocg under bats `run`: $status, $output, $lines; the call and what it printed go
# to stderr, which bats shows when the test fails.
ocg() {
	run __ocg "$@"
	echo "ocigate $* (status=$status):" >&2
	echo "$output" >&2
}

# ocg_stdin TEXT ARGS...: `ocg ARGS...` with TEXT, byte for byte, on its stdin (`update -r -`).
ocg_stdin() {
	local text=$1
	shift
	ocg "$@" < <(printf '%s' "$text")
}

# ocg_detached ARGS...: `ocg` for `create` and `run -d`: the container keeps the stdio it was
# given, so it gets /dev/null and a file, never bats' pipe (bats would wait for the container).
ocg_detached() {
	local out="$BATS_TEST_TMPDIR/ocg-detached.out"
	status=0
	__ocg "$@" </dev/null >"$out" 2>&1 3>&- || status=$?
	output=$(cat "$out")
	mapfile -t lines <<<"$output"
	echo "ocigate $* (status=$status, detached):" >&2
	echo "$output" >&2
}

# ocg_run [FLAG...] [NAME]: the bundle `run` in the foreground through ocigate as container
# $(cid NAME) (default "run"); $output is what ocigate or the container printed.  FLAGs are
# leading words starting with `-`, more global flags (`--ocigate-policy=FILE`).
ocg_run() {
	local flags=()
	while [[ ${1:-} == -* ]]; do
		flags+=("$1")
		shift
	done
	ocg "${flags[@]}" run --bundle "$BUNDLE" "$(cid "${1:-run}")"
}

# ocg_start [FLAG...]: the bundle `run -d` through ocigate as container $(cid), which must then
# be running; $PID is its init.  FLAGs: more global flags.
ocg_start() {
	local rt=${RT:-$REAL_RUNC}
	ocg_detached "$@" run -d --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 0 ]
	[ "$("$rt" --root "$ROOT" state "$(cid)" | jq -r .status)" = running ]
	PID=$("$rt" --root "$ROOT" state "$(cid)" | jq -r .pid)
	[ "$PID" -gt 0 ]
}

# direct_run [NAME]: the same bundle through the runtime $RT alone, in the foreground, as
# container $(cid NAME) (default "direct"): what the container does without ocigate.  The
# container is removed afterwards, whatever happened.
direct_run() {
	local rt=${RT:-$REAL_RUNC} id
	id=$(cid "${1:-direct}")
	run "$rt" --root "$ROOT" run --bundle "$BUNDLE" "$id"
	echo "$rt alone, $id (status=$status):" >&2
	echo "$output" >&2
	"$rt" --root "$ROOT" delete --force "$id" >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- what must hold

# containers_left: the containers under $ROOT, as the runtime $RT lists them, but those in $KEEP.
containers_left() {
	local c k
	for c in $("${RT:-$REAL_RUNC}" --root "$ROOT" list -q 2>/dev/null); do
		for k in "${KEEP[@]}"; do
			[ "$c" != "$k" ] || continue 2
		done
		echo "$c"
	done
}

# assert_denied RULE[:CIS] [TEXT...]: the last `ocg` was denied by the policy and nothing ran:
#  - exit 1, one line starting `ocigate: denied by policy "$DENY_PROFILE": ` (default baseline);
#  - the line names RULE: its head `RULE (...): ` or `RULE: `; with CIS, the head's CIS Docker
#    list has it (`capabilities:5.4` = `capabilities (CIS Docker 1.6.0 5.4`);
#  - the line contains every TEXT, as written;
#  - the last record of $AUDIT says deny, not executed, with RULE among the denied rules;
#  - no container is left under $ROOT but those in $KEEP.
assert_denied() {
	local rule=${1%%:*} cis='' t list
	[[ $1 != *:* ]] || cis=${1#*:}
	shift
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "ocigate: denied by policy \"${DENY_PROFILE:-baseline}\": "* ]]
	[[ "$output" == *"$rule ("* || "$output" == *"$rule: "* ]]
	if [ -n "$cis" ]; then
		[[ "$output" == *"$rule (CIS Docker 1.6.0 "* ]]
		list=${output#*"$rule (CIS Docker 1.6.0 "}
		list=${list%%)*}
		list=${list%%, PSS *}
		[[ ", $list, " == *", $cis, "* ]]
	fi
	for t in "$@"; do
		[[ "$output" == *"$t"* ]]
	done
	tail -n 1 "${AUDIT:-$BATS_TEST_TMPDIR/audit.log}" | jq -e --arg r "$rule" \
		'.verdict == "deny" and .executed == false and any(.denied[]; .rule == $r)' >/dev/null
	[ -z "$(containers_left)" ]
}

# audit_record [VERB]: the last record of the audit trail $AUDIT (of that verb), one JSON line.
audit_record() {
	jq -c --arg v "${1:-}" 'select($v == "" or .verb == $v)' "${AUDIT:-$BATS_TEST_TMPDIR/audit.log}" | tail -n 1
}

# cg CONTROLLER FILE [PID]: a cgroup v1 file of the cgroup the process PID (default $PID, a
# container's init) is in, read on the host (runc and crun place cgroups differently).
cg() {
	local rel
	rel=$(awk -F: -v c="$1" '{n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3}' \
		"/proc/${3:-$PID}/cgroup")
	[ -n "$rel" ] || return 1
	cat "/sys/fs/cgroup/$1$rel/$2"
}

# ---------------------------------------------------------------- teardown

# defer CMD [ARG...]: run CMD in teardown_bundle, after the containers, processes and mounts
# are gone; the last deferred runs first, and its failure is ignored.
defer() {
	DEFERRED+=("$(printf '%q ' "$@")")
}

# stop_pid PID: a process this test started in the background: TERM, KILL if it is still there
# after 5 s, reaped.  Only a child of this test's shell is signalled: a pid whose process is gone
# may have been given to another process since.
stop_pid() {
	local p=$1 i s
	[ "$(awk '{sub(/^.*\) /, ""); print $2}' "/proc/$p/stat" 2>/dev/null)" = "$BASHPID" ] || return 0
	kill -TERM "$p" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		s=$(awk '{sub(/^.*\) /, ""); print $1}' "/proc/$p/stat" 2>/dev/null)
		if [ -z "$s" ] || [ "$s" = Z ]; then
			break
		fi
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}

# remove_cgroups: every cgroup of $CGROUPS in every hierarchy, the last first; rmdir leaves a
# cgroup that still has processes or children.
remove_cgroups() {
	local i c
	for ((i = ${#CGROUPS[@]} - 1; i >= 0; i--)); do
		c=${CGROUPS[$i]}
		# Never a hierarchy's root or a path outside it.
		[[ -n "$c" && "$c" != /* && "$c" != *..* ]] || continue
		rmdir /sys/fs/cgroup/*/"$c" 2>/dev/null
	done
	return 0
}

teardown_bundle() {
	local r rt c p i
	remove_cgroups
	for r in "${ROOTS[@]}"; do
		# Only the test's own state dirs: a shared one holds other people's containers.
		[[ "$r" == "$BATS_TEST_TMPDIR"/* ]] || continue
		[ -d "$r" ] || continue
		for rt in "$REAL_RUNC" "$REAL_CRUN"; do
			[ -x "$rt" ] || continue
			for c in $("$rt" --root "$r" list -q 2>/dev/null); do
				"$rt" --root "$r" delete --force "$c" >/dev/null 2>&1 || true
			done
		done
	done
	for p in "${PIDS[@]}"; do
		stop_pid "$p"
	done
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
	done
	remove_cgroups
	for ((i = ${#DEFERRED[@]} - 1; i >= 0; i--)); do
		eval "${DEFERRED[$i]}" >/dev/null 2>&1 || true
	done
	return 0
}

# The default teardown; a file with more to undo defines its own and calls teardown_bundle.
teardown() {
	teardown_bundle
}
