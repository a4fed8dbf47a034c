#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/kubernetes: the manifests, and contrib/kubernetes/ocigate-installer run against a node.
#
# The node is a private containerd 1.6 (CRI plugin, plain runc as its default handler) whose
# files sit where a node keeps them, below $E2E_WORK/node (etc/containerd/config.toml,
# run/containerd, var/lib/containerd, etc/ocigate).  The installer runs as the DaemonSet runs it:
# against a scratch host root ($E2E_WORK/hostroot: the node's containerd, ctr and shared libraries,
# with $E2E_WORK/node bind-mounted at its own path, so the paths the installer writes are the paths
# this containerd reads), the ConfigMap volume published the way the kubelet publishes it
# (timestamped directories behind an atomically swapped `..data` symlink), and containerd
# restarted by this file's own containerdctl.  The tests run in order: each one starts from the
# node the one before left.

load lib
load cri/lib
load cri/cases

K8S=$E2E_SRC/contrib/kubernetes

setup_file() {
	# The node's own policy: settings a fleet-wide ConfigMap should not carry.
	printf '// this node'"'"'s own policy\n{ "mode": "enforce" }\n' >"$BATS_FILE_TMPDIR/node-policy.json"
	chmod 0644 "$BATS_FILE_TMPDIR/node-policy.json"
	export CRI_NODE_POLICY=$BATS_FILE_TMPDIR/node-policy.json
	cri_setup installer runc node
	[ -z "${E2E_SKIP:-}${E2E_BROKEN:-}" ] || return 0
	e2e_install python3-yaml python3-kubernetes >/dev/null 2>&1 || true
	HOSTROOT=$E2E_WORK/hostroot
	CRI_OWN_MOUNTS=$HOSTROOT$CRI_NODE
	export HOSTROOT CRI_OWN_MOUNTS
	cp -p "$CRI_CONFIG" "$E2E_WORK/config.toml.orig"
	hostroot_make || export E2E_BROKEN="the scratch host root could not be made"
	manifest_policy | configmap_publish
}

teardown_file() {
	[ -n "${HOSTROOT:-}" ] && umount "$HOSTROOT$CRI_NODE" 2>/dev/null
	cri_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
	N=$CRI_NODE
	D=$(dirname "$CRI_CONFIG")/conf.d/99-ocigate.toml
}

# hostroot_make: the scratch host root: the node's containerd, ctr and runc (the runtime the
# installed ocigate must find to validate a policy) with their libraries, and ocigate's (none
# for the static build).
hostroot_make() {
	local f lib
	mkdir -p "$HOSTROOT/usr/bin" "$HOSTROOT/usr/sbin" "$HOSTROOT$CRI_NODE" "$HOSTROOT/tmp"
	cp /usr/bin/containerd /usr/bin/ctr "$HOSTROOT/usr/bin/"
	cp /usr/sbin/runc "$HOSTROOT/usr/sbin/"
	for f in /usr/bin/containerd /usr/bin/ctr /usr/sbin/runc "$OCIGATE"; do
		for lib in $(ldd "$f" | grep -oE '/[^ ]+'); do
			mkdir -p "$HOSTROOT$(dirname "$lib")"
			cp -L "$lib" "$HOSTROOT$lib"
		done
	done
	mount --bind "$CRI_NODE" "$HOSTROOT$CRI_NODE"
}

# manifest_policy: the ConfigMap's policy.json, from policy-configmap.yaml.
manifest_policy() {
	/usr/bin/python3 "$CRI_HERE/manifests.py" configmap-data "$K8S" policy.json
}

# configmap_publish < TEXT: a new version of the ConfigMap volume, as the kubelet's AtomicWriter
# writes one (kubernetes pkg/volume/util/atomic_writer.go): the files in a new timestamped
# directory, then the `..data` symlink swapped to it by rename(2), the key's symlink through
# `..data`, the old directory removed.
configmap_publish() {
	local d=$E2E_WORK/configmap old new
	mkdir -p "$d"
	old=$(readlink "$d/..data" 2>/dev/null || true)
	new=..$(date +%Y_%m_%d_%H_%M_%S.%N)
	mkdir "$d/$new"
	cat >"$d/$new/policy.json"
	ln -s "$new" "$d/..data_tmp"
	mv -T "$d/..data_tmp" "$d/..data"
	[ -L "$d/policy.json" ] || ln -s ..data/policy.json "$d/policy.json"
	[ -n "$old" ] && rm -rf "${d:?}/$old"
	return 0
}

