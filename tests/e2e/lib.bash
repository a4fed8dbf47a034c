# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034
# (SC2034: the constants below are used by the .bats files that load this one.)
# End-to-end helpers: the real engines from Debian's packages (docker.io 20.10 with its managed
# containerd 1.6, containerd 1.6 + ctr, podman 4.3) drive ocigate exactly as they drive runc.
#
# Every daemon runs privately: its own data/state/exec dirs, socket and pidfile under one temp
# dir ($E2E_DIR/<engine>), no bridge, no NAT, no iptables (containers use `--network none`; host
# networking only appears in tests that expect a denial).  A file starts its daemons with
# e2e_spawn, which keeps each one's pid in $E2E_WORK/<name>.spawned, and stops them by that pid.
# Cleanup stops only the processes the run recorded below the work dir (e2e_recorded_pids: its
# own pid files, those the engines write there, the shims of the tasks whose bundles are there),
# unmounts only mounts below it, and removes only cgroups named after the containers it made.
# run.sh sources this file for the same cleanup after an interrupted run.
#
#   OCIGATE          the ocigate binary under test (absolute path)
#   E2E_DIR          work dir shared by the files of one run (run.sh makes it; else one per file)
#   OCIGATE_RUNTIME  the real runtime ocigate execs (default /usr/sbin/runc)

E2E_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OCIGATE=${OCIGATE:-$E2E_SRC/_build/gcc/ocigate}
E2E_REAL_RUNTIME=${OCIGATE_RUNTIME:-/usr/sbin/runc}
# Debian's CLI, the same version as the daemon (an image may put a newer CLI first in PATH).
DOCKER=/usr/bin/docker
E2E_IMAGE=busybox:lab
E2E_CTR_IMAGE=docker.io/library/busybox:lab
E2E_PODMAN_IMAGE=localhost/busybox:lab
# The exact denial line main.c prints, up to the rule id (README: "How it behaves").
E2E_DENY='ocigate: denied by policy "baseline": '
# memory.limit_in_bytes when no limit is set (cgroup v1: LONG_MAX rounded down to the page size).
E2E_CG1_UNLIMITED=9223372036854771712

# ---------------------------------------------------------------- small utilities

# e2e_work ENGINE: make and export $E2E_WORK = $E2E_DIR/ENGINE (fresh).  Called from setup_file.
e2e_work() {
	if [ -z "${E2E_DIR:-}" ]; then
		E2E_DIR=$(mktemp -d /tmp/ocg-e2e.XXXXXX)
		E2E_OWN_DIR=1
		export E2E_OWN_DIR
	fi
	export E2E_DIR
	E2E_WORK=$E2E_DIR/$1
	export E2E_WORK
	mkdir -p "$E2E_WORK"
	echo "ocigate e2e $1" >"$E2E_WORK/.ocg-e2e"
}

# e2e_begin NAME CGROUP_TOP PACKAGE...: the start of every setup_file: the work dir
# $E2E_DIR/NAME, what the host has before the run (paths, and the engine's parent cgroup
# CGROUP_TOP), the packages, the binary under test.  Non-zero, with E2E_SKIP (a package cannot be
# installed) or E2E_BROKEN set, when the file cannot run; the tests then say so.
e2e_begin() {
	local name=$1 top=$2
	shift 2
	e2e_work "$name"
	e2e_snapshot
	e2e_cgroup_snapshot "$top"
	export E2E_CG_TOP=$top
	if ! e2e_install "$@"; then
		E2E_SKIP="$* could not be installed: $(e2e_apt_reason)"
		export E2E_SKIP
		return 1
	fi
	if [ ! -x "$OCIGATE" ]; then
		export E2E_BROKEN="no ocigate binary at $OCIGATE"
		return 1
	fi
}

