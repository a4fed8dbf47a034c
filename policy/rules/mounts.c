/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule family "mounts": sensitive-mounts (CIS Docker 1.6.0 5.6, 5.32; PSS hostPathVolumes) and
 * mount-propagation (CIS 5.20).
 *
 * Owns: deciding whether a `mounts[]` entry exposes the host -- a bind of a sensitive host path
 * (judged on its canonical form, by whole components, including parents of sensitive paths), a
 * bind exposing an engine socket, a host kernel filesystem mounted writable -- and rewriting
 * shared propagation to private.  The engines' own per-container binds from their state
 * directories are allowed by pattern (defaults below), after canonicalisation, so `..` and
 * symlink tricks cannot borrow an engine pattern.  A bind source must also be judgeable at all:
 * it must exist, not go through a /proc magic link, not lie inside (or contain) the container's
 * own rootfs, and not be swappable by anyone but root before runc mounts it (security review
 * findings 2, 3 and 4; see bind_problem).
 * Must not: do I/O other than through host facts, or judge namespaces, devices or root.path
 * (namespaces.c, devices.c, rootfs.c).  */
#include <config.h>

#include <fnmatch.h>
#include <stdbool.h>
#include <string.h>

#include "defaults_isolation.h"
#include "engine.h"
#include "hostpath.h"
#include "pathmatch.h"
#include "ruleutil.h"
#include "spec.h"
#include "util.h"

const char *const isolation_default_sensitive_paths[] = {
  "/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root",
  "/sbin", "/sys", "/usr",
  /* Engine state: images, other containers' rootfs and secrets, the kubelet's credentials.  */
  "/var/lib/docker", "/var/lib/containerd", "/var/lib/containers", "/var/lib/kubelet",
  "/run/docker", "/run/containerd", "/run/containers", "/run/crio", "/run/podman", "/run/runc",
  "/run/crun",
  /* Host code that root runs later: cron and at spools, the package databases (dpkg runs
   * /var/lib/dpkg/info/<pkg>.postinst as root), CNI plugins (run as root by the engine for every
   * pod).  The control sockets of PID 1 and the system bus (systemd-run as root).  The cluster's
   * secrets (etcd).  The host's logs: writing them forges or erases the audit trail, and
   * logrotate runs over them as root.  /var/run/dbus is listed too for hosts where /var/run is
   * not a symlink to /run (entries are canonicalised, so on others it is /run/dbus again).  */
  "/var/spool", "/var/lib/dpkg", "/var/lib/rpm", "/opt/cni", "/run/systemd", "/run/dbus",
  "/var/run/dbus", "/var/lib/etcd", "/var/log", NULL
};

const char *const isolation_default_engine_sockets[]
    = { "docker.sock", "containerd.sock", "containerd.sock.ttrpc", "crio.sock", "podman.sock",
        "dockershim.sock", "cri-dockerd.sock", "buildkitd.sock", "kubelet.sock",
        /* Where they live, so that a bind of a parent directory (/run, /var/run) is caught too.  */
        "/run/docker.sock", "/run/docker/containerd/containerd.sock",
        "/run/containerd/containerd.sock", "/run/containerd/containerd.sock.ttrpc",
        "/run/crio/crio.sock", "/run/podman/podman.sock", "/run/dockershim.sock",
        "/run/cri-dockerd.sock", "/run/buildkit/buildkitd.sock", "/run/user/*/docker.sock",
        "/run/user/*/podman/podman.sock", "/var/lib/kubelet/pod-resources/kubelet.sock",
        "/var/lib/kubelet/device-plugins/kubelet.sock", NULL };

const char *const isolation_default_engine_owned_paths[] = {
  /* Docker (moby daemon/container_operations_unix.go, daemon/volumes): per-container files,
   * IPC shm, named volumes, and the --init binary bound read-only at /sbin/docker-init.  */
  "/var/lib/docker/containers/*/resolv.conf", "/var/lib/docker/containers/*/hostname",
  "/var/lib/docker/containers/*/hosts", "/var/lib/docker/containers/*/mounts",
  "/var/lib/docker/volumes/*/_data", "/usr/bin/docker-init dest=/sbin/docker-init ro",
  "/usr/libexec/docker/docker-init dest=/sbin/docker-init ro",
  /* containerd CRI: the pod's own sandbox files, tied to the sandbox-id annotation containerd
   * sets on every container of the pod.  */
  "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/{io.kubernetes.cri.sandbox-id}",
  /* kubelet: the pod's own directory (etc-hosts, termination logs, volumes).  */
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/etc-hosts",
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/containers",
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/volumes",
  "/var/lib/kubelet/pods/{io.kubernetes.cri.sandbox-uid}/volume-subpaths",
  /* Podman and CRI-O (containers/storage): per-container userdata, named volumes.  */
  "/var/lib/containers/storage/overlay-containers/*/userdata",
  "/run/containers/storage/overlay-containers/*/userdata",
  "/var/lib/containers/storage/volumes/*/_data", NULL
};