# node_args: this node's paths, as installer options.
node_args() {
	# No --dropin: the installer's own, beside config.toml ($D), where `ocigate runtime configure`
	# writes its drop-in too.
	NODE_ARGS=(--source "$OCIGATE" --bindir "$N/opt/ocigate/bin" --policy-dir "$CRI_POLICY_DIR"
		--policy-source "$E2E_WORK/configmap" --containerd-config "$CRI_CONFIG"
		--state-dir "$N/var/lib/ocigate-installer" --configure-state-dir "$N/var/lib/ocigate")
}

# inst ARGS...: the installer as the DaemonSet runs it (the scratch host root), with this node's
# paths, restarting containerd with containerdctl (or RESTART_CMD).  OCIGATE_POLICY is what
# containerd's environment gives ocigate here (the test binary was not built with
# --sysconfdir=/etc).
inst() {
	node_args
	OCIGATE_POLICY=$CRI_POLICY_DIR/policy.json "$K8S/ocigate-installer" --host-root "$HOSTROOT" \
		"${NODE_ARGS[@]}" --restart command \
		--restart-command "${RESTART_CMD:-$E2E_WORK/containerdctl restart}" "$@"
}

# by_hand ARGS...: the installer run on the node itself (--host-root /).
by_hand() {
	node_args
	OCIGATE_POLICY=$CRI_POLICY_DIR/policy.json "$K8S/ocigate-installer" --host-root / \
		"${NODE_ARGS[@]}" --restart none "$@"
}

containerd_pid() {
	cat "$E2E_WORK/containerd.spawned"
}

# pause_pid POD_ID: the pid of the pod's pause process, from the shim's bundle.
pause_pid() {
	cat "$CRI_STATE/io.containerd.runtime.v2.task/k8s.io/$1/init.pid"
}

# survives POD_ID CTR_ID PAUSE_PID: the pod still runs, with the same pause process, and its
# container answers ExecSync.
survives() {
	kill -0 "$3"
	[ "$(pause_pid "$1")" = "$3" ]
	cri call PodSandboxStatus "{\"pod_sandbox_id\":\"$1\"}" | jq -e '.status.state == "SANDBOX_READY"'
	run cri_in "$2" echo still-here
	[ "$output" = still-here ]
}

# seccomp_of CTR_ID: the Seccomp mode of a process in the container.
seccomp_of() {
	cri_in "$1" grep -E '^Seccomp:' /proc/self/status | awk '{print $2}'
}

audit_lines() {
	if [ -f "$E2E_WORK/audit.log" ]; then wc -l <"$E2E_WORK/audit.log"; else echo 0; fi
}

# installed_sha: the policy installed from the ConfigMap.
installed_sha() {
	sha256sum "$CRI_POLICY_DIR/policy.d/50-kubernetes.json" | cut -d' ' -f1
}

# policy_with_ops_exemption: the manifest's policy plus an exemption for hostNetwork pods in the
# namespace "ops" (JSON with comments: edited as text).
policy_with_ops_exemption() {
	manifest_policy | sed 's|^\(  *\)"exemptions": {|&\n\1  "ops-host-network": { "match": { "annotations": { "io.kubernetes.cri.sandbox-namespace": "ops" } }, "rules": { "host-namespaces": "off" } },|'
}

# installed: the installer's handlers are what containerd runs (the install test passed), so a
# CRI case below runs through them.
installed() {
	[ -e "$E2E_WORK/installed" ]
	grep -qF "$D" "$CRI_CONFIG"
}

@test "installer: the manifests parse, match the Kubernetes API types and name the installer's paths" {
	run /usr/bin/python3 "$CRI_HERE/manifests.py" check "$K8S" "$K8S/ocigate-installer"
	echo "$output"
	[ "$status" -eq 0 ]
	# The ConfigMap's policy is a valid ocigate policy on its own.
	mkdir -m 0755 "$T/p"
	manifest_policy >"$T/p/policy.json"
	run "$OCIGATE" policy validate "$T/p/policy.json"
	echo "$output"
	[ "$status" -eq 0 ]
	# The RuntimeClasses name the handlers of contrib/containerd's configuration.
	src=$E2E_SRC/contrib/containerd/config.toml
	[ -f "$src.in" ] && src=$src.in
	for h in $(grep -oE 'containerd\.runtimes\.[a-z-]+\]' "$src" | cut -d. -f3 | tr -d ']'); do
		grep -qx "handler: $h" "$K8S/runtimeclass.yaml"
	done
}

