/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine: runs the rule table (policy/engine/rules.c) over one document and decides.
 *
 * Owns: the evaluation order (check every enabled rule, sort findings by the rule's action, then
 * rewrite in table order, then re-check everything the rewrites may have changed: struct
 * rule_seen), the finding lists and the one-line denial text.  Must not: do I/O, log, look at argv,
 * or know any rule by name -- rules are data here.
 *
 * Why re-check after rewriting: a rewrite that leaves its own violation in place, or that creates
 * a violation for another rule, would otherwise let the runtime start a container the policy
 * forbids.  That is a bug in ocigate, so it is an internal error (fail closed), not a denial.  */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "util.h"

/* A finding message is one line built from document values (capability names, paths): cap it so
 * a 4 MiB string in config.json cannot blow up the audit record or the denial line.  */
#define FINDING_MAX_MESSAGE 480
/* The denial line goes to stderr and into the engine's --log file, which engines show to users
 * ("docker: Error response from daemon: ..."): long enough for a few rules, never unbounded.  */
#define DENIAL_MAX_BODY 900
#define DENIAL_MAX_HINTS 400

/* Cut s to at most max bytes without splitting a UTF-8 sequence, ending with "…".  */
static void
truncate_utf8 (char *s, size_t max)
{
  static const char ellipsis[] = "\xe2\x80\xa6";
  size_t cut;

  if (strlen (s) <= max)
    return;
  cut = max - (sizeof (ellipsis) - 1);
  while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
    cut--;
  memcpy (s + cut, ellipsis, sizeof (ellipsis));
}

static void
findings_push (struct findings *out, struct finding *f)
{
  if (out->n == out->cap)
    {
      out->cap = out->cap ? out->cap * 2 : 8;
      out->items = xreallocarray (out->items, out->cap, sizeof (*out->items));
    }
  out->items[out->n++] = *f;
}

static void
finding_vadd (struct findings *out, const struct rule_ctx *ctx, const char *path, bool fixable,
              bool note, const char *fmt, va_list ap)
{
  struct finding f = { .rule = ctx->rule, .fixable = fixable, .note = note };

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (vasprintf (&f.message, fmt, ap) < 0)
    ocg_oom ();
#pragma GCC diagnostic pop
  truncate_utf8 (f.message, FINDING_MAX_MESSAGE);
  f.path = xstrdup (path ? path : "");
  findings_push (out, &f);
}

void
finding_add (struct findings *out, const struct rule_ctx *ctx, const char *path, bool fixable,
             const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  finding_vadd (out, ctx, path, fixable, false, fmt, ap);
  va_end (ap);
}

void
note_add (struct findings *out, const struct rule_ctx *ctx, const char *path, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  finding_vadd (out, ctx, path, false, true, fmt, ap);
  va_end (ap);
}

