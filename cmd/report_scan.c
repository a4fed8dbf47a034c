/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate report`: the runtime roots and the live containers in them (see report.h).  Where each
 * engine keeps its runtime's state: moby daemon/runtime_unix.go defaultV2ShimConfig (Root
 * <exec-root>/runtime-runc, the shim adds the namespace `moby`); containerd runtime/v2/runc
 * (options.Root, default /run/containerd/runc, plus the namespace); Podman 4.3 passes runc and
 * crun no --root, so their defaults /run/runc and /run/crun (runc main.go root, crun
 * libcrun/status.c get_run_directory).  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>

#include "document.h"
#include "hostfacts.h"
#include "record.h"
#include "report_cmd.h"
#include "state.h"
#include "util.h"
#include "workload.h"

#define CONTAINERD_RUNC_ROOT "/run/containerd/runc"

static bool
ends_with (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);

  return n >= m && str_eq (s + n - m, suffix);
}

const char *
report_root_engine (const char *path, const char **ns)
{
  cleanup_free char *copy = xstrdup (path);
  const char *slash = strrchr (path, '/');
  char *parent = dirname (copy);

  *ns = NULL;
  if (str_eq (path, "/run/runc"))
    return "runc";
  if (str_eq (path, "/run/crun"))
    return "crun";
  if (slash != NULL && ends_with (path, "/runtime-runc/moby"))
    return "docker";
  if (slash != NULL && slash[1] != '\0' && ends_with (parent, "/runc")
      && strstr (parent, "containerd") != NULL)
    {
      *ns = slash + 1;
      return "containerd";
    }
  return NULL;
}

static void
add_root (struct report_roots *out, const char *path)
{
  const char *ns = NULL;
  const char *engine = NULL;
  struct report_root *r;

  for (size_t i = 0; i < out->n; i++)
    if (str_eq (out->items[i].path, path))
      return;
  engine = report_root_engine (path, &ns);
  out->items = xreallocarray (out->items, out->n + 1, sizeof (*out->items));
  r = &out->items[out->n++];
  *r = (struct report_root){
    .path = xstrdup (path),
    .engine = engine ? xstrdup (engine) : NULL,
    .namespace_ = ns ? xstrdup (ns) : NULL,
    /* runc's and crun's own defaults are what an engine gets by passing no --root.  */
    .explicit_ = !str_eq (path, "/run/runc") && !str_eq (path, "/run/crun"),
  };
}

/* containerd keeps one root per namespace below its runc root.  */
static void
add_namespaces (struct report_roots *out, const char *parent)
{
  DIR *d = opendir (parent);
  struct dirent *e;

  while (d != NULL && (e = readdir (d)) != NULL)
    if (e->d_name[0] != '.' && e->d_type == DT_DIR)
      {
        cleanup_free char *sub = xasprintf ("%s/%s", parent, e->d_name);
        add_root (out, sub);
      }
  if (d != NULL)
    closedir (d);
}

char **
report_record_roots (void)
{
  cleanup_strv char **dirs = record_state_dirs ();
  char **roots = xzalloc (sizeof (char *));

  for (size_t i = 0; dirs[i] != NULL; i++)
    {
      char *slash = strrchr (dirs[i], '/');

      if (slash == NULL || slash == dirs[i])
        continue;
      *slash = '\0';
      if (!strv_contains ((const char *const *)roots, dirs[i]))
        strv_add (&roots, dirs[i]);
    }
  return roots;
}

void
report_roots_collect (struct report_roots *out, const char *const *defaults, bool records,
                      char *const *extra)
{
  for (size_t i = 0; defaults != NULL && defaults[i] != NULL; i++)
    if (str_eq (defaults[i], CONTAINERD_RUNC_ROOT))
      add_namespaces (out, defaults[i]);
    else
      add_root (out, defaults[i]);
  if (records)
    {
      cleanup_strv char **from_records = report_record_roots ();
      for (size_t i = 0; from_records[i] != NULL; i++)
        add_root (out, from_records[i]);
    }
  for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
    add_root (out, extra[i]);
}

void
report_roots_release (struct report_roots *r)
{
  for (size_t i = 0; i < r->n; i++)
    {
      free (r->items[i].path);
      free (r->items[i].engine);
      free (r->items[i].namespace_);
      free (r->items[i].error);
    }
  free (r->items);
  memset (r, 0, sizeof (*r));
}

/* ---- the containers ---- */

/* runc keeps state.json, crun status and its own copy of the config (checked with runc 1.1.5 and
 * crun 1.8.1).  */
static bool
is_runc_state (const char *root, const char *id)
{
  cleanup_free char *path = xasprintf ("%s/%s/state.json", root, id);
  struct stat st;

  return lstat (path, &st) == 0;
}

/* The config the runtime ran, loaded as create loads one (state.c state_exec_config: only state
 * files root wrote are read; the config itself O_NOFOLLOW, a regular file, capped).  */
static void
load_config (struct report_item *it)
{
  const char *root = it->root->path;
  bool runc = is_runc_state (root, it->id);
  struct runc_invocation inv = { .root = root, .container_id = it->id };
  struct runtime rt = { .flavor = runc ? RUNTIME_RUNC : RUNTIME_CRUN };
  cleanup_error ocg_error_t err = NULL;

  it->spec = state_exec_config (&inv, &rt, &it->bundle, &err);
  if (it->spec == NULL)
    {
      it->error = ocg_error_text (err);
      it->status = REPORT_ERROR;
      return;
    }
  it->config = runc && it->bundle != NULL ? xasprintf ("%s/config.json", it->bundle)
                                          : xasprintf ("%s/%s/config.json", root, it->id);
  it->engine = it->root->engine;
  if (it->engine == NULL || str_eq (it->engine, "runc") || str_eq (it->engine, "crun"))
    it->engine = workload_engine (spec_get_object (it->spec, "/annotations"));
  if (it->engine == NULL)
    it->engine = runc ? "runc" : "crun";
}

static void
add_item (struct report *r, struct report_root *root, const struct host_container *c)
{
  struct report_item *it;

  r->items = xreallocarray (r->items, r->n_items + 1, sizeof (*r->items));
  it = &r->items[r->n_items++];
  *it = (struct report_item){ .id = xstrdup (c->id), .root = root, .pid = c->pid, .judged = -1 };
  root->live++;
  load_config (it);
  if (it->engine == NULL)
    it->engine = root->engine ? root->engine : "unknown";
}

static void
scan_root (struct report *r, struct host_facts *host, size_t index)
{
  struct report_root *root = &r->roots.items[index];
  struct host_container *cs = NULL;
  cleanup_free char *why = NULL;
  size_t n = 0;
  struct stat st;

  if (stat (root->path, &st) < 0 && errno == ENOENT)
    return;
  root->present = true;
  if (!host->runtime_containers (host, root->path, &cs, &n, &why))
    {
      root->error = steal_pointer (&why);
      return;
    }
  for (size_t i = 0; i < n; i++)
    add_item (r, &r->roots.items[index], &cs[i]);
  hostfacts_containers_free (cs, n);
}

void
report_scan (struct report *r)
{
  struct host_facts host;

  hostfacts_init_real (&host);
  for (size_t i = 0; i < r->roots.n; i++)
    scan_root (r, &host, i);
}
