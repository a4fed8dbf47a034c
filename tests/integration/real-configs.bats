#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Every config.json captured from a real engine (tests/fixtures/real-clients, see its production/
# README) is judged by ocigate with the built-in baseline policy, with THIS host's facts, and run
# by the real runc.  The unit table test (tests/unit/test_rules.c) covers the same decisions with
# fake host facts; here the namespace inodes, mount sources and cgroups are real.
#
# Engine defaults must be allowed with only missing protections injected and must still run
# (CapEff etc. are proven in capabilities.bats; here: NoNewPrivs 1, Seccomp 2, finite memory and
# pids limits, an audit record with nothing denied, a patch that only adds or replaces
# protections).  Privileged, host-network, `-v /etc` and `--cap-add SYS_ADMIN` configs must be
# denied, name the right rule ids with their CIS Docker 1.6.0 ids, and leave no container.
#
# The engines drive runc with `create` then `start`, and so does this file: between the two the
# container's init exists in its cgroup, so the limits are read from the host's cgroup files of
# that very process (ctr's and CRI's sandboxes do not mount /sys/fs/cgroup at all).
#
# Adaptations of a captured config, the smallest that let it run on this host (adapt()):
#  - root.path -> a busybox rootfs in the bundle (the engine's overlay is gone); root.readonly kept;
#  - process.args -> a probe printing /proc/self/status lines (kept behind Docker's
#    `/sbin/docker-init --` prefix); process.terminal -> false (a tty needs the engine's console
#    socket; no rule looks at it);
#  - bind sources that do not exist here -> the same path under a per-test temp dir, created with
#    the same shape (file or directory).  Nothing is ever created under /var/lib/docker,
#    /var/lib/kubelet, /run/containerd, ...; instead `ocigate check` judges the config with the
#    engine's real source paths first (check_engine_paths), so sensitive-mounts still sees them;
#  - namespace `path` entries: /proc/<pid>/ns/* -> the namespaces of a pause container this test
#    starts under the same runc root (start_holder; loopback only); netns files (Docker's
#    <exec-root>/netns/<id>, CNI's netns/cni-*) -> a file in the temp dir holding a fresh netns
#    (`unshare --net=FILE`), or, for
#    Docker's `netns/default`, the host's netns bind-mounted on it as dockerd does;
#  - Docker's `libnetwork-setkey` prestart hook runs `/proc/<dockerd pid>/exe`: with no dockerd
#    running ocigate denies it (asserted, assert_setkey_hook_denied) and runc could not run it,
#    so it is removed for the run.  tests/e2e covers it with a real dockerd.
# Not adapted: this VM lacks CAP_SYS_RESOURCE, but no captured config asks for oomScoreAdj < 0
# (CRI ran with restrict_oom_score_adj), and podman's rlimits above the caller's hard limit are
# clamped by ocigate itself (resource-limits), so they are left as captured.  cgroupsPath is kept
# (the cgroup-parent rule judges it); parents this file creates are removed in teardown.

load helpers

FIX="$OCG_FIXTURES/real-clients"
# 2 GiB and 4096: the baseline's injected memory and pids limits (policy/rules/defaults_resources.h).
DEFAULT_MEMORY=2147483648
DEFAULT_PIDS=4096

setup() {
	requires root runc busybox
	command -v jq >/dev/null || skip "needs jq"
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	ROOT="$BATS_TEST_TMPDIR/state"
	ROOTS+=("$ROOT")
	HOSTFS="$BATS_TEST_TMPDIR/hostfs"
	NSDIR="$BATS_TEST_TMPDIR/netns"
	CTR_OUT="$BATS_TEST_TMPDIR/container.out"
	mkdir -p "$BUNDLE" "$ROOT" "$HOSTFS" "$NSDIR"
	HOLDER=
}

# start_holder TYPE...: the pod's pause container, whose /proc/<pid>/ns/* the app containers
# join: a real container under the same runc root (ocigate only lets a container join the
# namespaces of a live container of its own runtime root), in new namespaces of the given types.
# Sets $HOLDER (its init pid); it is kept (KEEP), not "left behind".
start_holder() {
	start_pause "$ROOT" "$(cid pause)" "$@"
	HOLDER=$PAUSE_PID
	[ -d "/proc/$HOLDER" ]
}

