# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034
# (SC2034: constants used by the .bats files that load this one.)
# containerd 1.6's CRI plugin driven the way the kubelet drives it, with tests/e2e/cri/cri.py
# standing in for the kubelet (Debian 12 packages neither a kubelet nor crictl).
#
# One private containerd per .bats file: config, root, state, socket, runc --root (the runtimes'
# `Root` option), CNI config and binaries, pod log directories and the audit trail all live under
# $E2E_WORK; pods use the cgroup parent /kubepods/ocg-e2e-<run>-<file>.  The pod network is
# tests/e2e/cri/cni-podveth (a veth pair with both ends inside the pod's namespace) plus Debian's
# loopback plugin, which containerd runs itself for `lo`.  Images (a static C pause, busybox) are
# imported with `ctr -n k8s.io images import`; nothing is pulled.  Cleanup removes pods through
# the CRI, stops containerd by its pid, and then only touches what the pid files below the work
# dir name, mounts below it and the run's cgroup parent.
#
# Needs lib.bash (load it first).

CRI_HERE=$E2E_SRC/tests/e2e/cri
# Debian's interpreter: the grpcio and grpc-tools modules are Debian packages (a pyenv or venv
# python3 earlier in PATH would not have them).
CRI_PY=(/usr/bin/python3 "$CRI_HERE/cri.py")
CRI_PAUSE_IMAGE=ocigate.test/pause:1
CRI_IMAGE=ocigate.test/busybox:1
CRI_PACKAGES=(containerd python3-grpcio python3-grpc-tools containernetworking-plugins
	busybox-static jq iproute2 util-linux gcc libc6-dev)
# The CRI plugin's own form of ocigate's denial in a containerd error (runc's message after
# "OCI runtime create failed: ").
CRI_DENY_BASELINE='OCI runtime create failed: ocigate: denied by policy "baseline": '
# What the kubelet puts in masked_paths/readonly_paths for procMount Default
# (kubernetes pkg/securitycontext/util.go, defaultMaskedPaths/defaultReadonlyPaths).
CRI_MASKED='["/proc/asound","/proc/acpi","/proc/kcore","/proc/keys","/proc/latency_stats",
	"/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi","/sys/firmware"]'
CRI_READONLY='["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]'

# ---------------------------------------------------------------- talking to the CRI plugin

# cri ARGS...: cri.py against this file's containerd (`cri call METHOD JSON`, `cri exec ID CMD...`).
cri() {
	CRI_GEN_DIR=$E2E_WORK/cri-gen "${CRI_PY[@]}" "$CRI_SOCK" "$@"
}

# cri_ok METHOD JSON: the call succeeded; prints the response.
cri_ok() {
	local out rc=0
	out=$(cri call "$1" "$2") || rc=$?
	echo "$out"
	if [ "$rc" -ne 0 ]; then
		echo "CRI $1 failed (exit $rc)" >&2
		return 1
	fi
}

# cri_error_details: the `details` of the failed call whose output is $output (bats `run`).
# shellcheck disable=SC2154 # $output is set by bats `run`
cri_error_details() {
	jq -r '.error.details // empty' <<<"$output"
}

# ---------------------------------------------------------------- what the kubelet sends

