/* SPDX-License-Identifier: GPL-2.0-or-later */
/* containerd as ocigate's commands see it (see engine_containerd.h).  */
#include <config.h>

#include <errno.h>
#include <glob.h>
#include <sys/stat.h>

#include "engine_containerd.h"
#include "engine_docker.h"
#include "route.h"
#include "spawn.h"
#include "toml.h"
#include "util.h"

/* Files read at most (a loop of imports is cut by the "already loaded" set anyway).  */
#define CONTAINERD_MAX_FILES 256
#define CONTAINERD_DUMP_MAX (8u * 1024u * 1024u)

/* mergo's "empty value": what does not override.  */
static bool
zero_value (const struct json_node *n)
{
  switch (n->type)
    {
    case JSON_STRING:
      return n->text[0] == '\0';
    case JSON_NUMBER:
      return strspn (n->text, "+-0._") == strlen (n->text);
    case JSON_BOOL:
      return !n->boolean;
    case JSON_ARRAY:
    case JSON_OBJECT:
      return n->n == 0;
    case JSON_NULL:
    default:
      return true;
    }
}

static bool
replaced_per_entry (const char *key)
{
  return str_eq (key, "plugins") || str_eq (key, "proxy_plugins")
         || str_eq (key, "stream_processors") || str_eq (key, "timeouts");
}

static void merge_value (struct json_node *to, const char *key, const struct json_node *v,
                         bool top);

static void
merge_object (struct json_node *to, const struct json_node *from, bool top)
{
  for (size_t i = 0; i < from->n; i++)
    merge_value (to, from->keys[i], from->items[i], top);
}

static void
merge_value (struct json_node *to, const char *key, const struct json_node *v, bool top)
{
  struct json_node *cur = json_obj_get (to, key);

  if (top && replaced_per_entry (key) && v->type == JSON_OBJECT)
    {
      if (cur == NULL || cur->type != JSON_OBJECT)
        json_obj_set (to, key, cur = json_new_object ());
      for (size_t i = 0; i < v->n; i++)
        json_obj_set (cur, v->keys[i], json_clone (v->items[i]));
    }
  else if (cur != NULL && cur->type == JSON_ARRAY && v->type == JSON_ARRAY)
    for (size_t i = 0; i < v->n; i++)
      json_arr_append (cur, json_clone (v->items[i]));
  else if (cur != NULL && cur->type == JSON_OBJECT && v->type == JSON_OBJECT)
    merge_object (cur, v, false);
  else if (cur == NULL || !zero_value (v))
    json_obj_set (to, key, json_clone (v));
}

void
containerd_merge (struct json_node *to, const struct json_node *from)
{
  merge_object (to, from, true);
}

static void
strv_push (char ***v, size_t *n, char *s)
{
  *v = xreallocarray (*v, *n + 2, sizeof (char *));
  (*v)[(*n)++] = s;
  (*v)[*n] = NULL;
}

/* services/server/config/config.go resolveImports.  */
static void
resolve_imports (const char *parent, const struct json_node *imports, char ***queue, size_t *n)
{
  cleanup_free char *dir = xstrdup (parent);
  char *slash = strrchr (dir, '/');

  if (slash != NULL)
    *slash = '\0';
  for (size_t i = 0; imports != NULL && imports->type == JSON_ARRAY && i < imports->n; i++)
    {
      const char *p = imports->items[i]->type == JSON_STRING ? imports->items[i]->text : NULL;
      glob_t g = { 0 };

      if (p == NULL)
        continue;
      if (strchr (p, '*') == NULL)
        strv_push (queue, n, p[0] == '/' ? xstrdup (p) : xasprintf ("%s/%s", dir, p));
      else if (glob (p, 0, NULL, &g) == 0)
        for (size_t j = 0; j < g.gl_pathc; j++)
          strv_push (queue, n, xstrdup (g.gl_pathv[j]));
      globfree (&g);
    }
}

/* One file of the walk; a missing main file is an empty configuration.  */
static struct json_node *
load_one (const char *path, bool is_main, ocg_error_t *err)
{
  struct json_node *t = toml_parse_file (path, NULL, NULL, NULL, err);

  if (t == NULL && is_main && (*err)->status == ENOENT)
    {
      ocg_error_free (err);
      return json_new_object ();
    }
  return t;
}