void
node_note_add (struct findings *out, const struct rule_ctx *ctx, const char *path, const char *fmt,
               ...)
{
  cleanup_free char *what = NULL;
  va_list ap;

  va_start (ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (vasprintf (&what, fmt, ap) < 0)
    ocg_oom ();
#pragma GCC diagnostic pop
  va_end (ap);
  note_add (out, ctx, path,
            "not judged without the node (--portable): on the node ocigate checks %s", what);
}

void
findings_clear (struct findings *f)
{
  for (size_t i = 0; i < f->n; i++)
    {
      free (f->items[i].path);
      free (f->items[i].message);
    }
  free (f->items);
  memset (f, 0, sizeof (*f));
}

static void
findings_clearp (struct findings *f)
{
  findings_clear (f);
}
#define cleanup_findings __attribute__ ((cleanup (findings_clearp)))

void
decision_release (struct decision *d)
{
  findings_clear (&d->denied);
  findings_clear (&d->fixed);
  findings_clear (&d->warned);
  findings_clear (&d->noted);
}

/* What one evaluation judges, and under which policy: shared by every rule it runs.  */
struct judged
{
  const struct policy *policy;
  const struct host_facts *host;
  const struct call *call;
  struct spec *spec;
  struct rule_seen *seen; /* one per rule of the table, or NULL */
};

/* What the last check of a rule found, and on which version of the document.  A check is a
 * function of the document, the host facts, the call and the policy, and only the document
 * changes during one evaluation -- through spec_set, spec_append and spec_remove, each of which
 * appends to spec->ops when it changes the tree (policy/spec/spec.h: setting an equal value
 * records nothing and changes nothing).  So while no operation since then touched what the rule
 * reads (all of the document, or the members its `.reads` names), the rule would find the same
 * again: the rewrite pass and the recheck take that answer instead of running the rule once more
 * (Docker's default config gets three rewrites, of masked paths, limits and no_new_privileges:
 * sensitive-mounts walked every bind source twice, seccomp merged its profile twice).  */
struct rule_seen
{
  bool valid;
  size_t n_ops; /* spec->n_ops when the rule was checked */
  bool fixable; /* some finding was fixable */
  bool clean;   /* every finding was a note */
};

/* A call nothing is known about (`policy validate` probing a rule).  */
static const struct call no_call = { .verb = CALL_CREATE };

static bool
rule_enabled (const struct judged *j, size_t index, const struct rule *rule)
{
  return j->policy->actions[index] != ACTION_OFF && (rule->kinds & RULE_KIND (j->spec->kind)) != 0;
}

/* Rule `rule` runs with its own parameter block (none when index is (size_t)-1).  */
static struct rule_ctx
ctx_of (const struct judged *j, size_t index, const struct rule *rule)
{
  return (struct rule_ctx){ .spec = j->spec,
                            .call = j->call != NULL ? j->call : &no_call,
                            .params = index != (size_t)-1 ? j->policy->params[index] : NULL,
                            .host = j->host,
                            .rule = rule,
                            .policy = j->policy };
}

struct rule_ctx
engine_rule_ctx (const struct policy *policy, const struct host_facts *host,
                 const struct call *call, const struct spec *spec, const struct rule *rule)
{
  const struct judged j = { policy, host, call, (struct spec *)spec, NULL };
  size_t index = 0;

  if (rules_find (rule->id, &index) != rule)
    index = (size_t)-1;
  return ctx_of (&j, index, rule);
}

static int
engine_check_one (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  if (ctx->rule->check (ctx, out, err) < 0)
    return ocg_error_wrap (err, "rule `%s`", ctx->rule->id);
  return 0;
}

static void
seen_keep (const struct judged *j, size_t i, const struct findings *found)
{
  struct rule_seen *s = &j->seen[i];

  s->valid = true;
  s->n_ops = j->spec->n_ops;
  s->fixable = false;
  s->clean = true;
  for (size_t k = 0; k < found->n; k++)
    {
      s->fixable = s->fixable || found->items[k].fixable;
      s->clean = s->clean && found->items[k].note;
    }
}

/* Is one of the JSON Pointers a or b the other, or below it?  */
static bool
ptr_overlap (const char *a, const char *b)
{
  size_t na = strlen (a), nb = strlen (b), n = na < nb ? na : nb;

  if (strncmp (a, b, n) != 0)
    return false;
  return na == nb || (na < nb ? b[na] == '/' : a[nb] == '/');
}

/* Did an operation from number `since` on touch what rule i reads?  */
static bool
reads_touched (const struct judged *j, size_t i, size_t since)
{
  size_t n = 0;
  const struct rule *rule = rules_table (&n)[i];
  const char *const *reads = j->spec->kind == SPEC_CONFIG ? rule->reads : NULL;

  for (size_t k = since; k < j->spec->n_ops; k++)
    {
      if (reads == NULL)
        return true;
      for (size_t r = 0; reads[r] != NULL; r++)
        if (ptr_overlap (j->spec->ops[k].path, reads[r]))
          return true;
    }
  return false;
}

/* The rule's last answer still holds: nothing it reads has changed since it was checked.  */
static const struct rule_seen *
seen_current (const struct judged *j, size_t i)
{
  const struct rule_seen *s = &j->seen[i];

  return s->valid && !reads_touched (j, i, s->n_ops) ? s : NULL;
}

/* Move each finding of one rule into the list its action puts it in.  */
static void
engine_sort (enum rule_action action, const struct rule *rule, struct findings *found,
             struct decision *d)
{
  for (size_t i = 0; i < found->n; i++)
    {
      struct finding *f = &found->items[i];
      struct findings *dest = &d->denied;

      if (f->note)
        dest = &d->noted;
      else if (action == ACTION_WARN)
        dest = &d->warned;
      else if (action == ACTION_REWRITE && f->fixable && rule->rewrite != NULL)
        dest = &d->fixed;
      findings_push (dest, f);
    }
  free (found->items);
  memset (found, 0, sizeof (*found));
}

static int
engine_check_all (const struct judged *j, struct decision *d, ocg_error_t *err)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  for (size_t i = 0; i < n; i++)
    {
      struct findings found cleanup_findings = { 0 };
      const struct rule_ctx ctx = ctx_of (j, i, table[i]);

      if (!rule_enabled (j, i, table[i]))
        continue;
      if (engine_check_one (&ctx, &found, err) < 0)
        return -1;
      seen_keep (j, i, &found);
      engine_sort (j->policy->actions[i], table[i], &found, d);
    }
  return 0;
}