# e2e_install PACKAGE...: install the missing ones from Debian.  A policy-rc.d (if none exists)
# keeps the packages' init scripts from starting system daemons.  Returns non-zero on failure.
e2e_install() {
	local missing=() p rc made=0
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		made=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		apt-get update -qq >/dev/null 2>&1
	fi
	apt-get install -y -qq "${missing[@]}" >"$E2E_WORK/apt.log" 2>&1
	rc=$?
	[ "$made" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
	return "$rc"
}

# e2e_apt_reason: apt-get's last complaint, for the skip message (the work dir does not outlive
# the run).
e2e_apt_reason() {
	grep -E '^(E|W):' "$E2E_WORK/apt.log" 2>/dev/null | tail -n 1 | tr -d '\n' || true
}

# e2e_require: per-test gate.  Skips when setup_file could not install the engine, fails (with
# setup_file's reason) when the engine did not come up.
e2e_require() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	[ -z "${E2E_SKIP:-}" ] || skip "$E2E_SKIP"
	if [ -n "${E2E_BROKEN:-}" ]; then
		echo "engine set-up failed: $E2E_BROKEN"
		return 1
	fi
}

# e2e_rootfs DIR: a busybox root filesystem from Debian's busybox-static, every applet linked.
e2e_rootfs() {
	local r=$1 a
	mkdir -p "$r"/{bin,etc,proc,sys,dev,tmp,root,data}
	cp /bin/busybox "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
}

# e2e_snapshot: remember which host-global paths the engines may create already existed, so that
# cleanup removes only what this run created.  Exports E2E_PRE (space-separated list).
e2e_snapshot() {
	local p pre=""
	for p in /run/runc /run/containerd /run/containerd/s /run/containerd/fifo /run/docker \
		/run/containers /run/libpod /var/lib/containers /var/lib/cni /etc/cni/net.d/cni.lock \
		/etc/docker/key.json; do
		[ -e "$p" ] && pre="$pre $p"
	done
	E2E_PRE="$pre "
	export E2E_PRE
}

# e2e_remove_if_new PATH: rm -rf PATH unless it existed before this run.
e2e_remove_if_new() {
	case "${E2E_PRE:-}" in *" $1 "*) return 0 ;; esac
	rm -rf "$1"
}

# e2e_rmdir_if_new_and_empty PATH: for shared runtime dirs another engine might be using.
e2e_rmdir_if_new_and_empty() {
	case "${E2E_PRE:-}" in *" $1 "*) return 0 ;; esac
	[ -d "$1" ] && rmdir "$1" 2>/dev/null
	return 0
}

# e2e_procs_naming DIR: PIDs of the processes whose command line names DIR.  Only for asserting
# that nothing of a run is left (cri/cases.bash): cleanup never picks a process this way.
e2e_procs_naming() {
	local d=$1 p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$d/"; then
			echo "${p#/proc/}"
		fi
	done
}