# cri_pod NAME NAMESPACE [JQ_FILTER]: write $BATS_TEST_TMPDIR/NAME.pod.json, a PodSandboxConfig
# as the kubelet builds it for a BestEffort pod with default security settings (pod network,
# private PID namespace per container, seccomp Unconfined because the kubelet's SeccompDefault is
# off unless configured), then applies JQ_FILTER to it.
cri_pod() {
	local name=$1 ns=$2 filter=${3:-.} uid logs
	uid=$(cat /proc/sys/kernel/random/uuid)
	logs=$E2E_WORK/logs/${ns}_${name}_$uid
	mkdir -p "$logs"
	cri_kubelet_pod_dir "$uid" "$ns"
	jq -n --arg name "$name" --arg ns "$ns" --arg uid "$uid" --arg logs "$logs" \
		--arg cg "/$CRI_CG/pod$uid" --arg run "$CRI_RUN" '{
		metadata: {name: $name, uid: $uid, namespace: $ns, attempt: 0},
		hostname: $name, log_directory: $logs,
		labels: {"io.kubernetes.pod.name": $name, "io.kubernetes.pod.namespace": $ns,
			"io.kubernetes.pod.uid": $uid, "ocigate.test/run": $run},
		annotations: {"kubernetes.io/config.source": "api"},
		linux: {cgroup_parent: $cg, security_context: {
			namespace_options: {network: "POD", pid: "CONTAINER", ipc: "POD"},
			seccomp: {profile_type: "Unconfined"}}}}' | jq "$filter" >"$BATS_TEST_TMPDIR/$name.pod.json"
}

# cri_pod_uid NAME: the uid cri_pod gave the pod.
cri_pod_uid() {
	jq -r .metadata.uid "$BATS_TEST_TMPDIR/$1.pod.json"
}

# cri_hostnetwork: a jq filter making a pod use the node's network (hostNetwork: true): the
# kubelet sends network NODE and no hostname.
CRI_HOSTNETWORK='.hostname = "" | .linux.security_context.namespace_options.network = "NODE"'

# cri_runp NAME [HANDLER]: RunPodSandbox with NAME's config; prints the response (or the error).
cri_runp() {
	jq -c --arg h "${2:-}" '{config: ., runtime_handler: $h}' "$BATS_TEST_TMPDIR/$1.pod.json" |
		cri call RunPodSandbox -
}

# cri_kubelet_pod_dir UID NAMESPACE: the files the kubelet keeps for a pod in its root dir
# (kubernetes pkg/kubelet/kubelet_pods.go; here $E2E_WORK/kubelet, as with --root-dir): the
# pod's /etc/hosts and its service account token volume.
cri_kubelet_pod_dir() {
	local d=$CRI_KUBELET/pods/$1
	mkdir -p "$d/containers" "$d/volumes/kubernetes.io~projected/kube-api-access-e2e"
	printf '127.0.0.1\tlocalhost\n' >"$d/etc-hosts"
	printf 'e2e-token' >"$d/volumes/kubernetes.io~projected/kube-api-access-e2e/token"
	printf '%s' "$2" >"$d/volumes/kubernetes.io~projected/kube-api-access-e2e/namespace"
}

# cri_ctr NAME POD [JQ_FILTER]: write $BATS_TEST_TMPDIR/NAME.ctr.json, the ContainerConfig the
# kubelet sends for a container of POD running `sleep 3600` in busybox with no resources asked
# (BestEffort: cpu shares 2, oom_score_adj 1000), the default security context, and the mounts
# every pod container gets: the service account token, /etc/hosts (pod network only) and
# /dev/termination-log (kubernetes pkg/kubelet/kubelet_pods.go, makeMounts;
# kuberuntime_container.go, makeMounts).
cri_ctr() {
	local name=$1 pod=$2 filter=${3:-.} d term
	d=$CRI_KUBELET/pods/$(cri_pod_uid "$pod")
	mkdir -p "$d/containers/$name"
	term=$d/containers/$name/$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
	: >"$term"
	jq --arg name "$name" --arg image "$CRI_IMAGE" --argjson masked "$CRI_MASKED" \
		--argjson ro "$CRI_READONLY" --arg d "$d" --arg term "$term" '{
		metadata: {name: $name, attempt: 0},
		image: {image: $image},
		command: ["/bin/sleep", "3600"],
		envs: [{key: "KUBERNETES_SERVICE_HOST", value: "10.96.0.1"}],
		labels: {"io.kubernetes.container.name": $name,
			"io.kubernetes.pod.name": .metadata.name,
			"io.kubernetes.pod.namespace": .metadata.namespace,
			"io.kubernetes.pod.uid": .metadata.uid},
		annotations: {"io.kubernetes.container.restartCount": "0",
			"io.kubernetes.container.terminationMessagePath": "/dev/termination-log"},
		mounts: ([{container_path: "/var/run/secrets/kubernetes.io/serviceaccount",
				host_path: ($d + "/volumes/kubernetes.io~projected/kube-api-access-e2e"),
				readonly: true}]
			+ (if .linux.security_context.namespace_options.network == "NODE" then []
				else [{container_path: "/etc/hosts", host_path: ($d + "/etc-hosts")}] end)
			+ [{container_path: "/dev/termination-log", host_path: $term}]),
		log_path: ($name + "/0.log"),
		linux: {
			resources: {cpu_period: 100000, cpu_shares: 2, oom_score_adj: 1000},
			security_context: {
				namespace_options: .linux.security_context.namespace_options,
				seccomp: {profile_type: "Unconfined"},
				masked_paths: $masked, readonly_paths: $ro}}}' \
		"$BATS_TEST_TMPDIR/$pod.pod.json" | jq "$filter" >"$BATS_TEST_TMPDIR/$name.ctr.json"
}

