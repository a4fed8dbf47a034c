/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The error object: see err.h for the contract.  */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "util.h"

static char *
vformat (const char *fmt, va_list ap)
{
  char *s = NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  if (vasprintf (&s, fmt, ap) < 0)
    ocg_oom ();
#pragma GCC diagnostic pop
  return s;
}

int
ocg_error_set (ocg_error_t *err, int status, const char *fmt, ...)
{
  va_list ap;

  if (err == NULL)
    return -1;
  ocg_error_free (err);
  *err = xmalloc (sizeof (**err));
  va_start (ap, fmt);
  (*err)->msg = vformat (fmt, ap);
  va_end (ap);
  (*err)->status = status;
  return -1;
}

int
ocg_error_wrap (ocg_error_t *err, const char *fmt, ...)
{
  cleanup_free char *prefix = NULL;
  char *joined;
  va_list ap;

  if (err == NULL || *err == NULL)
    return -1;
  va_start (ap, fmt);
  prefix = vformat (fmt, ap);
  va_end (ap);
  joined = xasprintf ("%s: %s", prefix, (*err)->msg);
  free ((*err)->msg);
  (*err)->msg = joined;
  return -1;
}

char *
ocg_error_text (const ocg_error_t err)
{
  if (err == NULL)
    return xstrdup ("unknown error");
  if (err->status != 0)
    return xasprintf ("%s: %s", err->msg, strerror (err->status));
  return xstrdup (err->msg);
}

void
ocg_error_free (ocg_error_t *err)
{
  if (err == NULL || *err == NULL)
    return;
  free ((*err)->msg);
  free (*err);
  *err = NULL;
}