# e2e_kill_pid PID [GRACE_SECONDS]: TERM, wait, then KILL.
e2e_kill_pid() {
	local pid=$1 grace=${2:-15} i
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < grace * 4; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.25
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

# e2e_pid_of FILE: the pid FILE holds, if its process is still the one FILE was written for: it
# started no later than FILE was last written (a pid the kernel gave out again since belongs to a
# process that started after).  Nothing, and non-zero, otherwise.
e2e_pid_of() {
	local f=$1 pid start btime hz
	pid=$(head -n 1 "$f" 2>/dev/null | tr -cd '0-9')
	[ -n "$pid" ] && [ "$pid" -gt 1 ] || return 1
	# Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces).
	start=$(awk '{sub(/^.*\) /, ""); print $20}' "/proc/$pid/stat" 2>/dev/null)
	[ -n "$start" ] || return 1
	btime=$(awk '$1 == "btime" {print $2}' /proc/stat)
	hz=$(getconf CLK_TCK)
	[ $((btime + start / hz)) -le "$(stat -c %Y "$f")" ] || return 1
	echo "$pid"
}

# The programs whose pid files the engines write below the work dir: dockerd's pidfile, the
# containerd dockerd starts, a runc shim's shim.pid (the v1 shim's; v2 keeps none), conmon's
# conmon.pid.  A pid file of a container's own process (runc's init.pid, conmon's pidfile) is
# not one of them: those processes are in the containers' cgroups, which
# e2e_rm_recorded_cgroups empties.
E2E_DAEMON_BINARIES=' /usr/sbin/dockerd /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/bin/conmon /usr/libexec/podman/conmon '

# e2e_recorded_pids DIR: the processes the files of a run recorded below DIR, each while it is
# the process its record was written for: every <name>.spawned (a process a file started with
# e2e_spawn), every *.pid whose process runs one of $E2E_DAEMON_BINARIES, and the shims of the
# containerd tasks whose bundles are there.  Container root filesystems are not searched: a pid
# file there holds a pid of another namespace.
e2e_recorded_pids() {
	local dir=$1 f pid sock
	while IFS= read -r -d '' f; do
		pid=$(e2e_pid_of "$f") || continue
		if [[ "$f" != *.spawned ]]; then
			[[ "$E2E_DAEMON_BINARIES" == *" $(readlink "/proc/$pid/exe" 2>/dev/null) "* ]] || continue
		fi
		echo "$pid"
	done < <(find "$dir" \( -name rootfs -o -name merged -o -name diff -o -name overlay -o -name vfs -o -name hostroot \) -prune \
		-o -type f \( -name '*.spawned' -o -name '*.pid' \) -print0 2>/dev/null)
	# containerd 1.6's runc shim writes no pid file (runtime/v2/runc/manager), but the bundle's
	# `address` names the socket it listens on: its listener is the task's shim.
	while IFS= read -r -d '' f; do
		sock=$(sed -n 's#^unix://##p' "$f")
		[ -S "$sock" ] || continue
		for pid in $(ss -Hxlp src "$sock" 2>/dev/null | grep -oE 'pid=[0-9]+' | cut -d= -f2); do
			[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/bin/containerd-shim-runc-v2 ] && echo "$pid"
		done
	done < <(find "$dir" -path '*/io.containerd.runtime.v2.task/*/*/address' -type f -print0 2>/dev/null)
	return 0
}

# e2e_kill_leftovers DIR [GRACE_SECONDS]: stop what is left of a run below DIR: the processes of
# e2e_recorded_pids, and nothing else.
e2e_kill_leftovers() {
	local pid
	[ -d "$1" ] || return 0
	for pid in $(e2e_recorded_pids "$1" | sort -u); do
		e2e_kill_pid "$pid" "${2:-5}"
	done
}

# e2e_spawn NAME ARGS...: ARGS in the background, in a session of its own, output appended to
# $E2E_WORK/NAME.log; $E2E_WORK/NAME.spawned holds its pid, by which it is stopped.
e2e_spawn() {
	local name=$1
	shift
	setsid "$@" >>"$E2E_WORK/$name.log" 2>&1 </dev/null &
	echo "$!" >"$E2E_WORK/$name.spawned"
}

# e2e_wait_up NAME CHECK...: wait until CHECK succeeds (30 s at most); fails at once when the
# process NAME was spawned as is gone.
e2e_wait_up() {
	local name=$1 i
	shift
	for ((i = 0; i < 120; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$E2E_WORK/$name.spawned")" 2>/dev/null || return 1
		sleep 0.25
	done
	return 1
}

# e2e_stop NAME [GRACE_SECONDS]: stop the process spawned as NAME (TERM, KILL after the grace,
# default 15 s), by the pid in its file.
e2e_stop() {
	local f=$E2E_WORK/$1.spawned pid
	[ -f "$f" ] || return 0
	if pid=$(e2e_pid_of "$f"); then
		e2e_kill_pid "$pid" "${2:-15}"
	fi
	rm -f "$f"
}

# e2e_umount_under DIR: every mount point at or below DIR, deepest first.
e2e_umount_under() {
	local d=$1 m
	awk -v d="$d" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r |
		while read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	return 0
}

# e2e_rm_cgroup REL [kill]: remove the cgroup REL (e.g. docker/<id>) and its children in every
# hierarchy; rmdir refuses populated cgroups, so nothing live is hit.  With "kill" (only for a
# cgroup named after a container this run made) processes left in it are thawed and killed.
e2e_rm_cgroup() {
	local rel=$1 h
	[ -n "$rel" ] || return 0
	[ "${2:-}" = kill ] && e2e_kill_cgroup "$rel"
	for h in /sys/fs/cgroup/*/; do
		[ -d "$h$rel" ] && find "$h$rel" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	return 0
}

e2e_kill_cgroup() {
	local rel=$1 h pid
	for h in /sys/fs/cgroup/freezer/"$rel" /sys/fs/cgroup/freezer/"$rel"/*/; do
		[ -f "$h/freezer.state" ] && echo THAWED >"$h/freezer.state" 2>/dev/null
	done
	if [ -d "/sys/fs/cgroup/memory/$rel" ]; then
		find "/sys/fs/cgroup/memory/$rel" -name cgroup.procs -exec cat {} + 2>/dev/null |
			while read -r pid; do kill -KILL "$pid" 2>/dev/null; done
		sleep 0.2
	fi
	return 0
}

# e2e_cgroup_snapshot TOP...: remember which engine parent cgroups (docker, libpod_parent, the
# ctr namespace) existed before this run.
e2e_cgroup_snapshot() {
	local top pre=""
	for top in "$@"; do
		[ -e "/sys/fs/cgroup/memory/$top" ] && pre="$pre $top"
	done
	E2E_PRE_CG="$pre "
	export E2E_PRE_CG
}

# e2e_rm_cgroup_parent_if_new TOP: the whole engine parent cgroup, if this run created it.
e2e_rm_cgroup_parent_if_new() {
	case "${E2E_PRE_CG:-}" in *" $1 "*) return 0 ;; esac
	e2e_rm_cgroup "$1"
}

# e2e_record_cgroup REL: note a cgroup this run's containers use, for cleanup.
e2e_record_cgroup() {
	echo "$1" >>"$E2E_WORK/cgroups"
}

e2e_rm_recorded_cgroups() {
	local rel
	[ -f "$E2E_WORK/cgroups" ] || return 0
	sort -u "$E2E_WORK/cgroups" | while read -r rel; do e2e_rm_cgroup "$rel" kill; done
}

# e2e_audit_has CONTAINER_ID VERB: the audit log holds a record for this container and verb;
# prints the matching records.
e2e_audit_has() {
	local log=$E2E_WORK/audit.log
	[ -f "$log" ] || {
		echo "no audit log at $log"
		return 1
	}
	# -s: one input, so -e judges the last match (jq 1.6 -e otherwise reports on the last line).
	jq -sec --arg id "$1" --arg verb "$2" '.[] | select(.container == $id and .verb == $verb)' "$log"
}

# e2e_log_has_no_ocigate FILE: no line ocigate wrote in an engine's --log file (runc's log.json).
e2e_log_has_no_ocigate() {
	[ -f "$1" ] || {
		echo "no runtime log file $1"
		return 1
	}
	if grep -n ocigate "$1"; then
		echo "ocigate wrote into $1 on an allowed path"
		return 1
	fi
}

# e2e_log_last_is_denial FILE: its last line is runc-format JSON, level error, msg "ocigate: ...".
e2e_log_last_is_denial() {
	local last
	last=$(tail -n 1 "$1")
	echo "last line of $1: $last"
	jq -e '.level == "error" and (.msg | startswith("ocigate: ")) and (.time | type == "string")' \
		<<<"$last" >/dev/null
}

# ---------------------------------------------------------------- Docker (dockerd 20.10)

# e2e_docker_conf STORAGE_DRIVER DEFAULT_RUNTIME: daemon.json, with the runtimes `ocigate` and
# `ocigate-restricted` and those of $E2E_DOCKER_RUNTIMES (a JSON object, as daemon.json's).
e2e_docker_conf() {
	local w=$E2E_WORK
	jq -n --arg w "$w" --arg sd "$1" --arg dr "$2" --arg og "$OCIGATE" \
		--arg ogr "$w/bin/ocigate-restricted" --argjson more "${E2E_DOCKER_RUNTIMES:-"{}"}" '{
		runtimes: ({ ocigate: { path: $og }, "ocigate-restricted": { path: $ogr } } + $more),
		"default-runtime": $dr,
		"storage-driver": $sd,
		iptables: false, ip6tables: false, bridge: "none", "ip-forward": false,
		"ip-masq": false, "userland-proxy": false,
		"data-root": ($w + "/data"), "exec-root": ($w + "/exec"),
		pidfile: ($w + "/dockerd.pid"), hosts: ["unix://" + $w + "/docker.sock"] }' \
		>"$w/daemon.json"
}

# e2e_docker_policy: a policy file for the private dockerd.  ocigate recognises Docker's own
# per-container files (resolv.conf, hostname, hosts, shm) under the default data-root
# /var/lib/docker only; the restricted profile, which treats every top-level host directory as
# sensitive, would deny them under this run's data-root.  Declaring them is what an operator
# who moves data-root does (contrib/policy/README.md, sensitive-mounts `engine_owned_paths`).
# baseline stays the built-in.  Prints nothing and writes no file if ocigate cannot show its
# policy (the tests then run on the built-ins).
e2e_docker_policy() {
	local w=$E2E_WORK owned
	owned=$("$OCIGATE" policy show --profile restricted 2>/dev/null |
		jq -c '.profiles.restricted.rules["sensitive-mounts"].engine_owned_paths // empty') || return 0
	[ -n "$owned" ] || return 0
	jq -n --argjson o "$owned" --arg c "$w/data/containers/*" '{profiles: {restricted: {rules: {
		"sensitive-mounts": {engine_owned_paths: ($o + [$c + "/resolv.conf", $c + "/hostname",
			$c + "/hosts", $c + "/mounts"])}}}}}' >"$w/policy.json"
	"$OCIGATE" policy validate "$w/policy.json" >"$w/policy.validate" 2>&1 || rm -f "$w/policy.json"
}

