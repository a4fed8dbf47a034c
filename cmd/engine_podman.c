/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Podman as ocigate's commands see it (see engine_podman.h).  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "engine_podman.h"
#include "hostproc.h"
#include "toml.h"
#include "util.h"

const char *const podman_binaries[] = { "/usr/bin/podman", "/usr/local/bin/podman", NULL };

/* containers/common v0.50.1 pkg/config/default.go defaultEngineConfig: c.OCIRuntimes.  */
static const char *const builtin_runtimes[][9] = {
  { "crun", "/usr/bin/crun", "/usr/sbin/crun", "/usr/local/bin/crun", "/usr/local/sbin/crun",
    "/sbin/crun", "/bin/crun", "/run/current-system/sw/bin/crun", NULL },
  { "runc", "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc",
    "/sbin/runc", "/bin/runc", "/usr/lib/cri-o-runc/sbin/runc", "/run/current-system/sw/bin/runc" },
  { "runj", "/usr/local/bin/runj", NULL },
  { "kata", "/usr/bin/kata-runtime", "/usr/sbin/kata-runtime", "/usr/local/bin/kata-runtime",
    "/usr/local/sbin/kata-runtime", "/sbin/kata-runtime", "/bin/kata-runtime", "/usr/bin/kata-qemu",
    "/usr/bin/kata-fc" },
  { "runsc", "/usr/bin/runsc", "/usr/sbin/runsc", "/usr/local/bin/runsc", "/usr/local/sbin/runsc",
    "/bin/runsc", "/sbin/runsc", "/run/current-system/sw/bin/runsc", NULL },
  { "krun", "/usr/bin/krun", "/usr/local/bin/krun", NULL },
};

void
podman_merge (struct json_node *to, const struct json_node *from)
{
  for (size_t i = 0; i < from->n; i++)
    {
      struct json_node *cur = json_obj_get (to, from->keys[i]);

      if (cur != NULL && cur->type == JSON_OBJECT && from->items[i]->type == JSON_OBJECT)
        podman_merge (cur, from->items[i]);
      else
        json_obj_set (to, from->keys[i], json_clone (from->items[i]));
    }
}

static struct json_node *
builtin_table (void)
{
  struct json_node *t = json_new_object ();

  for (size_t i = 0; i < ARRAY_SIZE (builtin_runtimes); i++)
    {
      struct json_node *paths = json_new_array ();
      for (size_t j = 1; j < ARRAY_SIZE (builtin_runtimes[i]) && builtin_runtimes[i][j]; j++)
        json_arr_append (paths, json_new_string (builtin_runtimes[i][j]));
      json_obj_set (t, builtin_runtimes[i][0], paths);
    }
  return t;
}

static void
push (char ***v, size_t *n, const char *s)
{
  *v = xreallocarray (*v, *n + 2, sizeof (char *));
  (*v)[(*n)++] = xstrdup (s);
  (*v)[*n] = NULL;
}

static int
name_cmp (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* pkg/config/config.go addConfigs: the `*.conf` files of one directory, sorted.  */
static void
add_dropins (const char *dir, char ***files, size_t *n)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  char **names = NULL;
  size_t k = 0;

  while (d != NULL && (de = readdir (d)) != NULL)
    {
      size_t len = strlen (de->d_name);
      if (len > 5 && strcmp (de->d_name + len - 5, ".conf") == 0 && de->d_type != DT_DIR)
        push (&names, &k, de->d_name);
    }
  if (d != NULL)
    closedir (d);
  if (k > 1)
    qsort (names, k, sizeof (char *), name_cmp);
  for (size_t i = 0; i < k; i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", dir, names[i]);
      push (files, n, p);
    }
  strv_free (names);
}

static void
list_files (struct podman_view *v)
{
  cleanup_free char *dropins = xasprintf ("%s.d", v->override_path);
  struct stat st;
  size_t n = 0;

  if (v->env_conf != NULL)
    {
      push (&v->files, &n, v->env_conf);
      return;
    }
  if (stat (PODMAN_SYSTEM_CONFIG, &st) == 0)
    push (&v->files, &n, PODMAN_SYSTEM_CONFIG);
  if (stat (v->override_path, &st) == 0)
    push (&v->files, &n, v->override_path);
  add_dropins (dropins, &v->files, &n);
}

