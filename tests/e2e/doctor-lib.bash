# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034,SC2154
# (SC2154: $output and $status are bats `run`'s.)
# Helpers of the `ocigate doctor` / `ocigate runtime configure` end-to-end tests
# (doctor-docker.bats, doctor-containerd.bats, doctor-podman.bats), on top of lib.bash.
#
# Each file starts its engine UNPROTECTED -- the way a host looks before ocigate is put in front of
# it -- with everything private under $E2E_WORK: configuration files, state, sockets, and a
# directory $E2E_WORK/sbin first on the daemon's PATH, where `runtime configure --as-runc` puts
# its link (the host's /usr/local/sbin is never touched).  The daemons get the same OCIGATE_*
# environment as lib.bash's (audit trail and policy file in the work dir, the real runc), so
# ocigate installed as runc by the command under test reaches them.

# doctor_env: the environment of the daemons, of ocigate's commands and of the tests.
doctor_env() {
	export OCIGATE_AUDIT_LOG=$E2E_WORK/audit.log
	export OCIGATE_RUNTIME=$E2E_REAL_RUNTIME
	export OCIGATE_POLICY=$E2E_WORK/policy.json
	mkdir -p "$E2E_WORK/sbin"
	chmod 0755 "$E2E_WORK" "$E2E_WORK/sbin"
	echo '{}' >"$E2E_WORK/policy.json"
	chmod 0644 "$E2E_WORK/policy.json"
	DOCTOR_PATH=$E2E_WORK/sbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export DOCTOR_PATH
}

# doctor_json ARGS...: `ocigate doctor --format json ARGS`; the report in $output, the status in
# $status (bats `run`).
doctor_json() {
	run "$OCIGATE" doctor --format json "$@"
}

# finding ID [SUBJECT_SUBSTRING]: the findings of the last doctor_json with that id, as a JSON
# array.
finding() {
	jq -c --arg id "$1" --arg s "${2:-}" '[.findings[] | select(.id == $id and (.subject | contains($s)))]' <<<"$output"
}

# has_finding ID SEVERITY [SUBJECT_SUBSTRING]: at least one finding with that id and severity.
has_finding() {
	local f
	f=$(finding "$1" "${3:-}")
	echo "$1 ${3:-}: $f"
	jq -e --arg sev "$2" 'length > 0 and all(.[]; .severity == $sev)' <<<"$f" >/dev/null
}

# no_finding ID: no finding with that id at all.
no_finding() {
	local f
	f=$(finding "$1")
	echo "$1: $f"
	[ "$f" = "[]" ]
}

# sha FILE: its digest, or "absent".
sha() {
	if [ -e "$1" ]; then sha256sum "$1" | cut -d' ' -f1; else echo absent; fi
}

# probe_dirs: the root filesystems `doctor --probe` makes in /run; it must remove its own.
probe_dirs() {
	find /run -maxdepth 1 -name 'ocigate-probe.*' 2>/dev/null | sort
}

# shadow_readable RUN_OUTPUT: the container printed root's line of the host's /etc/shadow.
shadow_readable() {
	[[ "$1" == *"root:"* ]]
}

# ---------------------------------------------------------------- Docker

# doctor_docker_conf: daemon.json of an unprotected private dockerd, with keys ocigate must keep.
doctor_docker_conf() {
	local w=$E2E_WORK
	jq -n --arg w "$w" --arg sd "$1" '{
		"storage-driver": $sd,
		iptables: false, ip6tables: false, bridge: "none", "ip-forward": false,
		"ip-masq": false, "userland-proxy": false, "log-level": "warn",
		"max-concurrent-downloads": 3, labels: ["ocigate-e2e=doctor"],
		"data-root": ($w + "/data"), "exec-root": ($w + "/exec"),
		pidfile: ($w + "/dockerd.pid"), hosts: ["unix://" + $w + "/docker.sock"] }' \
		>"$w/daemon.json"
	chmod 0640 "$w/daemon.json"
	cp "$w/daemon.json" "$w/daemon.json.orig"
}

# doctor_dockerd_start: dockerd with $E2E_WORK/daemon.json, PATH led by $E2E_WORK/sbin.
doctor_dockerd_start() {
	e2e_dockerd_up PATH="$DOCTOR_PATH"
}

# doctor_docker_start STORAGE_DRIVER: the unprotected dockerd's daemon.json, and the daemon up.
doctor_docker_start() {
	doctor_docker_conf "$1"
	doctor_dockerd_start
}

doctor_dockerd_restart() {
	e2e_docker_stop
	doctor_dockerd_start
}

# doctor_dockerd_reload: SIGHUP (moby daemon/reload_unix.go reloads runtimes and default-runtime),
# then wait for `docker info` to report default runtime $1.
doctor_dockerd_reload() {
	local i
	kill -HUP "$(cat "$E2E_WORK/dockerd.spawned")"
	for ((i = 0; i < 80; i++)); do
		[ "$("$DOCKER" info -f '{{.DefaultRuntime}}' 2>/dev/null)" = "$1" ] && return 0
		sleep 0.25
	done
	echo "dockerd did not reload: default runtime is $("$DOCKER" info -f '{{.DefaultRuntime}}')"
	return 1
}

