/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate audit summary --suggest-exemptions`: a policy drop-in with the narrowest exemptions that
 * would let enforce mode run every workload the audit trail shows it would deny (see
 * audit_summary.h).  It is printed for a person to review, never installed.
 *
 * Narrowest: one exemption per workload, matching it alone -- by its Kubernetes identity
 * (namespace, pod and container name, annotations the engine sets itself) when the records give
 * one, else by its exact container ids -- and granting `warn` (reported, never denies, changes
 * nothing) to exactly the rules that denied it.  Rules that only rewrote it are left alone:
 * enforce mode runs it with those changes, and a comment names them.  The format is the policy
 * file's (policy/file/policy_file_exempt.c); a drop-in is a JSON merge patch (RFC 7386), so its
 * `engine_set_annotations` replaces the file's list and repeats every key the policy declares.  */
#include <config.h>

#include <errno.h>
#include <time.h>

#include "audit_summary.h"
#include "engine.h"
#include "util.h"
#include "workload.h"

#define EXEMPTION_NAME_MAX 64

/* A JSON string literal.  */
static char *
quoted (const char *s)
{
  size_t cap = 6 * strlen (s) + 3;
  char *out = xmalloc (cap);
  size_t n = 0;

  out[n++] = '"';
  for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
    if (*c == '"' || *c == '\\')
      {
        out[n++] = '\\';
        out[n++] = (char)*c;
      }
    else if (*c < 0x20)
      n += (size_t)snprintf (out + n, cap - n, "\\u%04x", *c);
    else
      out[n++] = (char)*c;
  out[n++] = '"';
  out[n] = '\0';
  return out;
}

/* An fnmatch(3) pattern that matches `s` alone: its `*`, `?`, `[` and `\` escaped.  */
static char *
literal_pattern (const char *s)
{
  char *out = xmalloc (2 * strlen (s) + 1);
  char *o = out;

  for (; *s != '\0'; s++)
    {
      if (strchr ("*?[\\", *s) != NULL)
        *o++ = '\\';
      *o++ = *s;
    }
  *o = '\0';
  return out;
}

/* Text for a `//` comment: on one line.  */
static char *
comment_text (const char *s)
{
  char *out = xstrdup (s != NULL ? s : "");

  for (char *c = out; *c != '\0'; c++)
    if ((unsigned char)*c < 0x20)
      *c = ' ';
  return out;
}

struct suggestion
{
  const struct policy_exemptions *existing;
  char **names;    /* exemption names taken so far */
  char **declared; /* engine_set_annotations: the policy's, then ours */
  char *body;      /* the exemptions written so far, joined by ",\n" */
  char *notes;     /* comment lines: the workloads no exemption covers, and why */
  size_t n, errors;
};

static bool
name_taken (const struct suggestion *sg, const char *name)
{
  for (size_t i = 0; sg->existing != NULL && i < sg->existing->n; i++)
    if (str_eq (sg->existing->items[i].name, name))
      return true;
  return strv_contains ((const char *const *)sg->names, name);
}

/* "audit-<workload>" in the policy's alphabet (letters, digits, `-`, `_`, `.`), at most 64
 * characters, not one the policy or this drop-in already has.  */
static char *
exemption_name (struct suggestion *sg, const char *workload)
{
  char base[EXEMPTION_NAME_MAX - 4 + 1];
  char *name;

  snprintf (base, sizeof (base), "audit-%s", workload);
  for (char *c = base; *c != '\0'; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
          || strchr ("-_.", *c) != NULL))
      *c = '-';
  name = xstrdup (base);
  for (int i = 2; name_taken (sg, name); i++)
    {
      free (name);
      name = xasprintf ("%s-%d", base, i);
    }
  strv_add (&sg->names, name);
  return name;
}

static void
append (char **buf, const char *fmt_text)
{
  char *more = xasprintf ("%s%s", *buf != NULL ? *buf : "", fmt_text);

  free (*buf);
  *buf = more;
}

static void
append_pair (char **buf, const char *key, const char *value, bool more)
{
  cleanup_free char *k = quoted (key);
  cleanup_free char *v = quoted (value);
  cleanup_free char *line = xasprintf ("%s: %s%s", k, v, more ? ", " : " ");

  append (buf, line);
}