static const char *
engine_string (const struct json_node *merged, const char *key)
{
  const struct json_node *n = json_obj_get (toml_get (merged, "engine", NULL), key);

  return n != NULL && n->type == JSON_STRING && n->text[0] != '\0' ? n->text : NULL;
}

static const char *
conmon_env (const struct json_node *merged, const char *name)
{
  const struct json_node *env = json_obj_get (toml_get (merged, "engine", NULL), "conmon_env_vars");
  size_t len = strlen (name);

  for (size_t i = 0; env != NULL && env->type == JSON_ARRAY && i < env->n; i++)
    if (env->items[i]->type == JSON_STRING && strncmp (env->items[i]->text, name, len) == 0
        && env->items[i]->text[len] == '=')
      return env->items[i]->text + len + 1;
  return NULL;
}

/* pkg/config/config.go findRuntime: checked on the built-in table only (it runs before the
 * files are read), then libpod's fallback to runc.  */
static char *
default_runtime (void)
{
  static const char *const order[] = { "crun", "runc", "runj", "kata", "runsc" };
  struct stat st;

  for (size_t i = 0; i < ARRAY_SIZE (order); i++)
    for (size_t r = 0; r < ARRAY_SIZE (builtin_runtimes); r++)
      if (str_eq (builtin_runtimes[r][0], order[i]))
        for (size_t j = 1; j < ARRAY_SIZE (builtin_runtimes[r]) && builtin_runtimes[r][j]; j++)
          if (stat (builtin_runtimes[r][j], &st) == 0)
            return xstrdup (order[i]);
  return xstrdup ("runc");
}

static void
merge_files (struct podman_view *v)
{
  v->merged = json_new_object ();
  for (size_t i = 0; v->files[i] != NULL; i++)
    {
      cleanup_error ocg_error_t err = NULL;
      struct json_node *t = toml_parse_file (v->files[i], NULL, NULL, NULL, &err);

      if (t == NULL)
        {
          free (v->error);
          v->error = ocg_error_text (err);
          continue;
        }
      podman_merge (v->merged, t);
      json_free (t);
    }
}

void
podman_view_load (const char *config, struct podman_view *v)
{
  const char *env = getenv ("CONTAINERS_CONF");
  const struct json_node *table;

  memset (v, 0, sizeof (*v));
  v->installed = hostproc_installed (podman_binaries);
  v->env_conf = env != NULL && env[0] != '\0' ? env : NULL;
  v->override_path = xstrdup (config ? config : PODMAN_OVERRIDE_CONFIG);
  list_files (v);
  if (v->files == NULL)
    v->files = xzalloc (sizeof (char *));
  merge_files (v);
  v->runtimes = builtin_table ();
  table = toml_get (v->merged, "engine", "runtimes", NULL);
  if (table != NULL)
    podman_merge (v->runtimes, table);
  v->runtime_configured = engine_string (v->merged, "runtime") != NULL;
  v->runtime
      = v->runtime_configured ? xstrdup (engine_string (v->merged, "runtime")) : default_runtime ();
  v->audit_log = conmon_env (v->merged, "OCIGATE_AUDIT_LOG");
}

void
podman_view_release (struct podman_view *v)
{
  free (v->override_path);
  strv_free (v->files);
  json_free (v->runtimes);
  free (v->runtime);
  json_free (v->merged);
  free (v->error);
  memset (v, 0, sizeof (*v));
}

const struct json_node *
podman_runtime_paths (const struct podman_view *v, const char *name)
{
  const struct json_node *n = json_obj_get (v->runtimes, name);

  return n != NULL && n->type == JSON_ARRAY ? n : NULL;
}

char *
podman_runtime_path (const struct podman_view *v, const char *name)
{
  const struct json_node *paths = podman_runtime_paths (v, name);
  char *found = NULL;
  dev_t dev;
  ino_t ino;
  struct stat st;

  if (name[0] == '/')
    return stat (name, &st) == 0 ? xstrdup (name) : NULL;
  for (size_t i = 0; paths != NULL && i < paths->n; i++)
    if (paths->items[i]->type == JSON_STRING && stat (paths->items[i]->text, &st) == 0
        && S_ISREG (st.st_mode))
      return xstrdup (paths->items[i]->text);
  if (hostproc_lookpath (0, getenv ("PATH"), name, &found, &dev, &ino))
    return found;
  return NULL;
}
