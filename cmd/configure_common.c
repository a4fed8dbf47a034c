/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the engine parts of `ocigate runtime configure` (configure_*.c) share with the command
 * (runtime_configure.c), kept apart so that the parts never include the command that calls them:
 * the notes printed after the plan and the record's objects.  */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "configure.h"
#include "util.h"

void
configure_note (struct configure *c, const char *fmt, ...)
{
  cleanup_free char *line = NULL;
  char *more;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&line, fmt, ap) < 0)
    ocg_oom ();
  va_end (ap);
  more = xasprintf ("%s  %s\n", c->notes ? c->notes : "", line);
  free (c->notes);
  c->notes = more;
}

struct json_node *
configure_record_obj (struct configure *c, const char *key)
{
  struct json_node *o = json_obj_get (c->record, key);

  if (o == NULL || o->type != JSON_OBJECT)
    json_obj_set (c->record, key, o = json_new_object ());
  return o;
}
