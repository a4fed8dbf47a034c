/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in parameter lists of sensitive-mounts and rootfs (see defaults_isolation.h for what
 * each list means).  Data only.
 *
 * Owns: which host paths are sensitive by default, where the engines' control sockets are, which
 * per-container files the engines bind themselves, which runtime roots prove the CRI plugins are
 * the caller, and which executables are engine and node daemons.  */
#include <config.h>

#include <stddef.h>

#include "defaults_isolation.h"

const char *const isolation_default_sensitive_paths[] = {
  "/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root",
  "/sbin", "/sys", "/usr",
  /* Every user's files: ssh keys, kubeconfigs, shell rc files a user runs.  */
  "/home",
  /* Engine state: images, other containers' rootfs and secrets, the kubelet's credentials.  */
  "/var/lib/docker", "/var/lib/containerd", "/var/lib/containers", "/var/lib/kubelet",
  "/run/docker", "/run/containerd", "/run/containers", "/run/crio", "/run/podman", "/run/runc",
  "/run/crun",
  /* The same for other Kubernetes distributions: k3s and RKE2 keep their server token, keys and
   * containerd state in /var/lib/rancher and /run/k3s, k0s in /var/lib/k0s and /run/k0s; the
   * "hard way" and kube-up layouts keep the cluster's keys in /var/lib/kubernetes and
   * /srv/kubernetes, minikube in /var/lib/minikube.  (kubeadm's /etc/kubernetes and
   * /root/.kube are below /etc and /root.)  CNI's IPAM state decides which pod gets which
   * address.  */
  "/var/lib/rancher", "/run/k3s", "/var/lib/k0s", "/run/k0s", "/var/lib/kubernetes",
  "/srv/kubernetes", "/var/lib/minikube", "/var/lib/cni",
  /* Host code that root runs later: cron and at spools, the package databases (dpkg runs
   * /var/lib/dpkg/info/<pkg>.postinst as root), CNI plugins (run as root by the engine for every
   * pod).  The control sockets of PID 1 and the system bus (systemd-run as root).  The cluster's
   * secrets (etcd).  The host's logs: writing them forges or erases the audit trail, and
   * logrotate runs over them as root.  /var/run/dbus is listed too for hosts where /var/run is
   * not a symlink to /run (entries are canonicalised, so on others it is /run/dbus again).  */
  "/var/spool", "/var/lib/dpkg", "/var/lib/rpm", "/opt/cni", "/run/systemd", "/run/dbus",
  "/var/run/dbus", "/var/lib/etcd", "/var/log", NULL
};

/* The fast first check by name and place.  Sockets elsewhere are found by what they are: see
 * isolation_default_engine_binaries.  */
const char *const isolation_default_engine_sockets[]
    = { "docker.sock", "containerd.sock", "containerd.sock.ttrpc", "crio.sock", "podman.sock",
        "dockershim.sock", "cri-dockerd.sock", "buildkitd.sock", "kubelet.sock",
        /* Where they live, so that a bind of a parent directory (/run, /var/run) is caught too.  */
        "/run/docker.sock", "/run/docker/containerd/containerd.sock",
        "/run/containerd/containerd.sock", "/run/containerd/containerd.sock.ttrpc",
        "/run/crio/crio.sock", "/run/podman/podman.sock", "/run/dockershim.sock",
        "/run/cri-dockerd.sock", "/run/buildkit/buildkitd.sock", "/run/user/*/docker.sock",
        "/run/user/*/podman/podman.sock", "/var/lib/kubelet/pod-resources/kubelet.sock",
        "/var/lib/kubelet/device-plugins/kubelet.sock", "/run/k3s/containerd/containerd.sock",
        "/run/k0s/containerd.sock", NULL };

/* Each entry's first field is matched against the canonical bind source at or below it.  A
 * component `{ocigate.container-id}` is the id of the container being created; `{ANNOTATION}` is
 * an annotation of the config, but io.kubernetes.cri.* only when containerd's CRI plugin calls
 * and io.kubernetes.cri-o.* / io.kubernetes.pod.* only when CRI-O calls (runtime roots below).
 * `shared` allows another container's file only when this container joins, by
 * /proc/<pid>/ns/<type>, a process that has that very file mounted at the same destination
 * (`docker run --net container:X`, `--ipc container:X`, a Podman pod's infra container).  */
