/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit trail summed up by rule and by workload (see audit_summary.h).  */
#include <config.h>

#include <errno.h>

#include "audit_summary.h"
#include "jsonout.h"
#include "util.h"
#include "workload.h"

#define SUMMARY_SCHEMA_VERSION 1

static struct summary_rule *
rule_slot (struct summary_rule **rules, size_t *n, const char *id)
{
  for (size_t i = 0; i < *n; i++)
    if (str_eq ((*rules)[i].rule, id))
      return &(*rules)[i];
  *rules = xreallocarray (*rules, *n + 1, sizeof (**rules));
  (*rules)[*n] = (struct summary_rule){ .rule = xstrdup (id) };
  return &(*rules)[(*n)++];
}

enum finding_kind
{
  KIND_DENIED,
  KIND_REWRITTEN,
  KIND_WARNED,
};

static void
count_findings (struct summary_rule **rules, size_t *n, char **ids, enum finding_kind kind,
                bool audit)
{
  for (size_t i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      struct summary_rule *r = rule_slot (rules, n, ids[i]);

      if (kind == KIND_DENIED)
        {
          r->denied++;
          r->denied_audit += audit ? 1 : 0;
        }
      else if (kind == KIND_REWRITTEN)
        r->rewritten++;
      else
        r->warned++;
    }
}

static void
count_all (struct summary_rule **rules, size_t *n, const struct trail_record *r)
{
  bool audit = r->mode != NULL && str_eq (r->mode, "audit");

  count_findings (rules, n, r->denied, KIND_DENIED, audit);
  count_findings (rules, n, r->rewritten, KIND_REWRITTEN, audit);
  count_findings (rules, n, r->warned, KIND_WARNED, audit);
}

static enum summary_verdict
verdict_of (const struct trail_record *r)
{
  if (r->verdict == NULL || str_eq (r->verdict, "error"))
    return SUMMARY_ERROR;
  if (str_eq (r->verdict, "deny"))
    return SUMMARY_DENY;
  if (str_eq (r->verdict, "rewrite"))
    return SUMMARY_REWRITE;
  return SUMMARY_ALLOW;
}

static struct summary_workload *
workload_slot (struct summary *s, const struct trail_record *r)
{
  cleanup_free char *name = workload_name (r->workload, r->container);
  struct summary_workload *w;

  for (size_t i = 0; i < s->n_workloads; i++)
    if (str_eq (s->workloads[i].name, name))
      return &s->workloads[i];
  s->workloads = xreallocarray (s->workloads, s->n_workloads + 1, sizeof (*s->workloads));
  w = &s->workloads[s->n_workloads++];
  *w = (struct summary_workload){ .name = steal_pointer (&name), .ids = xzalloc (sizeof (char *)) };
  if (r->workload != NULL && r->workload->n > 0)
    w->identity = json_clone (r->workload);
  return w;
}

static void
replace (char **slot, const char *value)
{
  if (value == NULL)
    return;
  free (*slot);
  *slot = xstrdup (value);
}

static void
add_to_workload (struct summary *s, const struct trail_record *r, enum summary_verdict v)
{
  struct summary_workload *w = workload_slot (s, r);

  w->records++;
  w->audit_records += r->mode != NULL && str_eq (r->mode, "audit") ? 1 : 0;
  w->verdicts[v]++;
  if (r->container != NULL && !strv_contains ((const char *const *)w->ids, r->container))
    strv_add (&w->ids, r->container);
  replace (&w->profile, r->policy);
  if (v == SUMMARY_ERROR)
    replace (&w->error, r->error != NULL ? r->error : "the record has no verdict");
  count_all (&w->rules, &w->n_rules, r);
}

void
summary_add (void *ctx, const struct trail_record *r)
{
  struct summary *s = ctx;
  enum summary_verdict v;

  if (r->verdict != NULL && str_eq (r->verdict, "policy-error"))
    {
      s->policy_errors++;
      return;
    }
  v = verdict_of (r);
  s->records++;
  s->verdicts[v]++;
  if (r->mode != NULL && str_eq (r->mode, "audit"))
    s->audit++;
  else if (r->mode != NULL)
    s->enforce++;
  if (s->first == NULL)
    replace (&s->first, r->time);
  replace (&s->last, r->time);
  count_all (&s->rules, &s->n_rules, r);
  add_to_workload (s, r, v);
}

