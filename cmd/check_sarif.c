/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) output of judged documents: one run; every rule
 * of the table a reportingDescriptor (its title, CIS and PSS ids, hint as help); a result per
 * finding, at the config file's line and column of the finding's JSON Pointer; a document that
 * could not be judged an error notification of the invocation.  The shape GitHub's and GitLab's
 * code scanning read: ruleId, level, message.text, physicalLocation with a relative uri and a
 * region.  */
#include <config.h>

#include <errno.h>

#include <yajl/yajl_gen.h>

#include "check_sarif.h"
#include "doctor_report.h"
#include "util.h"

/* yajl keeps no error state after a value it refuses (text that is not UTF-8): the first failure
 * is kept, and the log is refused whole.  */
struct out
{
  yajl_gen g;
  yajl_gen_status st;
};

static void
keep (struct out *o, yajl_gen_status st)
{
  if (o->st == yajl_gen_status_ok)
    o->st = st;
}

static void
gs (struct out *o, const char *s)
{
  if (s == NULL)
    keep (o, yajl_gen_null (o->g));
  else
    keep (o, yajl_gen_string (o->g, (const unsigned char *)s, strlen (s)));
}

static void
kv (struct out *o, const char *k, const char *v)
{
  gs (o, k);
  gs (o, v);
}

static void
kn (struct out *o, const char *k, long long v)
{
  gs (o, k);
  keep (o, yajl_gen_integer (o->g, v));
}

static void
open_map (struct out *o, const char *key)
{
  if (key != NULL)
    gs (o, key);
  keep (o, yajl_gen_map_open (o->g));
}

static void
close_map (struct out *o)
{
  keep (o, yajl_gen_map_close (o->g));
}

static void
open_array (struct out *o, const char *key)
{
  gs (o, key);
  keep (o, yajl_gen_array_open (o->g));
}

static void
close_array (struct out *o)
{
  keep (o, yajl_gen_array_close (o->g));
}

static void
text_obj (struct out *o, const char *key, const char *text)
{
  open_map (o, key);
  kv (o, "text", text);
  close_map (o);
}

char *
check_sarif_uri (const char *file)
{
  cleanup_free char *uri = doctor_file_uri (file);

  /* doctor_file_uri encodes a path after "file://"; a relative one stays a relative reference. */
  return file[0] == '/' ? xstrdup (uri) : xstrdup (uri + strlen ("file://"));
}

static void
sarif_rule (struct out *o, const struct rule *r)
{
  cleanup_free char *cis = r->cis ? xasprintf ("CIS Docker Benchmark v1.6.0 %s", r->cis) : NULL;
  cleanup_free char *pss = r->pss ? xasprintf ("Pod Security Standards %s", r->pss) : NULL;
  cleanup_free char *full = xasprintf ("%s%s%s%s%s", r->title, cis ? "; " : "", cis ? cis : "",
                                       pss ? "; " : "", pss ? pss : "");

  open_map (o, NULL);
  kv (o, "id", r->id);
  kv (o, "name", r->id);
  text_obj (o, "shortDescription", r->title);
  text_obj (o, "fullDescription", full);
  text_obj (o, "help", r->hint ? r->hint : r->title);
  open_map (o, "properties");
  kv (o, "cis", r->cis);
  kv (o, "pss", r->pss);
  open_array (o, "tags");
  gs (o, "security");
  if (r->cis)
    gs (o, "cis-docker-1.6.0");
  if (r->pss)
    gs (o, "pod-security-standards");
  close_array (o);
  close_map (o);
  close_map (o);
}

static void
sarif_location (struct out *o, const struct check_item *it, const char *ptr)
{
  size_t line = 0, column = 0;

  check_report_position (it->original, ptr, &line, &column);
  open_array (o, "locations");
  open_map (o, NULL);
  if (it->file != NULL)
    {
      cleanup_free char *uri = check_sarif_uri (it->file);
      open_map (o, "physicalLocation");
      open_map (o, "artifactLocation");
      kv (o, "uri", uri);
      close_map (o);
      if (line > 0)
        {
          open_map (o, "region");
          kn (o, "startLine", (long long)line);
          kn (o, "startColumn", (long long)column);
          close_map (o);
        }
      close_map (o);
    }
  open_array (o, "logicalLocations");
  open_map (o, NULL);
  kv (o, "fullyQualifiedName", ptr[0] != '\0' ? ptr : "/");
  kv (o, "kind", "member");
  close_map (o);
  close_array (o);
  close_map (o);
  close_array (o);
}

/* What each group means on the node, and the level code scanning shows it at.  */
struct group
{
  const char *decision;
  const char *level;
  const char *lead;
};