/* match: the Kubernetes identity, declared as engine-set; or the exact container ids.  */
static char *
match_of (struct suggestion *sg, const struct summary_workload *w)
{
  struct workload_kube k;
  char *m = NULL;

  if (workload_kube_get (w->identity, &k))
    {
      const char *last_key = k.container != NULL ? k.container_key : k.type_key;
      const char *last = k.container != NULL ? k.container : k.type;
      const char *keys[] = { k.namespace_key, k.pod_key, last_key };
      const char *values[] = { k.namespace_, k.pod, last };
      size_t n = last != NULL ? 3 : 2;

      append (&m, "{ \"annotations\": { ");
      for (size_t i = 0; i < n; i++)
        {
          cleanup_free char *p = literal_pattern (values[i]);
          append_pair (&m, keys[i], p, i + 1 < n);
          if (!strv_contains ((const char *const *)sg->declared, keys[i]))
            strv_add (&sg->declared, keys[i]);
        }
      append (&m, "} }");
      return m;
    }
  append (&m, "{ \"container_ids\": [ ");
  for (size_t i = 0; w->ids[i] != NULL; i++)
    {
      cleanup_free char *p = literal_pattern (w->ids[i]);
      cleanup_free char *q = quoted (p);
      cleanup_free char *item = xasprintf ("%s%s ", q, w->ids[i + 1] != NULL ? "," : "");
      append (&m, item);
    }
  append (&m, "] }");
  return m;
}

/* The rules that denied the workload, each granted `warn`; NULL when none is known to this
 * build (a trail from another version).  */
static char *
grants_of (const struct summary_workload *w, char **unknown)
{
  char *g = NULL;
  size_t n = 0;

  for (size_t i = 0; i < w->n_rules; i++)
    {
      size_t idx = 0;

      if (w->rules[i].denied == 0)
        continue;
      if (rules_find (w->rules[i].rule, &idx) == NULL)
        {
          append (unknown, *unknown != NULL ? ", " : "");
          append (unknown, w->rules[i].rule);
          continue;
        }
      if (n++ > 0)
        append (&g, ", ");
      {
        cleanup_free char *k = quoted (w->rules[i].rule);
        append (&g, k);
        append (&g, ": \"warn\"");
      }
    }
  return g;
}

/* What enforce mode would still change in the workload: the rules that rewrite it and are not
 * among those the exemption sets to `warn` (a rule at warn changes nothing), for the comment.  */
static char *
rewrites_of (const struct summary_workload *w)
{
  char *r = xstrdup ("");

  for (size_t i = 0; i < w->n_rules; i++)
    if (w->rules[i].rewritten > 0 && w->rules[i].denied == 0)
      {
        char *more = xasprintf ("%s%s%s", r, r[0] ? ", " : "", w->rules[i].rule);
        free (r);
        r = more;
      }
  return r;
}

/* One exemption, or a note saying why the workload gets none.  */
static void
suggest_one (struct suggestion *sg, const struct summary_workload *w)
{
  cleanup_free char *unknown = NULL;
  cleanup_free char *grants = grants_of (w, &unknown);
  cleanup_free char *who = comment_text (w->name);
  cleanup_free char *rewrites = rewrites_of (w);
  cleanup_free char *match = NULL, *name = NULL, *qname = NULL, *d = NULL, *desc = NULL;
  cleanup_free char *text = NULL;

  if (unknown != NULL)
    {
      cleanup_free char *u = comment_text (unknown);
      cleanup_free char *note
          = xasprintf ("//   %s: denied by rules this ocigate does not know: %s\n", who, u);
      append (&sg->notes, note);
    }
  if (grants == NULL)
    return;
  match = match_of (sg, w);
  name = exemption_name (sg, w->name);
  qname = quoted (name);
  d = xasprintf ("suggested by ocigate audit summary: %s, denied in %zu of %zu records", w->name,
                 w->verdicts[SUMMARY_DENY], w->records);
  desc = quoted (d);
  text = xasprintf (
      "%s    // %s (profile %s): denied in %zu of %zu records.\n"
      "%s%s%s"
      "    %s: {\n      \"description\": %s,\n      \"match\": %s,\n"
      "      \"rules\": { %s }\n    }",
      sg->n > 0 ? ",\n" : "", who, w->profile ? w->profile : "?", w->verdicts[SUMMARY_DENY],
      w->records, rewrites[0] ? "    // enforce mode still rewrites it (" : "", rewrites,
      rewrites[0] ? "): set those rules to \"warn\" too if it must run unchanged.\n" : "", qname,
      desc, match, grants);
  append (&sg->body, text);
  sg->n++;
}