# e2e_dockerd_up [ENV...]: dockerd with $E2E_WORK/daemon.json (whose pidfile is
# $E2E_WORK/dockerd.pid) spawned as `dockerd` under `env ENV...`, and its API up.
e2e_dockerd_up() {
	local w=$E2E_WORK i
	rm -f "$w/dockerd.pid"
	e2e_spawn dockerd env "$@" /usr/sbin/dockerd --config-file "$w/daemon.json"
	for ((i = 0; i < 120; i++)); do
		# setsid forks when it leads a process group (job control): then only the pidfile has
		# dockerd's pid.
		[ -s "$w/dockerd.pid" ] && cat "$w/dockerd.pid" >"$w/dockerd.spawned"
		"$DOCKER" version >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$w/dockerd.spawned")" 2>/dev/null || return 1
		sleep 0.25
	done
	return 1
}

# e2e_docker_start STORAGE_DRIVER [DEFAULT_RUNTIME]: a private dockerd (default runtime runc) with
# its API up.  ocigate reaches the real runtime, its policy file and its audit trail through
# dockerd's environment, which containerd and the shim pass on to every runtime call.
e2e_docker_start() {
	local w=$E2E_WORK policy=()
	e2e_docker_conf "$1" "${2:-runc}"
	[ -f "$w/policy.json" ] && policy=("OCIGATE_POLICY=$w/policy.json")
	e2e_dockerd_up OCIGATE_AUDIT_LOG="$w/audit.log" OCIGATE_RUNTIME="$E2E_REAL_RUNTIME" "${policy[@]}"
}

