/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sensitive-mounts: the engines' own per-container binds (engine_owned_paths).  See binds.h.
 *
 * An engine-owned path is trusted only for the container it belongs to.  A pattern names that
 * container by `{ocigate.container-id}` (the id the engine passes to the runtime), or by an
 * annotation the engine sets -- believed only when that engine is the caller, told by the runtime
 * root it passes (cri_runtime_roots, crio_runtime_roots) -- or, with `shared`, by a namespace the
 * config joins whose process already has the very same file mounted at the same destination.  A
 * wildcard alone never trusts another container's state: `podman run -v
 * /var/lib/containers/storage/overlay-containers/<other>/userdata:/x` read another container's
 * config.json (its environment, secrets included) and run directory.
 *
 * Owns: the placeholders, the caller tests, the fields after a pattern.  Must not: do I/O other
 * than through host facts.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "binds.h"
#include "pathmatch.h"
#include "spec.h"
#include "util.h"

#define CONTAINER_ID_VAR "ocigate.container-id"

/* Is the runtime root of this call one of `roots`?  Compared canonically (/var/run/x is /run/x
 * on most hosts).  With `explicit_only`, a root the caller did not pass counts for nothing.  */
static bool
called_with_root (const struct rule_ctx *ctx, char *const *roots, bool explicit_only)
{
  const char *root = ctx->call->runtime_root;
  cleanup_free char *canon = NULL;

  if (root == NULL || root[0] != '/' || (explicit_only && !ctx->call->runtime_root_explicit))
    return false;
  canon = ctx->host->canonical_path (ctx->host, root);
  for (size_t i = 0; canon != NULL && roots[i] != NULL; i++)
    {
      cleanup_free char *r = ctx->host->canonical_policy_path != NULL
                                 ? ctx->host->canonical_policy_path (ctx->host, roots[i])
                                 : ctx->host->canonical_path (ctx->host, roots[i]);
      if (str_eq (root, roots[i]) || str_eq (canon, r))
        return true;
    }
  return false;
}

/* Annotations an engine sets itself, and the caller that proves the engine set them.  */
static bool
annotation_trusted (const struct rule_ctx *ctx, const char *name)
{
  const struct sensitive_mounts_params *p = ctx->params;

  /* containerd's CRI plugin (pkg/cri/annotations); the runc root is containerd's own.  */
  if (str_has_prefix (name, "io.kubernetes.cri."))
    return called_with_root (ctx, p->cri_runtime_roots, false);
  /* CRI-O sets io.kubernetes.cri-o.SandboxID after copying the pod's annotations, and the
   * kubelet's io.kubernetes.pod.* labels last (internal/factory/container SpecAddAnnotations).  */
  if (str_has_prefix (name, "io.kubernetes.cri-o.") || str_has_prefix (name, "io.kubernetes.pod."))
    return called_with_root (ctx, p->crio_runtime_roots, true);
  return true;
}

/* {NAME} placeholders in engine-owned patterns.  */
static const char *
placeholder_lookup (const char *name, const void *data)
{
  const struct rule_ctx *ctx = data;
  const struct json_node *v;

  if (str_eq (name, CONTAINER_ID_VAR))
    return ctx->call->container_id;
  /* No annotation may stand in for ocigate's own variables.  */
  if (str_has_prefix (name, "ocigate.") || !annotation_trusted (ctx, name))
    return NULL;
  v = json_obj_get (spec_get_object (ctx->spec, "/annotations"), name);
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

/* The same without the node (--portable): the container's id, when not given, is whichever it
 * is, and an engine's annotation counts whoever calls; the node checks both.  */
static const char *
placeholder_lookup_node (const char *name, const void *data)
{
  const struct rule_ctx *ctx = data;
  const struct json_node *v;

  if (str_eq (name, CONTAINER_ID_VAR))
    return ctx->call->container_id != NULL ? ctx->call->container_id : pathmatch_any;
  if (str_has_prefix (name, "ocigate."))
    return NULL;
  v = json_obj_get (spec_get_object (ctx->spec, "/annotations"), name);
  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

/* /proc/<pid>/ns/<type>: the pid, or 0.  */
static pid_t
namespace_pid (const char *path)
{
  char *end = NULL;
  long pid;

  if (path == NULL || strncmp (path, "/proc/", 6) != 0)
    return 0;
  pid = strtol (path + 6, &end, 10);
  if (pid <= 0 || end == path + 6 || strncmp (end, "/ns/", 4) != 0 || strchr (end + 4, '/'))
    return 0;
  return (pid_t)pid;
}

/* `shared`: a process whose namespace the config joins has, at this bind's destination, a mount
 * showing the same object as the source (the same filesystem and the same path inside it, from
 * its own mountinfo: a symlink in its root cannot fake that).  */
static bool
shared_with_joined (const struct rule_ctx *ctx, struct bind_lists *lists,
                    const struct json_node *mount, const char *canon)
{
  const struct json_node *nss = spec_get_array (ctx->spec, "/linux/namespaces");
  cleanup_free char *dest = bind_mount_dest (mount);
  struct bind_place place = { 0 };
  bool same = false;

  if (dest == NULL || nss == NULL || ctx->host->process_mount == NULL)
    return false;
  bind_locate (ctx, lists, canon, &place);
  for (size_t i = 0; place.known && i < nss->n && !same; i++)
    {
      pid_t pid = namespace_pid (bind_mount_string (nss->items[i], "path"));
      struct host_mount m = { 0 };

      if (pid > 0 && ctx->host->process_mount (ctx->host, pid, dest, &m))
        same = m.dev == place.dev && str_eq (m.root, place.rel);
      hostfacts_mount_release (&m);
    }
  bind_place_release (&place);
  return same;
}

/* `shared` without the node (--portable): the config joins a namespace by /proc/<pid>/ns/<type>,
 * and the node checks that this process has the same file at the same destination.  */
static bool
joins_a_process (const struct rule_ctx *ctx)
{
  const struct json_node *nss = spec_get_array (ctx->spec, "/linux/namespaces");

  for (size_t i = 0; nss != NULL && i < nss->n; i++)
    if (namespace_pid (bind_mount_string (nss->items[i], "path")) > 0)
      return true;
  return false;
}

/* Do the fields after the pattern of an engine-owned entry (`dest=PATH`, `ro`, `shared`) hold
 * for this mount?  An unknown field allows nothing.  */
static bool
entry_fields_hold (const struct rule_ctx *ctx, struct bind_lists *lists, const char *entry,
                   const struct json_node *mount, const char *canon, bool on_node)
{
  cleanup_free char *copy = xstrdup (entry);
  char *save = NULL;

  strtok_r (copy, " \t", &save);
  for (char *f = strtok_r (NULL, " \t", &save); f != NULL; f = strtok_r (NULL, " \t", &save))
    {
      if (strcmp (f, "ro") == 0 && bind_mount_is_read_only (mount))
        continue;
      if (strcmp (f, "shared") == 0
          && (on_node ? joins_a_process (ctx) : shared_with_joined (ctx, lists, mount, canon)))
        continue;
      if (str_has_prefix (f, "dest="))
        {
          cleanup_free char *dest = bind_mount_dest (mount);
          if (str_eq (dest, f + 5))
            continue;
        }
      return false;
    }
  return true;
}

static bool
owned_by (const struct rule_ctx *ctx, struct bind_lists *lists, const struct json_node *mount,
          const char *canon, bool on_node)
{
  struct pathmatch_vars vars = { on_node ? placeholder_lookup_node : placeholder_lookup, ctx };
  struct hostpath_list *owned = &lists->owned;
  size_t n = 0;
  const size_t *idx = hostpath_below_candidates (owned, canon, &n);

  for (size_t k = 0; k < n; k++)
    {
      size_t i = idx != NULL ? idx[k] : k;
      if (owned->canon[i] != NULL && hostpath_may_be_below (owned, i, canon)
          && pathmatch_at_or_below (canon, owned->canon[i], &vars)
          && entry_fields_hold (ctx, lists, owned->raw[i], mount, canon, on_node))
        return true;
    }
  return false;
}

bool
bind_engine_owned (const struct rule_ctx *ctx, struct bind_lists *lists,
                   const struct json_node *mount, const char *canon, bool *on_node)
{
  *on_node = false;
  if (owned_by (ctx, lists, mount, canon, false))
    return true;
  /* Only `ocigate check --portable`: the shim's facts are never portable.  */
  *on_node = ctx->host->portable && owned_by (ctx, lists, mount, canon, true);
  return *on_node;
}