# edit_imports FILE WHAT: the installer's own config_with_import (WHAT=add) or
# config_without_import (WHAT=remove) of FILE, the drop-in being $T/ocigate/cri.toml.
edit_imports() {
	bash -c '. "$1" && CONTAINERD_CONFIG=$2 DROPIN=$3 &&
		if [ "$4" = add ]; then config_with_import "$DROPIN"; else config_without_import; fi' \
		_ "$K8S/ocigate-installer" "$1" "$T/ocigate/cri.toml" "$2"
}

@test "installer: adds its import once, last, to any form of \`imports\`, and removes exactly that" {
	local n=0 f
	mkdir -p "$T/ocigate"
	# Each import sets the CRI plugin's sandbox_image: containerd 1.6 keeps the last file's
	# section, so the dump shows "ours" only if the drop-in is loaded last.
	for f in a b; do
		printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "%s"\n' "$f" >"$T/$f.toml"
	done
	printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "ours"\n' >"$T/ocigate/cri.toml"
	for cfg in 'version = 2\n' \
		'version = 2 # v2\nroot = "/x"\n\n[grpc]\n  address = "/x.sock"\n' \
		'version = 2\nimports = []\n' \
		"version = 2\nimports = ['$T/a.toml'] # the a file\n[grpc]\n  address = \"/x.sock\"\n" \
		"version = 2\nimports = [\"$T/a.toml\", \"$T/b.toml\"]\n" \
		"version = 2\nimports = [\n  \"$T/a.toml\",\n  \"$T/b.toml\",\n]\n[grpc]\n" \
		"version = 2\nimports = [\n  \"$T/a.toml\"\n  , \"$T/b.toml\"\n  ]\n"; do
		n=$((n + 1))
		printf "$cfg" >"$T/c$n.toml"
		edit_imports "$T/c$n.toml" add >"$T/c$n.added.toml"
		cat "$T/c$n.added.toml"
		run /usr/bin/containerd --config "$T/c$n.added.toml" config dump
		[ "$status" -eq 0 ]
		grep -qxE '[[:space:]]*sandbox_image = "ours"' <<<"$output"
		# Once: adding again gives the same file.
		cp "$T/c$n.added.toml" "$T/c$n.again.toml"
		edit_imports "$T/c$n.again.toml" add | cmp - "$T/c$n.added.toml"
		[ "$(grep -c "$T/ocigate/cri.toml" "$T/c$n.added.toml")" = 2 ]
		# Removal gives back the operator's bytes.
		edit_imports "$T/c$n.added.toml" remove | cmp - "$T/c$n.toml"
	done
}

@test "installer: the handlers copy the default runtime's options and replace the node's own \`ocigate\`" {
	# A node with SystemdCgroup on its runc handler, and an \`ocigate\` of its own (README's manual
	# set-up).  The drop-in must carry SystemdCgroup to both handlers and define \`ocigate\` once.
	cat >"$T/config.toml" <<EOF
version = 2
[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "runc"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    SystemdCgroup = true
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.ocigate]
  runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.ocigate.options]
    BinaryName = "/usr/bin/ocigate"
EOF
	/usr/bin/containerd --config "$T/config.toml" config dump >"$T/base.dump"
	bash -c '. "$1" && BINDIR=/opt/ocigate/bin SET_DEFAULT=1 && dropin_text "$2"' \
		_ "$K8S/ocigate-installer" "$T/base.dump" >"$T/cri.toml"
	cat "$T/cri.toml"
	printf 'version = 2\nimports = ["%s"]\n' "$T/cri.toml" >"$T/with.toml"
	run /usr/bin/containerd --config "$T/with.toml" config dump
	[ "$status" -eq 0 ]
	for h in ocigate ocigate-restricted; do
		sed -n "/runtimes\.$h\.options\]/,/^[[:space:]]*\[/p" <<<"$output" >"$T/$h"
		grep -qxE '[[:space:]]*SystemdCgroup = true' "$T/$h"
		grep -qxE "[[:space:]]*BinaryName = \"/opt/ocigate/bin/$h\"" "$T/$h"
	done
	grep -qxE '[[:space:]]*default_runtime_name = "ocigate"' <<<"$output"
	[ "$(grep -c 'runtimes.ocigate]' "$T/cri.toml")" = 1 ]
}