# e2e_docker_stop: remove every container of this daemon, then stop it by its pid.
e2e_docker_stop() {
	local id
	[ -f "$E2E_WORK/dockerd.spawned" ] || return 0
	for id in $("$DOCKER" ps -aq --no-trunc 2>/dev/null); do
		e2e_record_cgroup "docker/$id"
		"$DOCKER" rm -f "$id" >/dev/null 2>&1
	done
	e2e_stop dockerd 30
}

# e2e_docker_daemon START...: `START... STORAGE_DRIVER` brings dockerd up with overlay2, or with
# vfs where overlay2 does not work here; then the busybox image.  Sets E2E_SD, or E2E_BROKEN.
e2e_docker_daemon() {
	local sd
	for sd in overlay2 vfs; do
		if "$@" "$sd"; then
			export E2E_SD=$sd
			e2e_docker_image
			return 0
		fi
		e2e_docker_stop
	done
	E2E_BROKEN="dockerd did not start: $(tail -n 3 "$E2E_WORK/dockerd.log" | tr '\n' ' ')"
	export E2E_BROKEN
}

# e2e_docker_image: $E2E_IMAGE, the busybox root filesystem imported (nothing is pulled).
e2e_docker_image() {
	e2e_rootfs "$E2E_WORK/rootfs"
	if ! tar -C "$E2E_WORK/rootfs" -c . | "$DOCKER" import - "$E2E_IMAGE" >/dev/null 2>&1; then
		export E2E_BROKEN="docker import of the busybox rootfs failed"
	fi
}

