/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule "sensitive-mounts" (CIS Docker 1.6.0 5.6, 5.32; PSS hostPathVolumes).
 *
 * Owns: deciding whether a `mounts[]` entry exposes the host.  A bind source is resolved as the
 * runtime resolves it (a relative one against the bundle directory), then judged by name -- a
 * sensitive host path (canonical form, whole components, parents included), an engine socket by
 * its known names, the container's own rootfs or config.json, the runtime's state directory --
 * with the engines' own per-container files excepted (binds_owned.c); then it must be judgeable
 * at all (it exists, goes through no /proc magic link, cannot be swapped before the runtime
 * mounts it); then it is judged by what is really mounted there (binds_identity.c).  A
 * filesystem mount must be a fresh per-container instance, or the container's one /proc and
 * /sys (read-only), where the masked paths apply.
 * Must not: do I/O other than through host facts, or judge namespaces, devices, root.path or
 * propagation (namespaces.c, devices.c, rootfs.c, propagation.c).  */
#include <config.h>

#include <fnmatch.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "binds.h"
#include "engine.h"
#include "pathmatch.h"
#include "ruleutil.h"
#include "spec.h"
#include "util.h"

/* Types that are fresh, per-mount-namespace instances: nothing of the host shows through.  */
static const char *const fresh_fs_types[]
    = { "tmpfs", "devpts", "mqueue", "ramfs", "hugetlbfs", NULL };

/* ---- the rule's parameters (policy file `rules.sensitive-mounts`) ---- */

/* Each list is written in canonical form (/run, not /var/run), and canonicalised again through
 * host facts anyway (hostpath.c), so a host where /var/lib/docker is a symlink still matches.
 *
 * `paths`: a bind of one of these, of anything below one, or of a parent of one is denied.  "/"
 * means "/" itself (binding it exposes everything).  */