@test "installer: before install, containerd runs a pod with plain runc, not through ocigate" {
	local before pod ctr
	before=$(audit_lines)
	cri_pod before default
	pod=$(cri_runp before | jq -r .pod_sandbox_id)
	cri_ctr app before
	ctr=$(cri_start_ctr "$pod" before app)
	# The kubelet sent seccomp Unconfined: runc applies no filter, nothing injects one.
	[ "$(seccomp_of "$ctr")" = 0 ]
	[ "$(audit_lines)" = "$before" ]
	echo "$pod $ctr $(pause_pid "$pod") $(cri_pod_uid before)" >"$E2E_WORK/before-pod"
}

@test "installer: refuses a node where the ocigate binary does not run, and changes nothing" {
	local pid stand_in=$T/ocigate
	pid=$(containerd_pid)
	# ocigate is a static binary that runs anywhere: stand in a build that needs a library the
	# node lacks (jq's libjq, which nothing in the host root links).
	cp /usr/bin/jq "$stand_in"
	run inst install --set-default --source "$stand_in"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the ocigate binary does not run on this node, not installed"*libjq* ]]
	[ ! -e "$N/opt/ocigate/bin/ocigate" ]
	[ -z "$(find "$N/opt/ocigate/bin" -name '.ocigate.*')" ]
	cmp "$CRI_CONFIG" "$E2E_WORK/config.toml.orig"
	[ ! -e "$D" ]
	[ "$(containerd_pid)" = "$pid" ]
}

@test "installer: refuses a first ConfigMap policy that does not validate, and leaves containerd alone" {
	echo '{ "mode": "enforce", "bogus": 1 }' | configmap_publish
	run inst install --set-default
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not validate, NOT installed"*'$.bogus: unknown key'* ]]
	[[ "$output" == *"no valid policy from $E2E_WORK/configmap yet: containerd is left as it was"* ]]
	[ ! -e "$CRI_POLICY_DIR/policy.d/50-kubernetes.json" ]
	cmp "$CRI_CONFIG" "$E2E_WORK/config.toml.orig"
	[ ! -e "$D" ]
	manifest_policy | configmap_publish
}

@test "installer: refuses a node that \`ocigate runtime configure\` wired (the same drop-in), and changes nothing" {
	local rec=$N/var/lib/ocigate/runtime-containerd.json
	mkdir -p "$(dirname "$rec")"
	echo '{}' >"$rec"
	run inst install --set-default
	echo "$output"
	rm -rf "$N/var/lib/ocigate"
	[ "$status" -eq 1 ]
	[[ "$output" == *"containerd is wired by \`ocigate runtime configure\` ($rec), through the same drop-in $D: run \`ocigate runtime unconfigure --engine containerd\` first; nothing changed"* ]]
	cmp "$CRI_CONFIG" "$E2E_WORK/config.toml.orig"
	[ ! -e "$D" ]
	[ ! -e "$CRI_POLICY_DIR/policy.d/50-kubernetes.json" ]
}

@test "installer: when containerd does not come back, the previous configuration is put back" {
	local pod ctr ppid pid
	read -r pod ctr ppid _ <"$E2E_WORK/before-pod"
	pid=$(containerd_pid)
	# A restart that stops containerd and fails, the first time only.
	cat >"$T/restart" <<EOF
#!/bin/bash
if [ ! -e "$T/failed-once" ]; then touch "$T/failed-once"; "$E2E_WORK/containerdctl" stop; exit 1; fi
exec "$E2E_WORK/containerdctl" restart
EOF
	chmod +x "$T/restart"
	RESTART_CMD=$T/restart run inst install --set-default
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"containerd did not come back: restoring the previous configuration"* ]]
	[[ "$output" == *"containerd runs the previous configuration again"* ]]
	cmp "$CRI_CONFIG" "$E2E_WORK/config.toml.orig"
	[ ! -e "$D" ]
	[ "$(containerd_pid)" != "$pid" ]
	cri_wait_ready
	survives "$pod" "$ctr" "$ppid"
}