static int
compare_rules (const void *a, const void *b)
{
  const struct summary_rule *x = a, *y = b;

  if (x->denied != y->denied)
    return x->denied > y->denied ? -1 : 1;
  if (x->rewritten != y->rewritten)
    return x->rewritten > y->rewritten ? -1 : 1;
  return strcmp (x->rule, y->rule);
}

static int
compare_workloads (const void *a, const void *b)
{
  return strcmp (((const struct summary_workload *)a)->name,
                 ((const struct summary_workload *)b)->name);
}

void
summary_finish (struct summary *s)
{
  for (size_t i = 0; i < s->n_workloads; i++)
    {
      struct summary_workload *w = &s->workloads[i];

      for (size_t k = 0; k < w->n_rules; k++)
        rule_slot (&s->rules, &s->n_rules, w->rules[k].rule)->workloads++;
      if (w->n_rules > 0) /* qsort's base must not be NULL, even for no elements (C11 7.22.5) */
        qsort (w->rules, w->n_rules, sizeof (*w->rules), compare_rules);
    }
  if (s->n_rules > 0)
    qsort (s->rules, s->n_rules, sizeof (*s->rules), compare_rules);
  if (s->n_workloads > 0)
    qsort (s->workloads, s->n_workloads, sizeof (*s->workloads), compare_workloads);
}

static void
rules_release (struct summary_rule *rules, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free (rules[i].rule);
  free (rules);
}

void
summary_release (struct summary *s)
{
  for (size_t i = 0; i < s->n_workloads; i++)
    {
      struct summary_workload *w = &s->workloads[i];

      free (w->name);
      json_free (w->identity);
      strv_free (w->ids);
      free (w->profile);
      free (w->error);
      rules_release (w->rules, w->n_rules);
    }
  free (s->workloads);
  rules_release (s->rules, s->n_rules);
  free (s->first);
  free (s->last);
  memset (s, 0, sizeof (*s));
}

/* ---- text ---- */

/* "privileged 2, capabilities 1" for the findings of one kind, or "-".  */
static char *
rule_list (const struct summary_rule *rules, size_t n, enum finding_kind kind)
{
  char *out = xstrdup ("");

  for (size_t i = 0; i < n; i++)
    {
      size_t c = kind == KIND_DENIED      ? rules[i].denied
                 : kind == KIND_REWRITTEN ? rules[i].rewritten
                                          : rules[i].warned;
      char *more;

      if (c == 0)
        continue;
      more = xasprintf ("%s%s%s %zu", out, out[0] ? ", " : "", rules[i].rule, c);
      free (out);
      out = more;
    }
  if (out[0] == '\0')
    replace (&out, "-");
  return out;
}

static void
text_workload (FILE *out, const struct summary_workload *w)
{
  cleanup_free char *denied = rule_list (w->rules, w->n_rules, KIND_DENIED);
  cleanup_free char *rewritten = rule_list (w->rules, w->n_rules, KIND_REWRITTEN);
  cleanup_free char *warned = rule_list (w->rules, w->n_rules, KIND_WARNED);

  fprintf (out, "  %s: %zu record%s (%zu in audit mode), %zu container id%s, profile %s\n", w->name,
           w->records, w->records == 1 ? "" : "s", w->audit_records,
           strv_length ((const char *const *)w->ids),
           strv_length ((const char *const *)w->ids) == 1 ? "" : "s",
           w->profile ? w->profile : "?");
  fprintf (out, "      verdicts: %zu deny, %zu rewrite, %zu allow, %zu error\n",
           w->verdicts[SUMMARY_DENY], w->verdicts[SUMMARY_REWRITE], w->verdicts[SUMMARY_ALLOW],
           w->verdicts[SUMMARY_ERROR]);
  fprintf (out, "      denied by: %s\n      rewritten by: %s\n      warned by: %s\n", denied,
           rewritten, warned);
  if (w->error != NULL)
    fprintf (out, "      enforce could not judge it: %s\n", w->error);
}

