/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the runtime recorded about an existing container (see state.h).  */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "policy_file.h"
#include "spec.h"
#include "state.h"
#include "util.h"

bool
state_valid_id (const char *id)
{
  if (id == NULL || id[0] == '\0' || str_eq (id, ".") || str_eq (id, ".."))
    return false;
  for (const char *p = id; *p != '\0'; p++)
    if (!isalnum ((unsigned char)*p) && strchr ("_+,-.", *p) == NULL)
      return false;
  return true;
}

const char *
state_root (const struct runc_invocation *inv, const struct runtime *rt)
{
  if (inv->root != NULL)
    return inv->root;
  return rt != NULL && rt->flavor == RUNTIME_CRUN ? "/run/crun" : "/run/runc";
}

int
state_container_present (const struct runc_invocation *inv, const struct runtime *rt)
{
  cleanup_free char *dir = NULL;
  struct stat st;

  if (!state_valid_id (inv->container_id) || (inv->root == NULL && geteuid () != 0))
    return -1;
  dir = xasprintf ("%s/%s", state_root (inv, rt), inv->container_id);
  if (lstat (dir, &st) == 0)
    return 1;
  return errno == ENOENT ? 0 : -1;
}

/* A runtime state file, only when root wrote it and nobody else can have; NULL otherwise, with
 * *err saying why.  */
static struct json_node *
read_state (const char *path, ocg_error_t *err)
{
  cleanup_close int fd = policy_file_open_trusted (AT_FDCWD, path, path, false, err);
  cleanup_free char *buf = NULL;
  struct json_parse_opts opts = { .source = path, .max_bytes = SPEC_MAX_BYTES };
  size_t len = 0;

  if (fd < 0 || (buf = fsutil_read_fd (fd, path, SPEC_MAX_BYTES, &len, err)) == NULL)
    return NULL;
  return json_parse (buf, len, &opts, err);
}

struct json_node *
state_runc_cgroup_paths (const struct runc_invocation *inv, const struct runtime *rt)
{
  cleanup_error ocg_error_t err = NULL; /* none: exec --cgroup is judged without them */
  cleanup_free char *path = NULL;
  cleanup_json struct json_node *state = NULL;
  const struct json_node *paths;

  if (!state_valid_id (inv->container_id) || (inv->root == NULL && geteuid () != 0))
    return NULL;
  path = xasprintf ("%s/%s/state.json", state_root (inv, rt), inv->container_id);
  state = read_state (path, &err);
  paths = json_obj_get (state, "cgroup_paths");
  return paths != NULL && paths->type == JSON_OBJECT ? json_clone (paths) : NULL;
}

/* runc keeps each annotation as a "key=value" label next to its own "bundle=<dir>" label
 * (libcontainer/specconv CreateLibcontainerConfig; utils.SearchLabels splits at the first `=`).  */
static struct json_node *
labels_to_annotations (const struct json_node *labels)
{
  struct json_node *ann = json_new_object ();

  for (size_t i = 0; labels != NULL && labels->type == JSON_ARRAY && i < labels->n; i++)
    {
      const struct json_node *l = labels->items[i];
      const char *eq = l->type == JSON_STRING ? strchr (l->text, '=') : NULL;
      cleanup_free char *key = eq ? xstrndup (l->text, (size_t)(eq - l->text)) : NULL;

      if (key != NULL && !str_eq (key, "bundle"))
        json_obj_set (ann, key, json_new_string (eq + 1));
    }
  return ann;
}

/* The recorded annotations, read from `path` (state_annotations).  */
static struct json_node *
recorded_annotations (const char *path, bool crun, ocg_error_t *err)
{
  cleanup_json struct json_node *state = read_state (path, err);
  const struct json_node *ann;

  if (state == NULL)
    return NULL;
  if (!crun)
    return labels_to_annotations (json_obj_get (json_obj_get (state, "config"), "labels"));
  /* A config without annotations has none to match: not a failure.  */
  ann = json_obj_get (state, "annotations");
  return ann != NULL && ann->type == JSON_OBJECT ? json_clone (ann) : json_new_object ();
}

/* exec and update documents carry no annotations: use the ones the runtime recorded when it
 * created the container from the config.json ocigate judged (runc: <root>/<id>/state.json,
 * crun: its copy <root>/<id>/config.json).  Anything missing or not root's: none, so an
 * annotation condition cannot match (stricter, never looser), and *err says why.  */