# cri_create POD_ID POD CTR: CreateContainer; prints the response (or the error).
cri_create() {
	jq -nc --arg id "$1" --slurpfile pod "$BATS_TEST_TMPDIR/$2.pod.json" \
		--slurpfile ctr "$BATS_TEST_TMPDIR/$3.ctr.json" \
		'{pod_sandbox_id: $id, config: $ctr[0], sandbox_config: $pod[0]}' |
		cri call CreateContainer -
}

# cri_start_ctr POD_ID POD CTR: CreateContainer + StartContainer; prints the container id.  The
# runtime's `create` happens in StartContainer, so a denial shows there.
cri_start_ctr() {
	local out id
	out=$(cri_create "$@") || {
		echo "$out"
		return 1
	}
	id=$(jq -r .container_id <<<"$out")
	echo "$id"
	cri call StartContainer "{\"container_id\":\"$id\"}" >"$BATS_TEST_TMPDIR/start.out" || {
		cat "$BATS_TEST_TMPDIR/start.out"
		return 1
	}
}

# cri_in CTR_ID CMD...: ExecSync; stdout and stderr as the command wrote them, its exit status.
cri_in() {
	cri exec "$@"
}

# cri_rm_pod POD_ID: StopPodSandbox + RemovePodSandbox (the kubelet stops before it removes).
cri_rm_pod() {
	cri_ok StopPodSandbox "{\"pod_sandbox_id\":\"$1\"}" >/dev/null &&
		cri_ok RemovePodSandbox "{\"pod_sandbox_id\":\"$1\"}" >/dev/null
}

# ---------------------------------------------------------------- what must be gone

# cri_gone ID...: no pod sandbox or container with these ids is known to the CRI plugin, has a
# runc state directory, a bundle, a mount or a live process (the shim names the sandbox id).
cri_gone() {
	local id m left=0
	for id in "$@"; do
		[ -n "$id" ] || continue
		if cri call ListPodSandbox "{\"filter\":{\"id\":\"$id\"}}" | jq -e '.items | length > 0' >/dev/null; then
			echo "pod sandbox $id is still listed"
			left=1
		fi
		if cri call ListContainers "{\"filter\":{\"id\":\"$id\"}}" | jq -e '.containers | length > 0' >/dev/null; then
			echo "container $id is still listed"
			left=1
		fi
		if [ -e "$CRI_RUNC_ROOT/k8s.io/$id" ]; then
			echo "runc state $CRI_RUNC_ROOT/k8s.io/$id is left"
			left=1
		fi
		if [ -e "$CRI_STATE/io.containerd.runtime.v2.task/k8s.io/$id" ]; then
			echo "bundle of $id is left"
			left=1
		fi
		m=$(grep -F "$id" /proc/mounts) && {
			echo "mounts of $id are left: $m"
			left=1
		}
		if [ -n "$(cri_pids_naming "$id")" ]; then
			echo "processes naming $id are left: $(cri_pids_naming "$id")"
			left=1
		fi
	done
	return "$left"
}

