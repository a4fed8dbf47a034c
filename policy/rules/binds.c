/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The floor of the sensitive-mounts rule's files (binds.h): a mounts[] entry as runc and crun
 * read it, and the lists one check prepares once.  Must not: add findings, or do I/O other than
 * through host facts.  */
#include <config.h>

#include <string.h>

#include "binds.h"
#include "pathmatch.h"
#include "util.h"

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

bool
bind_mount_is_bind (const struct json_node *mount)
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
bind_place_release (struct bind_place *place)
{
  free (place->rel);
  memset (place, 0, sizeof (*place));
}

void
bind_lists_prepare (struct bind_lists *lists, const struct rule_ctx *ctx)
{
  const struct sensitive_mounts_params *p = ctx->params;
  const struct call *call = ctx->call;
  cleanup_free char *ignored = NULL;

  if (lists->ready)
    return;
  hostpath_list_init (&lists->sensitive, ctx->host, (const char *const *)p->paths);
  hostpath_list_init (&lists->sockets, ctx->host, (const char *const *)p->engine_sockets);
  hostpath_list_init (&lists->owned, ctx->host, (const char *const *)p->engine_owned_paths);
  hostpath_list_index (&lists->owned);
  lists->socket_kind = xzalloc (lists->sockets.n + 1);
  for (size_t i = 0; i < lists->sockets.n; i++)
    {
      const char *entry = lists->sockets.raw[i];
      lists->socket_kind[i] = strchr (entry, '/') != NULL        ? BIND_SOCKET_PATH
                              : strpbrk (entry, "*?[\\") == NULL ? BIND_SOCKET_NAME
                                                                 : BIND_SOCKET_PATTERN;
    }
  lists->rootfs = hostpath_rootfs (ctx->spec, ctx->call, ctx->host, &ignored);
  if (call->bundle_dir != NULL && pathmatch_is_clean (call->bundle_dir))
    lists->config
        = xasprintf ("%s/config.json", strcmp (call->bundle_dir, "/") == 0 ? "" : call->bundle_dir);
  if (call->runtime_root != NULL && call->runtime_root[0] == '/')
    lists->state_root = ctx->host->canonical_path (ctx->host, call->runtime_root);
  lists->rootfs_n = hostpath_plain (lists->rootfs) ? strlen (lists->rootfs) : 0;
  lists->config_n = hostpath_plain (lists->config) ? strlen (lists->config) : 0;
  lists->state_root_n = hostpath_plain (lists->state_root) ? strlen (lists->state_root) : 0;
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
  free (lists->kernel_fs);
  free (lists->places_on);
  free (lists->engines);
  hostfacts_mounts_release (&lists->table);
  hostpath_list_release (&lists->sensitive);
  hostpath_list_release (&lists->sockets);
  free (lists->socket_kind);
  hostpath_list_release (&lists->owned);
  free (lists->rootfs);
  free (lists->config);
  free (lists->state_root);
}