@test "installer: install copies ocigate, installs the policy, wires containerd with a drop-in, restarts it; pods survive" {
	local pod ctr ppid pid
	read -r pod ctr ppid _ <"$E2E_WORK/before-pod"
	pid=$(containerd_pid)
	run inst install --set-default
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"install complete"* ]]
	# The binary and the profile links.
	cmp "$OCIGATE" "$N/opt/ocigate/bin/ocigate"
	[ "$(readlink "$N/opt/ocigate/bin/ocigate-restricted")" = ocigate ]
	[ "$(readlink "$N/opt/ocigate/bin/ocigate-privileged")" = ocigate ]
	# The ConfigMap's policy, byte for byte, root-owned, not writable by others.
	manifest_policy | cmp - "$CRI_POLICY_DIR/policy.d/50-kubernetes.json"
	[ "$(stat -c '%u %a' "$CRI_POLICY_DIR/policy.d/50-kubernetes.json")" = "0 644" ]
	# config.toml gained the import and nothing else.
	run diff "$E2E_WORK/config.toml.orig" "$CRI_CONFIG"
	echo "$output"
	[ "$(grep -c '^[<>]' <<<"$output")" = 2 ]
	grep -qx "> imports = \[\"$D\"\]" <<<"$output"
	# containerd's effective configuration: the handlers, with the runc handler's options
	# (Root), ocigate the default, the node's CRI settings unchanged.
	run /usr/bin/containerd --config "$CRI_CONFIG" config dump
	grep -qxE '[[:space:]]*default_runtime_name = "ocigate"' <<<"$output"
	grep -qxE "[[:space:]]*BinaryName = \"$N/opt/ocigate/bin/ocigate\"" <<<"$output"
	grep -qxE "[[:space:]]*BinaryName = \"$N/opt/ocigate/bin/ocigate-restricted\"" <<<"$output"
	[ "$(grep -cxE "[[:space:]]*Root = \"$CRI_RUNC_ROOT\"" <<<"$output")" = 3 ]
	grep -qxE "[[:space:]]*sandbox_image = \"$CRI_PAUSE_IMAGE\"" <<<"$output"
	# containerd was restarted, and the pod started before runs on, with the same pause process.
	[ "$(containerd_pid)" != "$pid" ]
	cri_wait_ready
	survives "$pod" "$ctr" "$ppid"
	touch "$E2E_WORK/installed"
}

@test "installer: running install again changes nothing and restarts nothing" {
	local pid
	pid=$(containerd_pid)
	cp -p "$CRI_CONFIG" "$T/config.toml"
	cp -p "$D" "$T/cri.toml"
	run inst install --set-default
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"containerd already has this configuration"* ]]
	[[ "$output" != *restarting* ]]
	cmp "$CRI_CONFIG" "$T/config.toml"
	cmp "$D" "$T/cri.toml"
	[ "$(containerd_pid)" = "$pid" ]
}

@test "installer: through the installed handler, the kubelet's sequence" {
	installed
	case_kubelet_sequence
}

@test "installer: through the installed handler, a resize never lifts a limit" {
	installed
	case_resize_never_lifts
}

@test "installer: through the installed handler, a hostNetwork pod is refused" {
	installed
	case_hostnetwork_refused
}

@test "installer: through the installed handler, a privileged container is refused" {
	installed
	case_privileged_refused
}

@test "installer: through the installed handler, a hostPath mount of /etc is refused" {
	installed
	case_hostpath_etc_refused
}

@test "installer: through the installed handler, CAP_SYS_ADMIN is refused" {
	installed
	case_sys_admin_refused
}

@test "installer: through the installed handler, a hostNetwork pod in kube-system runs (ConfigMap exemption)" {
	installed
	case_kube_system_exempted
}

@test "installer: through the installed handler, ocigate-restricted runs a pod as non-root" {
	installed
	case_restricted_nonroot
}

