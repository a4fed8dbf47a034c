# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2154
# (SC2154: $status, $output and $lines are set by bats `run`.)
# The CRI cases: what the kubelet does, and what must follow when ocigate is containerd's
# default handler.  tests/e2e/cri.bats runs them with contrib/containerd's configuration,
# tests/e2e/k8s-installer.bats through the handlers contrib/kubernetes/ocigate-installer installed.
# Each is the body of one test (bats `run`, `skip` and errexit apply); each removes its pods.
# Needs lib.bash and cri/lib.bash.

# status_of CTR_ID: the container's CRI state (CONTAINER_RUNNING, ...).
status_of() {
	cri call ContainerStatus "{\"container_id\":\"$1\"}" | jq -r .status.state
}

# pod_state POD_ID: the sandbox's CRI state.
pod_state() {
	cri call PodSandboxStatus "{\"pod_sandbox_id\":\"$1\"}" | jq -r .status.state
}

# in_ctr CTR_ID CMD...: `run` ExecSync, echoing the outcome for the test log.
in_ctr() {
	run cri_in "$@"
	echo "exec $* -> status=$status: $output"
}

# refused RULE_AND_CIS: the failed call in $output carries ocigate's denial of RULE_AND_CIS (the
# denial line as the CRI plugin wraps it: "... OCI runtime create failed: ocigate: denied by
# policy "baseline": RULE (CIS Docker 1.6.0 ...").
refused() {
	local details
	details=$(cri_error_details)
	echo "CRI error: $details"
	[ "$status" -eq 3 ]
	[[ "$details" == *"$CRI_DENY_BASELINE$1"* ]]
}

# no_pod_named NAME: the CRI plugin keeps no sandbox for the pod NAME (a failed RunPodSandbox
# cleans up after itself).
no_pod_named() {
	cri call ListPodSandbox "{\"filter\":{\"label_selector\":{\"io.kubernetes.pod.name\":\"$1\"}}}" |
		jq -e '.items | length == 0'
}

# hugepage_sizes: the kubelet sends a limit for every huge page size the node has, as "2MB" etc.
hugepage_sizes() {
	local d kb
	for d in /sys/kernel/mm/hugepages/hugepages-*kB; do
		[ -d "$d" ] || continue
		kb=${d##*-}
		kb=${kb%kB}
		if [ $((kb % 1048576)) -eq 0 ]; then echo "$((kb / 1048576))GB"; else echo "$((kb / 1024))MB"; fi
	done
}

# audit_names_pod FILE CONTAINER: every record in FILE names the pod default/audit and, unless
# CONTAINER is empty, the container CONTAINER.
audit_names_pod() {
	jq -se --arg c "$2" 'length > 0 and all(.[]; .workload as $w |
		$w["io.kubernetes.cri.sandbox-namespace"] == "default"
		and $w["io.kubernetes.cri.sandbox-name"] == "audit"
		and ($c == "" or $w["io.kubernetes.cri.container-name"] == $c))' "$1"
}

# audit_names_uid FILE UID: every record in FILE names the pod's uid.
audit_names_uid() {
	jq -se --arg uid "$2" 'length > 0 and
		all(.[]; .workload["io.kubernetes.cri.sandbox-uid"] == $uid)' "$1"
}