struct json_node *
containerd_load_files (const char *main, const char *skip, char ***files, ocg_error_t *err)
{
  struct json_node *out = json_new_object ();
  cleanup_strv char **queue = NULL;
  size_t nq = 0, nf = 0;

  *files = NULL;
  strv_push (&queue, &nq, xstrdup (main));
  for (size_t i = 0; i < nq && nf < CONTAINERD_MAX_FILES; i++)
    {
      struct json_node *t;

      if (strv_contains ((const char *const *)*files, queue[i]) || str_eq (queue[i], skip))
        continue;
      t = load_one (queue[i], i == 0, err);
      if (t == NULL)
        return json_free (out), strv_free (*files), (*files = NULL), NULL;
      containerd_merge (out, t);
      strv_push (files, &nf, xstrdup (queue[i]));
      resolve_imports (queue[i], json_obj_get (t, "imports"), &queue, &nq);
      json_free (t);
    }
  return out;
}

struct json_node *
containerd_dump (const char *binary, const char *config, ocg_error_t *err)
{
  const char *argv[] = { binary, "--config", config, "config", "dump", NULL };
  struct spawn_result r;
  struct json_node *t;

  if (spawn_run (argv, NULL, NULL, 0, CONTAINERD_DUMP_MAX, 60, &r, err) < 0)
    return NULL;
  if (r.status != 0)
    {
      cleanup_free char *line = NULL;
      free (r.out), r.out = NULL;
      line = spawn_first_line (&r);
      spawn_result_release (&r);
      return ocg_error_set (err, 0, "`%s config dump` failed: %s", binary, line), NULL;
    }
  t = toml_parse (r.out, r.out_len, "containerd config dump", NULL, err);
  spawn_result_release (&r);
  return t;
}

static char *
socket_default (void)
{
  const char *a = getenv ("CONTAINERD_ADDRESS");

  return xstrdup (a != NULL && a[0] == '/' ? a : CONTAINERD_DEFAULT_SOCKET);
}

void
containerd_view_load (const char *socket, const char *config, struct containerd_view *v)
{
  cleanup_error ocg_error_t err = NULL;
  const char *file = NULL;
  struct stat st;

  memset (v, 0, sizeof (*v));
  v->installed = hostproc_installed (containerd_binaries);
  v->socket = socket ? xstrdup (socket) : socket_default ();
  hostproc_socket_owner (v->socket, containerd_binaries, &v->proc, &v->other_listener);
  if (v->proc.pid != 0)
    file = hostproc_flag (v->proc.argv, "config", 'c', false);
  v->config_path = xstrdup (config ? config : file ? file : CONTAINERD_DEFAULT_CONFIG);
  v->config_exists = stat (v->config_path, &st) == 0;
  v->merged = containerd_load_files (v->config_path, NULL, &v->files, &err);
  if (v->merged == NULL)
    v->config_error = ocg_error_text (err);
  ocg_error_free (&err);
  if (v->installed == NULL)
    return;
  v->dump = containerd_dump (v->installed, v->config_path, &err);
  if (v->dump == NULL)
    v->dump_error = ocg_error_text (err);
}

void
containerd_view_release (struct containerd_view *v)
{
  free (v->socket);
  hostproc_release (&v->proc);
  free (v->other_listener);
  free (v->config_path);
  strv_free (v->files);
  json_free (v->merged);
  free (v->config_error);
  json_free (v->dump);
  free (v->dump_error);
  memset (v, 0, sizeof (*v));
}

const struct json_node *
containerd_cri (const struct containerd_view *v)
{
  const struct json_node *src = v->dump ? v->dump : v->merged;

  return toml_get (src, "plugins", CRI_PLUGIN, NULL);
}

bool
containerd_cri_enabled (const struct containerd_view *v)
{
  const struct json_node *src = v->dump ? v->dump : v->merged;
  const struct json_node *d = json_obj_get (src, "disabled_plugins");

  for (size_t i = 0; d != NULL && d->type == JSON_ARRAY && i < d->n; i++)
    if (d->items[i]->type == JSON_STRING && str_eq (d->items[i]->text, CRI_PLUGIN))
      return false;
  return true;
}

long
containerd_version (const struct json_node *config)
{
  const struct json_node *n = json_obj_get (config, "version");

  if (n == NULL || n->type != JSON_NUMBER)
    return 1;
  return strtol (n->text, NULL, 10) == 0 ? 1 : strtol (n->text, NULL, 10);
}

const char *
containerd_runc_path_env (const struct containerd_view *v, pid_t *pid)
{
  const char *p = v->proc.pid ? hostproc_getenv (v->proc.env, "PATH") : NULL;

  *pid = p ? v->proc.pid : 0;
  return p ? p : ROUTE_SYSTEMD_PATH;
}
