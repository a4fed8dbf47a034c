#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Kubernetes' path to ocigate: containerd 1.6's CRI plugin (Debian's containerd) with the handlers
# `ocigate` and `ocigate-restricted` exactly as contrib/containerd/config.toml writes them,
# `ocigate` the default, and tests/e2e/cri/cri.py sending what the kubelet sends.  Every effect is
# read inside the container with ExecSync, or in the CRI error the kubelet turns into the pod's
# event.  The policy is contrib/policy/02-enforce-with-exemptions.json (see tests/e2e/cri/lib.bash).

load lib
load cri/lib
load cri/cases

setup_file() {
	cri_setup cri contrib
}

teardown_file() {
	cri_teardown
}

setup() {
	e2e_require
	T=$BATS_TEST_TMPDIR
}

@test "cri: containerd runs contrib/containerd's handlers, with ocigate as the default" {
	run /usr/bin/containerd --config "$CRI_CONFIG" config dump
	[ "$status" -eq 0 ]
	grep -qxE '[[:space:]]*default_runtime_name = "ocigate"' <<<"$output"
	grep -qxE "[[:space:]]*BinaryName = \"$E2E_WORK/bin/ocigate\"" <<<"$output"
	grep -qxE "[[:space:]]*BinaryName = \"$E2E_WORK/bin/ocigate-restricted\"" <<<"$output"
	run cri_ok Version '{"version":"v1"}'
	echo "$output"
	jq -e '.runtime_name == "containerd" and .runtime_api_version == "v1"' <<<"$output"
	run cri_ok ImageStatus "{\"image\":{\"image\":\"$CRI_PAUSE_IMAGE\"}}"
	jq -e '.image.repo_tags | index("'"$CRI_PAUSE_IMAGE"'") != null' <<<"$output"
}

@test "cri: the kubelet's sequence through the default handler, each step seen inside the container" {
	case_kubelet_sequence
}

@test "cri: a resize never lifts a limit: memory -1 is refused, a CPU-only resize keeps them" {
	case_resize_never_lifts
}

@test "cri: a hostNetwork pod is refused: the error names ocigate, host-namespaces and CIS 5.10" {
	case_hostnetwork_refused
}

@test "cri: a hostNetwork pod claiming kube-system with its own annotation is still refused" {
	case_fake_namespace_refused
}

@test "cri: a privileged container is refused at StartContainer (privileged, CIS 5.5) and never starts" {
	case_privileged_refused
}

@test "cri: a hostPath mount of /etc is refused (sensitive-mounts, CIS 5.6)" {
	case_hostpath_etc_refused
}

@test "cri: CAP_SYS_ADMIN is refused (capabilities, CIS 5.4)" {
	case_sys_admin_refused
}

@test "cri: a hostNetwork pod in kube-system runs, exempted through io.kubernetes.cri.sandbox-namespace" {
	case_kube_system_exempted
}

@test "cri: handler ocigate-restricted runs a pod as non-root, confined" {
	case_restricted_nonroot
}

@test "cri: each audit line of a pod names its namespace, name and uid, and the container's name" {
	case_audit_identity
}

@test "cri: nothing is left behind: no pod, container, runc state, mount or shim of this run" {
	case_nothing_left
}
