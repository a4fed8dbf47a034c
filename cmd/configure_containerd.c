/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure --engine containerd`: a drop-in that config.toml's `imports` reads.
 *
 * containerd 1.6 replaces a plugin's whole section with the last file's (engine_containerd.h),
 * and a `runtimes` table replaces the built-in handlers (checked with `containerd config dump`:
 * a file naming only one handler loses `runc`).  So the drop-in carries the complete CRI section
 * the other files give -- their settings, their handlers or containerd's default ones -- plus
 * ocigate's handlers, each shaped like the default handler (its options, SystemdCgroup
 * included) with options.BinaryName set, as contrib/containerd/config.toml shows.  After writing,
 * `containerd config dump` must show exactly the configuration it showed before plus those
 * handlers; otherwise everything is undone.  A config.toml without `version = 2` is refused:
 * adding a version-2 drop-in would change how containerd reads it.  */
#include <config.h>

#include <sys/stat.h>

#include "configure.h"
#include "engine_containerd.h"
#include "toml.h"
#include "util.h"

static struct json_node *
obj_in (struct json_node *parent, const char *key)
{
  struct json_node *o = json_obj_get (parent, key);

  if (o == NULL || o->type != JSON_OBJECT)
    json_obj_set (parent, key, o = json_new_object ());
  return o;
}

static bool
runc_type (const struct json_node *h)
{
  const struct json_node *t = json_obj_get (h, "runtime_type");

  return t != NULL && t->type == JSON_STRING
         && (str_eq (t->text, "io.containerd.runc.v2")
             || str_eq (t->text, "io.containerd.runc.v1"));
}

/* The handler ocigate's are shaped like: the default one, else `runc`, when it runs the runc
 * shim.  */
static struct json_node *
template_handler (const struct json_node *ctd, const struct json_node *runtimes)
{
  const struct json_node *def = json_obj_get (ctd, "default_runtime_name");
  const struct json_node *h = NULL;

  if (def != NULL && def->type == JSON_STRING)
    h = json_obj_get (runtimes, def->text);
  if (h == NULL || !runc_type (h))
    h = json_obj_get (runtimes, "runc");
  return h != NULL && runc_type (h) ? json_clone (h) : NULL;
}

static struct json_node *
new_handler (const struct json_node *template, const char *path)
{
  struct json_node *h = template ? json_clone (template) : json_new_object ();

  if (!runc_type (h))
    json_obj_set (h, "runtime_type", json_new_string ("io.containerd.runc.v2"));
  json_obj_set (obj_in (h, "options"), "BinaryName", json_new_string (path));
  return h;
}

struct json_node *
containerd_dropin (const struct json_node *base, const struct json_node *implicit,
                   const struct configure_runtimes *rts, bool set_default)
{
  struct json_node *doc = json_new_object ();
  struct json_node *version = json_new_int (2);
  struct json_node *cri = base ? json_clone (base) : json_new_object ();
  struct json_node *ctd = obj_in (cri, "containerd");
  struct json_node *runtimes = json_obj_get (ctd, "runtimes");
  cleanup_json struct json_node *template = NULL;

  if (runtimes == NULL || runtimes->type != JSON_OBJECT || runtimes->n == 0)
    {
      runtimes = implicit ? json_clone (implicit) : json_new_object ();
      if (runtimes->n == 0)
        json_obj_set (obj_in (runtimes, "runc"), "runtime_type",
                      json_new_string ("io.containerd.runc.v2"));
      json_obj_set (ctd, "runtimes", runtimes);
    }
  template = template_handler (ctd, runtimes);
  for (size_t i = 0; i < rts->n; i++)
    json_obj_set (runtimes, rts->names[i], new_handler (template, rts->paths[i]));
  if (set_default)
    json_obj_set (ctd, "default_runtime_name", json_new_string (rts->names[0]));
  json_obj_set (doc, "version", version);
  json_obj_set (obj_in (doc, "plugins"), CRI_PLUGIN, cri);
  return doc;
}

static char *
splice (const char *text, size_t len, size_t at, size_t cut, const char *insert, size_t *out_len)
{
  size_t ins = strlen (insert);
  char *out = xmalloc (len - cut + ins + 1);

  memcpy (out, text, at);
  memcpy (out + at, insert, ins);
  memcpy (out + at + ins, text + at + cut, len - at - cut);
  *out_len = len - cut + ins;
  out[*out_len] = '\0';
  return out;
}

/* The index of `import` in the parsed `imports`, or -1.  */
static long
import_index (const struct json_node *tree, const char *import)
{
  const struct json_node *arr = json_obj_get (tree, "imports");

  for (size_t i = 0; arr != NULL && arr->type == JSON_ARRAY && i < arr->n; i++)
    if (arr->items[i]->type == JSON_STRING && str_eq (arr->items[i]->text, import))
      return (long)i;
  return -1;
}

int
containerd_import_add (const char *text, size_t len, const char *import, char **out,
                       size_t *out_len, bool *line_added, ocg_error_t *err)
{
  struct toml_top top;
  cleanup_json struct json_node *tree = toml_parse (text, len, "config.toml", &top, err);
  cleanup_free char *q = toml_quote (import);
  cleanup_free char *ins = NULL;
  size_t at;

  *out = NULL;
  *line_added = false;
  if (tree == NULL)
    return -1;
  if (import_index (tree, import) < 0 && top.has_imports)
    {
      at = top.n_elems ? top.elems[top.n_elems - 1].end : top.imports_open + 1;
      ins = xasprintf ("%s%s", top.n_elems ? ", " : "", q);
      *out = splice (text, len, at, 0, ins, out_len);
    }
  else if (import_index (tree, import) < 0)
    {
      at = top.first_header;
      ins = xasprintf ("%simports = [%s]\n", at == len && len && text[len - 1] != '\n' ? "\n" : "",
                       q);
      *out = splice (text, len, at, 0, ins, out_len);
      *line_added = true;
    }
  toml_top_release (&top);
  return 0;
}

int
containerd_import_remove (const char *text, size_t len, const char *import, bool drop_line,
                          char **out, size_t *out_len, ocg_error_t *err)
{
  struct toml_top top;
  cleanup_json struct json_node *tree = toml_parse (text, len, "config.toml", &top, err);
  long i;
  size_t from, to;

  *out = NULL;
  if (tree == NULL)
    return -1;
  i = import_index (tree, import);
  if (i >= 0 && top.n_elems == (size_t)json_obj_get (tree, "imports")->n)
    {
      if (top.n_elems == 1 && drop_line)
        from = top.imports_line.start, to = top.imports_line.end;
      else if (top.n_elems == 1)
        from = top.elems[0].start, to = top.elems[0].end;
      else if (i > 0)
        from = top.elems[i - 1].end, to = top.elems[i].end;
      else
        from = top.elems[0].start, to = top.elems[1].start;
      *out = splice (text, len, from, to - from, "", out_len);
    }
  toml_top_release (&top);
  return 0;
}
