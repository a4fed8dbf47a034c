/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the runtime recorded about an existing container (see state.h).  */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>

#include "fsutil.h"
#include "policy_file.h"
#include "spec.h"
#include "state.h"
#include "util.h"

/* runc's rule for container ids (libcontainer validateID: letters, digits, `_+-.`, not `.` or
 * `..`): the only ids a state path is built from.  */
static bool
safe_container_id (const char *id)
{
  if (id == NULL || id[0] == '\0' || str_eq (id, ".") || str_eq (id, ".."))
    return false;
  for (const char *p = id; *p != '\0'; p++)
    if (!isalnum ((unsigned char)*p) && strchr ("_+-.", *p) == NULL)
      return false;
  return true;
}

/* A runtime state file, only when root wrote it and nobody else can have; NULL otherwise.  */
static struct json_node *
read_state (const char *path)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_close int fd = policy_file_open_trusted (AT_FDCWD, path, path, false, &err);
  cleanup_free char *buf = NULL;
  struct json_parse_opts opts = { .source = path, .max_bytes = SPEC_MAX_BYTES };
  size_t len = 0;

  if (fd < 0 || (buf = fsutil_read_fd (fd, path, SPEC_MAX_BYTES, &len, &err)) == NULL)
    return NULL;
  return json_parse (buf, len, &opts, &err);
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

/* exec and update documents carry no annotations: use the ones the runtime recorded when it
 * created the container from the config.json ocigate judged (runc: <root>/<id>/state.json,
 * crun: its copy <root>/<id>/config.json).  Anything missing or not root's: none, so an
 * annotation condition cannot match (stricter, never looser).  */
struct json_node *
state_annotations (const struct runc_invocation *inv, const struct runtime *rt)
{
  bool crun = rt != NULL && rt->flavor == RUNTIME_CRUN;
  const char *root = inv->root ? inv->root : crun ? "/run/crun" : "/run/runc";
  cleanup_free char *path = NULL;
  cleanup_json struct json_node *state = NULL;

  /* Without --root a rootless runtime keeps its state under $XDG_RUNTIME_DIR: not root's.  */
  if (rt == NULL || !safe_container_id (inv->container_id) || (inv->root == NULL && geteuid ()))
    return NULL;
  path = xasprintf ("%s/%s/%s", root, inv->container_id, crun ? "config.json" : "state.json");
  state = read_state (path);
  if (crun)
    {
      const struct json_node *ann = json_obj_get (state, "annotations");
      return ann != NULL && ann->type == JSON_OBJECT ? json_clone (ann) : NULL;
    }
  return state ? labels_to_annotations (json_obj_get (json_obj_get (state, "config"), "labels"))
               : NULL;
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

static struct json_node *
process_of (const struct json_node *config, const char *shown, ocg_error_t *err)
{
  const struct json_node *process = json_obj_get (config, "process");

  if (process == NULL || process->type != JSON_OBJECT)
    {
      ocg_error_set (err, 0, "`%s` has no process to judge", shown);
      return NULL;
    }
  return json_clone (process);
}

struct json_node *
state_exec_process (const struct runc_invocation *inv, const struct runtime *rt, ocg_error_t *err)
{
  bool crun = rt->flavor == RUNTIME_CRUN;
  const char *root = inv->root ? inv->root : crun ? "/run/crun" : "/run/runc";
  cleanup_free char *path = NULL;
  cleanup_json struct json_node *state = NULL;
  cleanup_spec struct spec *config = NULL;
  cleanup_close int dirfd = -1;
  const char *bundle;

  if (!safe_container_id (inv->container_id))
    {
      ocg_error_set (err, 0, "container id `%s` cannot name a state directory",
                     inv->container_id ? inv->container_id : "");
      return NULL;
    }
  path = xasprintf ("%s/%s/%s", root, inv->container_id, crun ? "config.json" : "state.json");
  state = read_state (path);
  if (state == NULL)
    {
      ocg_error_set (err, 0, "cannot read `%s` (missing, or not written by root only)", path);
      return NULL;
    }
  if (crun)
    return process_of (state, path, err);
  bundle = runc_bundle_label (state);
  if (bundle == NULL)
    {
      ocg_error_set (err, 0, "`%s` names no bundle", path);
      return NULL;
    }
  dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    {
      ocg_error_set (err, errno, "open bundle `%s`", bundle);
      return NULL;
    }
  /* The same loader as create: what runc will decode is what is judged.  */
  config = spec_load_at (dirfd, "config.json", SPEC_CONFIG, err);
  if (config == NULL)
    return NULL;
  return process_of (config->root, bundle, err);
}