# installer_pod NAME NAMESPACE: the pod daemonset.yaml asks for (privileged, the host's PID
# namespace, the node's / at /host), in NAMESPACE; its container runs `sleep 3600`.
installer_pod() {
	local shape pf
	shape=$(/usr/bin/python3 "$CRI_HERE/manifests.py" daemonset-pod "$K8S")
	jq -e '.privileged and (.mounts | length) > 0' <<<"$shape"
	pf='.linux.security_context.privileged = true'
	if jq -e .hostPID <<<"$shape" >/dev/null; then
		pf+=' | .linux.security_context.namespace_options.pid = "NODE"'
	fi
	if jq -e .hostNetwork <<<"$shape" >/dev/null; then pf+=" | $CRI_HOSTNETWORK"; fi
	cri_pod "$1" "$2" "$pf"
	# cri_ctr takes the pod's namespace options, as the kubelet does.
	cri_ctr app "$1" ".linux.security_context.privileged = true | .mounts += $(jq -c .mounts <<<"$shape")"
}

@test "installer: the DaemonSet's own pod runs through the installed handler, exempted by the ConfigMap" {
	local pod ctr
	installed
	# The same pod outside ocigate-system is refused: the exemption is what lets it run.
	installer_pod installer-elsewhere default
	run cri_runp installer-elsewhere
	refused 'host-namespaces'
	cri_pod_cgroup_empty "$(cri_pod_uid installer-elsewhere)"
	installer_pod installer ocigate-system
	run cri_runp installer
	echo "$output"
	[ "$status" -eq 0 ]
	pod=$(jq -r .pod_sandbox_id <<<"$output")
	ctr=$(cri_start_ctr "$pod" installer app)
	# It sees the node: the host's PID namespace, the node's files at /host.
	in_ctr "$ctr" sh -c 'readlink /proc/self/ns/pid; test -x /host/usr/bin/containerd && echo node-root'
	[ "${lines[0]}" = "$(readlink /proc/self/ns/pid)" ]
	[ "${lines[1]}" = node-root ]
	run e2e_audit_has "$ctr" create
	jq -se '.[0].exemptions == ["ocigate-installer"] and .[0].executed' <<<"$output"
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid installer)"
}

@test "installer: a ConfigMap update reaches the node with \`sync\`, restarting nothing" {
	local pid pod
	pid=$(containerd_pid)
	cri_pod ops1 ops "$CRI_HOSTNETWORK"
	run cri_runp ops1
	refused 'host-namespaces'
	policy_with_ops_exemption | configmap_publish
	run by_hand sync
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"installed policy"* ]]
	policy_with_ops_exemption | cmp - "$CRI_POLICY_DIR/policy.d/50-kubernetes.json"
	cri_pod ops2 ops "$CRI_HOSTNETWORK"
	run cri_runp ops2
	echo "$output"
	[ "$status" -eq 0 ]
	pod=$(jq -r .pod_sandbox_id <<<"$output")
	e2e_audit_has "$pod" create | jq -se '.[0].exemptions == ["ops-host-network"]'
	cri_rm_pod "$pod"
	cri_gone "$pod"
	[ "$(containerd_pid)" = "$pid" ]
	cri_pod_cgroup_empty "$(cri_pod_uid ops1)"
	cri_pod_cgroup_empty "$(cri_pod_uid ops2)"
}

@test "installer: \`watch\` installs the next ConfigMap version by itself" {
	local w i want
	node_args
	# A simple command, so that $! is the installer's pid.
	OCIGATE_POLICY=$CRI_POLICY_DIR/policy.json "$K8S/ocigate-installer" --host-root "$HOSTROOT" \
		"${NODE_ARGS[@]}" --restart none watch --interval 1 2>"$T/watch.log" &
	w=$!
	# The run's cleanup finds it by this file if the test stops before it does.
	echo "$w" >"$E2E_WORK/installer-watch.spawned"
	manifest_policy | configmap_publish
	want=$(manifest_policy | sha256sum | cut -d' ' -f1)
	for ((i = 0; i < 120; i++)); do
		[ "$(installed_sha)" = "$want" ] && break
		sleep 0.5
	done
	kill -TERM "$w"
	wait "$w" || true
	rm -f "$E2E_WORK/installer-watch.spawned"
	cat "$T/watch.log"
	[ "$(installed_sha)" = "$want" ]
	grep -q "installed policy ${want:0:12}" "$T/watch.log"
}