doctor_docker_setup() {
	e2e_begin doctor-docker docker docker.io busybox-static jq || return 0
	export DOCKER_HOST="unix://$E2E_WORK/docker.sock"
	doctor_env
	e2e_docker_daemon doctor_docker_start
}

doctor_docker_teardown() {
	e2e_docker_teardown
}

# ---------------------------------------------------------------- containerd 1.6

DOCTOR_NS=ocg-doctor-e2e

# dctr ARGS...: ctr against the private containerd, in the doctor tests' namespace.
dctr() {
	ctr -a "$E2E_WORK/containerd.sock" -n "$DOCTOR_NS" "$@"
}

# doctor_containerd_conf: config.toml of an unprotected private containerd with the CRI plugin on
# (its handlers are routes too), a comment ocigate must keep, and nothing on the host.
doctor_containerd_conf() {
	local w=$E2E_WORK
	cat >"$w/config.toml" <<EOT
# ops: a private containerd for ocigate's doctor tests
version = 2
root = "$w/root"
state = "$w/state"

[grpc]
  address = "$w/containerd.sock"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$w/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    stream_server_port = "0"   # no fixed port: other containerds may run
    [plugins."io.containerd.grpc.v1.cri".cni]
      conf_dir = "$w/cni/net.d"
      bin_dir = "$w/cni/bin"
EOT
	cp "$w/config.toml" "$w/config.toml.orig"
}

doctor_containerd_start() {
	e2e_containerd_up "$E2E_WORK/config.toml" PATH="$DOCTOR_PATH"
}

doctor_containerd_stop() {
	e2e_containerd_stop "$DOCTOR_NS"
}

doctor_containerd_restart() {
	doctor_containerd_stop
	doctor_containerd_start
}

doctor_containerd_setup() {
	local runc_root=0
	# The CRI plugin's runc handler keeps its state in /run/containerd/runc.
	[ -e /run/containerd/runc ] && runc_root=1
	e2e_begin doctor-containerd "$DOCTOR_NS" containerd busybox-static jq
	local rc=$?
	[ "$runc_root" = 0 ] || export E2E_PRE="$E2E_PRE/run/containerd/runc "
	[ "$rc" -eq 0 ] || return 0
	doctor_env
	doctor_containerd_conf
	if ! doctor_containerd_start; then
		E2E_BROKEN="containerd did not start: $(tail -n 3 "$E2E_WORK/containerd.log" | tr '\n' ' ')"
		export E2E_BROKEN
		return 0
	fi
	e2e_ctr_image dctr
}

doctor_containerd_teardown() {
	[ -n "${E2E_WORK:-}" ] || return 0
	doctor_containerd_stop
	rmdir "/run/containerd/runc/$DOCTOR_NS" 2>/dev/null
	e2e_rmdir_if_new_and_empty /run/containerd/runc
	e2e_cleanup
}

# ---------------------------------------------------------------- Podman 4.3

# pm_ns CMD...: CMD in a private mount namespace whose /etc/containers is $E2E_WORK/etc (a copy of
# the host's), without CONTAINERS_CONF: Podman -- and ocigate's commands -- read the system files
# and their containers.conf.d drop-ins as on a real host, and the host's /etc is never touched.
pm_ns() {
	env -u CONTAINERS_CONF unshare -m --propagation private "$E2E_WORK/in-ns" "$@"
}

# pm ARGS...: podman in that namespace (its storage is private through CONTAINERS_STORAGE_CONF).
pm() {
	pm_ns podman "$@"
}

doctor_podman_conf() {
	local w=$E2E_WORK nofile nproc
	nofile=$(ulimit -Hn)
	nproc=$(ulimit -Hu)
	{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
	mkdir -p "$w/etc" "$w/storage" "$w/run" "$w/tmp"
	cp -a /etc/containers/. "$w/etc/"
	rm -rf "$w/etc/containers.conf.d"
	# What an operator's /etc/containers/containers.conf says; conmon passes conmon_env_vars on to
	# the runtime (the OCIGATE_* environment of the other engines' tests).
	cat >"$w/etc/containers.conf" <<EOT
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$w/events.log"
tmp_dir = "$w/tmp"
conmon_env_vars = ["PATH=$DOCTOR_PATH", "OCIGATE_AUDIT_LOG=$w/audit.log", "OCIGATE_RUNTIME=$E2E_REAL_RUNTIME", "OCIGATE_POLICY=$w/policy.json"]

[containers]
netns = "none"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
EOT
	printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' "$w/storage" "$w/run" >"$w/storage.conf"
	export CONTAINERS_STORAGE_CONF=$w/storage.conf
	printf '#!/bin/sh\nmount --bind "%s" /etc/containers || exit 125\nexec "$@"\n' "$w/etc" >"$w/in-ns"
	chmod 0755 "$w/in-ns"
}

doctor_podman_setup() {
	e2e_begin doctor-podman libpod_parent podman busybox-static jq || return 0
	command -v unshare >/dev/null || { export E2E_SKIP="no unshare(1) for a private /etc/containers"; return 0; }
	doctor_env
	doctor_podman_conf
	e2e_podman_image pm
}

doctor_podman_teardown() {
	[ -n "${E2E_WORK:-}" ] || return 0
	e2e_podman_rm_all pm
	e2e_cleanup
}