const char *const isolation_default_engine_owned_paths[] = {
  /* Docker (moby daemon/container_operations_unix.go, daemon/volumes): the container's own
   * files and IPC shm, those of the container it shares the network or IPC namespace of
   * (initializeNetworkingPaths, setupIPCDirs), named volumes, and the --init binary bound
   * read-only at /sbin/docker-init.  */
  "/var/lib/docker/containers/{ocigate.container-id}/resolv.conf",
  "/var/lib/docker/containers/{ocigate.container-id}/hostname",
  "/var/lib/docker/containers/{ocigate.container-id}/hosts",
  "/var/lib/docker/containers/{ocigate.container-id}/mounts",
  "/var/lib/docker/containers/*/resolv.conf shared", "/var/lib/docker/containers/*/hostname shared",
  "/var/lib/docker/containers/*/hosts shared", "/var/lib/docker/containers/*/mounts/shm shared",
  "/var/lib/docker/volumes/*/_data", "/usr/bin/docker-init dest=/sbin/docker-init ro",
  "/usr/libexec/docker/docker-init dest=/sbin/docker-init ro",
  /* Podman (libpod container_internal_common.go): the container's own userdata in the graph
   * and run roots, the shm of the container whose IPC namespace it joins (a pod's infra), named
   * volumes, and `--init`: catatonit (containers.conf init_path) bound read-only at
   * /run/podman-init.  */
  "/var/lib/containers/storage/overlay-containers/{ocigate.container-id}/userdata",
  "/run/containers/storage/overlay-containers/{ocigate.container-id}/userdata",
  "/var/lib/containers/storage/overlay-containers/*/userdata/shm shared",
  "/var/lib/containers/storage/volumes/*/_data",
  "/usr/libexec/podman/catatonit dest=/run/podman-init ro",
  "/usr/bin/catatonit dest=/run/podman-init ro",
  /* CRI-O (server/container_create.go setupBaseContainerMounts, addShmMount): the pod's
   * resolv.conf, hostname, .containerenv and shm in the infra container's run directory.  */
  "/run/containers/storage/overlay-containers/{io.kubernetes.cri-o.SandboxID}/userdata",
  /* containerd CRI: the pod's own sandbox files, tied to the sandbox-id annotation containerd
   * sets on every container of the pod; the same under k3s, RKE2 and k0s.  */
  "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  "/var/lib/rancher/k3s/agent/containerd/io.containerd.grpc.v1.cri/sandboxes/"
  "{io.kubernetes.cri.sandbox-id}",
  "/var/lib/rancher/rke2/agent/containerd/io.containerd.grpc.v1.cri/sandboxes/"
  "{io.kubernetes.cri.sandbox-id}",
  "/run/k3s/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  "/var/lib/k0s/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  "/run/k0s/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  /* kubelet: the pod's own directory (etc-hosts, termination logs, volumes), named by the pod
   * uid containerd's CRI plugin or CRI-O (from the kubelet's io.kubernetes.pod.uid label) sets;
   * k0s keeps the kubelet's root in its data directory.  */
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/etc-hosts",
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/containers",
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/volumes",
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/volume-subpaths",
  "/var/lib/kubelet/pods/{io.kubernetes.pod.uid}/etc-hosts",
  "/var/lib/kubelet/pods/{io.kubernetes.pod.uid}/containers",
  "/var/lib/kubelet/pods/{io.kubernetes.pod.uid}/volumes",
  "/var/lib/kubelet/pods/{io.kubernetes.pod.uid}/volume-subpaths",
  "/var/lib/k0s/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/etc-hosts",
  "/var/lib/k0s/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/containers",
  "/var/lib/k0s/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/volumes",
  "/var/lib/k0s/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/volume-subpaths", NULL
};

/* containerd's CRI plugin runs runc with --root <state dir>/runc/k8s.io (the k8s.io namespace),
 * and only the containerd administrator chooses that.  `docker run --annotation` and `podman
 * run --annotation` let any of their users set io.kubernetes.cri.sandbox-uid to ANOTHER pod's
 * uid and bind its /var/lib/kubelet/pods/<uid>/volumes (its secrets): the {io.kubernetes.cri.*}
 * engine-owned patterns therefore only apply when the runtime root says the caller is CRI.  */
const char *const isolation_default_cri_runtime_roots[]
    = { "/run/containerd/runc/k8s.io", "/var/run/containerd/runc/k8s.io", NULL };

/* CRI-O always passes its handler's runtime_root as `--root=` (internal/oci/runtime_oci.go,
 * rootFlag; pkg/config DefaultRuntimeRoot /run/crun, /run/runc in the runc handler of the
 * shipped crio.conf).  Those are also runc's and crun's own defaults, which Podman gets by passing
 * no --root at all (and Podman sets io.kubernetes.cri-o.* keys of its own), so these roots count
 * only when the caller named them.  */
const char *const isolation_default_crio_runtime_roots[] = { "/run/runc", "/run/crun", NULL };

/* The daemons whose sockets control the host: a socket one of them listens on is not bound into
 * a container wherever it is.  A process is one of them when its executable is one of these
 * files (device and inode) or has the same name (basename) -- the name catches a binary replaced
 * by an upgrade while the old one still runs, and only ever denies more.  */
const char *const isolation_default_engine_binaries[]
    = { "/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd", "/usr/bin/containerd",
        "/usr/local/bin/containerd", "/usr/bin/containerd-shim-runc-v2",
        "/usr/local/bin/containerd-shim-runc-v2", "/usr/bin/crio", "/usr/local/bin/crio",
        "/usr/bin/podman", "/usr/local/bin/podman", "/usr/bin/kubelet", "/usr/local/bin/kubelet",
        "/usr/bin/buildkitd", "/usr/local/bin/buildkitd", "/usr/bin/cri-dockerd",
        "/usr/local/bin/cri-dockerd",
        /* k3s (one binary: server, agent and the kubelet), with its own containerd; RKE2; k0s.  */
        "/usr/local/bin/k3s", "/var/lib/rancher/k3s/data/*/bin/containerd",
        "/var/lib/rancher/k3s/data/*/bin/containerd-shim-runc-v2", "/usr/local/bin/rke2",
        "/var/lib/rancher/rke2/bin/containerd", "/var/lib/rancher/rke2/bin/kubelet",
        "/usr/local/bin/k0s", "/var/lib/k0s/bin/containerd", "/var/lib/k0s/bin/kubelet", NULL };
