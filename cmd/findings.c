/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The findings list (see findings.h).  */
#include <config.h>

#include <stdarg.h>

#include "findings.h"
#include "util.h"

static const char *const names[SEV_COUNT] = { "info", "low", "medium", "high" };

const char *
severity_name (enum severity s)
{
  return s < SEV_COUNT ? names[s] : "info";
}

const struct doctor_check *
doctor_check_get (const char *id)
{
  for (size_t i = 0; i < doctor_n_checks; i++)
    if (strcmp (doctor_checks[i].id, id) == 0)
      return &doctor_checks[i];
  fprintf (stderr, "ocigate: internal error: unknown doctor check `%s`\n", id);
  abort ();
}

void
findings_add (struct findings_list *l, const char *id, enum severity sev, const char *subject,
              const char *location, const char *fix, const char *fmt, ...)
{
  struct doctor_finding *f;
  va_list ap;

  l->items = xreallocarray (l->items, l->n + 1, sizeof (*l->items));
  f = &l->items[l->n++];
  f->check = doctor_check_get (id);
  f->severity = sev;
  f->subject = xstrdup (subject ? subject : "host");
  f->location = location ? xstrdup (location) : NULL;
  f->fix = fix ? xstrdup (fix) : NULL;
  va_start (ap, fmt);
  if (vasprintf (&f->message, fmt, ap) < 0)
    ocg_oom ();
  va_end (ap);
}

size_t
findings_count (const struct findings_list *l, enum severity s)
{
  size_t n = 0;

  for (size_t i = 0; i < l->n; i++)
    n += l->items[i].severity == s;
  return n;
}

static int
compare (const void *pa, const void *pb)
{
  const struct doctor_finding *a = pa, *b = pb;

  if (a->severity != b->severity)
    return a->severity > b->severity ? -1 : 1;
  if (a->check != b->check)
    return a->check < b->check ? -1 : 1;
  if (strcmp (a->subject, b->subject) != 0)
    return strcmp (a->subject, b->subject);
  return strcmp (a->message, b->message);
}

void
findings_sort (struct findings_list *l)
{
  /* qsort is not stable: the message breaks the remaining ties so the order is reproducible.  */
  if (l->n > 1)
    qsort (l->items, l->n, sizeof (*l->items), compare);
}

void
findings_release (struct findings_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      free (l->items[i].subject);
      free (l->items[i].message);
      free (l->items[i].fix);
      free (l->items[i].location);
    }
  free (l->items);
  l->items = NULL;
  l->n = 0;
}