@test "installer: a ConfigMap policy that does not validate is never installed, the node keeps the last good one" {
	local good pod
	good=$(installed_sha)
	manifest_policy | sed 's|"mode": "enforce",|"mode": "enforce", "bogus": 1,|' | configmap_publish
	run by_hand sync
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not validate, NOT installed; the node keeps policy ${good:0:12}"*'$.bogus: unknown key'* ]]
	[ "$(installed_sha)" = "$good" ]
	# The node enforces the last good policy: the ops exemption is gone with it.
	cri_pod ops3 ops "$CRI_HOSTNETWORK"
	run cri_runp ops3
	refused 'host-namespaces'
	cri_pod_cgroup_empty "$(cri_pod_uid ops3)"
	manifest_policy | configmap_publish
	by_hand sync
}

@test "installer: the drop-in follows a change of the node's own CRI settings, without a restart" {
	local pid
	pid=$(containerd_pid)
	sed -i 's|^  restrict_oom_score_adj = true$|&\n  max_container_log_line_size = 8192|' "$CRI_CONFIG"
	run by_hand sync
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"rewriting $D (applies at containerd's next restart)"* ]]
	grep -qxE '[[:space:]]*max_container_log_line_size = 8192' "$D"
	/usr/bin/containerd --config "$CRI_CONFIG" config dump | grep -qxE '[[:space:]]*default_runtime_name = "ocigate"'
	[ "$(containerd_pid)" = "$pid" ]
	sed -i '/^  max_container_log_line_size = 8192$/d' "$CRI_CONFIG"
	by_hand sync
	[ "$(grep -c 'max_container_log_line_size = 8192' "$D")" = 0 ]
}

@test "installer: uninstall keeps ocigate while a pod runs through it, restores config.toml, completes once it is gone" {
	local pod ctr pid bpod bctr bppid
	read -r bpod bctr bppid _ <"$E2E_WORK/before-pod"
	cri_pod during default
	pod=$(cri_runp during | jq -r .pod_sandbox_id)
	cri_ctr app during
	ctr=$(cri_start_ctr "$pod" during app)
	pid=$(containerd_pid)
	run inst uninstall
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"uninstall incomplete"*"$pod"* ]]
	cmp "$CRI_CONFIG" "$E2E_WORK/config.toml.orig"
	[ ! -e "$D" ]
	[ "$(containerd_pid)" != "$pid" ]
	cri_wait_ready
	[ -x "$N/opt/ocigate/bin/ocigate" ]
	[ -f "$CRI_POLICY_DIR/policy.d/50-kubernetes.json" ]
	# The pod created through ocigate still runs, and is stopped and removed through it.
	[ "$(seccomp_of "$ctr")" = 2 ]
	survives "$bpod" "$bctr" "$bppid"
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	cri_pod_cgroup_empty "$(cri_pod_uid during)"
	run inst uninstall
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ocigate removed"* ]]
	[ ! -e "$N/opt" ]
	[ ! -e "$CRI_POLICY_DIR/policy.d/50-kubernetes.json" ]
	[ -f "$CRI_POLICY_DIR/policy.json" ]
	[ ! -e "$N/var/lib/ocigate-installer" ]
	[ ! -e "$(dirname "$D")" ]
	touch "$E2E_WORK/uninstalled"
}

@test "installer: after uninstall, containerd runs pods with plain runc again" {
	local pod ctr before bpod bctr bppid buid p
	[ -e "$E2E_WORK/uninstalled" ]
	read -r bpod bctr bppid buid <"$E2E_WORK/before-pod"
	cri_pod plain-ocigate default
	run cri_runp plain-ocigate ocigate
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$(cri_error_details)" == *'no runtime for "ocigate" is configured'* ]]
	before=$(audit_lines)
	cri_pod after default
	pod=$(cri_runp after | jq -r .pod_sandbox_id)
	cri_ctr app after
	ctr=$(cri_start_ctr "$pod" after app)
	[ "$(seccomp_of "$ctr")" = 0 ]
	[ "$(audit_lines)" = "$before" ]
	cri_rm_pod "$pod"
	cri_gone "$pod" "$ctr"
	# The pod started before install outlived three containerd restarts and goes away cleanly.
	survives "$bpod" "$bctr" "$bppid"
	cri_rm_pod "$bpod"
	cri_gone "$bpod" "$bctr"
	for p in plain-ocigate after; do cri_pod_cgroup_empty "$(cri_pod_uid "$p")"; done
	cri_pod_cgroup_empty "$buid"
}

@test "installer: nothing is left behind: no pod, container, runc state, mount or shim of this run" {
	case_nothing_left
}