int
summary_write_text (FILE *out, const struct summary *s, const char *source, ocg_error_t *err)
{
  fprintf (out,
           "ocigate audit summary of %s: %zu records (%zu in audit mode, %zu in enforce mode), "
           "%s to %s\n",
           source, s->records, s->audit, s->enforce, s->first ? s->first : "-",
           s->last ? s->last : "-");
  fprintf (out,
           "verdicts: %zu deny, %zu rewrite, %zu allow, %zu error; %zu policy-error, %zu "
           "lines skipped\n",
           s->verdicts[SUMMARY_DENY], s->verdicts[SUMMARY_REWRITE], s->verdicts[SUMMARY_ALLOW],
           s->verdicts[SUMMARY_ERROR], s->policy_errors, s->skipped);
  fprintf (out, "\nby rule (findings; \"of them in audit\" ran anyway):\n");
  fprintf (out, "  %-20s %8s %15s %10s %7s %10s\n", "RULE", "DENIED", "OF THEM AUDIT", "REWRITTEN",
           "WARNED", "WORKLOADS");
  for (size_t i = 0; i < s->n_rules; i++)
    fprintf (out, "  %-20s %8zu %15zu %10zu %7zu %10zu\n", s->rules[i].rule, s->rules[i].denied,
             s->rules[i].denied_audit, s->rules[i].rewritten, s->rules[i].warned,
             s->rules[i].workloads);
  fprintf (out, "\nby workload:\n");
  for (size_t i = 0; i < s->n_workloads; i++)
    text_workload (out, &s->workloads[i]);
  if (fflush (out) != 0 || ferror (out))
    return ocg_error_set (err, errno, "write the summary");
  return 0;
}

/* ---- JSON ---- */

static void
json_rule (struct jsonout *o, const struct summary_rule *r, bool totals)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "rule", r->rule);
  jsonout_kn (o, "denied", (long long)r->denied);
  jsonout_kn (o, "denied_in_audit_mode", (long long)r->denied_audit);
  jsonout_kn (o, "rewritten", (long long)r->rewritten);
  jsonout_kn (o, "warned", (long long)r->warned);
  if (totals)
    jsonout_kn (o, "workloads", (long long)r->workloads);
  jsonout_map_close (o);
}

static void
json_verdicts (struct jsonout *o, const size_t v[SUMMARY_N_VERDICTS])
{
  jsonout_str (o, "verdicts");
  jsonout_map_open (o, NULL);
  jsonout_kn (o, "deny", (long long)v[SUMMARY_DENY]);
  jsonout_kn (o, "rewrite", (long long)v[SUMMARY_REWRITE]);
  jsonout_kn (o, "allow", (long long)v[SUMMARY_ALLOW]);
  jsonout_kn (o, "error", (long long)v[SUMMARY_ERROR]);
  jsonout_map_close (o);
}

static void
json_workload (struct jsonout *o, const struct summary_workload *w)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "workload", w->name);
  jsonout_str (o, "identity");
  jsonout_value (o, w->identity);
  jsonout_str (o, "container_ids");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; w->ids[i] != NULL; i++)
    jsonout_str (o, w->ids[i]);
  jsonout_array_close (o);
  jsonout_kv (o, "profile", w->profile);
  jsonout_kn (o, "records", (long long)w->records);
  jsonout_kn (o, "audit_mode_records", (long long)w->audit_records);
  json_verdicts (o, w->verdicts);
  jsonout_kv (o, "error", w->error);
  jsonout_str (o, "rules");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; i < w->n_rules; i++)
    json_rule (o, &w->rules[i], false);
  jsonout_array_close (o);
  jsonout_map_close (o);
}

int
summary_write_json (FILE *out, const struct summary *s, const char *source, ocg_error_t *err)
{
  struct jsonout o;

  jsonout_init (&o, true);
  jsonout_map_open (&o, NULL);
  jsonout_kv (&o, "tool", "ocigate audit summary");
  jsonout_kv (&o, "version", PACKAGE_VERSION);
  jsonout_kn (&o, "schema", SUMMARY_SCHEMA_VERSION);
  jsonout_kv (&o, "source", source);
  jsonout_kn (&o, "records", (long long)s->records);
  jsonout_kn (&o, "audit_mode_records", (long long)s->audit);
  jsonout_kn (&o, "enforce_mode_records", (long long)s->enforce);
  jsonout_kn (&o, "policy_errors", (long long)s->policy_errors);
  jsonout_kn (&o, "skipped_lines", (long long)s->skipped);
  jsonout_kv (&o, "first", s->first);
  jsonout_kv (&o, "last", s->last);
  json_verdicts (&o, s->verdicts);
  jsonout_str (&o, "rules");
  jsonout_array_open (&o, NULL);
  for (size_t i = 0; i < s->n_rules; i++)
    json_rule (&o, &s->rules[i], true);
  jsonout_array_close (&o);
  jsonout_str (&o, "workloads");
  jsonout_array_open (&o, NULL);
  for (size_t i = 0; i < s->n_workloads; i++)
    json_workload (&o, &s->workloads[i]);
  jsonout_array_close (&o);
  jsonout_map_close (&o);
  return jsonout_finish (&o, out, "summary", err);
}