/* Rewrite in table order.  Each rewrite rule looks at the document as the rewrites before it left
 * it (capabilities runs before seccomp so the injected profile matches the final capability set),
 * and only rewrites when it still finds something it can fix.  */
static int
engine_rewrite_all (const struct judged *j, ocg_error_t *err)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  for (size_t i = 0; i < n; i++)
    {
      struct findings found cleanup_findings = { 0 };
      const struct rule_ctx ctx = ctx_of (j, i, table[i]);
      const struct rule_seen *seen;

      if (!rule_enabled (j, i, table[i]) || j->policy->actions[i] != ACTION_REWRITE
          || table[i]->rewrite == NULL)
        continue;
      if ((seen = seen_current (j, i)) == NULL)
        {
          if (engine_check_one (&ctx, &found, err) < 0)
            return -1;
          seen_keep (j, i, &found);
          seen = &j->seen[i];
        }
      if (seen->fixable && table[i]->rewrite (&ctx, j->spec, err) < 0)
        return ocg_error_wrap (err, "rewrite `%s`", table[i]->id);
    }
  return 0;
}

/* After the rewrites, no rule that can deny or rewrite may find anything.  */
static int
engine_recheck (const struct judged *j, ocg_error_t *err)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  for (size_t i = 0; i < n; i++)
    {
      struct findings found cleanup_findings = { 0 };
      const struct rule_ctx ctx = ctx_of (j, i, table[i]);

      const struct rule_seen *seen;

      if (!rule_enabled (j, i, table[i]) || j->policy->actions[i] == ACTION_WARN)
        continue;
      if ((seen = seen_current (j, i)) != NULL && seen->clean)
        continue;
      if (engine_check_one (&ctx, &found, err) < 0)
        return -1;
      for (size_t k = 0; k < found.n; k++)
        if (!found.items[k].note)
          return ocg_error_set (err, 0, "rule `%s` still finds a violation after the rewrites: %s",
                                table[i]->id, found.items[k].message);
    }
  return 0;
}

int
engine_evaluate (const struct policy *policy, const struct host_facts *host,
                 const struct call *call, struct spec *spec, struct decision *out, ocg_error_t *err)
{
  size_t n = 0;
  cleanup_free struct rule_seen *seen = (rules_table (&n), xzalloc (n * sizeof (*seen)));
  const struct judged j = { policy, host, call, spec, seen };

  memset (out, 0, sizeof (*out));
  if (engine_check_all (&j, out, err) < 0)
    return -1;
  if (out->denied.n > 0)
    {
      out->verdict = VERDICT_DENY;
      return 0;
    }
  out->verdict = out->fixed.n > 0 ? VERDICT_REWRITE : VERDICT_ALLOW;
  /* Audit mode: the decision says what enforce would do; the document stays untouched.  */
  if (out->verdict == VERDICT_ALLOW || policy->mode == MODE_AUDIT)
    return 0;
  if (engine_rewrite_all (&j, err) < 0)
    return -1;
  return engine_recheck (&j, err);
}