# case_kubelet_sequence: the kubelet's sequence through the default handler, each step seen inside
# the container.
case_kubelet_sequence() {
	local pod ctr uid sizes
	cri_pod seq default
	uid=$(cri_pod_uid seq)
	# RunPodSandbox with no handler: containerd's default, ocigate, creates the pause container.
	run cri_runp seq
	echo "$output"
	[ "$status" -eq 0 ]
	pod=$(jq -r .pod_sandbox_id <<<"$output")
	[ "$(pod_state "$pod")" = SANDBOX_READY ]
	cri call PodSandboxStatus "{\"pod_sandbox_id\":\"$pod\"}" | jq -e '.status.network.ip == "198.51.100.2"'
	run e2e_audit_has "$pod" create
	echo "$output"
	jq -se '.[0].executed and .[0].workload["io.kubernetes.cri.container-type"] == "sandbox"' <<<"$output"

	# CreateContainer, then StartContainer (the runtime's create happens here).
	cri_ctr app seq
	run cri_create "$pod" seq app
	echo "$output"
	[ "$status" -eq 0 ]
	ctr=$(jq -r .container_id <<<"$output")
	[ "$(status_of "$ctr")" = CONTAINER_CREATED ]
	run cri_ok StartContainer "{\"container_id\":\"$ctr\"}"
	[ "$status" -eq 0 ]
	[ "$(status_of "$ctr")" = CONTAINER_RUNNING ]
	run e2e_audit_has "$ctr" create
	jq -se '.[0].verdict == "rewrite" and .[0].executed' <<<"$output"

	# ExecSync: what ocigate injected, seen by a process in the container.  The kubelet sent
	# seccomp Unconfined, no_new_privs false and no limits (a BestEffort pod).
	in_ctr "$ctr" grep -E '^(NoNewPrivs|Seccomp|CapBnd):' /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
	# containerd's default set (a80425fb: Docker's 14 capabilities), nothing added.
	[[ "$output" =~ CapBnd:[[:space:]]+00000000a80425fb ]]
	in_ctr "$ctr" cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
	[ "$status" -eq 0 ]
	[ "$output" = "2147483648
4096" ]
	in_ctr "$ctr" sh -c 'echo out; echo err >&2; exit 7'
	[ "$status" -eq 7 ]
	[ "$output" = "out
err" ]

	# UpdateContainerResources with every field the kubelet fills on a cgroup v1 node for a
	# Burstable resize (unified is cgroup v2 only; hugepage limits for every page size, 0).
	sizes=$(hugepage_sizes | jq -Rsc 'split("\n") | map(select(. != "") | {page_size: ., limit: 0})')
	run cri_ok UpdateContainerResources "$(jq -nc --arg id "$ctr" --argjson hp "$sizes" '{
		container_id: $id, linux: {cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512,
		memory_limit_in_bytes: 268435456, oom_score_adj: 936, cpuset_cpus: "0", cpuset_mems: "0",
		hugepage_limits: $hp, memory_swap_limit_in_bytes: 268435456}}')"
	echo "$output"
	[ "$status" -eq 0 ]
	in_ctr "$ctr" sh -c 'cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes \
		memory/memory.memsw.limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us \
		cpu/cpu.shares cpuset/cpuset.cpus pids/pids.max'
	[ "$status" -eq 0 ]
	# The resize is applied, and the pids limit ocigate injected at create is still there.
	[ "$output" = "268435456
268435456
50000
100000
512
0
4096" ]
	run e2e_audit_has "$ctr" update
	# The kubelet sends every member, zeros for the unset ones: runc leaves a 0 unchanged, so
	# ocigate drops them (a rewrite) for crun to do the same, and nothing else changes.
	jq -se '.[-1].verdict == "rewrite" and .[-1].executed and .[-1].denied == []
		and ([.[-1].rewritten[].message] | all(startswith("update members runc leaves unchanged")))' <<<"$output"

	# ContainerStats.
	run cri_ok ContainerStats "{\"container_id\":\"$ctr\"}"
	echo "$output"
	jq -e --arg id "$ctr" '.stats.attributes.id == $id and .stats.attributes.metadata.name == "app"
		and (.stats.memory.working_set_bytes.value | tonumber) > 0
		and (.stats.cpu.usage_core_nano_seconds.value | tonumber) > 0' <<<"$output"

	# StopContainer, RemoveContainer.
	cri_ok StopContainer "{\"container_id\":\"$ctr\",\"timeout\":2}"
	[ "$(status_of "$ctr")" = CONTAINER_EXITED ]
	cri_ok RemoveContainer "{\"container_id\":\"$ctr\"}"
	run cri call ContainerStatus "{\"container_id\":\"$ctr\"}"
	[ "$status" -eq 3 ]
	jq -e '.error.code == "NOT_FOUND"' <<<"$output"
	cri_gone "$ctr"

	# StopPodSandbox, RemovePodSandbox; then nothing of the pod is left.
	cri_ok StopPodSandbox "{\"pod_sandbox_id\":\"$pod\"}"
	[ "$(pod_state "$pod")" = SANDBOX_NOTREADY ]
	cri_ok RemovePodSandbox "{\"pod_sandbox_id\":\"$pod\"}"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$uid"
}

# case_resize_never_lifts: a resize never lifts a limit: memory -1 is refused, a CPU-only resize
# keeps them.
case_resize_never_lifts() {
	local pod ctr
	cri_pod resize default
	pod=$(cri_runp resize | jq -r .pod_sandbox_id)
	cri_ctr app resize
	ctr=$(cri_start_ctr "$pod" resize app)
	# A CPU-only resize (the kubelet sends memory 0 when the pod has no memory limit): applied,
	# and the memory and pids limits injected at create stay.
	run cri_ok UpdateContainerResources "{\"container_id\":\"$ctr\",\"linux\":{\"cpu_period\":100000,
		\"cpu_quota\":20000,\"cpu_shares\":204,\"oom_score_adj\":1000}}"
	[ "$status" -eq 0 ]
	in_ctr "$ctr" sh -c 'cd /sys/fs/cgroup && cat cpu/cpu.cfs_quota_us memory/memory.limit_in_bytes pids/pids.max'
	[ "$output" = "20000
2147483648
4096" ]
	# Lifting the memory limit (-1 is "unlimited" to runc) is refused with ocigate's reason, and
	# the limit inside is unchanged.
	run cri call UpdateContainerResources "{\"container_id\":\"$ctr\",\"linux\":{\"memory_limit_in_bytes\":-1}}"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$(cri_error_details)" == *'ocigate: denied by policy "baseline": resource-limits (CIS Docker 1.6.0 5.11'*'update sets the memory limit to `-1`, removing it'* ]]
	in_ctr "$ctr" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	[ "$output" = 2147483648 ]
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid resize)"
}

# case_hostnetwork_refused: a hostNetwork pod is refused: the error names ocigate, host-namespaces
# and CIS 5.10.
case_hostnetwork_refused() {
	cri_pod hostnet default "$CRI_HOSTNETWORK"
	run cri_runp hostnet
	refused 'host-namespaces (CIS Docker 1.6.0 5.10, 5.16, 5.17, 5.21, PSS hostNamespaces): no `network` namespace: the container would share the host'
	no_pod_named hostnet
	cri_pod_cgroup_empty "$(cri_pod_uid hostnet)"
}

# case_fake_namespace_refused: a hostNetwork pod claiming kube-system with its own annotation is
# still refused.
case_fake_namespace_refused() {
	# Pod annotations reach the spec only when containerd's pod_annotations allow-lists them; the
	# policy honours io.kubernetes.cri.sandbox-namespace, which containerd itself sets.
	cri_pod fake-ks default "$CRI_HOSTNETWORK"' | .annotations["io.kubernetes.cri.sandbox-namespace"] = "kube-system"'
	run cri_runp fake-ks
	refused 'host-namespaces (CIS Docker 1.6.0 5.10'
	no_pod_named fake-ks
	cri_pod_cgroup_empty "$(cri_pod_uid fake-ks)"
}

# case_privileged_refused: a privileged container is refused at StartContainer (privileged, CIS
# 5.5) and never starts.
case_privileged_refused() {
	local pod ctr
	cri_pod priv default '.linux.security_context.privileged = true'
	pod=$(cri_runp priv | jq -r .pod_sandbox_id)
	cri_ctr app priv '.linux.security_context.privileged = true'
	ctr=$(cri_create "$pod" priv app | jq -r .container_id)
	run cri call StartContainer "{\"container_id\":\"$ctr\"}"
	refused 'privileged (CIS Docker 1.6.0 5.5, PSS privileged): container is privileged'
	# What the kubelet reports for the pod (reason StartError, the denial as the message); the
	# process never started.
	run cri_ok ContainerStatus "{\"container_id\":\"$ctr\"}"
	jq -e '.status.state == "CONTAINER_EXITED" and .status.reason == "StartError"
		and .status.started_at == "0"
		and (.status.message | contains("ocigate: denied by policy \"baseline\": privileged"))' <<<"$output"
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid priv)"
}

# case_hostpath_etc_refused: a hostPath mount of /etc is refused (sensitive-mounts, CIS 5.6).
case_hostpath_etc_refused() {
	local pod ctr
	cri_pod etc default
	pod=$(cri_runp etc | jq -r .pod_sandbox_id)
	cri_ctr app etc '.mounts += [{container_path: "/host-etc", host_path: "/etc", readonly: true}]'
	ctr=$(cri_create "$pod" etc app | jq -r .container_id)
	run cri call StartContainer "{\"container_id\":\"$ctr\"}"
	refused 'sensitive-mounts (CIS Docker 1.6.0 5.6, 5.32, PSS hostPathVolumes): read-only bind of `/etc` at `/host-etc`'
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid etc)"
}