static const char *const sensitive_mounts_default_paths[] = {
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

/* `engine_sockets`: an entry without a `/` is a basename (a bind of any file so named is
 * denied); an entry with a `/` is a socket path (a bind of it or of any parent directory is
 * denied).  Always checked first: no engine-owned pattern can allow a socket.  The fast first
 * check by name and place.  Sockets elsewhere are found by what they are: see
 * sensitive_mounts_default_engine_binaries.  */
static const char *const sensitive_mounts_default_engine_sockets[]
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

/* `engine_owned_paths`: per-container files the engines themselves bind from their state
 * directories.  Each entry is `PATTERN [dest=CONTAINER-PATH] [ro] [shared]`: `dest=` requires
 * that destination, `ro` a read-only bind.  Each entry's first field is matched against the
 * canonical bind source at or below it (`*` = one component).  A
 * component `{ocigate.container-id}` is the id of the container being created; `{ANNOTATION}` is
 * an annotation of the config, but io.kubernetes.cri.* only when containerd's CRI plugin calls
 * and io.kubernetes.cri-o.* / io.kubernetes.pod.* only when CRI-O calls (runtime roots below).
 * `shared` allows another container's file only when this container joins, by
 * /proc/<pid>/ns/<type>, a process that has that very file mounted at the same destination
 * (`docker run --net container:X`, `--ipc container:X`, a Podman pod's infra container).  */
static const char *const sensitive_mounts_default_engine_owned_paths[] = {
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

/* `cri_runtime_roots` / `crio_runtime_roots`: the runtime --root values under which containerd's
 * CRI plugin (io.kubernetes.cri.*) or CRI-O (io.kubernetes.cri-o.*, io.kubernetes.pod.*; only
 * when passed explicitly) is the caller.  containerd's CRI plugin runs runc with --root <state
 * dir>/runc/k8s.io (the k8s.io namespace), and only the containerd administrator chooses that.
 * `docker run --annotation` and `podman run --annotation` let any of their users set
 * io.kubernetes.cri.sandbox-uid to ANOTHER pod's uid and bind its
 * /var/lib/kubelet/pods/<uid>/volumes (its secrets): the {io.kubernetes.cri.*} engine-owned
 * patterns therefore only apply when the runtime root says the caller is CRI.  */
static const char *const sensitive_mounts_default_cri_runtime_roots[]
    = { "/run/containerd/runc/k8s.io", "/var/run/containerd/runc/k8s.io", NULL };

/* CRI-O always passes its handler's runtime_root as `--root=` (internal/oci/runtime_oci.go,
 * rootFlag; pkg/config DefaultRuntimeRoot /run/crun, /run/runc in the runc handler of the
 * shipped crio.conf).  Those are also runc's and crun's own defaults, which Podman gets by passing
 * no --root at all (and Podman sets io.kubernetes.cri-o.* keys of its own), so these roots count
 * only when the caller named them.  */
static const char *const sensitive_mounts_default_crio_runtime_roots[]
    = { "/run/runc", "/run/crun", NULL };

/* `engine_binaries`: executables (glob patterns) of engine and node daemons.  The daemons whose
 * sockets control the host: a socket one of them listens on is not bound into
 * a container wherever it is.  A process is one of them when its executable is one of these
 * files (device and inode) or has the same name (basename) -- the name catches a binary replaced
 * by an upgrade while the old one still runs, and only ever denies more.  */
static const char *const sensitive_mounts_default_engine_binaries[]
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

static const struct rule_param sensitive_mounts_param_table[] = {
  {
      .key = "paths",
      .type = PARAM_PATHS,
      .offset = offsetof (struct sensitive_mounts_params, paths),
      .def.list = sensitive_mounts_default_paths,
  },
  {
      .key = "engine_sockets",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct sensitive_mounts_params, engine_sockets),
      .def.list = sensitive_mounts_default_engine_sockets,
  },
  {
      .key = "engine_owned_paths",
      .type = PARAM_STRINGS,
      .offset = offsetof (struct sensitive_mounts_params, engine_owned_paths),
      .def.list = sensitive_mounts_default_engine_owned_paths,
  },
  {
      .key = "cri_runtime_roots",
      .type = PARAM_PATHS,
      .offset = offsetof (struct sensitive_mounts_params, cri_runtime_roots),
      .def.list = sensitive_mounts_default_cri_runtime_roots,
  },
  {
      .key = "crio_runtime_roots",
      .type = PARAM_PATHS,
      .offset = offsetof (struct sensitive_mounts_params, crio_runtime_roots),
      .def.list = sensitive_mounts_default_crio_runtime_roots,
  },
  {
      .key = "engine_binaries",
      .type = PARAM_PATHS,
      .offset = offsetof (struct sensitive_mounts_params, engine_binaries),
      .def.list = sensitive_mounts_default_engine_binaries,
  },
};

/* fnmatch(3) without flags matches a pattern without `*`, `?`, `[` or `\\` to the same bytes
 * only: compared as strings, it is a tenth of the cost for every bind and name.  */
static bool
basename_matches (const char *pattern, const char *name)
{
  if (strpbrk (pattern, "*?[\\") == NULL)
    return strcmp (pattern, name) == 0;
  return fnmatch (pattern, name, 0) == 0;
}

/* The engine socket a bind of `source` (canonical) exposes by its known names, or NULL.  An entry
 * without a `/` is a basename; one with a `/` is a socket path, exposed by a bind of it or of a
 * parent.  (Sockets elsewhere are found by what they are: binds_identity.c.)  */
static const char *
exposed_engine_socket (const struct bind_lists *lists, const char *source)
{
  const struct hostpath_list *sockets = &lists->sockets;
  const char *base = pathmatch_basename (source);
  size_t n = strlen (source);

  for (size_t i = 0; i < sockets->n; i++)
    {
      const char *entry = sockets->raw[i];
      const char *p = sockets->canon[i];
      bool hit;

      switch (lists->socket_kind[i])
        {
        case BIND_SOCKET_PATH:
          /* hostpath_within's own first test, before the call: most entries end here.  */
          if (p != NULL && sockets->plain[i] && source[1] != '\0' && source[1] != p[1])
            continue;
          hit = hostpath_within (sockets, i, source, n);
          break;
        case BIND_SOCKET_NAME:
          hit = strcmp (entry, base) == 0;
          break;
        default:
          hit = basename_matches (entry, base);
        }
      if (hit)
        return entry;
    }
  return NULL;
}

/* Entries whose children are magic links: realpath(3) reads /proc/<pid>/root, /cwd and /fd/N as
 * text, while the kernel follows them into another mount namespace.  /dev/fd and /dev/std* are
 * symlinks into /proc/self/fd.  An ordinary Docker user's
 * `-v /proc/<pid of another container>/root/<symlink to />:/host` canonicalised to a path on the
 * host and runc mounted that container's view of `/`.  */
static const char *const magic_link_roots[]
    = { "/proc", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", NULL };

static const char *
magic_link_root (const char *path)
{
  /* Each root's first name starts with `p` or `d`: most sources end here.  */
  if (path != NULL && path[0] == '/' && path[1] != '/' && path[1] != 'p' && path[1] != 'd')
    return NULL;
  for (size_t i = 0; path != NULL && magic_link_roots[i] != NULL; i++)
    if (pathmatch_at_or_below (path, magic_link_roots[i], NULL))
      return magic_link_roots[i];
  return NULL;
}

/* Host facts a test double may not provide count as "no": fail closed.  */
static bool
host_path_exists (const struct host_facts *host, const char *path)
{
  return host->path_exists != NULL && host->path_exists (host, path);
}

static bool
host_same_file (const struct host_facts *host, const char *a, const char *b)
{
  return host->same_file != NULL && host->same_file (host, a, b);
}

static bool
host_path_trusted (const struct host_facts *host, const char *path, char **why)
{
  *why = NULL;
  if (host->path_trusted == NULL)
    {
      *why = xstrdup ("ocigate cannot check who may change it");
      return false;
    }
  return host->path_trusted (host, path, why);
}

static bool
has_dotdot (const char *path)
{
  for (const char *p = path; (p = strstr (p, "..")) != NULL; p += 2)
    if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
      return true;
  return false;
}

/* The source as the runtime resolves it: runc joins a relative bind source to the bundle
 * directory it runs in (libcontainer/specconv createLibcontainerMount: filepath.Join(cwd, src)),
 * crun opens it relative to the bundle it chdir()ed into (linux.c get_bind_mount).  Join applies
 * `..` to the text while the kernel follows symlinks first, so the two could mount different
 * paths: a relative `..` is refused.  malloc'd host path, or NULL with *problem.  */
static char *
bind_source_path (const struct rule_ctx *ctx, const char *source, const char *dest, char **problem)
{
  *problem = NULL;
  if (source == NULL || source[0] == '\0')
    *problem = xasprintf ("bind at `%s` has no source", dest);
  else if (source[0] == '/')
    return xstrdup (source);
  else if (has_dotdot (source))
    *problem = xasprintf ("bind at `%s` has the relative source `%s` with `..`: runc and crun "
                          "resolve it differently",
                          dest, source);
  else if (ctx->call->bundle_dir == NULL || !pathmatch_is_clean (ctx->call->bundle_dir))
    *problem = xasprintf ("bind at `%s` has the relative source `%s` and the bundle directory it "
                          "is relative to is unknown",
                          dest, source);
  else
    return xasprintf (
        "%s/%s", strcmp (ctx->call->bundle_dir, "/") == 0 ? "" : ctx->call->bundle_dir, source);
  return NULL;
}

/* Is the source a host path at all, outside the magic-link trees?  Sets *path (malloc'd) to the
 * host path the runtime resolves and *canon (malloc'd) to its canonical form -- for a missing
 * path, a lexical guess at its tail, good enough only to deny on (bind_swap_problem refuses every
 * missing source afterwards).  The message, or NULL.  */
static char *
bind_path_problem (const struct rule_ctx *ctx, const char *source, const char *dest, char **path,
                   char **canon)
{
  cleanup_free char *clean = NULL;
  char *problem = NULL;
  const char *magic;

  *canon = NULL;
  if ((*path = bind_source_path (ctx, source, dest, &problem)) == NULL)
    return problem;
  /* Without `..`, a first name not starting with `.` or `/` stays first when cleaned, and every
   * magic-link root starts with `p` or `d`: most sources need no cleaned copy.  */
  if ((*path)[1] == '/' || (*path)[1] == '.' || (*path)[1] == 'p' || (*path)[1] == 'd'
      || has_dotdot (*path))
    clean = pathmatch_clean (*path);
  if (clean != NULL && (magic = magic_link_root (clean)) != NULL)
    return xasprintf ("the source `%s` of the bind at `%s` is under `%s`, whose magic links lead "
                      "into other containers' and the host's mount namespaces",
                      source, dest, magic);
  *canon = ctx->host->canonical_path (ctx->host, *path);
  if (*canon == NULL || !pathmatch_is_clean (*canon))
    return xasprintf ("cannot resolve the source `%s` of the bind at `%s`", source, dest);
  if ((magic = magic_link_root (*canon)) != NULL)
    return xasprintf ("the source `%s` (`%s`) of the bind at `%s` is under `%s`, whose magic "
                      "links lead into other containers' and the host's mount namespaces",
                      source, *canon, dest, magic);
  return NULL;
}

/* A source inside the container's own rootfs is resolved by runc after the earlier mounts,
 * through them (`<rootfs>/proc/1/root` was runc's init, still in the host's root, and the
 * container wrote to the host's `/`).  A source containing the rootfs exposes the bundle from
 * outside.  "/" as rootfs is the rootfs rule's to report.  */
static bool
bind_touches_rootfs (const struct bind_lists *lists, const char *canon, size_t nc)
{
  const char *rootfs = lists->rootfs;

  if (rootfs == NULL || strcmp (rootfs, "/") == 0)
    return false;
  return hostpath_at_or_below_n (canon, nc, rootfs, lists->rootfs_n)
         || hostpath_holds_n (canon, nc, rootfs, lists->rootfs_n);
}

/* The bundle's config.json, which `runc exec` reads again, and the runtime's state directory,
 * which holds every container's state.json (its whole config): a container that can write them
 * decides what the next exec or create runs.  Both are prepared once per check (binds.c).  The
 * thing exposed, malloc'd, or NULL.  */
static char *
bind_runtime_files (const struct bind_lists *lists, const char *canon, size_t nc)
{
  const char *config = lists->config;
  const char *root = lists->state_root;

  if (config != NULL && hostpath_holds_n (canon, nc, config, lists->config_n))
    return xasprintf ("the bundle's `%s`", config);
  if (root != NULL && strcmp (root, "/") != 0
      && (hostpath_at_or_below_n (canon, nc, root, lists->state_root_n)
          || hostpath_holds_n (canon, nc, root, lists->state_root_n)))
    return xasprintf ("the runtime's state directory `%s`", root);
  return NULL;
}

/* What the canonical source exposes by name: an engine socket, the container's own rootfs or
 * config.json, the runtime's state, a sensitive host path (unless it is one of the engines' own
 * per-container files).  */
static char *
bind_place_problem (const struct rule_ctx *ctx, struct bind_lists *lists,
                    const struct json_node *mount, const struct bind_words *w, const char *canon,
                    bool *owned_on_node)
{
  const char *how = w->how, *what = w->what, *dest = w->dest;
  cleanup_free char *hit = NULL;
  size_t nc = strlen (canon);
  const char *socket;

  bind_lists_prepare (lists, ctx);
  if ((socket = exposed_engine_socket (lists, canon)) != NULL)
    return xasprintf ("%s of %s at `%s` exposes the engine socket `%s` (CIS 5.32)", how, what, dest,
                      socket);
  if (bind_touches_rootfs (lists, canon, nc))
    return xasprintf ("%s of %s at `%s` reaches into the container's own root filesystem `%s`", how,
                      what, dest, lists->rootfs);
  if (!bind_engine_owned (ctx, lists, mount, canon, owned_on_node)
      && (hit = hostpath_exposed_sensitive_clean (&lists->sensitive, canon, nc)) != NULL)
    return xasprintf ("%s of %s at `%s` exposes the sensitive host path %s (CIS 5.6)", how, what,
                      dest, hit);
  /* Even for an engine's own path: no engine binds these.  */
  if ((hit = bind_runtime_files (lists, canon, nc)) != NULL)
    return xasprintf ("%s of %s at `%s` exposes %s", how, what, dest, hit);
  return NULL;
}

/* Is the canonical form really what runc will mount, now and when it mounts?  */
static char *
bind_swap_problem (const struct rule_ctx *ctx, const char *source, const char *dest,
                   const char *what, const char *canon)
{
  cleanup_free char *why = NULL;

  /* The canonical form of a missing path is a guess, and runc resolves the source only later,
   * after the container's earlier mounts.  Engines create their sources before `create`
   * (Docker's -v directories, kubelet's DirectoryOrCreate).  */
  if (!host_path_exists (ctx->host, source))
    return xasprintf ("the source `%s` of the bind at `%s` does not exist: ocigate cannot tell "
                      "what runc would mount",
                      source, dest);
  /* A magic link the canonical path reads as text.  */
  if (!host_same_file (ctx->host, source, canon))
    return xasprintf ("the source `%s` of the bind at `%s` is not the file its canonical path "
                      "`%s` names (a magic link, or it changed while it was judged)",
                      source, dest, canon);
  /* A symlink swapped in between this check and runc's mount(2).  */
  if (!host_path_trusted (ctx->host, source, &why))
    return xasprintf ("bind of %s at `%s` could be swapped for another path before runc mounts "
                      "it: %s",
                      what, dest, why ? why : "untrusted");
  return NULL;
}

/* What is wrong with a bind, as a malloc'd message, or NULL when it is fine.  What the path
 * exposes is judged before whether it exists, so that a sensitive path is named as such even
 * where it is missing (every missing source is denied all the same).  Without the node's facts
 * (--portable) only the path is judged, and *on_node says the rest is the node's to check.  */
static char *
bind_problem (const struct rule_ctx *ctx, struct bind_lists *lists, const struct json_node *mount,
              bool *on_node, bool *owned_on_node)
{
  const char *source = bind_mount_string (mount, "source");
  const char *dest = bind_mount_string (mount, "destination");
  cleanup_free char *path = NULL;
  cleanup_free char *canon = NULL;
  cleanup_free char *what = NULL;
  char *problem = bind_path_problem (ctx, source, dest ? dest : "", &path, &canon);
  struct bind_words w;

  if (problem != NULL)
    return problem;
  what = hostpath_describe (source, canon);
  w = (struct bind_words){ bind_mount_is_read_only (mount) ? "read-only bind" : "bind", what,
                           dest ? dest : "" };
  problem = bind_place_problem (ctx, lists, mount, &w, canon, owned_on_node);
  *on_node = problem == NULL && ctx->host->portable;
  if (problem == NULL && !*on_node)
    problem = bind_swap_problem (ctx, path, w.dest, what, canon);
  if (problem == NULL && !*on_node)
    problem = bind_identity_problem (ctx, lists, mount, &w, canon);
  return problem;
}

/* proc and sysfs are the host kernel's; the masked and read-only paths (masked-paths) hide
 * their dangerous parts by path, under /proc and /sys only: a second sysfs at /hostsys showed
 * /hostsys/firmware (ACPI tables, memmap) that /sys/firmware masks.  So each is allowed at its
 * own place and nowhere else; the engines mount exactly one of each there.  */
static char *
kernel_fs_problem (const char *type, const char *dest, const struct json_node *mount)
{
  const char *home = str_eq (type, "proc") ? "/proc" : str_eq (type, "sysfs") ? "/sys" : NULL;

  if (home != NULL && !str_eq (dest, home))
    return xasprintf ("`%s` mounted at `%s`: the masked paths hide the host's `%s` only at `%s`, "
                      "so a second mount elsewhere would show all of it",
                      type, dest ? dest : "", home, home);
  if (str_eq (type, "proc") || bind_mount_is_read_only (mount))
    return NULL;
  return xasprintf ("`%s` mounted read-write at `%s` makes the host's kernel interface writable",
                    type, dest ? dest : "");
}

static char *
filesystem_problem (const struct json_node *mount)
{
  const char *type = bind_mount_string (mount, "type");
  const char *source = bind_mount_string (mount, "source");
  cleanup_free char *dest = bind_mount_dest (mount);

  if (type != NULL && strv_contains (fresh_fs_types, type))
    return NULL;
  if (str_eq (type, "proc") || str_eq (type, "sysfs") || str_eq (type, "cgroup")
      || str_eq (type, "cgroup2"))
    return kernel_fs_problem (type, dest, mount);
  return xasprintf ("mount of type `%s` from `%s` at `%s`: only binds and the container's own "
                    "pseudo-filesystems are allowed",
                    type ? type : "(none)", source ? source : "", dest ? dest : "");
}

/* "/mounts/<i>" into buf (32 bytes), without vasprintf's cost: every entry of every check.  */
static void
mount_pointer (char *buf, size_t i)
{
  char digits[24];
  size_t n = 0;

  do
    digits[n++] = (char)('0' + i % 10);
  while ((i /= 10) > 0);
  memcpy (buf, "/mounts/", 8);
  for (size_t k = 0; k < n; k++)
    buf[8 + k] = digits[n - 1 - k];
  buf[8 + n] = '\0';
}

static int
rule_sensitive_mounts_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *mounts = spec_get_array (ctx->spec, "/mounts");
  __attribute__ ((cleanup (bind_lists_release))) struct bind_lists lists = { 0 };

  (void)err;
  for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
    {
      const struct json_node *m = mounts->items[i];
      bool on_node = false, owned = false;
      if (m->type != JSON_OBJECT)
        continue;
      cleanup_free char *problem = bind_mount_is_bind (m)
                                       ? bind_problem (ctx, &lists, m, &on_node, &owned)
                                       : filesystem_problem (m);
      char ptr[32];
      mount_pointer (ptr, i);
      if (problem != NULL)
        finding_add (out, ctx, ptr, false, "%s", problem);
      else if (on_node)
        node_note_add (out, ctx, ptr,
                       "that the source `%s` of the bind %sexists, cannot be swapped, and is not "
                       "an engine socket or a sensitive path under another name",
                       bind_mount_string (m, "source"),
                       owned ? "is this container's own engine file (its id, the engine that "
                               "calls, the namespace it shares), "
                             : "");
    }
  return 0;
}

const struct rule rule_sensitive_mounts = {
  .id = "sensitive-mounts",
  .title = "no sensitive host paths, engine sockets or writable kernel filesystems in mounts",
  .cis = "5.6, 5.32",
  .pss = "hostPathVolumes",
  .hint = "remove the bind of the host path (use a named volume) or exempt the container",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_sensitive_mounts_check,
  .rewrite = NULL,
  RULE_PARAMS (struct sensitive_mounts_params, sensitive_mounts_param_table),
  /* The mounts, root.path (a bind of or around the container's own rootfs), the annotations and
   * namespace paths that make a source one of the engine's own for this container
   * (binds_owned.c); everything else it asks is the host's or the call's.  */
  RULE_READS ("/mounts", "/root", "/annotations", "/linux/namespaces"),
};