/* ---- the denial line ---- */

struct strbuf
{
  char *s;
  size_t len;
  size_t cap;
};

static void
strbuf_add (struct strbuf *b, const char *text)
{
  size_t n = strlen (text);

  if (b->len + n + 1 > b->cap)
    {
      b->cap = (b->len + n + 1) * 2;
      b->s = xrealloc (b->s, b->cap);
    }
  /* One line, always: a control character from the document becomes '?'.  */
  for (size_t i = 0; i < n; i++)
    {
      unsigned char c = (unsigned char)text[i];
      b->s[b->len++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
  b->s[b->len] = '\0';
}

/* "privileged (CIS Docker 1.6.0 5.5, PSS privileged): " */
static void
denial_rule_head (struct strbuf *b, const struct rule *rule)
{
  cleanup_free char *head = NULL;

  if (rule->cis != NULL && rule->pss != NULL)
    head = xasprintf ("%s (CIS Docker 1.6.0 %s, PSS %s): ", rule->id, rule->cis, rule->pss);
  else if (rule->cis != NULL)
    head = xasprintf ("%s (CIS Docker 1.6.0 %s): ", rule->id, rule->cis);
  else if (rule->pss != NULL)
    head = xasprintf ("%s (PSS %s): ", rule->id, rule->pss);
  else
    head = xasprintf ("%s: ", rule->id);
  strbuf_add (b, head);
}

static bool
hint_seen (const struct findings *f, size_t upto, const struct rule *rule)
{
  for (size_t i = 0; i < upto; i++)
    if (f->items[i].rule == rule || str_eq (f->items[i].rule->hint, rule->hint))
      return true;
  return false;
}

static void
denial_hints (struct strbuf *b, const struct findings *f)
{
  struct strbuf h = { 0 };

  for (size_t i = 0; i < f->n; i++)
    {
      const struct rule *rule = f->items[i].rule;

      if (rule->hint == NULL || hint_seen (f, i, rule))
        continue;
      strbuf_add (&h, h.len == 0 ? "; hint: " : "; ");
      strbuf_add (&h, rule->hint);
    }
  if (h.s == NULL)
    return;
  truncate_utf8 (h.s, DENIAL_MAX_HINTS);
  strbuf_add (b, h.s);
  free (h.s);
}

char *
decision_denial_message (const struct policy *policy, const struct decision *d)
{
  struct strbuf b = { 0 };
  const struct findings *f = &d->denied;
  cleanup_free char *lead
      = xasprintf ("denied by policy \"%s\": ", policy->name ? policy->name : "custom");
  size_t i;

  strbuf_add (&b, lead);
  for (i = 0; i < f->n; i++)
    {
      bool new_rule = i == 0 || f->items[i].rule != f->items[i - 1].rule;
      size_t need
          = strlen (f->items[i].message) + (new_rule ? 64 + strlen (f->items[i].rule->id) : 2);

      if (i > 0 && b.len + need > DENIAL_MAX_BODY)
        break;
      if (i > 0)
        strbuf_add (&b, new_rule ? "; " : ", ");
      if (new_rule)
        denial_rule_head (&b, f->items[i].rule);
      strbuf_add (&b, f->items[i].message);
    }
  if (i < f->n)
    {
      cleanup_free char *more = xasprintf ("\xe2\x80\xa6(%zu more)", f->n - i);
      strbuf_add (&b, more);
    }
  denial_hints (&b, f);
  return b.s ? b.s : xstrdup ("");
}
