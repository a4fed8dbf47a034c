/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text and JSON output of judged documents (see check_report.h); SARIF is check_sarif.c.  */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "check_report.h"
#include "check_sarif.h"
#include "jsonout.h"
#include "util.h"

/* no-color.org: "when present and not an empty string"; present at all is enough here, so that
 * `NO_COLOR= cmd` in a CI file cannot turn colour on in a log.  */
bool
check_report_color (FILE *out)
{
  return getenv ("NO_COLOR") == NULL && isatty (fileno (out));
}

void
check_report_position (const struct json_node *original, const char *ptr, size_t *line,
                       size_t *column)
{
  const struct json_node *at = json_pointer_nearest (original, ptr);

  *line = at != NULL ? at->line : 0;
  *column = at != NULL ? at->column : 0;
}

/* SGR sequences, or nothing without colour.  */
struct paint
{
  bool on;
};

static const char *
sgr (const struct paint *p, const char *code)
{
  return p->on ? code : "";
}

#define SGR_RED "\033[1;31m"
#define SGR_YELLOW "\033[33m"
#define SGR_GREEN "\033[32m"
#define SGR_DIM "\033[2m"
#define SGR_BOLD "\033[1m"
#define SGR_RESET "\033[0m"

static void
text_ids (FILE *out, const struct rule *rule)
{
  if (rule == NULL)
    return;
  if (rule->cis != NULL)
    fprintf (out, "  CIS %s", rule->cis);
  if (rule->pss != NULL)
    fprintf (out, "  PSS %s", rule->pss);
}

static void
text_finding (FILE *out, const struct check_item *it, const struct finding *f,
              const struct paint *p)
{
  size_t line = 0, column = 0;

  check_report_position (it->original, f->path, &line, &column);
  fprintf (out, "    %s%s%s", sgr (p, SGR_BOLD), f->rule ? f->rule->id : "ocigate",
           sgr (p, SGR_RESET));
  text_ids (out, f->rule);
  fprintf (out, "  %s", f->path[0] != '\0' ? f->path : "(document)");
  if (line > 0)
    fprintf (out, " (line %zu, column %zu)", line, column);
  fprintf (out, "\n      %s\n", f->message);
  if (f->rule != NULL && f->rule->hint != NULL && !f->note)
    fprintf (out, "      %shint: %s%s\n", sgr (p, SGR_DIM), f->rule->hint, sgr (p, SGR_RESET));
}

static void
text_group (FILE *out, const struct check_item *it, const char *title, const struct findings *l,
            const char *colour, const struct paint *p)
{
  if (l->n == 0)
    return;
  fprintf (out, "  %s%s%s\n", sgr (p, colour), title, sgr (p, SGR_RESET));
  for (size_t i = 0; i < l->n; i++)
    text_finding (out, it, &l->items[i], p);
}

/* "denied", "allowed after rewrites", ...: what the node would do.  */
static void
text_verdict (FILE *out, const struct check_item *it, const struct paint *p)
{
  const struct decision *d = it->decision;
  bool audit = it->policy->mode == MODE_AUDIT;
  const char *colour = d->verdict == VERDICT_DENY      ? SGR_RED
                       : d->verdict == VERDICT_REWRITE ? SGR_YELLOW
                                                       : SGR_GREEN;
  const char *word = d->verdict == VERDICT_DENY ? (audit ? "would be denied: audit mode runs it "
                                                           "unchanged"
                                                         : "denied")
                     : d->verdict == VERDICT_REWRITE
                         ? (audit ? "allowed: audit mode runs it without the rewrites"
                                  : "allowed after rewrites")
                         : "allowed";

  fprintf (out,
           "%s: %s%s%s (profile %s, %s mode; %zu denied, %zu rewritten, %zu warned, %zu "
           "notes)\n",
           it->display, sgr (p, colour), word, sgr (p, SGR_RESET), it->policy->name,
           policy_mode_names[it->policy->mode], d->denied.n, d->fixed.n, d->warned.n, d->noted.n);
}

static void
text_item (FILE *out, const struct check_item *it, const struct paint *p)
{
  if (it->decision == NULL || it->policy == NULL)
    return; /* its error is the caller's to say, on stderr */
  text_verdict (out, it, p);
  text_group (out, it, "denied", &it->decision->denied, SGR_RED, p);
  text_group (out, it, "rewritten", &it->decision->fixed, SGR_YELLOW, p);
  text_group (out, it, "warned", &it->decision->warned, SGR_YELLOW, p);
  text_group (out, it, "notes", &it->decision->noted, SGR_DIM, p);
}

/* {"document", "verdict": "error", "error"}, one line.  */
static int
json_error_item (FILE *out, const struct check_item *it, ocg_error_t *err)
{
  struct jsonout o;
  int ret;

  jsonout_init (&o, false);
  jsonout_map_open (&o, NULL);
  jsonout_kv (&o, "document", it->display);
  jsonout_kv (&o, "verdict", "error");
  jsonout_kv (&o, "error", it->error);
  jsonout_map_close (&o);
  ret = jsonout_write (&o, out, "the report", err);
  jsonout_release (&o);
  return ret;
}

int
check_report_write (FILE *out, enum out_format format, const struct check_item *items, size_t n,
                    const struct check_report_options *opts, ocg_error_t *err)
{
  const struct paint p = { .on = opts->color };

  if (format == OUT_SARIF)
    return check_sarif_write (out, items, n, opts, err);
  for (size_t i = 0; i < n; i++)
    if (format == OUT_TEXT)
      text_item (out, &items[i], &p);
    else if (items[i].record != NULL)
      fprintf (out, "%s\n", items[i].record);
    else if (items[i].error != NULL && json_error_item (out, &items[i], err) < 0)
      return -1;
  if (fflush (out) == EOF || ferror (out))
    return ocg_error_set (err, errno, "write the report");
  return 0;
}