/* containerd's CRI plugin runs runc with --root <state dir>/runc/k8s.io (the k8s.io namespace),
 * and only the containerd administrator chooses that.  `docker run --annotation` and `podman
 * run --annotation` let any of their users set io.kubernetes.cri.sandbox-uid to ANOTHER pod's
 * uid and bind its /var/lib/kubelet/pods/<uid>/volumes (its secrets): the {io.kubernetes.cri.*}
 * engine-owned patterns therefore only apply when the runtime root says the caller is CRI.  */
const char *const isolation_default_cri_runtime_roots[]
    = { "/run/containerd/runc/k8s.io", "/var/run/containerd/runc/k8s.io", NULL };

/* Types that are fresh, per-mount-namespace instances: nothing of the host shows through.  */
static const char *const fresh_fs_types[]
    = { "tmpfs", "devpts", "mqueue", "ramfs", "hugetlbfs", NULL };
/* Host kernel interfaces that are acceptable read-only (the engines' /sys and /sys/fs/cgroup).  */
static const char *const kernel_fs_read_only_ok[] = { "sysfs", "cgroup", "cgroup2", NULL };

static const char *
mount_string (const struct json_node *mount, const char *key)
{
  const struct json_node *v = json_obj_get (mount, key);
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

static bool
mount_has_option (const struct json_node *mount, const char *option)
{
  const struct json_node *opts = json_obj_get (mount, "options");
  for (size_t i = 0; opts != NULL && opts->type == JSON_ARRAY && i < opts->n; i++)
    if (opts->items[i]->type == JSON_STRING && strcmp (opts->items[i]->text, option) == 0)
      return true;
  return false;
}

/* runc (libcontainer/specconv createLibcontainerMount) and crun both treat a mount as a bind when
 * its type is "bind" or when any option is bind/rbind, whatever the type says.  */
static bool
mount_is_bind (const struct json_node *mount)
{
  return str_eq (mount_string (mount, "type"), "bind") || mount_has_option (mount, "bind")
         || mount_has_option (mount, "rbind");
}

/* "ro"/"rw" toggle MS_RDONLY and the last one wins (runc applies its flag table in order).
 * "rro" makes it read-only recursively; any "rrw" clears that again, so treat it as writable.  */
static bool
mount_is_read_only (const struct json_node *mount)
{
  const struct json_node *opts = json_obj_get (mount, "options");
  bool ro = false, rro = false;

  for (size_t i = 0; opts != NULL && opts->type == JSON_ARRAY && i < opts->n; i++)
    {
      const char *o = opts->items[i]->type == JSON_STRING ? opts->items[i]->text : "";
      if (strcmp (o, "ro") == 0 || strcmp (o, "rw") == 0)
        ro = o[1] == 'o';
      else if (strcmp (o, "rro") == 0)
        rro = true;
      else if (strcmp (o, "rrw") == 0)
        return false;
    }
  return ro || rro;
}

static bool
called_by_cri (const struct rule_ctx *ctx)
{
  const char *root = ctx->spec->runtime_root;
  const char *const *roots = (const char *const *)ctx->params->cri_runtime_roots;

  if (roots == NULL)
    roots = isolation_default_cri_runtime_roots;
  for (size_t i = 0; root != NULL && roots[i] != NULL; i++)
    if (strcmp (root, roots[i]) == 0)
      return true;
  return false;
}

/* {annotation} placeholders in engine-owned patterns: the value, but only from CRI itself.  */
static const char *
annotation_lookup (const char *name, const void *data)
{
  const struct rule_ctx *ctx = data;
  const struct json_node *annotations = spec_get_object (ctx->spec, "/annotations");
  const struct json_node *v = json_obj_get (annotations, name);

  if (str_has_prefix (name, "io.kubernetes.cri.") && !called_by_cri (ctx))
    return NULL;
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

/* The policy lists, canonicalised once per check (only when a bind needs them), and the
 * container's rootfs as a canonical host path (NULL when it cannot be resolved: the rootfs rule
 * reports that).  */
struct bind_lists
{
  bool ready;
  struct hostpath_list sensitive, sockets, owned;
  char *rootfs;
};

static void
bind_lists_prepare (struct bind_lists *lists, const struct rule_ctx *ctx)
{
  const struct policy_params *p = ctx->params;
  cleanup_free char *ignored = NULL;

  if (lists->ready)
    return;
  hostpath_list_init (&lists->sensitive, ctx->host,
                      hostpath_param (p->sensitive_paths, isolation_default_sensitive_paths));
  hostpath_list_init (&lists->sockets, ctx->host,
                      hostpath_param (p->engine_sockets, isolation_default_engine_sockets));
  hostpath_list_init (&lists->owned, ctx->host,
                      hostpath_param (p->engine_owned_paths, isolation_default_engine_owned_paths));
  lists->rootfs = hostpath_rootfs (ctx->spec, ctx->host, &ignored);
  lists->ready = true;
}

static void
bind_lists_release (struct bind_lists *lists)
{
  if (!lists->ready)
    return;
  hostpath_list_release (&lists->sensitive);
  hostpath_list_release (&lists->sockets);
  hostpath_list_release (&lists->owned);
  free (lists->rootfs);
}

/* The engine socket a bind of `source` (canonical) exposes, or NULL.  An entry without a `/` is
 * a basename; one with a `/` is a socket path, exposed by a bind of it or of a parent.  */
static const char *
exposed_engine_socket (const struct hostpath_list *sockets, const char *source)
{
  for (size_t i = 0; i < sockets->n; i++)
    {
      const char *entry = sockets->raw[i];
      if (strchr (entry, '/') == NULL ? fnmatch (entry, pathmatch_basename (source), 0) == 0
                                      : pathmatch_contains (source, sockets->canon[i], NULL))
        return entry;
    }
  return NULL;
}

/* Do the fields after the pattern of an engine-owned entry (`dest=PATH`, `ro`) hold for this
 * mount?  An unknown field allows nothing.  */
static bool
engine_entry_fields_hold (const char *entry, const struct json_node *mount)
{
  cleanup_free char *copy = xstrdup (entry);
  char *save = NULL;

  strtok_r (copy, " \t", &save);
  for (char *f = strtok_r (NULL, " \t", &save); f != NULL; f = strtok_r (NULL, " \t", &save))
    {
      if (strcmp (f, "ro") == 0 && mount_is_read_only (mount))
        continue;
      if (str_has_prefix (f, "dest="))
        {
          cleanup_free char *dest = pathmatch_clean (mount_string (mount, "destination"));
          if (str_eq (dest, f + 5))
            continue;
        }
      return false;
    }
  return true;
}

static bool
engine_owned (const struct rule_ctx *ctx, const struct hostpath_list *owned,
              const struct json_node *mount, const char *source)
{
  struct pathmatch_vars vars = { annotation_lookup, ctx };

  for (size_t i = 0; i < owned->n; i++)
    if (owned->canon[i] != NULL && pathmatch_at_or_below (source, owned->canon[i], &vars)
        && engine_entry_fields_hold (owned->raw[i], mount))
      return true;
  return false;
}

/* Entries whose children are magic links: realpath(3) reads /proc/<pid>/root, /cwd and /fd/N as
 * text, while the kernel follows them into another mount namespace.  /dev/fd and /dev/std* are
 * symlinks into /proc/self/fd.  Review finding 3: an ordinary Docker user's
 * `-v /proc/<pid of another container>/root/<symlink to />:/host` canonicalised to a path on the
 * host and runc mounted that container's view of `/`.  */
static const char *const magic_link_roots[]
    = { "/proc", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", NULL };

static const char *
magic_link_root (const char *path)
{
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

/* Is the source a host path at all, outside the magic-link trees?  Sets *canon (malloc'd) to its
 * canonical form -- for a missing path, a lexical guess at its tail, good enough only to deny on
 * (bind_swap_problem refuses every missing source afterwards).  The message, or NULL.  */
static char *
bind_path_problem (const struct rule_ctx *ctx, const char *source, const char *dest, char **canon)
{
  cleanup_free char *clean = pathmatch_clean (source);
  const char *magic = magic_link_root (clean);

  *canon = NULL;
  if (clean == NULL)
    return xasprintf ("bind at `%s` has the relative source `%s`: ocigate cannot tell which "
                      "host path it exposes",
                      dest, source ? source : "");
  if (magic != NULL)
    return xasprintf ("the source `%s` of the bind at `%s` is under `%s`, whose magic links lead "
                      "into other containers' and the host's mount namespaces",
                      source, dest, magic);
  *canon = ctx->host->canonical_path (ctx->host, source);
  if (*canon == NULL || !pathmatch_is_clean (*canon))
    return xasprintf ("cannot resolve the source `%s` of the bind at `%s`", source, dest);
  if ((magic = magic_link_root (*canon)) != NULL)
    return xasprintf ("the source `%s` (`%s`) of the bind at `%s` is under `%s`, whose magic "
                      "links lead into other containers' and the host's mount namespaces",
                      source, *canon, dest, magic);
  return NULL;
}

/* Review finding 2: a source inside the container's own rootfs is resolved by runc after the
 * earlier mounts, through them (`<rootfs>/proc/1/root` was runc's init, still in the host's
 * root, and the container wrote to the host's `/`).  A source containing the rootfs exposes the
 * bundle from outside (config.json, which `runc exec` reads again).  "/" as rootfs is the rootfs
 * rule's to report.  */
static bool
bind_touches_rootfs (const char *rootfs, const char *canon)
{
  if (rootfs == NULL || strcmp (rootfs, "/") == 0)
    return false;
  return pathmatch_at_or_below (canon, rootfs, NULL) || pathmatch_contains (canon, rootfs, NULL);
}

/* What the canonical source exposes: an engine socket, the container's own rootfs, a sensitive
 * host path (unless it is one of the engines' own per-container files).  */
static char *
bind_place_problem (const struct rule_ctx *ctx, struct bind_lists *lists,
                    const struct json_node *mount, const char *what, const char *canon)
{
  const char *dest = mount_string (mount, "destination");
  const char *how = mount_is_read_only (mount) ? "read-only bind" : "bind";
  cleanup_free char *sensitive = NULL;
  const char *hit = NULL;

  dest = dest ? dest : "";
  bind_lists_prepare (lists, ctx);
  if ((hit = exposed_engine_socket (&lists->sockets, canon)) != NULL)
    return xasprintf ("%s of %s at `%s` exposes the engine socket `%s` (CIS 5.32)", how, what, dest,
                      hit);
  if (bind_touches_rootfs (lists->rootfs, canon))
    return xasprintf ("%s of %s at `%s` reaches into the container's own root filesystem `%s`", how,
                      what, dest, lists->rootfs);
  if (engine_owned (ctx, &lists->owned, mount, canon))
    return NULL;
  sensitive = hostpath_exposed_sensitive (&lists->sensitive, canon);
  if (sensitive != NULL)
    return xasprintf ("%s of %s at `%s` exposes the sensitive host path %s (CIS 5.6)", how, what,
                      dest, sensitive);
  return NULL;
}

/* Is the canonical form really what runc will mount, now and when it mounts?  */
static char *
bind_swap_problem (const struct rule_ctx *ctx, const char *source, const char *dest,
                   const char *what, const char *canon)
{
  cleanup_free char *why = NULL;

  /* Review finding 2: the canonical form of a missing path is a guess, and runc resolves the
   * source only later, after the container's earlier mounts.  Engines create their sources before
   * `create` (Docker's -v directories, kubelet's DirectoryOrCreate).  */
  if (!host_path_exists (ctx->host, source))
    return xasprintf ("the source `%s` of the bind at `%s` does not exist: ocigate cannot tell "
                      "what runc would mount",
                      source, dest);
  /* Review finding 3: a magic link the canonical path reads as text.  */
  if (!host_same_file (ctx->host, source, canon))
    return xasprintf ("the source `%s` of the bind at `%s` is not the file its canonical path "
                      "`%s` names (a magic link, or it changed while it was judged)",
                      source, dest, canon);
  /* Review finding 4: a symlink swapped in between this check and runc's mount(2).  */
  if (!host_path_trusted (ctx->host, source, &why))
    return xasprintf ("bind of %s at `%s` could be swapped for another path before runc mounts "
                      "it: %s",
                      what, dest, why ? why : "untrusted");
  return NULL;
}

/* What is wrong with a bind, as a malloc'd message, or NULL when it is fine.  What the path
 * exposes is judged before whether it exists, so that a sensitive path is named as such even
 * where it is missing (every missing source is denied all the same).  */
static char *
bind_problem (const struct rule_ctx *ctx, struct bind_lists *lists, const struct json_node *mount)
{
  const char *source = mount_string (mount, "source");
  const char *dest = mount_string (mount, "destination");
  cleanup_free char *canon = NULL;
  cleanup_free char *what = NULL;
  char *problem = bind_path_problem (ctx, source, dest ? dest : "", &canon);

  if (problem != NULL)
    return problem;
  what = hostpath_describe (source, canon);
  problem = bind_place_problem (ctx, lists, mount, what, canon);
  if (problem != NULL)
    return problem;
  return bind_swap_problem (ctx, source, dest ? dest : "", what, canon);
}

static char *
filesystem_problem (const struct json_node *mount)
{
  const char *type = mount_string (mount, "type");
  const char *source = mount_string (mount, "source");
  cleanup_free char *dest = pathmatch_clean (mount_string (mount, "destination"));

  if (type != NULL && ruleutil_strv_contains (fresh_fs_types, type))
    return NULL;
  if (str_eq (type, "proc") && str_eq (dest, "/proc"))
    return NULL;
  if (type != NULL && ruleutil_strv_contains (kernel_fs_read_only_ok, type))
    return mount_is_read_only (mount)
               ? NULL
               : xasprintf ("`%s` mounted read-write at `%s` makes the host's kernel interface "
                            "writable",
                            type, dest ? dest : "");
  return xasprintf ("mount of type `%s` from `%s` at `%s`: only binds and the container's own "
                    "pseudo-filesystems are allowed",
                    type ? type : "(none)", source ? source : "", dest ? dest : "");
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
      if (m->type != JSON_OBJECT)
        continue;
      cleanup_free char *problem
          = mount_is_bind (m) ? bind_problem (ctx, &lists, m) : filesystem_problem (m);
      if (problem != NULL)
        {
          cleanup_free char *ptr = xasprintf ("/mounts/%zu", i);
          finding_add (out, ctx, ptr, false, "%s", problem);
        }
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
};

/* mount-propagation.  "shared"/"rshared" make the container's mounts a peer of the host's, so
 * mounts made inside propagate out (CIS 5.20).  slave and private are fine.  */
static const char *
propagation_replacement (const char *value, bool rootfs)
{
  /* For linux.rootfsPropagation the fix is [r]slave, runc's own default: runc refuses a [r]private
   * root propagation together with --no-pivot (libcontainer/specconv CreateLibcontainerConfig),
   * which a rule cannot see.  */
  if (str_eq (value, "shared"))
    return rootfs ? "slave" : "private";
  if (str_eq (value, "rshared"))
    return rootfs ? "rslave" : "rprivate";
  return NULL;
}

static void
propagation_visit (const struct spec *spec,
                   void (*fn) (const char *ptr, const char *value, const char *fix, void *data),
                   void *data)
{
  const struct json_node *mounts = spec_get_array (spec, "/mounts");
  const char *root = NULL;

  for (size_t i = 0; mounts != NULL && i < mounts->n; i++)
    {
      const struct json_node *opts = json_obj_get (mounts->items[i], "options");
      for (size_t j = 0; opts != NULL && opts->type == JSON_ARRAY && j < opts->n; j++)
        {
          const char *o = opts->items[j]->type == JSON_STRING ? opts->items[j]->text : NULL;
          const char *fix = propagation_replacement (o, false);
          if (fix != NULL)
            {
              cleanup_free char *ptr = xasprintf ("/mounts/%zu/options/%zu", i, j);
              fn (ptr, o, fix, data);
            }
        }
    }
  if (spec_get_string (spec, "/linux/rootfsPropagation", &root)
      && propagation_replacement (root, true) != NULL)
    fn ("/linux/rootfsPropagation", root, propagation_replacement (root, true), data);
}

struct propagation_check_data
{
  const struct rule_ctx *ctx;
  struct findings *out;
};

static void
propagation_report (const char *ptr, const char *value, const char *fix, void *data)
{
  struct propagation_check_data *d = data;
  finding_add (d->out, d->ctx, ptr, true,
               "`%s` propagation lets mounts made in the container reach the host (CIS 5.20); "
               "becomes `%s`",
               value, fix);
}

static int
rule_mount_propagation_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  struct propagation_check_data d = { ctx, out };

  (void)err;
  propagation_visit (ctx->spec, propagation_report, &d);
  return 0;
}

struct propagation_fix_data
{
  struct spec *spec;
  ocg_error_t *err;
  int ret;
};

static void
propagation_fix (const char *ptr, const char *value, const char *fix, void *data)
{
  struct propagation_fix_data *d = data;

  (void)value;
  if (d->ret == 0)
    d->ret = spec_set (d->spec, ptr, json_new_string (fix), d->err);
}

static int
rule_mount_propagation_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  struct propagation_fix_data d = { spec, err, 0 };

  (void)ctx;
  propagation_visit (spec, propagation_fix, &d);
  return d.ret;
}

const struct rule rule_mount_propagation = {
  .id = "mount-propagation",
  .title = "no shared mount propagation",
  .cis = "5.20",
  .pss = NULL,
  .hint = "use private or slave propagation",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_mount_propagation_check,
  .rewrite = rule_mount_propagation_rewrite,
};
