/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure --engine docker`: runtimes and default-runtime in daemon.json.
 *
 * daemon.json is plain JSON to dockerd 20.10 (moby daemon/config/config.go
 * getConflictFreeConfiguration: encoding/json), so a file with comments is one dockerd itself
 * refuses: it is refused here too, with nothing changed.  Everything else is kept: every key, its
 * place and its value (numbers as written); the formatting becomes two-space JSON.  dockerd
 * refuses a key that is set both in the file and as a flag (findConfigurationConflicts), so a
 * daemon started with --add-runtime or --default-runtime cannot be configured through the file.
 * runtimeArgs is never written: dockerd then wraps the runtime in a /bin/sh script that does not
 * exec (daemon/runtime_unix.go initRuntimes), and a kill from containerd orphans the runtime.  */
#include <config.h>

#include <sys/stat.h>

#include "binid.h"
#include "configure.h"
#include "util.h"

static struct json_node *
rec_obj (struct json_node *rec, const char *key)
{
  struct json_node *o = json_obj_get (rec, key);

  if (o == NULL || o->type != JSON_OBJECT)
    json_obj_set (rec, key, o = json_new_object ());
  return o;
}

static struct json_node *
clone_or_null (const struct json_node *n)
{
  return n ? json_clone (n) : json_new_null ();
}

int
docker_config_apply (struct json_node *root, const struct configure_runtimes *rts, bool set_default,
                     struct json_node *rec, ocg_error_t *err)
{
  struct json_node *runtimes = json_obj_get (root, "runtimes");
  struct json_node *rec_rts, *def;

  if (runtimes != NULL && runtimes->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "`runtimes` in daemon.json is not an object");
  if (json_obj_get (rec, "had_runtimes") == NULL)
    json_obj_set (rec, "had_runtimes", json_new_bool (runtimes != NULL));
  if (runtimes == NULL)
    json_obj_set (root, "runtimes", runtimes = json_new_object ());
  rec_rts = rec_obj (rec, "runtimes");
  for (size_t i = 0; i < rts->n; i++)
    {
      struct json_node *entry = json_obj_get (rec_rts, rts->names[i]);
      struct json_node *value = json_new_object ();

      if (entry == NULL)
        {
          json_obj_set (rec_rts, rts->names[i], entry = json_new_object ());
          json_obj_set (entry, "previous", clone_or_null (json_obj_get (runtimes, rts->names[i])));
        }
      json_obj_set (entry, "path", json_new_string (rts->paths[i]));
      json_obj_set (value, "path", json_new_string (rts->paths[i]));
      json_obj_set (runtimes, rts->names[i], value);
    }
  if (!set_default)
    return 0;
  def = rec_obj (rec, "default_runtime");
  if (json_obj_get (def, "previous") == NULL)
    json_obj_set (def, "previous", clone_or_null (json_obj_get (root, "default-runtime")));
  json_obj_set (def, "set", json_new_string (rts->names[0]));
  json_obj_set (root, "default-runtime", json_new_string (rts->names[0]));
  return 0;
}

static const char *
string_of (const struct json_node *n)
{
  return n != NULL && n->type == JSON_STRING ? n->text : NULL;
}

/* Put back `previous` (a JSON null: remove the key).  */
static void
restore (struct json_node *obj, const char *key, const struct json_node *previous)
{
  if (previous == NULL || previous->type == JSON_NULL)
    json_obj_remove (obj, key);
  else
    json_obj_set (obj, key, json_clone (previous));
}

void
docker_config_revert (struct json_node *root, const struct json_node *rec)
{
  struct json_node *runtimes = json_obj_get (root, "runtimes");
  const struct json_node *rec_rts = json_obj_get (rec, "runtimes");
  const struct json_node *def = json_obj_get (rec, "default_runtime");
  const struct json_node *had = json_obj_get (rec, "had_runtimes");

  for (size_t i = 0; rec_rts != NULL && i < rec_rts->n && runtimes != NULL; i++)
    {
      const char *wrote = string_of (json_obj_get (rec_rts->items[i], "path"));
      const struct json_node *cur = json_obj_get (runtimes, rec_rts->keys[i]);

      if (cur != NULL && str_eq (string_of (json_obj_get (cur, "path")), wrote))
        restore (runtimes, rec_rts->keys[i], json_obj_get (rec_rts->items[i], "previous"));
    }
  if (def != NULL
      && str_eq (string_of (json_obj_get (root, "default-runtime")),
                 string_of (json_obj_get (def, "set"))))
    restore (root, "default-runtime", json_obj_get (def, "previous"));
  if (runtimes != NULL && runtimes->type == JSON_OBJECT && runtimes->n == 0 && had != NULL
      && had->type == JSON_BOOL && !had->boolean)
    json_obj_remove (root, "runtimes");
}

char *
docker_config_text (const struct json_node *root, size_t *len, ocg_error_t *err)
{
  cleanup_free char *body = json_serialize (root, len, err);
  char *text;

  if (body == NULL)
    return NULL;
  if (*len > 0 && body[*len - 1] == '\n')
    return steal_pointer (&body);
  text = xasprintf ("%s\n", body);
  *len += 1;
  return text;
}

/* dockerd refuses a key set both as a flag and in the file.  */
static int
flag_conflicts (const struct configure *c, ocg_error_t *err)
{
  const struct docker_view *v = &c->docker;
  cleanup_free const char **added = NULL;

  if (v->dockerd.pid == 0)
    return 0;
  added = hostproc_flag_all (v->dockerd.argv, "add-runtime", 0);
  if (added[0] != NULL)
    return ocg_error_set (err, 0,
                          "dockerd (pid %d) is started with --add-runtime, and refuses `runtimes` "
                          "in daemon.json as well: register ocigate with --add-runtime instead",
                          (int)v->dockerd.pid);
  if (c->set_default && hostproc_flag (v->dockerd.argv, "default-runtime", 0, false) != NULL)
    return ocg_error_set (err, 0,
                          "dockerd (pid %d) is started with --default-runtime, and refuses "
                          "`default-runtime` in daemon.json as well: change the flag instead",
                          (int)v->dockerd.pid);
  return 0;
}

/* Without a record (it was lost): take back what is recognisably ocigate's -- runtimes named
 * ocigate* whose path is this ocigate, and default-runtime naming one of them.  */
static struct json_node *
record_from_identity (const struct json_node *root)
{
  const struct json_node *runtimes = json_obj_get (root, "runtimes");
  struct json_node *rec = json_new_object (), *rts = rec_obj (rec, "runtimes");

  for (size_t i = 0; runtimes != NULL && runtimes->type == JSON_OBJECT && i < runtimes->n; i++)
    {
      const char *path = string_of (json_obj_get (runtimes->items[i], "path"));
      struct binid id;
      struct json_node *e;

      if (!str_has_prefix (runtimes->keys[i], "ocigate") || path == NULL)
        continue;
      binid_classify_path (path, &id);
      if (id.kind == BINID_SELF)
        {
          json_obj_set (rts, runtimes->keys[i], e = json_new_object ());
          json_obj_set (e, "previous", json_new_null ());
          json_obj_set (e, "path", json_new_string (path));
          if (str_eq (string_of (json_obj_get (root, "default-runtime")), runtimes->keys[i]))
            json_obj_set (rec_obj (rec, "default_runtime"), "set",
                          json_new_string (runtimes->keys[i]));
        }
      binid_release (&id);
    }
  return rec;
}

static bool
created_by_configure (const struct configure *c)
{
  const struct json_node *n = json_obj_get (c->record, "created_config");

  return n != NULL && n->type == JSON_BOOL && n->boolean;
}

static void
plan_write (struct configure *c, const struct json_node *root, const char *old, size_t old_len,
            bool exists, const char *what, ocg_error_t *err, int *r)
{
  const char *path = c->docker.config_path;
  cleanup_free char *text = NULL;
  cleanup_free char *backup = xasprintf ("%s.ocigate.bak", path);
  cleanup_free char *dir = xstrdup (path);
  size_t len = 0;
  struct stat st;

  *r = -1;
  text = docker_config_text (root, &len, err);
  if (text == NULL)
    return;
  *r = 0;
  if (exists && len == old_len && memcmp (text, old, len) == 0)
    return;
  if (c->unconfigure && exists && root->n == 0 && created_by_configure (c))
    {
      changeset_remove (&c->cs, path, "removed daemon.json, which configure had created");
      return;
    }
  *strrchr (dir, '/') = '\0';
  if (!exists && dir[0] != '\0' && stat (dir, &st) < 0)
    changeset_mkdir (&c->cs, dir, "created the directory of daemon.json");
  if (exists)
    changeset_backup (&c->cs, backup, old, old_len);
  changeset_write (&c->cs, path, text, len, 0644, what);
}

/* The edit itself; *what says what it did.  */
static int
edit (struct configure *c, struct json_node *root, char **what, ocg_error_t *err)
{
  struct json_node *rec = configure_record_obj (c, "docker");
  const char *path = c->docker.config_path;

  if (c->unconfigure)
    {
      if (json_obj_get (rec, "runtimes") == NULL)
        json_obj_set (c->record, "docker", rec = record_from_identity (root));
      docker_config_revert (root, rec);
      *what = xasprintf ("removed ocigate's runtimes from %s", path);
      return 0;
    }
  if (flag_conflicts (c, err) < 0
      || docker_config_apply (root, &c->rts, c->set_default, rec, err) < 0)
    return -1;
  *what = xasprintf ("registered %zu runtime%s in %s%s", c->rts.n, c->rts.n == 1 ? "" : "s", path,
                     c->set_default ? ", default-runtime ocigate" : "");
  return 0;
}

int
configure_docker_plan (struct configure *c, ocg_error_t *err)
{
  struct docker_view *v = &c->docker;
  cleanup_json struct json_node *root = NULL;
  cleanup_free char *old = NULL;
  cleanup_free char *what = NULL;
  size_t old_len = 0;
  bool exists = false;
  int r;

  docker_view_load (c->socket, c->config, v);
  c->daemon_pid = v->dockerd.pid;
  if (v->config_path[0] != '/')
    return ocg_error_set (err, 0, "`%s` is not an absolute path", v->config_path);
  old = changeset_read (v->config_path, &old_len, &exists, err);
  if (old == NULL && exists)
    return ocg_error_wrap (err, "read daemon.json");
  root = exists ? docker_config_parse (old, old_len, v->config_path, err) : json_new_object ();
  if (root == NULL)
    return ocg_error_wrap (err, "daemon.json is not plain JSON, which dockerd 20.10 cannot read "
                                "either");
  if (edit (c, root, &what, err) < 0)
    return -1;
  if (json_obj_get (c->record, "config") == NULL)
    {
      json_obj_set (c->record, "config", json_new_string (v->config_path));
      json_obj_set (c->record, "created_config", json_new_bool (!exists));
    }
  plan_write (c, root, old, old_len, exists, what, err, &r);
  return r;
}
