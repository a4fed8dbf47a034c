/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule family "namespaces": host-namespaces (CIS Docker 1.6.0 5.10 network, 5.16 pid, 5.17 ipc,
 * 5.21 uts, 5.31 user when required; PSS hostNamespaces).
 *
 * Owns: deciding whether the container shares a namespace with anything but a container of its
 * own engine.  A required namespace (mount, network, pid, ipc, uts) with no `linux.namespaces`
 * entry is the host's: runc and crun then stay in their own.  An entry with a `path` joins an
 * existing namespace, and is only allowed when that namespace is proven, by the kernel's
 * identities and never by a path string, to be one of these:
 *
 *  - the namespace of the init process of a live container recorded in the same runtime root
 *    (--root): Docker's `--network/--ipc/--pid container:X` (moby daemon/oci_linux.go
 *    WithNamespaces: `/proc/<pid>/ns/<kind>` of X's init), a Kubernetes pod's app containers
 *    joining the pause (containerd pkg/cri/opts/spec_linux.go WithPodNamespaces: `/proc/<pause
 *    pid>/ns/{net,ipc,uts}`, and `pid` with shareProcessNamespace or an ephemeral container's
 *    target), Podman pod members joining the infra (libpod
 *    container_internal_linux.go addNamespaceContainer), CRI-O joining the infra's pinned files;
 *  - a namespace pinned by a bind mount (statx: the root of an nsfs mount) that no process is in
 *    yet: the pod netns containerd's CRI creates
 * (`<state>/io.containerd.grpc.v1.cri/netns/cni-<uuid>` or /var/run/netns/cni-<uuid>), Docker's
 * sandbox netns (`<exec-root>/netns/<id>`), Podman's /run/netns/netns-<uuid>, CRI-O's pinns files
 * (/var/run/{net,ipc,uts,user}ns/<uuid>) before the first container of the pod starts.
 *
 * A namespace that the host is in stays the host's (inode comparison with ocigate's own: Docker's
 * --net=host is `<exec-root>/netns/default`, a hostNetwork pod joins its pause's host netns by
 * `/proc/<pid>/ns/net`).  Anything else -- the private namespace of a host daemon (`unshare -m`,
 * systemd's PrivateTmp=/PrivateNetwork=, an `ip netns` a host service runs in) -- is refused:
 * joining its mount namespace makes the runtime pivot_root that daemon's view into the container,
 * and the container can plant files the daemon then runs as root.
 *
 * A mount namespace is never joined by path: no engine does it (Docker, containerd, Podman and
 * CRI-O always create one), and the runtime would build the container's mounts inside the joined
 * namespace, even another container's.
 *
 * Races (the namespace path is opened by the runtime after we judged it): a path other than
 * `/proc/<pid>/ns/<kind>` must be one nobody but root can change (host fact path_trusted, no
 * /proc magic link on the way); `/proc/<pid>/ns/<kind>` can only change meaning by that pid
 * dying and being reused, which the container's owner cannot steer onto a host process of their
 * choice within the few milliseconds before the runtime's open.
 *
 * A type listed twice or unknown to the runtimes is refused outright.  All judging is one pass
 * over the list, at most one finding per namespace kind, and at most one scan of the runtime root
 * and of /proc per judged kind.
 * Must not: do I/O other than through host facts, or rewrite anything -- a shared namespace cannot
 * be unshared without changing what the workload is.  */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hostfacts.h"
#include "pathmatch.h"
#include "spec.h"
#include "util.h"

/* The namespace types a container must not share with the host.  "user" (CIS 5.31) and "cgroup"
 * are not here: every Docker container without userns-remap lacks a user namespace, and cgroup
 * v1 hosts have no cgroup namespace in any engine's config.  */
static const char *const namespaces_required[] = { "mount", "network", "pid", "ipc", "uts", NULL };

/* The CIS Docker 1.6.0 recommendation for sharing each namespace, for the message.  */
static const char *
namespace_cis (const char *type)
{
  static const char *const table[][2] = {
    { "network", "CIS 5.10" }, { "pid", "CIS 5.16" },  { "ipc", "CIS 5.17" },
    { "uts", "CIS 5.21" },     { "user", "CIS 5.31" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    if (strcmp (table[i][0], type) == 0)
      return table[i][1];
  return "not numbered by CIS";
}

static const char *
namespace_type (const struct json_node *entry)
{
  const struct json_node *t = json_obj_get (entry, "type");
  return t != NULL && t->type == JSON_STRING ? t->text : NULL;
}

static bool
namespace_required (const char *type)
{
  for (const char *const *r = namespaces_required; *r != NULL; r++)
    if (strcmp (*r, type) == 0)
      return true;
  return false;
}

/* What one judgement learns once: the entry index of each kind, and the runtime root's live
 * containers (read only when a joined namespace needs them).  */
struct ns_judge
{
  const struct rule_ctx *ctx;
  long first[HOST_NS_COUNT];
  bool containers_read;
  struct host_container *containers;
  size_t n_containers;
  char *containers_why;
};

static void
ns_judge_release (struct ns_judge *j)
{
  hostfacts_containers_free (j->containers, j->n_containers);
  free (j->containers_why);
}

/* A namespace type listed twice: runc refuses it ("malformed spec file: duplicated ns"), but crun
 * 1.8.1 (linux.c configure_init_status) unshares for every entry without a path and then
 * setns()es into every entry's path, so the joined namespace wins wherever its entry stands:
 * `[{network, /proc/1/ns/net}, ..., {network}]` put a crun container in the host netns while a
 * check of one entry saw a fresh one.  A type neither runtime knows makes both refuse the config
 * (runc libcontainer/specconv "namespace %q does not exist", crun "invalid namespace type").
 * Both are denied whatever the entries say; one pass, one finding per kind and one for every
 * unknown type together, whatever the length of the list.  */
static void
namespace_index (struct ns_judge *j, const struct json_node *list, struct findings *out)
{
  bool reported[HOST_NS_COUNT] = { false };
  size_t unknown = 0, first_unknown = 0;

  for (int ns = 0; ns < HOST_NS_COUNT; ns++)
    j->first[ns] = -1;
  for (size_t i = 0; list != NULL && i < list->n; i++)
    {
      const char *type = namespace_type (list->items[i]);
      enum host_ns ns = hostfacts_ns_from_type (type);

      if (ns == HOST_NS_COUNT)
        first_unknown = unknown++ == 0 ? i : first_unknown;
      else if (j->first[ns] < 0)
        j->first[ns] = (long)i;
      else if (!reported[ns])
        {
          cleanup_free char *ptr = xasprintf ("/linux/namespaces/%zu", i);
          reported[ns] = true;
          finding_add (out, j->ctx, ptr, false,
                       "the `%s` namespace is listed twice (entries %ld and %zu): runc refuses "
                       "that and crun joins the entry with a path",
                       type, j->first[ns], i);
        }
    }
  if (unknown > 0)
    {
      cleanup_free char *ptr = xasprintf ("/linux/namespaces/%zu", first_unknown);
      const char *type = namespace_type (list->items[first_unknown]);
      cleanup_free char *shown = json_quote_key (type != NULL ? type : "");
      finding_add (out, j->ctx, ptr, false,
                   "%zu namespace entries have a type runc and crun do not know (the first is "
                   "`%s`): both refuse the config",
                   unknown, shown);
    }
}

/* "/proc/<pid>/ns/<kernel name of ns>", with a real pid: the shape the engines write.  */
static bool
namespace_proc_form (const char *path, enum host_ns ns)
{
  const char *p = path + strlen ("/proc/");
  size_t n;

  if (!str_has_prefix (path, "/proc/"))
    return false;
  n = strspn (p, "0123456789");
  return n > 0 && n <= 10 && p[0] != '0' && str_has_prefix (p + n, "/ns/")
         && str_eq (p + n + strlen ("/ns/"), hostfacts_ns_file_name (ns));
}

/* Any other path: nobody but root may be able to make it name another file before the runtime
 * opens it, and it must not pass through a /proc magic link (whose target the canonical form
 * does not show, see mounts.c).  */
static char *
namespace_path_race (const struct host_facts *host, const char *type, const char *path)
{
  cleanup_free char *why = NULL;
  cleanup_free char *canon = NULL;

  if (!pathmatch_is_clean (path) || pathmatch_at_or_below (path, "/proc", NULL))
    return xasprintf ("the `%s` namespace path `%s` is not a clean absolute path outside /proc "
                      "other than /proc/<pid>/ns/<kind>",
                      type, path);
  if (host->portable)
    return NULL; /* the rest is the node's (joined_problem) */
  if (host->path_trusted == NULL || !host->path_trusted (host, path, &why))
    return xasprintf ("the `%s` namespace path `%s` could be swapped before the runtime opens "
                      "it: %s",
                      type, path, why ? why : "cannot check who can change it");
  canon = host->canonical_path != NULL ? host->canonical_path (host, path) : NULL;
  if (canon == NULL || pathmatch_at_or_below (canon, "/proc", NULL) || host->same_file == NULL
      || !host->same_file (host, path, canon))
    return xasprintf ("the `%s` namespace path `%s` leads through /proc to another file than "
                      "`%s`",
                      type, path, canon ? canon : "?");
  return NULL;
}

static bool
ns_id_equal (const struct host_ns_id *a, const struct host_ns_id *b)
{
  return a->known && b->known && a->dev == b->dev && a->ino == b->ino;
}

/* The container of the runtime root whose init is in namespace `id`, or NULL.  */
static const char *
namespace_container (struct ns_judge *j, enum host_ns ns, const struct host_ns_id *id)
{
  const struct host_facts *host = j->ctx->host;
  const char *root = j->ctx->call->runtime_root;

  if (!j->containers_read)
    {
      j->containers_read = true;
      if (root == NULL)
        j->containers_why = xstrdup ("no runtime root is known for this call");
      else if (host->runtime_containers == NULL)
        j->containers_why = xstrdup ("the runtime root cannot be read");
      else
        host->runtime_containers (host, root, &j->containers, &j->n_containers, &j->containers_why);
    }
  for (size_t i = 0; i < j->n_containers; i++)
    if (ns_id_equal (&j->containers[i].ns[ns], id))
      return j->containers[i].id;
  return NULL;
}

/* The file is a namespace of the right kind; else what is wrong.  */
static char *
namespace_file_problem (const struct host_facts *host, const char *type, enum host_ns ns,
                        const char *path, struct host_ns_file *f)
{
  if (host->ns_file == NULL || !host->ns_file (host, path, f) || !f->id.known)
    return xasprintf ("cannot resolve the `%s` namespace path `%s`: ocigate cannot tell whether "
                      "it is the host's",
                      type, path);
  if (!f->nsfs)
    return xasprintf ("the `%s` namespace path `%s` is not a namespace file", type, path);
  if (f->type != ns && f->type != HOST_NS_COUNT)
    return xasprintf ("the `%s` namespace path `%s` is a namespace of another kind", type, path);
  if (!hostfacts_own_ns (host, ns)->known)
    return xasprintf ("cannot compare the `%s` namespace path `%s` with the host's: ocigate could "
                      "not read its own",
                      type, path);
  return NULL;
}

/* Neither a live container's namespace nor a pinned one nobody is in: say what it is.  */
static char *
namespace_foreign (struct ns_judge *j, const char *type, const char *path, pid_t holder)
{
  const char *root = j->ctx->call->runtime_root;
  cleanup_free char *who
      = holder > 0 ? xasprintf ("; process %d is in it", (int)holder) : xstrdup ("");

  return xasprintf ("the `%s` namespace `%s` is not the namespace of a live container of the "
                    "runtime root `%s`%s%s%s%s: only a container's namespace (container:, a pod's "
                    "pause) or a namespace pinned by the engine that no process is in yet may be "
                    "joined",
                    type, path, root ? root : "(none)", j->containers_why ? " (" : "",
                    j->containers_why ? j->containers_why : "", j->containers_why ? ")" : "", who);
}

/* Without the node (--portable) identities are unknown, but dockerd names the host's network
 * namespace itself: `docker run --network host` joins `<exec-root>/netns/default` (moby
 * daemon/container_operations.go, libnetwork sandbox key of the host's sandbox).  Denied by
 * that name here; on the node, by its inode, whatever its name.  */
static char *
namespace_portable_problem (const char *type, enum host_ns ns, const char *path)
{
  size_t n = strlen (path);

  if (ns == HOST_NS_NETWORK && n >= strlen ("/netns/default")
      && str_eq (path + n - strlen ("/netns/default"), "/netns/default"))
    return xasprintf ("the `%s` namespace `%s` is dockerd's name for the host's (%s)", type, path,
                      namespace_cis (type));
  return NULL;
}

/* What is wrong with joining namespace `type` at `path` (malloc'd), or NULL.  An unresolvable
 * path is denied: the runtime could not setns(2) into it either, and we will not guess.  */
static char *
joined_problem (struct ns_judge *j, const char *type, enum host_ns ns, const char *path)
{
  const struct host_facts *host = j->ctx->host;
  bool proc = namespace_proc_form (path, ns);
  struct host_ns_file f = { 0 };
  char *problem = NULL;
  pid_t holder = 0;

  if (ns == HOST_NS_MOUNT)
    return xasprintf ("joining the mount namespace `%s` would make the runtime build the "
                      "container's mounts and root inside it; no engine does that",
                      path);
  if (!proc && (problem = namespace_path_race (host, type, path)) != NULL)
    return problem;
  if (host->portable)
    return namespace_portable_problem (type, ns, path);
  if ((problem = namespace_file_problem (host, type, ns, path, &f)) != NULL)
    return problem;
  if (ns_id_equal (&f.id, hostfacts_own_ns (host, ns)))
    return namespace_required (type) ? xasprintf ("the `%s` namespace `%s` is the host's (%s)",
                                                  type, path, namespace_cis (type))
                                     : NULL;
  if (namespace_container (j, ns, &f.id) != NULL)
    return NULL;
  if (!proc && f.pinned && host->ns_process != NULL
      && (holder = host->ns_process (host, ns, &f.id)) == 0)
    return NULL;
  return namespace_foreign (j, type, path, holder);
}

static void
check_joined (struct ns_judge *j, const struct json_node *list, enum host_ns ns,
              struct findings *out)
{
  const struct json_node *entry = list->items[j->first[ns]];
  const struct json_node *path = json_obj_get (entry, "path");
  const char *type = namespace_type (entry);

  /* runtime-spec: an absent or empty path means "create a new namespace".  */
  if (path == NULL || path->type != JSON_STRING || path->text[0] == '\0')
    return;
  cleanup_free char *problem = joined_problem (j, type, ns, path->text);
  cleanup_free char *ptr = xasprintf ("/linux/namespaces/%ld/path", j->first[ns]);
  if (problem != NULL)
    finding_add (out, j->ctx, ptr, false, "%s", problem);
  else if (j->ctx->host->portable)
    node_note_add (out, j->ctx, ptr,
                   "that the `%s` namespace `%s` is not the host's, and is a live container's of "
                   "the same runtime root or one pinned by the engine",
                   type, path->text);
}

static int
rule_host_namespaces_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const struct json_node *list = spec_get_array (ctx->spec, "/linux/namespaces");
  struct ns_judge j = { .ctx = ctx };

  (void)err;
  namespace_index (&j, list, out);
  for (const char *const *r = namespaces_required; *r != NULL; r++)
    if (j.first[hostfacts_ns_from_type (*r)] < 0)
      finding_add (out, ctx, "/linux/namespaces", false,
                   "no `%s` namespace: the container would share the host's (%s)", *r,
                   namespace_cis (*r));
  for (int ns = 0; ns < HOST_NS_COUNT; ns++)
    if (j.first[ns] >= 0)
      check_joined (&j, list, (enum host_ns)ns, out);
  ns_judge_release (&j);
  return 0;
}

const struct rule rule_host_namespaces = {
  .id = "host-namespaces",
  .title = "no host network, pid, ipc, uts or mount namespace; joined namespaces only of "
           "containers",
  .cis = "5.10, 5.16, 5.17, 5.21",
  .pss = "hostNamespaces",
  .hint = "drop host networking/pid/ipc/uts (--net=host, --pid=host, hostNetwork, hostPID, ...) "
          "and join only namespaces of containers of the same engine",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_host_namespaces_check,
  .rewrite = NULL,
};
