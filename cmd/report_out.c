/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate report` as a text table, JSON, or SARIF 2.1.0 (OASIS sarif-schema-2.1.0.json: one
 * run, every rule of the rule table as a reportingDescriptor, one result per finding, pointing
 * at the config file judged; a container that could not be judged is a tool execution
 * notification).  */
#include <config.h>

#include <errno.h>

#include "check_sarif.h"
#include "doctor_report.h"
#include "jsonout.h"
#include "report_cmd.h"
#include "util.h"
#include "workload.h"

#define REPORT_SCHEMA_VERSION 1

const char *
report_status_name (enum report_status s)
{
  static const char *const names[REPORT_N_STATUS]
      = { "allowed", "would-rewrite", "would-deny", "error" };

  return s < REPORT_N_STATUS ? names[s] : "error";
}

static const struct json_node *
annotations (const struct report_item *it)
{
  return it->spec != NULL ? spec_get_object (it->spec, "/annotations") : NULL;
}

static const char *
image (const struct report_item *it)
{
  const char *i = workload_image (annotations (it));

  return i != NULL ? i : "unknown";
}

static const char *
judged_name (int judged)
{
  return judged > 0 ? "yes" : judged == 0 ? "no" : "unknown";
}

/* ---- text ---- */

static char *
kube_text (const struct report_item *it)
{
  struct workload_kube k;

  if (!workload_kube_get (annotations (it), &k))
    return xstrdup ("-");
  return workload_name (annotations (it), it->id);
}

static void
text_findings (FILE *out, const char *kind, const struct findings *f)
{
  for (size_t i = 0; i < f->n; i++)
    fprintf (out, "    %-9s %s%s%s%s: %s%s%s\n", kind, f->items[i].rule->id,
             f->items[i].rule->cis ? " (CIS Docker 1.6.0 " : "",
             f->items[i].rule->cis ? f->items[i].rule->cis : "", f->items[i].rule->cis ? ")" : "",
             f->items[i].message, f->items[i].path[0] ? " at " : "", f->items[i].path);
}

static void
text_item_details (FILE *out, const struct report_item *it)
{
  fprintf (out, "\n%s  %s\n", it->id, report_status_name (it->status));
  fprintf (out, "    engine %s%s%s, root %s, init pid %d\n", it->engine,
           it->root->namespace_ ? ", namespace " : "",
           it->root->namespace_ ? it->root->namespace_ : "", it->root->path, (int)it->pid);
  if (it->config != NULL)
    fprintf (out, "    config %s, profile %s\n", it->config, it->profile ? it->profile : "-");
  if (it->judged > 0)
    fprintf (out, "    judged by ocigate at create: %s mode, verdict %s, %s\n",
             it->create_mode ? it->create_mode : "?", it->create_verdict ? it->create_verdict : "?",
             it->create_time ? it->create_time : "?");
  else
    fprintf (out, "    judged by ocigate at create: %s\n", judged_name (it->judged));
  for (size_t i = 0; it->exemptions != NULL && it->exemptions[i] != NULL; i++)
    fprintf (out, "    exempted by %s\n", it->exemptions[i]);
  if (it->error != NULL)
    fprintf (out, "    error: %s\n", it->error);
  text_findings (out, "denied", &it->decision.denied);
  text_findings (out, "rewritten", &it->decision.fixed);
  text_findings (out, "warned", &it->decision.warned);
}

static void
text_header (FILE *out, const struct report *r)
{
  size_t present = 0;

  for (size_t i = 0; i < r->roots.n; i++)
    present += r->roots.items[i].present ? 1 : 0;
  fprintf (out,
           "ocigate report %s: %zu running container%s, profile %s: %zu would-deny, %zu "
           "would-rewrite, %zu allowed, %zu error\n",
           PACKAGE_VERSION, r->n_items, r->n_items == 1 ? "" : "s", r->profile,
           r->counts[REPORT_WOULD_DENY], r->counts[REPORT_WOULD_REWRITE], r->counts[REPORT_ALLOWED],
           r->counts[REPORT_ERROR]);
  fprintf (out, "runtime roots: %zu scanned\naudit trail: %s%s%s\n", present,
           r->trail ? r->trail : "-", r->trail_error ? ": cannot be read: " : "",
           r->trail_error ? r->trail_error : "");
  for (size_t i = 0; i < r->roots.n; i++)
    if (r->roots.items[i].error != NULL)
      fprintf (out, "runtime root %s: %s\n", r->roots.items[i].path, r->roots.items[i].error);
}

static int
write_text (FILE *out, const struct report *r, ocg_error_t *err)
{
  text_header (out, r);
  fprintf (out, "\n%-13s  %-10s  %-12s  %-7s  %-30s  %s\n", "STATUS", "ENGINE", "CONTAINER",
           "JUDGED", "KUBERNETES", "IMAGE");
  for (size_t i = 0; i < r->n_items; i++)
    {
      const struct report_item *it = &r->items[i];
      cleanup_free char *kube = kube_text (it);

      fprintf (out, "%-13s  %-10s  %-12.12s  %-7s  %-30s  %s\n", report_status_name (it->status),
               it->engine, it->id, judged_name (it->judged), kube, image (it));
    }
  for (size_t i = 0; i < r->n_items; i++)
    text_item_details (out, &r->items[i]);
  if (fflush (out) != 0 || ferror (out))
    return ocg_error_set (err, errno, "write the report");
  return 0;
}

/* ---- JSON ---- */

static void
json_findings (struct jsonout *o, const char *kind, const struct findings *f)
{
  for (size_t i = 0; i < f->n; i++)
    {
      jsonout_map_open (o, NULL);
      jsonout_kv (o, "kind", kind);
      jsonout_kv (o, "rule", f->items[i].rule->id);
      jsonout_kv (o, "cis", f->items[i].rule->cis);
      jsonout_kv (o, "pss", f->items[i].rule->pss);
      jsonout_kv (o, "path", f->items[i].path);
      jsonout_kv (o, "message", f->items[i].message);
      jsonout_map_close (o);
    }
}

static void
json_kube (struct jsonout *o, const struct report_item *it)
{
  struct workload_kube k;

  jsonout_str (o, "kubernetes");
  if (!workload_kube_get (annotations (it), &k))
    {
      jsonout_str (o, NULL);
      return;
    }
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "namespace", k.namespace_);
  jsonout_kv (o, "pod", k.pod);
  jsonout_kv (o, "container", k.container);
  jsonout_kv (o, "type", k.type);
  jsonout_map_close (o);
}

static void
json_create (struct jsonout *o, const struct report_item *it)
{
  if (it->judged < 0)
    jsonout_kv (o, "judged_at_create", NULL);
  else
    jsonout_kb (o, "judged_at_create", it->judged > 0);
  jsonout_str (o, "create");
  if (it->judged <= 0)
    {
      jsonout_str (o, NULL);
      return;
    }
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "time", it->create_time);
  jsonout_kv (o, "mode", it->create_mode);
  jsonout_kv (o, "verdict", it->create_verdict);
  jsonout_kv (o, "profile", it->create_profile);
  jsonout_map_close (o);
}

static void
json_item (struct jsonout *o, const struct report_item *it)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "id", it->id);
  jsonout_kv (o, "status", report_status_name (it->status));
  jsonout_kv (o, "engine", it->engine);
  jsonout_kv (o, "namespace", it->root->namespace_);
  jsonout_kv (o, "root", it->root->path);
  jsonout_kn (o, "pid", (long long)it->pid);
  jsonout_kv (o, "bundle", it->bundle);
  jsonout_kv (o, "config", it->config);
  jsonout_kv (o, "profile", it->profile);
  jsonout_kv (o, "error", it->error);
  json_create (o, it);
  json_kube (o, it);
  jsonout_kv (o, "image", image (it));
  jsonout_str (o, "exemptions");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; it->exemptions != NULL && it->exemptions[i] != NULL; i++)
    jsonout_str (o, it->exemptions[i]);
  jsonout_array_close (o);
  jsonout_str (o, "findings");
  jsonout_array_open (o, NULL);
  json_findings (o, "denied", &it->decision.denied);
  json_findings (o, "rewritten", &it->decision.fixed);
  json_findings (o, "warned", &it->decision.warned);
  jsonout_array_close (o);
  jsonout_map_close (o);
}

static void
json_roots (struct jsonout *o, const struct report *r)
{
  jsonout_str (o, "roots");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; i < r->roots.n; i++)
    {
      const struct report_root *root = &r->roots.items[i];

      if (!root->present)
        continue;
      jsonout_map_open (o, NULL);
      jsonout_kv (o, "path", root->path);
      jsonout_kv (o, "engine", root->engine);
      jsonout_kn (o, "containers", (long long)root->live);
      jsonout_kv (o, "error", root->error);
      jsonout_map_close (o);
    }
  jsonout_array_close (o);
}

static int
write_json (FILE *out, const struct report *r, ocg_error_t *err)
{
  struct jsonout o;

  jsonout_init (&o, true);
  jsonout_map_open (&o, NULL);
  jsonout_kv (&o, "tool", "ocigate report");
  jsonout_kv (&o, "version", PACKAGE_VERSION);
  jsonout_kn (&o, "schema", REPORT_SCHEMA_VERSION);
  jsonout_kv (&o, "profile", r->profile);
  jsonout_kv (&o, "audit_trail", r->trail);
  jsonout_kv (&o, "audit_trail_error", r->trail_error);
  jsonout_str (&o, "summary");
  jsonout_map_open (&o, NULL);
  jsonout_kn (&o, "containers", (long long)r->n_items);
  for (int s = 0; s < REPORT_N_STATUS; s++)
    jsonout_kn (&o, report_status_name ((enum report_status)s), (long long)r->counts[s]);
  jsonout_map_close (&o);
  json_roots (&o, r);
  jsonout_str (&o, "containers");
  jsonout_array_open (&o, NULL);
  for (size_t i = 0; i < r->n_items; i++)
    json_item (&o, &r->items[i]);
  jsonout_array_close (&o);
  jsonout_map_close (&o);
  return jsonout_finish (&o, out, "report", err);
}

/* ---- SARIF ---- */

static void
sarif_location (struct jsonout *o, const struct report_item *it)
{
  cleanup_free char *uri = it->config != NULL ? doctor_file_uri (it->config) : NULL;

  jsonout_str (o, "locations");
  jsonout_array_open (o, NULL);
  jsonout_map_open (o, NULL);
  if (uri != NULL)
    {
      jsonout_str (o, "physicalLocation");
      jsonout_map_open (o, NULL);
      jsonout_str (o, "artifactLocation");
      jsonout_map_open (o, NULL);
      jsonout_kv (o, "uri", uri);
      jsonout_map_close (o);
      jsonout_map_close (o);
    }
  jsonout_str (o, "logicalLocations");
  jsonout_array_open (o, NULL);
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "name", it->id);
  jsonout_kv (o, "kind", "container");
  jsonout_map_close (o);
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
}

static void
sarif_results (struct jsonout *o, const struct report_item *it, const struct findings *f,
               const char *kind, const char *level)
{
  for (size_t i = 0; i < f->n; i++)
    {
      size_t idx = 0;
      cleanup_free char *text = xasprintf ("%s container %s (%s): %s %s: %s", it->engine, it->id,
                                           report_status_name (it->status), kind,
                                           f->items[i].rule->id, f->items[i].message);

      rules_find (f->items[i].rule->id, &idx);
      jsonout_map_open (o, NULL);
      jsonout_kv (o, "ruleId", f->items[i].rule->id);
      jsonout_kn (o, "ruleIndex", (long long)idx);
      jsonout_kv (o, "level", level);
      jsonout_text (o, "message", text);
      sarif_location (o, it);
      jsonout_str (o, "properties");
      jsonout_map_open (o, NULL);
      jsonout_kv (o, "container", it->id);
      jsonout_kv (o, "engine", it->engine);
      jsonout_kv (o, "status", report_status_name (it->status));
      jsonout_kv (o, "finding", kind);
      jsonout_kv (o, "pointer", f->items[i].path);
      jsonout_map_close (o);
      jsonout_map_close (o);
    }
}

/* What kept the report from being whole: toolExecutionNotifications of the one invocation.  */
static void
sarif_invocation (struct jsonout *o, const struct report *r)
{
  bool whole = r->counts[REPORT_ERROR] == 0;

  for (size_t i = 0; i < r->roots.n; i++)
    whole = whole && r->roots.items[i].error == NULL;
  jsonout_str (o, "invocations");
  jsonout_array_open (o, NULL);
  jsonout_map_open (o, NULL);
  jsonout_kb (o, "executionSuccessful", whole);
  jsonout_str (o, "toolExecutionNotifications");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; i < r->roots.n + r->n_items; i++)
    {
      const struct report_root *root = i < r->roots.n ? &r->roots.items[i] : NULL;
      const struct report_item *it = root == NULL ? &r->items[i - r->roots.n] : NULL;
      const char *why = root != NULL ? root->error : it->error;
      cleanup_free char *text = NULL;

      if (why == NULL)
        continue;
      text = xasprintf ("%s %s: %s", root ? "runtime root" : "container",
                        root ? root->path : it->id, why);
      jsonout_map_open (o, NULL);
      jsonout_kv (o, "level", "error");
      jsonout_text (o, "message", text);
      jsonout_map_close (o);
    }
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
}

static int
write_sarif (FILE *out, const struct report *r, ocg_error_t *err)
{
  struct jsonout o;

  jsonout_init (&o, true);
  jsonout_map_open (&o, NULL);
  jsonout_kv (&o, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  jsonout_kv (&o, "version", "2.1.0");
  jsonout_str (&o, "runs");
  jsonout_array_open (&o, NULL);
  jsonout_map_open (&o, NULL);
  check_sarif_driver (&o, "ocigate report");
  sarif_invocation (&o, r);
  jsonout_str (&o, "results");
  jsonout_array_open (&o, NULL);
  for (size_t i = 0; i < r->n_items; i++)
    {
      sarif_results (&o, &r->items[i], &r->items[i].decision.denied, "denied", "error");
      sarif_results (&o, &r->items[i], &r->items[i].decision.fixed, "rewritten", "warning");
      sarif_results (&o, &r->items[i], &r->items[i].decision.warned, "warned", "note");
    }
  jsonout_array_close (&o);
  jsonout_map_close (&o);
  jsonout_array_close (&o);
  jsonout_map_close (&o);
  return jsonout_finish (&o, out, "report", err);
}

int
report_write (FILE *out, enum out_format format, const struct report *r, ocg_error_t *err)
{
  if (format == OUT_JSON)
    return write_json (out, r, err);
  if (format == OUT_SARIF)
    return write_sarif (out, r, err);
  return write_text (out, r, err);
}
