/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocation helpers that abort on OOM (see util.h).  */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>

#include "util.h"

void
ocg_oom (void)
{
  static const char msg[] = "ocigate: out of memory\n";
  /* No stdio: the heap is exhausted.  */
  if (write (STDERR_FILENO, msg, sizeof (msg) - 1) < 0)
    _exit (2);
  _exit (2);
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    ocg_oom ();
  return p;
}

void *
xzalloc (size_t size)
{
  void *p = calloc (1, size ? size : 1);
  if (p == NULL)
    ocg_oom ();
  return p;
}

void *
xrealloc (void *p, size_t size)
{
  void *q = realloc (p, size ? size : 1);
  if (q == NULL)
    ocg_oom ();
  return q;
}

void *
xreallocarray (void *p, size_t n, size_t size)
{
  if (size != 0 && n > SIZE_MAX / size)
    ocg_oom ();
  return xrealloc (p, n * size);
}

char *
xstrdup (const char *s)
{
  char *p = strdup (s);
  if (p == NULL)
    ocg_oom ();
  return p;
}

char *
xstrndup (const char *s, size_t n)
{
  char *p = strndup (s, n);
  if (p == NULL)
    ocg_oom ();
  return p;
}

char *
xasprintf (const char *fmt, ...)
{
  char *s = NULL;
  va_list ap;

  va_start (ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (vasprintf (&s, fmt, ap) < 0)
    ocg_oom ();
#pragma GCC diagnostic pop
  va_end (ap);
  return s;
}

size_t
strv_length (const char *const *v)
{
  size_t n = 0;

  while (v != NULL && v[n] != NULL)
    n++;
  return n;
}

bool
strv_contains (const char *const *v, const char *s)
{
  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    if (str_eq (v[i], s))
      return true;
  return false;
}

char **
strv_dup (const char *const *v)
{
  size_t n = strv_length (v);
  char **out;

  if (v == NULL)
    return NULL;
  out = xreallocarray (NULL, n + 1, sizeof (*out));
  for (size_t i = 0; i < n; i++)
    out[i] = xstrdup (v[i]);
  out[n] = NULL;
  return out;
}

void
strv_add (char ***v, const char *s)
{
  size_t n = strv_length ((const char *const *)*v);

  *v = xreallocarray (*v, n + 2, sizeof (char *));
  (*v)[n] = xstrdup (s);
  (*v)[n + 1] = NULL;
}