# e2e_docker_setup: everything docker.bats needs.  Sets E2E_SKIP (package not installable) or
# E2E_BROKEN (daemon or image did not come up); the tests report either.
e2e_docker_setup() {
	e2e_begin docker docker docker.io busybox-static jq || return 0
	export DOCKER_HOST="unix://$E2E_WORK/docker.sock"
	mkdir -p "$E2E_WORK/bin"
	ln -sf "$OCIGATE" "$E2E_WORK/bin/ocigate-restricted"
	e2e_docker_policy
	e2e_docker_daemon e2e_docker_start
}

e2e_docker_teardown() {
	[ -n "${E2E_WORK:-}" ] || return 0
	e2e_docker_stop
	e2e_cleanup
}

# e2e_docker_bundle ID: the bundle containerd's shim hands to the runtime (its log.json is the
# runtime's --log file).
e2e_docker_bundle() {
	echo "$E2E_WORK/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$1"
}

# ---------------------------------------------------------------- containerd 1.6 + ctr

# e2e_ctr ARGS...: ctr against the private containerd, in this run's namespace.
e2e_ctr() {
	ctr -a "$E2E_WORK/containerd.sock" -n ocg-e2e "$@"
}

# e2e_oci_archive ROOTFS REF OUT [ENTRYPOINT_JSON]: an OCI image archive (one layer) for `ctr
# image import`; its config runs /bin/sh, or ENTRYPOINT_JSON (a JSON array) when given.
e2e_oci_archive() {
	local rootfs=$1 ref=$2 out=$3 entry=${4:-null} d arch layer_dig layer_size cfg_dig cfg_size man_dig man_size
	d=$(mktemp -d "$E2E_WORK/oci.XXXXXX")
	mkdir -p "$d/blobs/sha256"
	case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
	tar -C "$rootfs" -cf "$d/layer" .
	layer_dig=$(sha256sum "$d/layer" | cut -d' ' -f1)
	layer_size=$(stat -c %s "$d/layer")
	mv "$d/layer" "$d/blobs/sha256/$layer_dig"
	jq -nc --arg a "$arch" --arg l "sha256:$layer_dig" --argjson e "$entry" '{architecture: $a,
		os: "linux",
		config: ((if $e == null then {Cmd: ["/bin/sh"]} else {Entrypoint: $e} end) + {
			Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}),
		rootfs: {type: "layers", diff_ids: [$l]}}' >"$d/cfg"
	cfg_dig=$(sha256sum "$d/cfg" | cut -d' ' -f1)
	cfg_size=$(stat -c %s "$d/cfg")
	mv "$d/cfg" "$d/blobs/sha256/$cfg_dig"
	jq -nc --arg c "sha256:$cfg_dig" --argjson cfg_size "$cfg_size" \
		--arg l "sha256:$layer_dig" --argjson layer_size "$layer_size" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cfg_size},
		layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $layer_size}]}' >"$d/man"
	man_dig=$(sha256sum "$d/man" | cut -d' ' -f1)
	man_size=$(stat -c %s "$d/man")
	mv "$d/man" "$d/blobs/sha256/$man_dig"
	jq -nc --arg m "sha256:$man_dig" --argjson man_size "$man_size" --arg a "$arch" --arg ref "$ref" '{
		schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
		digest: $m, size: $man_size, platform: {architecture: $a, os: "linux"},
		annotations: {"io.containerd.image.name": $ref,
			"org.opencontainers.image.ref.name": ($ref | sub(".*:"; ""))}}]}' >"$d/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	tar -C "$d" -cf "$out" oci-layout index.json blobs
	rm -rf "$d"
}

# e2e_containerd_start: a private containerd (no CRI plugin) with root, state, socket and opt
# dir under $E2E_WORK.
e2e_containerd_start() {
	local w=$E2E_WORK
	cat >"$w/containerd.toml" <<EOF
version = 2
root = "$w/root"
state = "$w/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$w/containerd.sock"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$w/opt"
EOF
	e2e_containerd_up "$w/containerd.toml" OCIGATE_AUDIT_LOG="$w/audit.log" OCIGATE_RUNTIME="$E2E_REAL_RUNTIME"
}

