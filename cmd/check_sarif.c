/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) output of judged documents: one run; every rule
 * of the table a reportingDescriptor (its title, CIS and PSS ids, hint as help); a result per
 * finding, at the config file's line and column of the finding's JSON Pointer; a document that
 * could not be judged an error notification of the invocation.  The shape GitHub's and GitLab's
 * code scanning read: ruleId, level, message.text, physicalLocation with a relative uri and a
 * region.  */
#include <config.h>

#include <errno.h>

#include "check_sarif.h"
#include "doctor_report.h"
#include "jsonout.h"
#include "util.h"

char *
check_sarif_uri (const char *file)
{
  cleanup_free char *uri = doctor_file_uri (file);

  /* doctor_file_uri encodes a path after "file://"; a relative one stays a relative reference. */
  return file[0] == '/' ? xstrdup (uri) : xstrdup (uri + strlen ("file://"));
}

static void
sarif_rule (struct jsonout *o, const struct rule *r)
{
  cleanup_free char *cis = r->cis ? xasprintf ("CIS Docker Benchmark v1.6.0 %s", r->cis) : NULL;
  cleanup_free char *pss = r->pss ? xasprintf ("Pod Security Standards %s", r->pss) : NULL;
  cleanup_free char *full = xasprintf ("%s%s%s%s%s", r->title, cis ? "; " : "", cis ? cis : "",
                                       pss ? "; " : "", pss ? pss : "");

  jsonout_map_open (o, NULL);
  jsonout_kv (o, "id", r->id);
  jsonout_kv (o, "name", r->id);
  jsonout_text (o, "shortDescription", r->title);
  jsonout_text (o, "fullDescription", full);
  jsonout_text (o, "help", r->hint ? r->hint : r->title);
  jsonout_map_open (o, "properties");
  jsonout_kv (o, "cis", r->cis);
  jsonout_kv (o, "pss", r->pss);
  jsonout_array_open (o, "tags");
  jsonout_str (o, "security");
  if (r->cis)
    jsonout_str (o, "cis-docker-1.6.0");
  if (r->pss)
    jsonout_str (o, "pod-security-standards");
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_map_close (o);
}

static void
sarif_location (struct jsonout *o, const struct check_item *it, const char *ptr)
{
  size_t line = 0, column = 0;

  check_report_position (it->original, ptr, &line, &column);
  jsonout_array_open (o, "locations");
  jsonout_map_open (o, NULL);
  if (it->file != NULL)
    {
      cleanup_free char *uri = check_sarif_uri (it->file);
      jsonout_map_open (o, "physicalLocation");
      jsonout_map_open (o, "artifactLocation");
      jsonout_kv (o, "uri", uri);
      jsonout_map_close (o);
      if (line > 0)
        {
          jsonout_map_open (o, "region");
          jsonout_kn (o, "startLine", (long long)line);
          jsonout_kn (o, "startColumn", (long long)column);
          jsonout_map_close (o);
        }
      jsonout_map_close (o);
    }
  jsonout_array_open (o, "logicalLocations");
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "fullyQualifiedName", ptr[0] != '\0' ? ptr : "/");
  jsonout_kv (o, "kind", "member");
  jsonout_map_close (o);
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
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
sarif_result (struct jsonout *o, const struct check_item *it, const struct group *g,
              const struct finding *f)
{
  size_t index = 0;
  const struct rule *r = f->rule != NULL ? rules_find (f->rule->id, &index) : NULL;
  cleanup_free char *text
      = r != NULL && r->hint != NULL && !f->note
            ? xasprintf ("%s: %s: %s (fix: %s)", it->display, g->lead, f->message, r->hint)
            : xasprintf ("%s: %s: %s", it->display, g->lead, f->message);

  jsonout_map_open (o, NULL);
  jsonout_kv (o, "ruleId", r != NULL ? r->id : "ocigate");
  if (r != NULL)
    jsonout_kn (o, "ruleIndex", (long long)index);
  jsonout_kv (o, "level", g->level);
  jsonout_text (o, "message", text);
  sarif_location (o, it, f->path);
  jsonout_map_open (o, "properties");
  jsonout_kv (o, "decision", g->decision);
  jsonout_kv (o, "pointer", f->path);
  jsonout_kv (o, "document", it->display);
  jsonout_kv (o, "profile", it->policy->name);
  jsonout_kv (o, "mode", policy_mode_names[it->policy->mode]);
  jsonout_kv (o, "cis", r ? r->cis : NULL);
  jsonout_kv (o, "pss", r ? r->pss : NULL);
  jsonout_map_close (o);
  jsonout_map_close (o);
}

static void
sarif_item_results (struct jsonout *o, const struct check_item *it)
{
  const struct findings *lists[] = { &it->decision->denied, &it->decision->fixed,
                                     &it->decision->warned, &it->decision->noted };

  for (size_t g = 0; g < ARRAY_SIZE (lists); g++)
    for (size_t i = 0; i < lists[g]->n; i++)
      sarif_result (o, it, &groups[g], &lists[g]->items[i]);
}

void
check_sarif_driver (struct jsonout *o, const char *tool)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  jsonout_map_open (o, "tool");
  jsonout_map_open (o, "driver");
  jsonout_kv (o, "name", tool);
  jsonout_kv (o, "version", PACKAGE_VERSION);
  jsonout_array_open (o, "rules");
  for (size_t i = 0; i < n; i++)
    sarif_rule (o, table[i]);
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_map_close (o);
}

/* One invocation: successful unless a document could not be judged, each such one an error
 * notification naming it.  */
static void
sarif_invocation (struct jsonout *o, const struct check_item *items, size_t n)
{
  bool ok = true;

  for (size_t i = 0; i < n; i++)
    ok = ok && items[i].error == NULL;
  jsonout_array_open (o, "invocations");
  jsonout_map_open (o, NULL);
  jsonout_kb (o, "executionSuccessful", ok);
  jsonout_array_open (o, "toolExecutionNotifications");
  for (size_t i = 0; i < n; i++)
    if (items[i].error != NULL)
      {
        cleanup_free char *text = xasprintf ("%s: %s", items[i].display, items[i].error);
        jsonout_map_open (o, NULL);
        jsonout_kv (o, "level", "error");
        jsonout_text (o, "message", text);
        jsonout_map_close (o);
      }
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
}

static void
gen_sarif (struct jsonout *o, const struct check_item *items, size_t n,
           const struct check_report_options *opts)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  jsonout_kv (o, "version", "2.1.0");
  jsonout_array_open (o, "runs");
  jsonout_map_open (o, NULL);
  check_sarif_driver (o, opts->tool);
  sarif_invocation (o, items, n);
  /* Columns count characters, as the JSON parser does (json_parse.c pos_advance).  */
  jsonout_kv (o, "columnKind", "unicodeCodePoints");
  jsonout_array_open (o, "results");
  for (size_t i = 0; i < n; i++)
    if (items[i].decision != NULL && items[i].policy != NULL)
      sarif_item_results (o, &items[i]);
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
  jsonout_map_close (o);
}

int
check_sarif_write (FILE *out, const struct check_item *items, size_t n,
                   const struct check_report_options *opts, ocg_error_t *err)
{
  struct jsonout o;
  int ret;

  jsonout_init (&o, true);
  gen_sarif (&o, items, n, opts);
  ret = jsonout_write (&o, out, "the SARIF log", err);
  jsonout_release (&o);
  return ret;
}