# cri_pids_naming WORD: PIDs of processes whose command line has WORD as one argument (a shim
# names its sandbox with `-id ID`).
cri_pids_naming() {
	local p
	for p in /proc/[0-9]*; do
		tr '\0' '\n' 2>/dev/null <"$p/cmdline" | grep -qxF -- "$1" && echo "${p#/proc/}"
	done
	return 0
}

# cri_pod_cgroup_empty UID: no process is left in the pod's cgroup (in any hierarchy), then the
# pod-level cgroup is removed as the kubelet removes it (containerd removes only containers').
cri_pod_cgroup_empty() {
	local rel=$CRI_CG/pod$1 h procs
	for h in /sys/fs/cgroup/*/; do
		[ -d "$h$rel" ] || continue
		procs=$(find "$h$rel" -name cgroup.procs -exec cat {} + 2>/dev/null)
		if [ -n "$procs" ]; then
			echo "processes left in $h$rel: $procs"
			return 1
		fi
	done
	e2e_rm_cgroup "$rel"
}

# ---------------------------------------------------------------- known ocigate defects

# tests/e2e/cri/known-defects lists, one id per line, ocigate defects the CRI path exposes.  An
# assertion guarded by cri_check ID skips its test while ID is listed and fails, and FAILS once
# it passes (the defect is fixed: delete its line).
cri_known_defect() {
	grep -qE "^$1([[:space:]]|\$)" "$CRI_HERE/known-defects"
}

# cri_check ID CMD...: run the assertion CMD under the known-defect list.
cri_check() {
	local id=$1
	shift
	if "$@"; then
		if cri_known_defect "$id"; then
			echo "known defect '$id' no longer reproduces: remove it from tests/e2e/cri/known-defects"
			return 1
		fi
		return 0
	fi
	if cri_known_defect "$id"; then
		skip "known ocigate defect $(grep -E "^$id([[:space:]]|\$)" "$CRI_HERE/known-defects")"
	fi
	return 1
}

# ---------------------------------------------------------------- the node: images, CNI, policy

# cri_pause_image: a static C pause (cri/pause.c) as an OCI image.
cri_pause_image() {
	local d=$E2E_WORK/pause-root
	mkdir -p "$d"
	gcc -static -Os -o "$d/pause" "$CRI_HERE/pause.c" || return 1
	e2e_oci_archive "$d" "$CRI_PAUSE_IMAGE" "$E2E_WORK/pause-oci.tar" '["/pause"]'
}

# cri_cni: CNI binaries (Debian's loopback, cni-podveth) and one network config under the work
# dir.  The network name carries the run's suffix, so the result cache libcni keeps in
# /var/lib/cni/results (not configurable in containerd 1.6) can be cleaned by exact prefix.
cri_cni() {
	mkdir -p "$E2E_WORK/cni-bin" "$E2E_WORK/cni-conf"
	ln -sf /usr/lib/cni/loopback "$E2E_WORK/cni-bin/loopback"
	ln -sf "$CRI_HERE/cni-podveth" "$E2E_WORK/cni-bin/ocg-podveth"
	jq -n --arg n "$CRI_NET" '{cniVersion: "0.4.0", name: $n, plugins: [{type: "ocg-podveth"}]}' \
		>"$E2E_WORK/cni-conf/10-$CRI_NET.conflist"
}

# cri_policy_paths FILE: a policy drop-in naming this run's containerd and kubelet directories, as
# an operator who moved containerd's root, state and runc root and the kubelet's --root-dir
# declares them (contrib/policy/README.md, sensitive-mounts `engine_owned_paths` and
# `cri_runtime_roots`).  The built-ins name /var/lib/containerd, /run/containerd and
# /var/lib/kubelet only; the restricted profile treats every top-level host directory (here
# /tmp) as sensitive and would deny the sandbox's resolv.conf and shm and the pod's volumes.
cri_policy_paths() {
	local owned
	owned=$("$OCIGATE" policy show --profile restricted |
		jq -c '.profiles.restricted.rules["sensitive-mounts"].engine_owned_paths') || return 1
	jq -n --argjson o "$owned" --arg root "$CRI_ROOT" --arg state "$CRI_STATE" \
		--arg runc "$CRI_RUNC_ROOT" --arg kubelet "$CRI_KUBELET/pods/{io.kubernetes.cri.sandbox-uid}" '
		{profiles: {restricted: {rules: {"sensitive-mounts": {
		engine_owned_paths: ($o + [
			$root + "/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
			$state + "/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
			$kubelet + "/etc-hosts", $kubelet + "/containers", $kubelet + "/volumes",
			$kubelet + "/volume-subpaths"]),
		cri_runtime_roots: [$runc + "/k8s.io"]}}}}}' >"$1"
}

# ---------------------------------------------------------------- the private containerd

# cri_base_config: the part of config.toml that makes this containerd private (root, state,
# socket, CNI, images, runc --root), without any runtime table.  restrict_oom_score_adj: the
# sandbox asks oomScoreAdj -998, which needs CAP_SYS_RESOURCE (not in this VM's bounding set).
# netns_mounts_under_state_dir keeps the pods' netns bind mounts under the work dir.  The
# streaming server (exec/attach URLs, unused here) listens on loopback only.
cri_base_config() {
	local w=$E2E_WORK
	cat <<EOF
version = 2
root = "$CRI_ROOT"
state = "$CRI_STATE"

[grpc]
  address = "$CRI_SOCK"

[plugins."io.containerd.internal.v1.opt"]
  path = "$CRI_ROOT/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CRI_PAUSE_IMAGE"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"

[plugins."io.containerd.grpc.v1.cri".cni]
  bin_dir = "$w/cni-bin"
  conf_dir = "$w/cni-conf"
EOF
}

# cri_contrib_handlers: contrib/containerd's runtime tables (config.toml, or the configure
# template config.toml.in when there is one) with this run's binaries as BinaryName, each given
# `Root` so runc's state stays in the work dir.  Its `version = 2` is dropped: the base has it,
# and TOML allows a top-level key only before the first table.
cri_contrib_handlers() {
	local src=$E2E_SRC/contrib/containerd/config.toml
	[ -f "$src.in" ] && src=$src.in
	sed -E -e '/^version[[:space:]]*=/d' \
		-e "s#^([[:space:]]*)BinaryName = \"[^\"]*/(ocigate[^\"/]*)\"#\1BinaryName = \"$E2E_WORK/bin/\2\"\n\1Root = \"$CRI_RUNC_ROOT\"#" \
		"$src"
}

# cri_ctl: write $E2E_WORK/containerdctl {start|stop|restart}, the one way this run starts and
# stops its containerd (the installer test hands it to the installer as the restart command).
# ocigate finds the real runtime, the policy and the audit trail through containerd's
# environment, which the shim passes on to every runtime call.  The config file is
# $CRI_CONFIG, the policy $CRI_POLICY_DIR/policy.json.
cri_ctl() {
	local w=$E2E_WORK
	cat >"$w/containerdctl" <<EOF
#!/bin/bash
# Start/stop the e2e containerd of $w by its PID (written by this script).
set -u
W=$w
start() {
	OCIGATE_AUDIT_LOG=\$W/audit.log OCIGATE_RUNTIME=$E2E_REAL_RUNTIME OCIGATE_POLICY=$CRI_POLICY_DIR/policy.json \\
		setsid /usr/bin/containerd --config $CRI_CONFIG >>\$W/containerd.log 2>&1 </dev/null &
	echo \$! >\$W/containerd.spawned
	for ((i = 0; i < 120; i++)); do
		ctr -a $CRI_SOCK version >/dev/null 2>&1 && return 0
		kill -0 "\$(cat \$W/containerd.spawned)" 2>/dev/null || return 1
		sleep 0.25
	done
	return 1
}
stop() {
	local pid
	[ -f \$W/containerd.spawned ] || return 0
	pid=\$(cat \$W/containerd.spawned)
	kill -TERM "\$pid" 2>/dev/null
	for ((i = 0; i < 120; i++)); do
		kill -0 "\$pid" 2>/dev/null || break
		sleep 0.25
	done
	[ "\$i" -lt 120 ] || kill -KILL "\$pid" 2>/dev/null
	rm -f \$W/containerd.spawned
}
case "\${1:-}" in
start) start ;;
stop) stop ;;
restart) stop && start ;;
*) echo "usage: \$0 start|stop|restart" >&2; exit 2 ;;
esac
EOF
	chmod 0755 "$w/containerdctl"
}