struct json_node *
state_annotations (const struct runc_invocation *inv, const struct runtime *rt, ocg_error_t *err)
{
  bool crun = rt != NULL && rt->flavor == RUNTIME_CRUN;
  cleanup_free char *path = NULL;

  if (rt == NULL)
    return ocg_error_set (err, 0, "no runtime"), NULL;
  if (!state_valid_id (inv->container_id))
    return ocg_error_set (err, 0, "container id `%s` cannot name a state directory",
                          inv->container_id ? inv->container_id : ""),
           NULL;
  /* Without --root a rootless runtime keeps its state under $XDG_RUNTIME_DIR: not root's.  */
  if (inv->root == NULL && geteuid () != 0)
    return ocg_error_set (err, 0, "a rootless runtime's state without --root is not root's"), NULL;
  path = xasprintf ("%s/%s/%s", state_root (inv, rt), inv->container_id,
                    crun ? "config.json" : "state.json");
  return recorded_annotations (path, crun, err);
}

/* The "bundle=<dir>" label runc stores in state.json (libcontainer/specconv).  */
static const char *
runc_bundle_label (const struct json_node *state)
{
  const struct json_node *labels = json_obj_get (json_obj_get (state, "config"), "labels");

  for (size_t i = 0; labels != NULL && labels->type == JSON_ARRAY && i < labels->n; i++)
    {
      const struct json_node *l = labels->items[i];
      if (l->type == JSON_STRING && str_has_prefix (l->text, "bundle="))
        return l->text + strlen ("bundle=");
    }
  return NULL;
}

/* crun keeps the bundle it was started from in <root>/<id>/status (src/libcrun/status.c).  */
static char *
crun_bundle (const char *root, const char *id)
{
  cleanup_error ocg_error_t err = NULL; /* none: the rules then have no bundle to resolve against */
  cleanup_free char *path = xasprintf ("%s/%s/status", root, id);
  cleanup_json struct json_node *status = read_state (path, &err);
  const struct json_node *bundle = json_obj_get (status, "bundle");

  return bundle != NULL && bundle->type == JSON_STRING ? xstrdup (bundle->text) : NULL;
}

/* crun's saved copy, loaded like any config.json (state_exec_config).  */
static struct spec *
crun_config (const char *root, const char *id, char **bundle, ocg_error_t *err)
{
  cleanup_free char *dir = xasprintf ("%s/%s", root, id);
  cleanup_close int dirfd = policy_file_open_trusted (AT_FDCWD, dir, dir, true, err);
  struct spec *config;

  if (dirfd < 0)
    return ocg_error_wrap (err, "crun's state of the container"), NULL;
  config = spec_load_at (dirfd, "config.json", SPEC_CONFIG, err);
  if (config != NULL)
    *bundle = crun_bundle (root, id);
  return config;
}

static struct spec *
runc_config (const char *path, char **bundle_dir, ocg_error_t *err)
{
  cleanup_error ocg_error_t why = NULL;
  cleanup_json struct json_node *state = read_state (path, &why);
  cleanup_close int dirfd = -1;
  const char *bundle;
  struct spec *config;

  if (state == NULL)
    return ocg_error_set (err, 0, "cannot read `%s` (missing, or not written by root only)", path),
           NULL;
  bundle = runc_bundle_label (state);
  if (bundle == NULL)
    return ocg_error_set (err, 0, "`%s` names no bundle", path), NULL;
  dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return ocg_error_set (err, errno, "open bundle `%s`", bundle), NULL;
  /* The same loader as create: what runc will decode is what is judged.  */
  config = spec_load_at (dirfd, "config.json", SPEC_CONFIG, err);
  if (config != NULL)
    *bundle_dir = realpath (bundle, NULL);
  return config;
}

struct spec *
state_exec_config (const struct runc_invocation *inv, const struct runtime *rt, char **bundle,
                   ocg_error_t *err)
{
  const char *root = state_root (inv, rt);
  cleanup_free char *path = NULL;

  if (!state_valid_id (inv->container_id))
    return ocg_error_set (err, 0, "container id `%s` cannot name a state directory",
                          inv->container_id ? inv->container_id : ""),
           NULL;
  if (rt->flavor == RUNTIME_CRUN)
    return crun_config (root, inv->container_id, bundle, err);
  path = xasprintf ("%s/%s/state.json", root, inv->container_id);
  return runc_config (path, bundle, err);
}