# case_sys_admin_refused: CAP_SYS_ADMIN is refused (capabilities, CIS 5.4).
case_sys_admin_refused() {
	local pod ctr
	cri_pod sysadmin default
	pod=$(cri_runp sysadmin | jq -r .pod_sandbox_id)
	cri_ctr app sysadmin '.linux.security_context.capabilities = {add_capabilities: ["SYS_ADMIN"]}'
	ctr=$(cri_create "$pod" sysadmin app | jq -r .container_id)
	run cri call StartContainer "{\"container_id\":\"$ctr\"}"
	refused 'capabilities (CIS Docker 1.6.0 5.4, PSS capabilities): denied capabilities `CAP_SYS_ADMIN`'
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid sysadmin)"
}

# case_kube_system_exempted: a hostNetwork pod in kube-system runs, exempted through
# io.kubernetes.cri.sandbox-namespace.
case_kube_system_exempted() {
	local pod ctr
	cri_pod agent kube-system "$CRI_HOSTNETWORK"
	run cri_runp agent
	echo "$output"
	[ "$status" -eq 0 ]
	pod=$(jq -r .pod_sandbox_id <<<"$output")
	cri_ctr app agent
	ctr=$(cri_start_ctr "$pod" agent app)
	# The container is in the node's network namespace (the same inode as this shell's).
	in_ctr "$ctr" readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/self/ns/net)" ]
	# Both creates were judged, exempted by name, and still audited.
	run e2e_audit_has "$pod" create
	jq -se '.[0].exemptions == ["kube-system-node-agents"] and .[0].executed' <<<"$output"
	run e2e_audit_has "$ctr" create
	jq -se '.[0].exemptions == ["kube-system-node-agents"] and .[0].executed' <<<"$output"
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid agent)"
}