# cri_wait_ready: the CRI plugin reports RuntimeReady and NetworkReady (it loads the CNI config
# asynchronously).
cri_wait_ready() {
	local i
	for ((i = 0; i < 120; i++)); do
		cri call Status '{}' 2>/dev/null | jq -e '[.status.conditions[] | select(.status)] |
			length == 2' >/dev/null && return 0
		sleep 0.25
	done
	return 1
}

# cri_images: import the pause and busybox images into the k8s.io namespace (the CRI plugin's).
cri_images() {
	local w=$E2E_WORK
	cri_pause_image || return 1
	e2e_rootfs "$w/busybox-root"
	e2e_oci_archive "$w/busybox-root" "$CRI_IMAGE" "$w/busybox-oci.tar" || return 1
	ctr -a "$CRI_SOCK" -n k8s.io images import "$w/pause-oci.tar" >>"$w/import.log" 2>&1 &&
		ctr -a "$CRI_SOCK" -n k8s.io images import "$w/busybox-oci.tar" >>"$w/import.log" 2>&1
}

# cri_setup ENGINE CONFIG_MODE [NODE]: everything a CRI .bats file needs.  CONFIG_MODE
# "contrib": the config is the base plus contrib/containerd's handlers (ocigate the default);
# "runc": the base plus a plain runc handler as the default (a node before ocigate is installed).
# Without NODE, containerd's files are directly in the work dir; with NODE, they are where a
# node keeps them, below $E2E_WORK/NODE (etc/containerd/config.toml, var/lib/containerd,
# run/containerd, etc/ocigate).  Sets E2E_SKIP or E2E_BROKEN as lib.bash's setups do.
cri_setup() {
	e2e_begin "$1" kubepods "${CRI_PACKAGES[@]}" || return 0
	CRI_RUN=${E2E_DIR##*.}-$1
	CRI_CG=kubepods/ocg-e2e-$CRI_RUN
	CRI_NET=ocg-e2e-$CRI_RUN
	if [ -n "${3:-}" ]; then
		CRI_NODE=$E2E_WORK/$3
		CRI_CONFIG=$CRI_NODE/etc/containerd/config.toml
		CRI_ROOT=$CRI_NODE/var/lib/containerd
		CRI_STATE=$CRI_NODE/run/containerd
		CRI_SOCK=$CRI_STATE/containerd.sock
		CRI_RUNC_ROOT=$CRI_STATE/runc
		CRI_POLICY_DIR=$CRI_NODE/etc/ocigate
	else
		CRI_NODE=$E2E_WORK
		CRI_CONFIG=$E2E_WORK/containerd.toml
		CRI_ROOT=$E2E_WORK/root
		CRI_STATE=$E2E_WORK/state
		CRI_SOCK=$E2E_WORK/containerd.sock
		CRI_RUNC_ROOT=$E2E_WORK/runc
		CRI_POLICY_DIR=$E2E_WORK/policy
	fi
	CRI_KUBELET=$E2E_WORK/kubelet
	export CRI_RUN CRI_CG CRI_NET CRI_NODE CRI_CONFIG CRI_ROOT CRI_STATE CRI_SOCK CRI_RUNC_ROOT \
		CRI_POLICY_DIR CRI_KUBELET
	cri_node "$2" || {
		E2E_BROKEN=${E2E_BROKEN:-"node set-up failed (see $E2E_WORK)"}
		export E2E_BROKEN
	}
}

cri_node() {
	local w=$E2E_WORK p=$CRI_POLICY_DIR
	mkdir -p "$w/bin" "$p/policy.d" "$w/logs" "$CRI_RUNC_ROOT" "$(dirname "$CRI_CONFIG")"
	ln -sf "$OCIGATE" "$w/bin/ocigate"
	ln -sf "$OCIGATE" "$w/bin/ocigate-restricted"
	# The shipped example policy for a Kubernetes node (its audit_log is overridden by
	# OCIGATE_AUDIT_LOG), or the node's own part of it (CRI_NODE_POLICY), plus the paths of this
	# run's containerd.
	install -m 0644 "${CRI_NODE_POLICY:-$E2E_SRC/contrib/policy/02-enforce-with-exemptions.json}" "$p/policy.json"
	cri_policy_paths "$p/policy.d/10-containerd-paths.json" || return 1
	"$OCIGATE" policy validate "$p/policy.json" >"$w/policy.validate" 2>&1 || {
		E2E_BROKEN="test policy does not validate: $(tail -n 2 "$w/policy.validate" | tr '\n' ' ')"
		return 1
	}
	cri_cni
	{
		cri_base_config
		echo
		case "$1" in
		contrib) cri_contrib_handlers ;;
		runc) cri_runc_handler ;;
		esac
	} >"$CRI_CONFIG"
	cri_ctl
	"$w/containerdctl" start || {
		E2E_BROKEN="containerd did not start: $(tail -n 3 "$w/containerd.log" | tr '\n' ' ')"
		return 1
	}
	cri_images || {
		E2E_BROKEN="image import failed: $(tail -n 2 "$w/import.log" | tr '\n' ' ')"
		return 1
	}
	cri_wait_ready || {
		E2E_BROKEN="the CRI plugin is not ready: $(cri call Status '{}' | tr '\n' ' ')"
		return 1
	}
}