static const struct group groups[] = {
  { "denied", "error", "denied" },
  { "rewritten", "warning", "rewritten on create" },
  { "warned", "warning", "warning" },
  { "note", "note", "note" },
};

static void
sarif_result (struct out *o, const struct check_item *it, const struct group *g,
              const struct finding *f)
{
  size_t index = 0;
  const struct rule *r = f->rule != NULL ? rules_find (f->rule->id, &index) : NULL;
  cleanup_free char *text
      = r != NULL && r->hint != NULL && !f->note
            ? xasprintf ("%s: %s: %s (fix: %s)", it->display, g->lead, f->message, r->hint)
            : xasprintf ("%s: %s: %s", it->display, g->lead, f->message);

  open_map (o, NULL);
  kv (o, "ruleId", r != NULL ? r->id : "ocigate");
  if (r != NULL)
    kn (o, "ruleIndex", (long long)index);
  kv (o, "level", g->level);
  text_obj (o, "message", text);
  sarif_location (o, it, f->path);
  open_map (o, "properties");
  kv (o, "decision", g->decision);
  kv (o, "pointer", f->path);
  kv (o, "document", it->display);
  kv (o, "profile", it->policy->name);
  kv (o, "mode", policy_mode_names[it->policy->mode]);
  kv (o, "cis", r ? r->cis : NULL);
  kv (o, "pss", r ? r->pss : NULL);
  close_map (o);
  close_map (o);
}

static void
sarif_item_results (struct out *o, const struct check_item *it)
{
  const struct findings *lists[] = { &it->decision->denied, &it->decision->fixed,
                                     &it->decision->warned, &it->decision->noted };

  for (size_t g = 0; g < ARRAY_SIZE (lists); g++)
    for (size_t i = 0; i < lists[g]->n; i++)
      sarif_result (o, it, &groups[g], &lists[g]->items[i]);
}

static void
sarif_driver (struct out *o, const struct check_report_options *opts)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  open_map (o, "tool");
  open_map (o, "driver");
  kv (o, "name", opts->tool);
  kv (o, "version", PACKAGE_VERSION);
  open_array (o, "rules");
  for (size_t i = 0; i < n; i++)
    sarif_rule (o, table[i]);
  close_array (o);
  close_map (o);
  close_map (o);
}

/* One invocation: successful unless a document could not be judged, each such one an error
 * notification naming it.  */
static void
sarif_invocation (struct out *o, const struct check_item *items, size_t n)
{
  bool ok = true;

  for (size_t i = 0; i < n; i++)
    ok = ok && items[i].error == NULL;
  open_array (o, "invocations");
  open_map (o, NULL);
  gs (o, "executionSuccessful");
  keep (o, yajl_gen_bool (o->g, ok));
  open_array (o, "toolExecutionNotifications");
  for (size_t i = 0; i < n; i++)
    if (items[i].error != NULL)
      {
        cleanup_free char *text = xasprintf ("%s: %s", items[i].display, items[i].error);
        open_map (o, NULL);
        kv (o, "level", "error");
        text_obj (o, "message", text);
        close_map (o);
      }
  close_array (o);
  close_map (o);
  close_array (o);
}

static void
gen_sarif (struct out *o, const struct check_item *items, size_t n,
           const struct check_report_options *opts)
{
  open_map (o, NULL);
  kv (o, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  kv (o, "version", "2.1.0");
  open_array (o, "runs");
  open_map (o, NULL);
  sarif_driver (o, opts);
  sarif_invocation (o, items, n);
  /* Columns count characters, as the JSON parser does (json_parse.c pos_advance).  */
  kv (o, "columnKind", "unicodeCodePoints");
  open_array (o, "results");
  for (size_t i = 0; i < n; i++)
    if (items[i].decision != NULL && items[i].policy != NULL)
      sarif_item_results (o, &items[i]);
  close_array (o);
  close_map (o);
  close_array (o);
  close_map (o);
}

int
check_sarif_write (FILE *out, const struct check_item *items, size_t n,
                   const struct check_report_options *opts, ocg_error_t *err)
{
  cleanup_yajl_gen yajl_gen g = json_gen_new (true);
  struct out o = { .g = g, .st = yajl_gen_status_ok };
  const unsigned char *buf = NULL;
  size_t len = 0;

  gen_sarif (&o, items, n, opts);
  keep (&o, yajl_gen_get_buf (g, &buf, &len));
  if (o.st != yajl_gen_status_ok)
    return ocg_error_set (err, 0, "write the SARIF log: a finding holds text that is not UTF-8");
  if (fwrite (buf, 1, len, out) != len || fputc ('\n', out) == EOF || fflush (out) == EOF)
    return ocg_error_set (err, errno, "write the SARIF log");
  return 0;
}