# case_restricted_nonroot: handler ocigate-restricted runs a pod as non-root, confined.
case_restricted_nonroot() {
	local pod ctr ctr2
	cri_pod nonroot default '.linux.security_context.run_as_user = {value: 65534}'
	run cri_runp nonroot ocigate-restricted
	echo "$output"
	[ "$status" -eq 0 ]
	pod=$(jq -r .pod_sandbox_id <<<"$output")
	cri call PodSandboxStatus "{\"pod_sandbox_id\":\"$pod\"}" | jq -e '.status.runtime_handler == "ocigate-restricted"'
	cri_ctr app nonroot '.linux.security_context.run_as_user = {value: 65534}'
	ctr=$(cri_start_ctr "$pod" nonroot app)
	in_ctr "$ctr" sh -c 'id -u; grep -E "^(NoNewPrivs|Seccomp|CapBnd):" /proc/self/status; touch /probe'
	# uid 65534; no_new_privs; a filter; only NET_BIND_SERVICE (bit 10) left in the bounding set;
	# the root filesystem is read-only.
	[ "${lines[0]}" = 65534 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
	[[ "$output" =~ Seccomp:[[:space:]]+2 ]]
	[[ "$output" =~ CapBnd:[[:space:]]+0000000000000400 ]]
	[[ "$output" == *"Read-only file system"* ]]
	run e2e_audit_has "$ctr" create
	jq -se '.[0].policy == "restricted"' <<<"$output"
	# A container that asks for nothing (the image's user, root) runs as nobody too: the
	# restricted profile rewrites uid 0 (root-user, PSS runAsNonRoot).
	cri_ctr asroot nonroot
	ctr2=$(cri_start_ctr "$pod" nonroot asroot)
	in_ctr "$ctr2" id -u
	[ "$output" = 65534 ]
	run e2e_audit_has "$ctr2" create
	jq -se '[.[0].rewritten[].rule] | index("root-user") != null' <<<"$output"
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr" "$ctr2"
	cri_pod_cgroup_empty "$(cri_pod_uid nonroot)"
}

# case_audit_identity: each audit line of a pod names its namespace, name and uid, and the
# container's name.
case_audit_identity() {
	local pod ctr uid a=$E2E_WORK/audit.log
	cri_pod audit default
	uid=$(cri_pod_uid audit)
	pod=$(cri_runp audit | jq -r .pod_sandbox_id)
	cri_ctr app audit
	ctr=$(cri_start_ctr "$pod" audit app)
	cri_in "$ctr" true
	cri_ok UpdateContainerResources "{\"container_id\":\"$ctr\",\"linux\":{\"cpu_shares\":300}}" >/dev/null
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$uid"
	jq -c --arg p "$pod" 'select(.container == $p)' "$a" >"$T/sandbox.jsonl"
	jq -c --arg c "$ctr" 'select(.container == $c and .verb == "create")' "$a" >"$T/create.jsonl"
	jq -c --arg c "$ctr" 'select(.container == $c and .verb != "create")' "$a" >"$T/exec-update.jsonl"
	cat "$T/sandbox.jsonl" "$T/create.jsonl" "$T/exec-update.jsonl"
	[ "$(jq -sc 'map(.verb) | sort' "$T/exec-update.jsonl")" = '["exec","update"]' ]
	# create reads the bundle's config.json, where containerd put the pod's identity.
	audit_names_pod "$T/sandbox.jsonl" ""
	audit_names_pod "$T/create.jsonl" app
	cat "$T/sandbox.jsonl" "$T/create.jsonl" >"$T/creates.jsonl"
	cri_check audit-pod-uid audit_names_uid "$T/creates.jsonl" "$uid"
	cri_check audit-exec-update-workload audit_names_pod "$T/exec-update.jsonl" app
	cri_check audit-exec-update-workload audit_names_uid "$T/exec-update.jsonl" "$uid"
}

# case_nothing_left: nothing is left behind: no pod, container, runc state, mount or shim of this
# run.
case_nothing_left() {
	cri call ListPodSandbox '{}' | jq -e '.items | length == 0'
	cri call ListContainers '{}' | jq -e '.containers | length == 0'
	run find "$CRI_RUNC_ROOT" -mindepth 2
	[ -z "$output" ]
	run find "$CRI_STATE/io.containerd.runtime.v2.task" -mindepth 2 -maxdepth 2
	[ -z "$output" ]
	# (CRI_OWN_MOUNTS: mount points the test itself made, space-separated.)
	run awk -v d="$E2E_WORK/" -v own=" ${CRI_OWN_MOUNTS:-} " 'index($2, d) == 1 && !index(own, " " $2 " ")' /proc/mounts
	[ -z "$output" ]
	# The only process naming the work dir is containerd itself (no shim, no pause).
	[ "$(e2e_procs_naming "$E2E_WORK")" = "$(cat "$E2E_WORK/containerd.spawned")" ]
	run find "/sys/fs/cgroup/memory/$CRI_CG" -name cgroup.procs -exec cat {} +
	[ -z "$output" ]
}
