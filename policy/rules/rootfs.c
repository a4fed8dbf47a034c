/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule "rootfs" (CIS Docker 1.6.0 5.6; PSS hostPathVolumes): the container's root filesystem
 * must be its own, not a host directory.
 *
 * Why: without it nothing judges `root.path`.  `"root": {"path": "/usr"}` (or "/", "../../..",
 * "/etc", /var/lib/docker, another container's rootfs) makes runc use a host directory as the
 * container's root, writable: a container that runs `touch /local/PWNED_usr` writes the file into
 * the host's /usr/local.
 *
 * Owns: resolving root.path as runc does (relative to the bundle), and denying "/" and anything
 * that is, contains or lies below a sensitive host path (the sensitive-mounts list), except that
 * lying below one is fine for the places engines put a root filesystem: inside the bundle
 * (containerd, CRI, ctr, `runc spec`) or the mount point of the container layer in Docker's and
 * containers/storage's data roots, wherever those are; and that nobody but root (or the
 * container's own mapped root) could swap a directory on its path before the runtime mounts it.
 * Must not: do I/O other than through host facts, or judge mounts[] (mounts.c; it also refuses
 * bind sources inside the rootfs resolved here).  */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hostpath.h"
#include "pathmatch.h"
#include "util.h"

/* Where the engines mount a container's root filesystem, as the LAST components of its path:
 * the data root in front may be anywhere (dockerd --data-root, containers/storage graphroot are
 * often relocated to /srv, /data, /home; the e2e tests keep them in /tmp).  Only these exact
 * mount points are excused for lying below a sensitive path -- a rootfs that is, or contains, a
 * sensitive path never is -- and what they hold is the container's image, not host files.  */
static const char *const engine_rootfs_tails[] = {
  /* Docker's graph drivers (moby daemon/graphdriver/<driver>): the container layer's mount, also
   * below <root>/<uid>.<gid> with userns-remap.  containers/storage (Podman, CRI-O) uses the same
   * layout for overlay, vfs, btrfs, zfs and aufs.  */
  "/overlay2/*/merged",
  "/fuse-overlayfs/*/merged",
  "/overlay/*/merged",
  "/vfs/dir/*",
  "/btrfs/subvolumes/*",
  "/zfs/graph/*",
  "/aufs/mnt/*",
  "/devicemapper/mnt/*/rootfs",
  /* Docker with the containerd image store (moby daemon/snapshotter: <root>/rootfs/<snapshotter>/
   * <container id>).  */
  "/rootfs/overlayfs/*",
  "/rootfs/fuse-overlayfs/*",
  "/rootfs/native/*",
  "/rootfs/btrfs/*",
  "/rootfs/zfs/*",
  "/rootfs/stargz/*",
  NULL,
};

/* The last `n` components of a clean path, as a path ("/a/b/c", 2 -> "/b/c"), or NULL when it has
 * no more than `n` (a mount point needs a data root in front of it).  */
static const char *
path_tail (const char *path, size_t n)
{
  const char *p = path + strlen (path);

  for (size_t seen = 0; p > path; p--)
    if (p[-1] == '/' && ++seen == n)
      return p - 1 > path ? p - 1 : NULL;
  return NULL;
}

static size_t
component_count (const char *pattern)
{
  size_t n = 0;

  for (const char *p = pattern; *p != '\0'; p++)
    n += *p == '/';
  return n;
}

static bool
rootfs_engine_owned (const char *canon)
{
  for (size_t i = 0; engine_rootfs_tails[i] != NULL; i++)
    {
      const char *tail = path_tail (canon, component_count (engine_rootfs_tails[i]));
      if (pathmatch_at_or_below (tail, engine_rootfs_tails[i], NULL)
          && pathmatch_contains (tail, engine_rootfs_tails[i], NULL))
        return true;
    }
  return false;
}

/* Strictly inside the bundle, as containerd, CRI, ctr and `runc spec` put it (<bundle>/rootfs).
 * Not when the bundle itself is, or contains, a sensitive path: a config.json in "/" or /var with
 * root.path "usr" or "lib/docker" is no engine's bundle.  */
static bool
rootfs_in_bundle (const struct call *call, const struct hostpath_list *sensitive, const char *canon)
{
  const char *dir = call->bundle_dir;

  if (dir == NULL || !pathmatch_is_clean (dir))
    return false;
  return pathmatch_at_or_below (canon, dir, NULL) && !pathmatch_contains (canon, dir, NULL)
         && !hostpath_holds_sensitive (sensitive, dir);
}

static char *
rootfs_problem (const struct rule_ctx *ctx, const struct hostpath_list *sensitive, const char *path,
                const char *canon)
{
  cleanup_free char *what = hostpath_describe (path, canon);
  cleanup_free char *hit = NULL;

  if (strcmp (canon, "/") == 0)
    return xasprintf ("`root.path` %s is the host's root directory: the container would run on "
                      "the host's own files",
                      what);
  /* Below a sensitive path is excused for the engines' places; being one, or holding one, never. */
  if (!hostpath_holds_sensitive (sensitive, canon)
      && (rootfs_in_bundle (ctx->call, sensitive, canon) || rootfs_engine_owned (canon)))
    return NULL;
  hit = hostpath_exposed_sensitive (sensitive, canon);
  if (hit == NULL)
    return NULL;
  return xasprintf ("`root.path` %s exposes the sensitive host path %s: the container would run "
                    "on, and could write to, the host's files (CIS 5.6)",
                    what, hit);
}

/* The host uid the container's user namespace maps its root to, or (uid_t)-1 without one: it owns
 * the directories of its own root filesystem under Docker's userns-remap.  */
static uid_t
mapped_root (const struct spec *spec)
{
  const struct json_node *maps = spec_get_array (spec, "/linux/uidMappings");
  int64_t container = -1, host = -1;

  for (size_t i = 0; maps != NULL && i < maps->n; i++)
    {
      const struct json_node *c = json_obj_get (maps->items[i], "containerID");
      const struct json_node *h = json_obj_get (maps->items[i], "hostID");
      if (c != NULL && h != NULL && json_number_i64 (c, &container) && container == 0
          && json_number_i64 (h, &host) && host > 0 && host < (int64_t)(uid_t)-1)
        return (uid_t)host;
    }
  return (uid_t)-1;
}

/* runc mounts the root filesystem by its path (libcontainer/rootfs_linux.go prepareRoot), crun by
 * the realpath(3) it took earlier (libcrun/container.c, linux.c libcrun_set_mounts): whoever may
 * rename a directory on that path can put another directory there (the host's /etc) after it was
 * judged.  Every directory a component is looked up in must be root's (or the container's own
 * mapped root's, which owns its layers under userns-remap) and writable by nobody else.  */
static char *
rootfs_swap_problem (const struct rule_ctx *ctx, const char *path)
{
  const struct spec *spec = ctx->spec;
  const char *bundle = ctx->call->bundle_dir;
  cleanup_free char *joined = NULL;
  cleanup_free char *why = NULL;

  if (path[0] == '/')
    joined = xstrdup (path);
  else if (bundle != NULL)
    joined = xasprintf ("%s/%s", bundle, path);
  else
    return NULL; /* hostpath_rootfs reported it */
  if (ctx->host->path_trusted_for == NULL || ctx->host->path_exists == NULL)
    return xasprintf ("`root.path` `%s`: ocigate cannot check who may change it", path);
  /* Whoever could create it in time would choose what it is; the runtime refuses it anyway.  */
  if (!ctx->host->path_exists (ctx->host, joined))
    return xasprintf ("`root.path` `%s` does not exist", path);
  if (ctx->host->path_trusted_for (ctx->host, joined, mapped_root (spec), &why))
    return NULL;
  return xasprintf ("`root.path` `%s` could be swapped for another directory before the runtime "
                    "mounts it: %s",
                    path, why ? why : "untrusted");
}

/* The member a finding points at: root.path, or what is there of it.  */
static const char *
rootfs_pointer (const struct spec *spec)
{
  if (spec_get (spec, "/root/path") != NULL)
    return "/root/path";
  return spec_get (spec, "/root") != NULL ? "/root" : "";
}

/* The verdict of the last check, kept for the recheck after the rewrites (policy/engine/engine.c
 * checks every rule again): a function of root, the mapped root (linux.uidMappings), the call's
 * bundle, the sensitive paths and the host facts -- kept with all of them, and only for one
 * judgement's real facts (hostfacts_docpaths_generation; never a fake's).  */
static struct
{
  unsigned long generation; /* 0: nothing kept */
  const struct host_facts *host;
  uid_t container_root;
  const char *const *paths;
  const struct call *call;
  struct json_node *root, *uid_mappings; /* copies, NULL when absent */
  char *problem;                         /* the verdict: the message, or NULL */
} kept;

static bool
kept_matches (const struct rule_ctx *ctx, const char *const *paths)
{
  unsigned long generation = hostfacts_docpaths_generation (ctx->host);

  return generation != 0 && kept.generation == generation && kept.host == ctx->host
         && kept.container_root == ctx->host->container_root && kept.paths == paths
         && kept.call == ctx->call && json_identical (kept.root, spec_get (ctx->spec, "/root"))
         && json_identical (kept.uid_mappings, spec_get (ctx->spec, "/linux/uidMappings"));
}

static void
keep_verdict (const struct rule_ctx *ctx, const char *const *paths, const char *problem)
{
  const struct json_node *root = spec_get (ctx->spec, "/root");
  const struct json_node *maps = spec_get (ctx->spec, "/linux/uidMappings");

  json_free (kept.root);
  json_free (kept.uid_mappings);
  free (kept.problem);
  kept.generation = hostfacts_docpaths_generation (ctx->host);
  kept.host = ctx->host;
  kept.container_root = ctx->host->container_root;
  kept.paths = paths;
  kept.call = ctx->call;
  kept.root = root != NULL ? json_clone (root) : NULL;
  kept.uid_mappings = maps != NULL ? json_clone (maps) : NULL;
  kept.problem = problem != NULL ? xstrdup (problem) : NULL;
}

/* The verdict on root.path, malloc'd (NULL: none); notes for --portable go to out.  */
static char *
rootfs_verdict (const struct rule_ctx *ctx, const char *const *paths, struct findings *out)
{
  struct hostpath_list sensitive = { 0 };
  char *problem = NULL;
  cleanup_free char *canon = hostpath_rootfs (ctx->spec, ctx->call, ctx->host, &problem);
  const char *path = NULL;

  if (canon == NULL)
    return problem;
  spec_get_string (ctx->spec, "/root/path", &path);
  hostpath_list_init (&sensitive, ctx->host, paths);
  problem = rootfs_problem (ctx, &sensitive, path, canon);
  hostpath_list_release (&sensitive);
  if (problem == NULL && ctx->host->portable)
    node_note_add (out, ctx, rootfs_pointer (ctx->spec),
                   "that `root.path` `%s` exists and cannot be swapped", path ? path : "");
  else if (problem == NULL)
    problem = rootfs_swap_problem (ctx, path);
  return problem;
}

static int
rule_rootfs_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  /* The sensitive paths are the sensitive-mounts rule's parameter: a root filesystem is a bind
   * of its own.  */
  const char *const *paths = policy_param_list (ctx->policy, "sensitive-mounts", "paths");
  cleanup_free char *problem = NULL;

  if (paths == NULL)
    return ocg_error_set (err, 0, "internal error: no parameter `sensitive-mounts.paths`");
  if (kept_matches (ctx, paths))
    problem = kept.problem != NULL ? xstrdup (kept.problem) : NULL;
  else
    {
      problem = rootfs_verdict (ctx, paths, out);
      if (hostfacts_docpaths_generation (ctx->host) != 0)
        keep_verdict (ctx, paths, problem);
    }
  if (problem != NULL)
    finding_add (out, ctx, rootfs_pointer (ctx->spec), false, "%s", problem);
  return 0;
}

const struct rule rule_rootfs = {
  .id = "rootfs",
  .title = "the root filesystem is the container's own, not a host directory",
  .cis = "5.6",
  .pss = "hostPathVolumes",
  .hint = "point root.path at the container's own root filesystem (in the bundle or the engine's "
          "storage)",
  .kinds = RULE_KIND (SPEC_CONFIG),
  .check = rule_rootfs_check,
  .rewrite = NULL,
  /* root.path, and the uid mapping whose host uid may own the rootfs.  */
  RULE_READS ("/root", "/linux/uidMappings"),
};