# e2e_containerd_up CONFIG [ENV...]: containerd with CONFIG (its socket $E2E_WORK/containerd.sock)
# spawned as `containerd` under `env ENV...`, and answering.
e2e_containerd_up() {
	local config=$1
	shift
	e2e_spawn containerd env "$@" /usr/bin/containerd --config "$config"
	e2e_wait_up containerd ctr -a "$E2E_WORK/containerd.sock" version
}

# e2e_containerd_stop NAMESPACE: kill and remove the tasks and containers of NAMESPACE, then stop
# this file's containerd by its pid.
e2e_containerd_stop() {
	local c=(ctr -a "$E2E_WORK/containerd.sock" -n "$1") id
	[ -f "$E2E_WORK/containerd.spawned" ] || return 0
	for id in $("${c[@]}" task ls -q 2>/dev/null); do
		"${c[@]}" task kill -s 9 "$id" >/dev/null 2>&1
		sleep 0.2
		"${c[@]}" task rm -f "$id" >/dev/null 2>&1
	done
	for id in $("${c[@]}" container ls -q 2>/dev/null); do
		"${c[@]}" container rm "$id" >/dev/null 2>&1
	done
	e2e_stop containerd 15
}

# e2e_ctr_image CTR...: the busybox root filesystem as the OCI image $E2E_CTR_IMAGE, imported with
# `CTR... image import`.  Sets E2E_BROKEN when that fails.
e2e_ctr_image() {
	e2e_rootfs "$E2E_WORK/rootfs"
	e2e_oci_archive "$E2E_WORK/rootfs" "$E2E_CTR_IMAGE" "$E2E_WORK/busybox-oci.tar"
	if ! "$@" image import "$E2E_WORK/busybox-oci.tar" >"$E2E_WORK/import.log" 2>&1; then
		E2E_BROKEN="ctr image import failed: $(tail -n 1 "$E2E_WORK/import.log")"
		export E2E_BROKEN
	fi
}

e2e_ctr_setup() {
	e2e_begin ctr ocg-e2e containerd busybox-static jq || return 0
	if ! e2e_containerd_start; then
		E2E_BROKEN="containerd did not start: $(tail -n 3 "$E2E_WORK/containerd.log" | tr '\n' ' ')"
		export E2E_BROKEN
		return 0
	fi
	e2e_ctr_image e2e_ctr
}

e2e_ctr_teardown() {
	[ -n "${E2E_WORK:-}" ] || return 0
	e2e_containerd_stop ocg-e2e
	e2e_cleanup
}

# ---------------------------------------------------------------- Podman 4.3

# e2e_podman ARGS...: podman with private storage, cgroupfs, file events and ocigate as runtime.
# conmon gives the runtime an almost empty environment (no OCIGATE_*), so ocigate's audit trail
# is pointed into the work dir with podman's own mechanism for runtime flags:
# `--runtime-flag ocigate-audit-log=F` becomes the global flag `--ocigate-audit-log=F`.
e2e_podman() {
	local flags=()
	[ "${E2E_OCG_FLAGS:-0}" = 1 ] && flags=(--runtime-flag "ocigate-audit-log=$E2E_WORK/audit.log")
	podman --root "$E2E_WORK/storage" --runroot "$E2E_WORK/run" --tmpdir "$E2E_WORK/tmp" \
		--cgroup-manager cgroupfs --events-backend file --runtime "$OCIGATE" \
		"${flags[@]}" "$@"
}