/* A workload enforce mode could not judge at all: no exemption makes it run.  */
static void
note_error (struct suggestion *sg, const struct summary_workload *w)
{
  cleanup_free char *who = comment_text (w->name);
  cleanup_free char *why = comment_text (w->error);
  cleanup_free char *note = xasprintf ("//   %s: enforce mode could not judge it, and no exemption "
                                       "changes that: %s\n",
                                       who, why);

  append (&sg->notes, note);
}

static void
write_header (FILE *out, const struct summary *s, const char *source, const char *dropin_dir,
              const struct suggestion *sg)
{
  char stamp[32] = "";
  time_t now = time (NULL);
  struct tm tm;

  if (gmtime_r (&now, &tm) != NULL)
    strftime (stamp, sizeof (stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
  fprintf (
      out,
      "// Exemptions SUGGESTED by `ocigate audit summary --suggest-exemptions` at %s\n"
      "// from %s (%zu records).  Nothing has been applied.  Each exemption below lets a\n"
      "// workload run that enforce mode denies: review every one, narrow or remove what is\n"
      "// not meant to run, then install the file as a drop-in (root's, mode 0644), e.g.\n"
      "//   %s/50-exemptions.json\n"
      "// check it with `ocigate policy validate`, and only then set \"mode\": \"enforce\".\n"
      "// Each exemption matches one workload as it runs today: a pod by its namespace, pod and\n"
      "// container name (a Deployment's pod names change with every rollout: widen them by\n"
      "// hand, e.g. \"web-*\"), anything else by its exact container ids.\n",
      stamp, source, s->records, dropin_dir);
  if (sg->notes != NULL)
    fprintf (out, "//\n// Not covered:\n%s", sg->notes);
}

/* The declared keys, when any exemption matches on annotations.  */
static void
write_declared (FILE *out, const struct suggestion *sg, size_t own)
{
  if (strv_length ((const char *const *)sg->declared) == own)
    return;
  fprintf (out,
           "  // Match only on keys that every engine able to reach ocigate on this node sets\n"
           "  // itself: containerd's CRI plugin sets io.kubernetes.cri.*, CRI-O\n"
           "  // io.kubernetes.pod.*; `docker run --annotation` and `podman --annotation` let\n"
           "  // any user set any key.  A drop-in replaces the policy's list, so the keys it\n"
           "  // declares already are repeated here.\n"
           "  \"engine_set_annotations\": [");
  for (size_t i = 0; sg->declared[i] != NULL; i++)
    {
      cleanup_free char *q = quoted (sg->declared[i]);
      fprintf (out, "%s\n    %s", i > 0 ? "," : "", q);
    }
  fprintf (out, "\n  ],\n");
}

int
summary_write_suggestion (FILE *out, const struct summary *s, const char *source,
                          const struct policy_exemptions *existing, const char *dropin_dir,
                          ocg_error_t *err)
{
  struct suggestion sg = { .existing = existing };
  size_t own;
  int r = 0;

  sg.declared
      = strv_dup (existing != NULL ? (const char *const *)existing->engine_set_annotations : NULL);
  if (sg.declared == NULL)
    sg.declared = xzalloc (sizeof (char *));
  own = strv_length ((const char *const *)sg.declared);
  for (size_t i = 0; i < s->n_workloads; i++)
    if (s->workloads[i].verdicts[SUMMARY_DENY] > 0)
      suggest_one (&sg, &s->workloads[i]);
    else if (s->workloads[i].verdicts[SUMMARY_ERROR] > 0)
      note_error (&sg, &s->workloads[i]);
  write_header (out, s, source, dropin_dir, &sg);
  fprintf (out, "{\n");
  write_declared (out, &sg, own);
  if (sg.n == 0)
    fprintf (out, "  // Nothing to exempt: enforce mode denies none of these workloads.\n");
  fprintf (out, "  \"exemptions\": {\n%s%s  }\n}\n", sg.body ? sg.body : "", sg.n ? "\n" : "");
  if (fflush (out) != 0 || ferror (out))
    r = ocg_error_set (err, errno, "write the suggestion");
  strv_free (sg.names);
  strv_free (sg.declared);
  free (sg.body);
  free (sg.notes);
  return r;
}