# cri_runc_handler: a node's plain runc handler as the default (what the installer test starts
# from), its state in the work dir.
cri_runc_handler() {
	cat <<EOF
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "runc"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    Root = "$CRI_RUNC_ROOT"
EOF
}

# cri_teardown: every pod of this run removed through the CRI (the kubelet's way: stop, then
# remove), containerd stopped by its pid, the run's cgroup parent emptied, then what is left
# (e2e_cleanup).
cri_teardown() {
	local w=${E2E_WORK:-} id
	[ -n "$w" ] || return 0
	if [ -f "$w/containerd.spawned" ]; then
		for id in $(cri call ListPodSandbox '{}' 2>/dev/null | jq -r '.items[]?.id'); do
			cri call StopPodSandbox "{\"pod_sandbox_id\":\"$id\"}" >/dev/null 2>&1
			cri call RemovePodSandbox "{\"pod_sandbox_id\":\"$id\"}" >/dev/null 2>&1
		done
		"$w/containerdctl" stop
	fi
	e2e_kill_leftovers "$w" 5
	e2e_umount_under "$w"
	[ -n "${CRI_CG:-}" ] && e2e_rm_cgroup "$CRI_CG" kill
	[ -n "${CRI_NET:-}" ] && rm -f /var/lib/cni/results/"$CRI_NET"-*
	e2e_cleanup
}