# e2e_podman_conf FILE ULIMITS: containers.conf; ULIMITS "fix" sets default_ulimits to what this
# host can grant (podman asks NOFILE/NPROC 1048576; raising a hard limit needs CAP_SYS_RESOURCE,
# which this VM kind's bounding set lacks), "podman" keeps podman's built-in defaults.
e2e_podman_conf() {
	local f=$1 nofile nproc
	nofile=$(ulimit -Hn)
	nproc=$(ulimit -Hu)
	{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
	{
		printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
		printf 'events_logfile_path = "%s"\ntmp_dir = "%s"\n' "$E2E_WORK/events.log" "$E2E_WORK/tmp"
		printf '[containers]\nnetns = "none"\n'
		if [ "$2" = fix ]; then
			printf 'default_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' "$nofile" "$nofile" "$nproc" "$nproc"
		fi
	} >"$f"
}

# e2e_podman_setup [NAME]: everything podman.bats (or the file NAME, its work dir) needs.
e2e_podman_setup() {
	e2e_begin "${1:-podman}" libpod_parent podman busybox-static jq || return 0
	mkdir -p "$E2E_WORK"/{storage,run,tmp}
	# Only a binary that knows ocigate's flags gets one (lets the harness run against plain runc).
	if "$OCIGATE" --ocigate-version >/dev/null 2>&1; then
		export E2E_OCG_FLAGS=1
	fi
	e2e_podman_conf "$E2E_WORK/containers.conf" fix
	e2e_podman_conf "$E2E_WORK/containers-podman-ulimits.conf" podman
	printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' \
		"$E2E_WORK/storage" "$E2E_WORK/run" >"$E2E_WORK/storage.conf"
	export CONTAINERS_CONF=$E2E_WORK/containers.conf CONTAINERS_STORAGE_CONF=$E2E_WORK/storage.conf
	e2e_podman_image e2e_podman
}

# e2e_podman_image PODMAN...: the busybox root filesystem imported as $E2E_PODMAN_IMAGE with
# `PODMAN... import`.  Sets E2E_BROKEN when that fails.
e2e_podman_image() {
	e2e_rootfs "$E2E_WORK/rootfs"
	if ! tar -C "$E2E_WORK/rootfs" -c . | "$@" import - "$E2E_PODMAN_IMAGE" >"$E2E_WORK/import.log" 2>&1; then
		E2E_BROKEN="podman import failed: $(tail -n 1 "$E2E_WORK/import.log")"
		export E2E_BROKEN
	fi
}

# e2e_podman_rm_all PODMAN...: every container of that Podman removed (their cgroups recorded).
e2e_podman_rm_all() {
	local id
	command -v podman >/dev/null && [ -d "$E2E_WORK/storage" ] || return 0
	for id in $("$@" ps -aq --no-trunc 2>/dev/null); do
		e2e_record_cgroup "libpod_parent/libpod-$id"
		"$@" rm -f -t 0 "$id" >/dev/null 2>&1
	done
}

e2e_podman_teardown() {
	[ -n "${E2E_WORK:-}" ] || return 0
	e2e_podman_rm_all e2e_podman
	e2e_cleanup
}

# ---------------------------------------------------------------- common

# e2e_cleanup: what is left of a file's run once its engine removed its containers and its
# daemons were stopped: the processes it recorded (e2e_kill_leftovers), mounts below the work
# dir, the cgroups of its containers, the engine's parent cgroup ($E2E_CG_TOP) if the run made
# it, the engines' host-global leftovers.
e2e_cleanup() {
	e2e_kill_leftovers "$E2E_WORK" 5
	e2e_umount_under "$E2E_WORK"
	e2e_rm_recorded_cgroups
	[ -z "${E2E_CG_TOP:-}" ] || e2e_rm_cgroup_parent_if_new "$E2E_CG_TOP"
	e2e_common_teardown
}

# Host-global leftovers the engines create outside their private dirs.
e2e_common_teardown() {
	e2e_rmdir_if_new_and_empty /run/containerd/s
	e2e_rmdir_if_new_and_empty /run/containerd/fifo
	# podman gives a runtime that is not named runc/crun no --root: runc's default state dir.
	e2e_rmdir_if_new_and_empty /run/runc
	e2e_rmdir_if_new_and_empty /run/containerd
	e2e_remove_if_new /run/docker
	e2e_remove_if_new /run/containers
	e2e_remove_if_new /run/libpod
	e2e_remove_if_new /var/lib/containers
	e2e_remove_if_new /var/lib/cni
	e2e_remove_if_new /etc/cni/net.d/cni.lock
	e2e_remove_if_new /etc/docker/key.json
	if [ "${E2E_OWN_DIR:-0}" = 1 ] && [ -n "${E2E_DIR:-}" ] && [ -z "${E2E_KEEP:-}" ]; then
		grep -qF " $E2E_DIR/" /proc/mounts || rm -rf "$E2E_DIR"
	fi
	return 0
}