# The file under /proc/<pid>/ns/ for an OCI namespace type.
ns_file() {
	case $1 in
	network) echo net ;;
	mount) echo mnt ;;
	*) echo "$1" ;;
	esac
}

# adapt_namespaces private|host: point every namespace `path` at namespaces of this host.
# private: a fresh ipc/uts/net holder and fresh netns files (a pod's or a bridge container's);
# host: a holder in the host's net and uts namespaces (a hostNetwork pod's pause) and the host's
# netns bind-mounted on netns files (dockerd's <exec-root>/netns/default).
adapt_namespaces() {
	local mode=$1 i type path f flag
	while IFS=$'\t' read -r i type path; do
		if [[ "$path" == /proc/* ]]; then
			if [ -z "${HOLDER:-}" ]; then
				# host: a hostNetwork pause keeps the host's network and uts namespaces.
				if [ "$mode" = private ]; then start_holder mount pid ipc uts network; else start_holder mount pid ipc; fi
			fi
			update_config --argjson i "$i" --arg p "/proc/$HOLDER/ns/$(ns_file "$type")" '.linux.namespaces[$i].path = $p'
		else
			# A namespace file: Docker's and CNI's netns, CRI-O's pinned {net,ipc,uts}ns/<id>.
			case $type in network) flag=--net ;; ipc) flag=--ipc ;; uts) flag=--uts ;; *) return 1 ;; esac
			f="$NSDIR/$(basename "$path")"
			[ "$type" = network ] || f="$NSDIR/$type-$(basename "$path")"
			touch "$f"
			if [ "$mode" = private ]; then
				unshare "$flag=$f" true
			else
				mount --bind "/proc/self/ns/$(ns_file "$type")" "$f"
			fi
			MOUNTS+=("$f")
			update_config --argjson i "$i" --arg p "$f" '.linux.namespaces[$i].path = $p'
		fi
	done < <(jq -r '.linux.namespaces | to_entries[] | select(.value.path) | [.key, .value.type, .value.path] | @tsv' "$BUNDLE/config.json")
}

# The engines bind these as files (Docker's containers/<id>/{resolv.conf,hostname,hosts},
# podman's userdata/.containerenv, kubelet's etc-hosts and termination log); every other
# captured bind source is a directory (shm, volumes, /srv/www).
FILE_BINDS=' /etc/resolv.conf /etc/hostname /etc/hosts /run/.containerenv /dev/termination-log '

# relocate_binds: bind sources missing on this host -> same path under $HOSTFS, same shape.
relocate_binds() {
	local i src dst
	while IFS=$'\t' read -r i src dst; do
		[ -e "$src" ] && continue
		mkdir -p "$(dirname "$HOSTFS$src")"
		if [[ "$FILE_BINDS" == *" $dst "* ]]; then touch "$HOSTFS$src"; else mkdir -p "$HOSTFS$src"; fi
		update_config --argjson i "$i" --arg s "$HOSTFS$src" '.mounts[$i].source = $s'
	done < <(jq -r '.mounts | to_entries[]
		| select(.value.type == "bind" or any(.value.options[]?; . == "bind" or . == "rbind"))
		| [.key, .value.source, .value.destination] | @tsv' "$BUNDLE/config.json")
}

PROBE='grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; echo "pid1=$(cat /proc/1/comm)"
grep "^Max open files" /proc/self/limits; echo "net=$(readlink /proc/self/ns/net) ipc=$(readlink /proc/self/ns/ipc)"
if [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	echo "cg-memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
	echo "cg-pids=$(cat /sys/fs/cgroup/pids/pids.max)"
fi
echo probe-done'

# adapt FIXTURE private|host: $BUNDLE from a captured config, except the setkey hook and binds
# (see the header).  Also registers the cgroup parents that do not exist yet (CGROUPS, the
# outermost first), for teardown.
adapt() {
	local name=$1 mode=$2
	cp -a "$(busybox_rootfs)" "$BUNDLE/rootfs"
	cp "$FIX/$name.config.json" "$BUNDLE/config.json"
	update_config --arg probe "$PROBE" '.root.path = "rootfs" | .process.terminal = false
		| .process.args = (if .process.args[0] == "/sbin/docker-init" then .process.args[0:2] else [] end)
			+ ["sh", "-c", $probe]'
	adapt_namespaces "$mode"
	local cg parent new=()
	cg=$(jq -r '.linux.cgroupsPath // "" | ltrimstr("/")' "$BUNDLE/config.json")
	parent=$(dirname "$cg")
	if [ "$parent" != . ] && [ ! -e "/sys/fs/cgroup/memory/${parent%%/*}" ]; then
		while [ "$parent" != . ]; do
			new=("$parent" "${new[@]}")
			parent=$(dirname "$parent")
		done
		CGROUPS+=("${new[@]}")
	fi
}

drop_setkey_hook() {
	update_config 'if .hooks.prestart then .hooks.prestart |= map(select(.args[0] != "libnetwork-setkey")) else . end'
}

# create_start: `create` through ocigate as the engines do, read the init's cgroup limits on the
# host, `start`, wait for the probe to finish.  Sets $status, $output (ocigate's and runc's
# stderr), $HOST_MEMORY, $HOST_PIDS; the container's stdout is in $CTR_OUT.
create_start() {
	local id
	id=$(cid)
	status=0
	__ocg create --bundle "$BUNDLE" "$id" </dev/null >"$CTR_OUT" 2>"$BATS_TEST_TMPDIR/create.err" 3>&- || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/create.err")
	echo "create: status=$status stderr=$output"
	[ "$status" -eq 0 ] || return 0
	local pid i
	pid=$("$REAL_RUNC" --root "$ROOT" state "$id" | jq -r .pid)
	HOST_MEMORY=$(cg memory memory.limit_in_bytes "$pid")
	HOST_PIDS=$(cg pids pids.max "$pid")
	__ocg start "$id"
	for i in $(seq 100); do
		[ "$("$REAL_RUNC" --root "$ROOT" state "$id" | jq -r .status)" = stopped ] && break
		sleep 0.05
	done
	"$REAL_RUNC" --root "$ROOT" delete "$id"
	echo "container: $(cat "$CTR_OUT")"
}

# check_decision DIR: `ocigate check` (runs nothing, writes nothing); the decision JSON in $output.
# A config the CRI plugin wrote is judged as containerd calls runc: with its k8s.io runc root,
# the only caller whose io.kubernetes.cri.* annotations are trusted.  Every config is judged for
# the container id the engine passed with it (the engines name the cgroup after it: /docker/<id>,
# libpod-<id>, kubepods/.../<id>), whose own state directories its binds come from.
check_decision() {
	local root=() id
	if jq -e '.annotations["io.kubernetes.cri.sandbox-id"]' "$1/config.json" >/dev/null; then
		root=(--root /run/containerd/runc/k8s.io)
	fi
	# CRI-O passes its runtime root itself: the only caller whose io.kubernetes.cri-o.* count.
	if jq -e '.annotations["io.kubernetes.cri-o.ContainerType"]' "$1/config.json" >/dev/null; then
		root=(--root /run/runc)
	fi
	id=$(jq -r '.linux.cgroupsPath // "" | split("/") | last | split("-") | last' "$1/config.json")
	run "$OCIGATE" "${root[@]}" check --format json --id "$id" "$1"
	echo "check $1: status=$status"
	echo "$output" | jq -c '{verdict, denied}'
}

# The captured config, not adapted at all, is denied here only for what belongs to the capture
# host: its dockerd (hooks), its namespace `path` entries (host-namespaces on .../path, and
# the net.* sysctls that need that netns) and the files that exist only there (the image's root
# filesystem, the engine's bind sources), never for what the engine mounts or grants.
check_unmodified() {
	local d="$BATS_TEST_TMPDIR/unmodified"
	mkdir -p "$d"
	cp "$FIX/$1.config.json" "$d/config.json"
	check_decision "$d"
	echo "$output" | jq -e 'all(.denied[];
		(.rule == "hooks" and (.message | test("libnetwork-setkey, but .* is not a running dockerd")))
		or (.rule == "host-namespaces" and (.path | test("^/linux/namespaces/[0-9]+/path$")))
		or (.rule == "sysctls" and (.message | test("network namespace")))
		or (.rule == "sensitive-mounts" and (.message | test("^the source `[^`]*` of the bind at `[^`]*` does not exist")))
		or (.rule == "rootfs" and (.message | test("^`root.path` `[^`]*` does not exist$"))))
		and ([.denied[], .rewritten[], .warned[]] | map(select(.rule == "sensitive-mounts" and (.message | test("does not exist") | not))) | length == 0)'
}

# With this host's namespaces and without the setkey hook, but with the engine's own bind
# source paths (/var/lib/docker/..., /var/lib/kubelet/...): allowed, no finding on any mount.
# A CRI config is checked with containerd's runc root, where the test's pause does not live: the
# pod's namespaces are judged by the real create below, under the pause's own root.
check_engine_paths() {
	check_decision "$BUNDLE"
	echo "$output" | jq -e '([.denied[] | select((.rule == "sensitive-mounts" and (.message | test("^the source `[^`]*` of the bind at `[^`]*` does not exist"))) or (.rule == "hooks" and (.message | test("libnetwork-setkey"))) or (.rule == "host-namespaces" and (.message | test("live container of the runtime root `/run/containerd/runc/k8s.io`"))) | not)] | length == 0)
		and ([.denied[], .rewritten[], .warned[]] | map(select(.rule == "sensitive-mounts" and (.message | test("does not exist") | not))) | length == 0)'
}

# Docker's setkey hook names a dockerd that is not running: denied by `hooks` alone, nothing runs.
assert_setkey_hook_denied() {
	create_start
	[ "$status" -eq 1 ]
	[[ "$output" == 'ocigate: denied by policy "baseline": hooks: prestart hook `/proc/'*'/exe` is shaped like dockerd'"'"'s libnetwork-setkey, but `/proc/'*'/exe` is not a running dockerd: '* ]]
	[ -z "$(containers_left)" ]
	[ ! -s "$CTR_OUT" ]
	jq -r 'select(.verb == "create") | [.verdict, (.denied | map(.rule) | unique | join(","))] | @tsv' "$AUDIT" |
		tail -n 1 | grep -qx "deny	hooks"
}

# The JSON Patch of the last audit record only adds or replaces protections, and removes
# nothing but inheritable/ambient capabilities (CVE-2022-24769).
PATCH_WITHIN='def protection: test("^/linux/(maskedPaths|readonlyPaths)(/([0-9]+|-))?$")
		or test("^/linux/resources(/(memory|pids|cpu)(/(limit|shares))?)?$")
		or test("^/process/rlimits(/([0-9]+|-)(/(hard|soft))?)?$")
		or test("^/process/noNewPrivileges$") or test("^/linux/seccomp$");
	all(.patch[]; ((.op == "add" or .op == "replace") and (.path | protection))
		or (.op == "remove" and (.path | test("^/process/capabilities/(ambient|inheritable)(/[0-9]+)?$"))))'

# Everything but the protections the patch may touch is exactly as the engine wrote it.
UNTOUCHED='del(.linux.maskedPaths, .linux.readonlyPaths, .linux.resources.memory.limit,
	.linux.resources.pids, .linux.resources.cpu.shares, .process.rlimits, .process.noNewPrivileges,
	.linux.seccomp, .process.capabilities.ambient, .process.capabilities.inheritable)
	| del(.linux.resources.memory, .linux.resources.cpu | select(. == {}))'

# assert_allowed FIXTURE: the whole allowed path for an engine-default config.
assert_allowed() {
	local name=$1 want_memory want_pids
	check_unmodified "$name"
	adapt "$name" private
	check_engine_paths
	relocate_binds
	if jq -e '.hooks.prestart[]? | select(.args[0] == "libnetwork-setkey")' "$BUNDLE/config.json" >/dev/null; then
		assert_setkey_hook_denied
		drop_setkey_hook
	fi
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/adapted.json"

	create_start
	[ "$status" -eq 0 ]
	grep -qx 'NoNewPrivs:	1' "$CTR_OUT"
	grep -qx 'Seccomp:	2' "$CTR_OUT"
	grep -qx probe-done "$CTR_OUT"
	# Finite limits: the config's own, else the injected defaults; inside == host when mounted.
	want_memory=$(jq '.linux.resources.memory.limit // 0 | if . > 0 then . else '"$DEFAULT_MEMORY"' end' "$FIX/$name.config.json")
	want_pids=$(jq '.linux.resources.pids.limit // 0 | if . > 0 then . else '"$DEFAULT_PIDS"' end' "$FIX/$name.config.json")
	[ "$HOST_MEMORY" = "$want_memory" ]
	[ "$HOST_PIDS" = "$want_pids" ]
	if grep -q '^cg-memory=' "$CTR_OUT"; then
		grep -qx "cg-memory=$want_memory" "$CTR_OUT"
		grep -qx "cg-pids=$want_pids" "$CTR_OUT"
	fi
	# RLIMIT_NOFILE: the config's own (clamped by ocigate to the hard limit runc inherits from
	# us, since runc cannot raise it here), else the injected 1024.
	local hard want_nofile
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] || hard=1073741816
	want_nofile=$(jq --argjson h "$hard" '[.process.rlimits[]? | select(.type == "RLIMIT_NOFILE") | .hard]
		| if length > 0 then [.[0], $h] | min else 1024 end' "$FIX/$name.config.json")
	grep -Eq "^Max open files +$want_nofile +$want_nofile +files" "$CTR_OUT"
	# The audit record of the create: nothing denied, it ran, the patch stays within protections.
	local record
	record=$(jq -c 'select(.verb == "create")' "$AUDIT" | tail -n 1)
	echo "$record" | jq -e '(.verdict == "allow" or .verdict == "rewrite") and .denied == [] and .executed == true'
	echo "$record" | jq -e "$PATCH_WITHIN"
	# Only missing protections were added: everything else is as captured (and adapted), and
	# the engine's own masked/read-only paths are all still there.
	diff <(jq -S "$UNTOUCHED" "$BATS_TEST_TMPDIR/adapted.json") <(jq -S "$UNTOUCHED" "$BUNDLE/config.json")
	jq -e --slurpfile before "$BATS_TEST_TMPDIR/adapted.json" '
		(($before[0].linux.maskedPaths // []) - (.linux.maskedPaths // []) == [])
		and (($before[0].linux.readonlyPaths // []) - (.linux.readonlyPaths // []) == [])' "$BUNDLE/config.json"
}

# fixture_denied FIXTURE private|host "RULE..." RULE:CIS...: adapted exactly like an allowed
# config, then denied on create with one line naming each RULE:CIS as "RULE (CIS Docker 1.6.0 CIS";
# the audit record's denied rules are exactly the quoted list; no container, no probe output.
fixture_denied() {
	local name=$1 mode=$2 rules=$3 spec got
	shift 3
	adapt "$name" "$mode"
	drop_setkey_hook
	relocate_binds
	create_start
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
	[[ "$output" == 'ocigate: denied by policy "baseline": '* ]]
	for spec in "$@"; do
		[[ "$output" == *"${spec%%:*} (CIS Docker 1.6.0 ${spec#*:}"* ]]
	done
	[ -z "$(containers_left)" ]
	[ ! -s "$CTR_OUT" ]
	got=$(jq -r 'select(.verb == "create") | select(.verdict == "deny" and .executed == false)
		| [.denied[].rule] | unique | join(" ")' "$AUDIT" | tail -n 1)
	echo "denied rules: $got"
	[ "$got" = "$rules" ]
}

# ---- engine defaults: allowed, and they run ----

@test "docker-default: allowed with protections injected, runs under runc (NoNewPrivs, 2 GiB, 4096)" {
	assert_allowed docker-default
}

@test "docker-tty: allowed and runs (terminal off for the test)" {
	assert_allowed docker-tty
}

@test "docker-memory-64m: allowed, its own 64 MiB limit is kept" {
	assert_allowed docker-memory-64m
	[ "$HOST_MEMORY" = 67108864 ]
}

@test "docker-read-only: allowed, the root stays read-only" {
	assert_allowed docker-read-only
	jq -e '.root.readonly == true' "$BUNDLE/config.json"
}

@test "docker-no-new-privileges: allowed, its own noNewPrivileges is not patched" {
	assert_allowed docker-no-new-privileges
	jq -c 'select(.verb == "create") | .patch' "$AUDIT" | tail -n 1 | jq -e 'all(.[]; .path != "/process/noNewPrivileges")'
}

@test "podman-default: allowed, podman's pids limit 2048 and RLIMIT_NOFILE 20000 are kept" {
	assert_allowed podman-default
	[ "$HOST_PIDS" = 2048 ]
	[ "$(ulimit -Hn)" -lt 20000 ] || grep -Eq '^Max open files +20000 +20000 ' "$CTR_OUT"
}

@test "ctr-default: allowed and runs" {
	assert_allowed ctr-default
}

@test "cri-podnet-sandbox-pause: allowed in its CNI netns file, runs" {
	assert_allowed cri-podnet-sandbox-pause
	grep -q "^net=net:\[$(stat -L -c %i "$NSDIR/cni-1f477b80-7af3-81c8-13fe-1b541349e31f")\] " "$CTR_OUT"
}

@test "production docker-default-bridge: allowed in a netns file like dockerd's, /var/lib/docker binds allowed" {
	assert_allowed production/docker-default-bridge
	# It ran in the netns held by the file, as the sysctls it sets there need.
	grep -q "^net=net:\[$(stat -L -c %i "$NSDIR/3f9e1c2a7b4d")\] " "$CTR_OUT"
}

@test "production docker-init: allowed, /usr/bin/docker-init bound read-only runs as PID 1" {
	assert_allowed production/docker-init
	grep -qx 'pid1=docker-init' "$CTR_OUT"
}

@test "production docker-named-volume-and-bind: allowed (named volume, /srv/www)" {
	assert_allowed production/docker-named-volume-and-bind
}

@test "production k8s-pod-sandbox: allowed and runs" {
	assert_allowed production/k8s-pod-sandbox
}

@test "production k8s-pod-container: allowed, joins the pod's ipc/uts/net by /proc/<pid>/ns paths" {
	assert_allowed production/k8s-pod-container
	grep -Fqx "net=$(readlink "/proc/$HOLDER/ns/net") ipc=$(readlink "/proc/$HOLDER/ns/ipc")" "$CTR_OUT"
	[ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ]
}

@test "production podman-default: allowed and runs" {
	assert_allowed production/podman-default
}

@test "production crio-pod-container: CRI-O's shape is allowed, joins its pinned ipc/uts/net namespace files" {
	assert_allowed production/crio-pod-container
	grep -q "^net=net:\[$(stat -L -c %i "$NSDIR/2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f")\] " "$CTR_OUT"
}

# ---- denied ----

# ---- denied: privileged ----
# What --privileged writes (all caps, no seccomp, rw /sys and cgroup, allow-all devices) is
# denied as a whole (privileged) and per part; the line names the first ones, the audit all.
PRIVILEGED="capabilities devices privileged sensitive-mounts"

@test "docker-privileged: denied (privileged 5.5, capabilities 5.4), nothing runs" {
	fixture_denied docker-privileged private "$PRIVILEGED" privileged:5.5 capabilities:5.4
	[[ "$output" == *"container is privileged"* ]]
}

@test "podman-privileged: denied (privileged 5.5, capabilities 5.4), nothing runs" {
	fixture_denied podman-privileged private "$PRIVILEGED" privileged:5.5 capabilities:5.4
}

@test "ctr-privileged: denied (privileged 5.5, capabilities 5.4), nothing runs" {
	fixture_denied ctr-privileged private "$PRIVILEGED" privileged:5.5 capabilities:5.4
}

@test "cri-privileged-container: denied (privileged 5.5, capabilities 5.4) though its pod is private" {
	fixture_denied cri-privileged-container private "$PRIVILEGED" privileged:5.5 capabilities:5.4
	[[ "$output" != *"host-namespaces"* ]]
}

# ---- denied: host network ----

@test "docker-net-host: <exec-root>/netns/default holding the host netns is denied (5.10)" {
	fixture_denied docker-net-host host "host-namespaces" host-namespaces:5.10
	[[ "$output" == *'the `network` namespace `'"$NSDIR"'/default` is the host'"'"'s (CIS 5.10)'* ]]
}

@test "production docker-net-host: /var/run/docker/netns/default (here: a file with the host netns) is denied" {
	fixture_denied production/docker-net-host host "host-namespaces" host-namespaces:5.10
	[[ "$output" == *'the `network` namespace `'"$NSDIR"'/default` is the host'"'"'s (CIS 5.10)'* ]]
}

@test "ctr-net-host: no network namespace is denied (5.10); its host /etc/hosts, resolv.conf binds too" {
	# ctr --net-host binds the host's own /etc/hosts and /etc/resolv.conf read-only.
	fixture_denied ctr-net-host host "host-namespaces sensitive-mounts" host-namespaces:5.10 sensitive-mounts:5.6
	[[ "$output" == *'no `network` namespace: the container would share the host'"'"'s (CIS 5.10)'* ]]
}

@test "podman-net-host: no network namespace is denied (5.10)" {
	fixture_denied podman-net-host host "host-namespaces" host-namespaces:5.10
	[[ "$output" == *'no `network` namespace'* ]]
}

@test "cri-hostnet-sandbox-pause: no network and uts namespace is denied (5.10, 5.21)" {
	fixture_denied cri-hostnet-sandbox-pause host "host-namespaces" host-namespaces:5.10
	[[ "$output" == *'no `network` namespace'*'no `uts` namespace'* ]]
}

@test "cri-hostnet-container: /proc/<pause>/ns/net of a host-network pause is the host's, denied" {
	fixture_denied cri-hostnet-container host "host-namespaces sensitive-mounts" host-namespaces:5.10 sensitive-mounts:5.6
	[[ "$output" == *'the `network` namespace `/proc/'"$HOLDER"'/ns/net` is the host'"'"'s'* ]]
	# The pause's own ipc namespace is private: not named.
	[[ "$output" != *'`ipc`'* ]]
}

@test "production k8s-hostnet-container: a hostNetwork pod's container is denied (5.10)" {
	fixture_denied production/k8s-hostnet-container host "host-namespaces sensitive-mounts" host-namespaces:5.10 sensitive-mounts:5.6
	[[ "$output" == *'the `network` namespace `/proc/'"$HOLDER"'/ns/net` is the host'"'"'s'* ]]
}

# ---- denied: -v /etc, --cap-add SYS_ADMIN ----

@test "docker-volume-etc-hostetc: -v /etc:/hostetc is denied (5.6)" {
	fixture_denied docker-volume-etc-hostetc private "sensitive-mounts" sensitive-mounts:5.6
	[[ "$output" == *'bind of `/etc` at `/hostetc`'* ]]
}

@test "production docker-volume-etc: -v /etc:/hostetc is denied (5.6), the engine's own binds are not named" {
	fixture_denied production/docker-volume-etc private "sensitive-mounts" sensitive-mounts:5.6
	[[ "$output" == *'bind of `/etc` at `/hostetc`'* ]]
	[[ "$output" != *'/var/lib/docker'* && "$output" != *"$HOSTFS"* ]]
}

@test "cri-podnet-container: only the /etc bind is denied; the pod's namespaces are not the host's" {
	# The lab's CRI client bound /etc at /hostetc into this pod container (production
	# k8s-pod-container is the same pod without it, and is allowed above).
	fixture_denied cri-podnet-container private "sensitive-mounts" sensitive-mounts:5.6
	[[ "$output" == *'read-only bind of `/etc` at `/hostetc`'* ]]
}

@test "docker-cap-add-sys-admin: --cap-add SYS_ADMIN is denied (5.4)" {
	fixture_denied docker-cap-add-sys-admin private "capabilities" capabilities:5.4
	[[ "$output" == *'denied capabilities `CAP_SYS_ADMIN`;'* ]]
}
