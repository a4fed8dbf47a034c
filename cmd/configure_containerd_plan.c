/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure --engine containerd`: the plan (drop-in, import, record) and the
 * check with `containerd config dump` after applying it (see configure_containerd.c).  */
#include <config.h>

#include <sys/stat.h>

#include "configure.h"
#include "engine_containerd.h"
#include "toml.h"
#include "util.h"

static char *
dir_of (const char *path)
{
  char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');

  if (slash == dir)
    dir[1] = '\0';
  else if (slash != NULL)
    *slash = '\0';
  return dir;
}

static const char *
rec_string (const struct json_node *rec, const char *key)
{
  const struct json_node *n = json_obj_get (rec, key);

  return n != NULL && n->type == JSON_STRING ? n->text : NULL;
}

static bool
rec_true (const struct json_node *rec, const char *key)
{
  const struct json_node *n = json_obj_get (rec, key);

  return n != NULL && n->type == JSON_BOOL && n->boolean;
}

/* The handlers containerd has now, minus ocigate's: what a CRI section naming none gets.  */
static struct json_node *
implicit_handlers (const struct configure *c)
{
  const struct json_node *rts
      = toml_get (c->dump_before, "plugins", CRI_PLUGIN, "containerd", "runtimes", NULL);
  struct json_node *out;

  if (rts == NULL)
    return NULL;
  out = json_clone (rts);
  for (size_t i = 0; i < c->rts.n; i++)
    json_obj_remove (out, c->rts.names[i]);
  return out;
}

static int
dropin_text (struct configure *c, const char *main, const char *dropin, char **text,
             ocg_error_t *err)
{
  cleanup_strv char **files = NULL;
  cleanup_json struct json_node *others = containerd_load_files (main, dropin, &files, err);
  cleanup_json struct json_node *implicit = NULL;
  cleanup_json struct json_node *doc = NULL;
  cleanup_free char *header = NULL;

  if (others == NULL)
    return ocg_error_wrap (err, "read containerd's configuration");
  implicit = implicit_handlers (c);
  doc = containerd_dropin (toml_get (others, "plugins", CRI_PLUGIN, NULL), implicit, &c->rts,
                           c->set_default);
  header = xasprintf ("%s (ocigate %s).\n"
                      "containerd 1.6 replaces a plugin's whole section with the last file's: "
                      "this is the\n"
                      "complete CRI section of %s plus ocigate's handlers.\n"
                      "Edit CRI settings here, or run `ocigate runtime configure` again after "
                      "editing them there.",
                      CONFIGURE_MARK, PACKAGE_VERSION, main);
  *text = toml_write (doc, header);
  return 0;
}

/* config.toml as configure creates it when there is none.  */
static char *
created_main (const char *dropin)
{
  cleanup_free char *q = toml_quote (dropin);

  return xasprintf ("# %s: containerd reads ocigate's drop-in.\nversion = 2\nimports = [%s]\n",
                    CONFIGURE_MARK, q);
}

static int
plan_main (struct configure *c, const char *main, const char *dropin, ocg_error_t *err)
{
  cleanup_free char *old = NULL, *text = NULL, *backup = xasprintf ("%s.ocigate.bak", main);
  cleanup_free char *dir = dir_of (main);
  cleanup_json struct json_node *tree = NULL;
  size_t len = 0, out_len = 0;
  bool exists = false, line_added = false;
  struct stat st;

  old = changeset_read (main, &len, &exists, err);
  if (old == NULL && exists)
    return -1;
  if (!exists)
    {
      text = created_main (dropin);
      if (stat (dir, &st) < 0)
        changeset_mkdir (&c->cs, dir, "created containerd's configuration directory");
      changeset_write (&c->cs, main, text, strlen (text), 0644,
                       "created config.toml importing the drop-in");
      json_obj_set (c->record, "created_main", json_new_bool (true));
      return 0;
    }
  if ((tree = toml_parse (old, len, main, NULL, err)) == NULL)
    return ocg_error_wrap (err, "nothing was changed");
  if (containerd_version (tree) < 2)
    return ocg_error_set (
        err, 0,
        "%s has no `version = 2`: a version-2 drop-in would change how containerd "
        "reads it; migrate it to version 2 first (nothing was changed)",
        main);
  if (containerd_import_add (old, len, dropin, &text, &out_len, &line_added, err) < 0)
    return -1;
  if (text == NULL)
    return 0;
  changeset_backup (&c->cs, backup, old, len);
  changeset_write (&c->cs, main, text, out_len, 0644, "added the drop-in to config.toml's imports");
  json_obj_set (c->record, "import_added", json_new_bool (true));
  json_obj_set (c->record, "import_line_added", json_new_bool (line_added));
  return 0;
}

static int
plan_configure (struct configure *c, const char *main, const char *dropin, ocg_error_t *err)
{
  cleanup_free char *text = NULL;
  cleanup_free char *ddir = dir_of (dropin);
  struct stat st;

  if (dropin_text (c, main, dropin, &text, err) < 0 || plan_main (c, main, dropin, err) < 0)
    return -1;
  if (stat (ddir, &st) < 0)
    {
      changeset_mkdir (&c->cs, ddir, "created the drop-in directory");
      json_obj_set (c->record, "created_dropin_dir", json_new_bool (true));
    }
  changeset_write (&c->cs, dropin, text, strlen (text), 0644,
                   c->set_default ? "wrote the drop-in: ocigate's handlers, ocigate the default"
                                  : "wrote the drop-in: ocigate's handlers");
  return 0;
}

/* Only a file ocigate wrote is removed.  */
static int
plan_remove_dropin (struct configure *c, const char *dropin, ocg_error_t *err)
{
  cleanup_free char *text = NULL;
  size_t len = 0;
  bool exists = false;

  text = changeset_read (dropin, &len, &exists, err);
  if (text == NULL && exists)
    return -1;
  if (!exists)
    return 0;
  if (strstr (text, CONFIGURE_MARK) == NULL)
    return ocg_error_set (err, 0, "%s was not written by ocigate; not removing it", dropin);
  changeset_remove (&c->cs, dropin, "removed the drop-in");
  return 0;
}

static int
plan_unconfigure (struct configure *c, const char *main, const char *dropin, ocg_error_t *err)
{
  cleanup_free char *old = NULL, *text = NULL, *backup = xasprintf ("%s.ocigate.bak", main);
  cleanup_free char *created = created_main (dropin);
  size_t len = 0, out_len = 0;
  bool exists = false;

  if (plan_remove_dropin (c, dropin, err) < 0)
    return -1;
  old = changeset_read (main, &len, &exists, err);
  if (old == NULL && exists)
    return -1;
  if (exists && rec_true (c->record, "created_main") && str_eq (old, created))
    changeset_remove (&c->cs, main, "removed config.toml, which configure had created");
  else if (exists)
    {
      if (containerd_import_remove (old, len, dropin, rec_true (c->record, "import_line_added"),
                                    &text, &out_len, err)
          < 0)
        return -1;
      if (text != NULL)
        {
          changeset_backup (&c->cs, backup, old, len);
          changeset_write (&c->cs, main, text, out_len, 0644,
                           "removed the drop-in from config.toml's imports");
        }
    }
  if (rec_true (c->record, "created_dropin_dir"))
    {
      cleanup_free char *ddir = dir_of (dropin);
      changeset_rmdir (&c->cs, ddir, "removed the drop-in directory (when empty)");
    }
  return 0;
}

int
configure_containerd_plan (struct configure *c, ocg_error_t *err)
{
  struct containerd_view *v = &c->containerd;
  cleanup_free char *dir = NULL;
  cleanup_free char *dropin = NULL;
  const char *recorded;

  containerd_view_load (c->socket, c->config, v);
  c->daemon_pid = v->proc.pid;
  if (v->config_path[0] != '/')
    return ocg_error_set (err, 0, "`%s` is not an absolute path", v->config_path);
  dir = dir_of (v->config_path);
  recorded = rec_string (c->record, "dropin");
  dropin = recorded ? xstrdup (recorded)
                    : xasprintf ("%s/conf.d/%s", dir, CONFIGURE_DROPIN_CONTAINERD);
  c->dump_before = v->dump ? json_clone (v->dump) : NULL;
  json_obj_set (c->record, "config", json_new_string (v->config_path));
  json_obj_set (c->record, "dropin", json_new_string (dropin));
  if (c->unconfigure)
    return plan_unconfigure (c, v->config_path, dropin, err);
  return plan_configure (c, v->config_path, dropin, err);
}

/* The first place two trees differ, as a dotted path (malloc'd), or NULL when equal.  */
static char *
first_difference (const struct json_node *a, const struct json_node *b, const char *at)
{
  if (a == NULL || b == NULL || a->type != JSON_OBJECT || b->type != JSON_OBJECT)
    return json_equal (a, b) ? NULL : xstrdup (at[0] ? at : "(top)");
  for (int pass = 0; pass < 2; pass++)
    {
      const struct json_node *x = pass ? b : a, *y = pass ? a : b;
      for (size_t i = 0; i < x->n; i++)
        {
          cleanup_free char *sub = xasprintf ("%s%s%s", at, at[0] ? "." : "", x->keys[i]);
          char *d = first_difference (x->items[i], json_obj_get (y, x->keys[i]), sub);
          if (d != NULL)
            return d;
        }
    }
  return NULL;
}

/* What ocigate may change in a dump: the list of files read, its handlers (ocigate and
 * ocigate-<profile>, of this run or an earlier one), the default handler.  */
static void
strip (struct json_node *dump, bool default_too)
{
  struct json_node *ctd = toml_get (dump, "plugins", CRI_PLUGIN, "containerd", NULL);
  struct json_node *rts = toml_get (ctd, "runtimes", NULL);

  json_obj_remove (dump, "imports");
  for (size_t i = rts ? rts->n : 0; i-- > 0;)
    if (str_eq (rts->keys[i], "ocigate") || str_has_prefix (rts->keys[i], "ocigate-"))
      {
        cleanup_free char *key = xstrdup (rts->keys[i]);
        json_obj_remove (rts, key);
      }
  if (default_too)
    json_obj_remove (ctd, "default_runtime_name");
}

static bool
ours (const struct json_node *dump)
{
  const struct json_node *ctd = toml_get (dump, "plugins", CRI_PLUGIN, "containerd", NULL);
  const struct json_node *def = json_obj_get (ctd, "default_runtime_name");

  return def != NULL && def->type == JSON_STRING
         && (str_eq (def->text, "ocigate") || str_has_prefix (def->text, "ocigate-"));
}

static int
handlers_present (struct configure *c, const struct json_node *after, ocg_error_t *err)
{
  const struct json_node *rts
      = toml_get (after, "plugins", CRI_PLUGIN, "containerd", "runtimes", NULL);

  if (toml_get (after, "plugins", CRI_PLUGIN, NULL) == NULL)
    return 0;
  for (size_t i = 0; i < c->rts.n; i++)
    {
      const struct json_node *opts = toml_get (rts, c->rts.names[i], "options", NULL);
      const struct json_node *b = json_obj_get (opts, "BinaryName");

      if (b == NULL || b->type != JSON_STRING || !str_eq (b->text, c->rts.paths[i]))
        return ocg_error_set (err, 0,
                              "`containerd config dump` does not show handler `%s` with "
                              "BinaryName %s: containerd does not read the drop-in",
                              c->rts.names[i], c->rts.paths[i]);
    }
  return 0;
}

int
configure_containerd_verify (struct configure *c, ocg_error_t *err)
{
  struct containerd_view *v = &c->containerd;
  cleanup_json struct json_node *after = NULL;
  cleanup_json struct json_node *a = NULL;
  cleanup_free char *diff = NULL;
  bool default_too;

  if (v->installed == NULL || c->dump_before == NULL)
    {
      configure_note (c, "containerd is not installed here: the result was not checked with "
                         "`containerd config dump`");
      return 0;
    }
  after = containerd_dump (v->installed, v->config_path, err);
  if (after == NULL)
    return ocg_error_wrap (err, "containerd cannot read the new configuration");
  if (c->unconfigure)
    return 0;
  if (handlers_present (c, after, err) < 0)
    return -1;
  default_too = c->set_default || ours (c->dump_before);
  a = json_clone (c->dump_before);
  strip (a, default_too);
  strip (after, default_too);
  diff = first_difference (a, after, "");
  if (diff != NULL)
    return ocg_error_set (err, 0,
                          "`containerd config dump` changed beyond ocigate's handlers, at "
                          "%s",
                          diff);
  configure_note (c,
                  "checked with `%s config dump`: containerd reads ocigate's handlers and "
                  "everything else as before",
                  v->installed);
  return 0;
}
