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
#include <string.h>

#include "binds.h"
#include "defaults_isolation.h"
#include "engine.h"
#include "pathmatch.h"
#include "ruleutil.h"
#include "spec.h"
#include "util.h"

/* Types that are fresh, per-mount-namespace instances: nothing of the host shows through.  */
static const char *const fresh_fs_types[]
    = { "tmpfs", "devpts", "mqueue", "ramfs", "hugetlbfs", NULL };

const char *
bind_mount_string (const struct json_node *mount, const char *key)
{
  const struct json_node *v = json_obj_get (mount, key);
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

bool
bind_mount_has_option (const struct json_node *mount, const char *option)
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
  return str_eq (bind_mount_string (mount, "type"), "bind") || bind_mount_has_option (mount, "bind")
         || bind_mount_has_option (mount, "rbind");
}

bool
bind_mount_is_recursive (const struct json_node *mount)
{
  return bind_mount_has_option (mount, "rbind");
}

/* "ro"/"rw" toggle MS_RDONLY and the last one wins (runc applies its flag table in order).
 * "rro" makes it read-only recursively; any "rrw" clears that again, so treat it as writable.  */
bool
bind_mount_is_read_only (const struct json_node *mount)
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

/* runc 1.1 joins a relative destination to the rootfs (securejoin, with a deprecation warning);
 * crun strips the leading slashes and resolves it below the rootfs too.  */
char *
bind_mount_dest (const struct json_node *mount)
{
  const char *dest = bind_mount_string (mount, "destination");
  cleanup_free char *abs = NULL;

  if (dest == NULL)
    return NULL;
  if (dest[0] != '/')
    dest = abs = xasprintf ("/%s", dest);
  return pathmatch_clean (dest);
}

void
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

void
bind_lists_release (struct bind_lists *lists)
{
  if (!lists->ready)
    return;
  for (size_t i = 0; lists->places != NULL && i < lists->sensitive.n; i++)
    bind_place_release (&lists->places[i]);
  free (lists->places);
  free (lists->engines);
  hostfacts_mounts_release (&lists->table);
  hostpath_list_release (&lists->sensitive);
  hostpath_list_release (&lists->sockets);
  hostpath_list_release (&lists->owned);
  free (lists->rootfs);
}

/* The engine socket a bind of `source` (canonical) exposes by its known names, or NULL.  An entry
 * without a `/` is a basename; one with a `/` is a socket path, exposed by a bind of it or of a
 * parent.  (Sockets elsewhere are found by what they are: binds_identity.c.)  */
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
  else if (ctx->spec->dir == NULL || !pathmatch_is_clean (ctx->spec->dir))
    *problem = xasprintf ("bind at `%s` has the relative source `%s` and the bundle directory it "
                          "is relative to is unknown",
                          dest, source);
  else
    return xasprintf ("%s/%s", strcmp (ctx->spec->dir, "/") == 0 ? "" : ctx->spec->dir, source);
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
  clean = pathmatch_clean (*path);
  if ((magic = magic_link_root (clean)) != NULL)
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
bind_touches_rootfs (const char *rootfs, const char *canon)
{
  if (rootfs == NULL || strcmp (rootfs, "/") == 0)
    return false;
  return pathmatch_at_or_below (canon, rootfs, NULL) || pathmatch_contains (canon, rootfs, NULL);
}

/* The bundle's config.json, which `runc exec` reads again, and the runtime's state directory,
 * which holds every container's state.json (its whole config): a container that can write them
 * decides what the next exec or create runs.  The thing exposed, malloc'd, or NULL.  */
static char *
bind_runtime_files (const struct rule_ctx *ctx, const char *canon)
{
  const struct spec *spec = ctx->spec;
  cleanup_free char *config = NULL;
  cleanup_free char *root = NULL;

  if (spec->dir != NULL && pathmatch_is_clean (spec->dir))
    {
      config = xasprintf ("%s/config.json", strcmp (spec->dir, "/") == 0 ? "" : spec->dir);
      if (pathmatch_contains (canon, config, NULL))
        return xasprintf ("the bundle's `%s`", config);
    }
  if (spec->runtime_root != NULL && spec->runtime_root[0] == '/')
    root = ctx->host->canonical_path (ctx->host, spec->runtime_root);
  if (root != NULL && strcmp (root, "/") != 0
      && (pathmatch_at_or_below (canon, root, NULL) || pathmatch_contains (canon, root, NULL)))
    return xasprintf ("the runtime's state directory `%s`", root);
  return NULL;
}

/* What the canonical source exposes by name: an engine socket, the container's own rootfs or
 * config.json, the runtime's state, a sensitive host path (unless it is one of the engines' own
 * per-container files).  */
static char *
bind_place_problem (const struct rule_ctx *ctx, struct bind_lists *lists,
                    const struct json_node *mount, const char *what, const char *canon)
{
  const char *dest = bind_mount_string (mount, "destination");
  const char *how = bind_mount_is_read_only (mount) ? "read-only bind" : "bind";
  cleanup_free char *hit = NULL;
  const char *socket;

  dest = dest ? dest : "";
  bind_lists_prepare (lists, ctx);
  if ((socket = exposed_engine_socket (&lists->sockets, canon)) != NULL)
    return xasprintf ("%s of %s at `%s` exposes the engine socket `%s` (CIS 5.32)", how, what, dest,
                      socket);
  if (bind_touches_rootfs (lists->rootfs, canon))
    return xasprintf ("%s of %s at `%s` reaches into the container's own root filesystem `%s`", how,
                      what, dest, lists->rootfs);
  if (!bind_engine_owned (ctx, lists, mount, canon)
      && (hit = hostpath_exposed_sensitive (&lists->sensitive, canon)) != NULL)
    return xasprintf ("%s of %s at `%s` exposes the sensitive host path %s (CIS 5.6)", how, what,
                      dest, hit);
  /* Even for an engine's own path: no engine binds these.  */
  if ((hit = bind_runtime_files (ctx, canon)) != NULL)
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
 * where it is missing (every missing source is denied all the same).  */
static char *
bind_problem (const struct rule_ctx *ctx, struct bind_lists *lists, const struct json_node *mount)
{
  const char *source = bind_mount_string (mount, "source");
  const char *dest = bind_mount_string (mount, "destination");
  cleanup_free char *path = NULL;
  cleanup_free char *canon = NULL;
  cleanup_free char *what = NULL;
  char *problem = bind_path_problem (ctx, source, dest ? dest : "", &path, &canon);

  if (problem != NULL)
    return problem;
  what = hostpath_describe (source, canon);
  problem = bind_place_problem (ctx, lists, mount, what, canon);
  if (problem == NULL)
    problem = bind_swap_problem (ctx, path, dest ? dest : "", what, canon);
  if (problem == NULL)
    problem = bind_identity_problem (ctx, lists, mount, what, canon);
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
