/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the audit trail back (see audit_trail.h).  */
#include <config.h>

#include <errno.h>

#include "audit_trail.h"
#include "util.h"

static const char *
member_text (const struct json_node *obj, const char *key)
{
  const struct json_node *v = json_obj_get (obj, key);

  return v != NULL && v->type == JSON_STRING ? v->text : NULL;
}

/* A time as written: a string, or a number (seconds or microseconds since the epoch) kept as its
 * text.  */
static const char *
member_time (const struct json_node *obj)
{
  const struct json_node *v = json_obj_get (obj, "time");

  return v != NULL && (v->type == JSON_STRING || v->type == JSON_NUMBER) ? v->text : NULL;
}

/* The rule ids of a findings list: objects with a string "rule" (a note of ocigate's own has a
 * null one, and names no rule), or plain strings.  */
static char **
rule_ids (const struct json_node *list)
{
  char **ids = xzalloc (sizeof (char *));

  for (size_t i = 0; list != NULL && list->type == JSON_ARRAY && i < list->n; i++)
    {
      const struct json_node *f = list->items[i];
      const char *id = f->type == JSON_STRING ? f->text : member_text (f, "rule");

      if (id != NULL && id[0] != '\0')
        strv_add (&ids, id);
    }
  return ids;
}

static char **
strings (const struct json_node *list)
{
  char **v = xzalloc (sizeof (char *));

  for (size_t i = 0; list != NULL && list->type == JSON_ARRAY && i < list->n; i++)
    if (list->items[i]->type == JSON_STRING)
      strv_add (&v, list->items[i]->text);
  return v;
}

int
trail_record_parse (const char *line, size_t len, struct trail_record *out)
{
  struct json_parse_opts o = { .source = "audit record", .allow_duplicates = true };
  cleanup_error ocg_error_t err = NULL;
  struct json_node *root = json_parse (line, len, &o, &err);
  const struct json_node *executed, *workload;

  memset (out, 0, sizeof (*out));
  if (root == NULL || root->type != JSON_OBJECT)
    return json_free (root), -1;
  out->root = root;
  out->verb = member_text (root, "verb");
  out->container = member_text (root, "container");
  out->mode = member_text (root, "mode");
  out->verdict = member_text (root, "verdict");
  out->policy = member_text (root, "policy");
  out->time = member_time (root);
  out->host = member_text (root, "hostname") ? member_text (root, "hostname")
                                             : member_text (root, "host");
  out->error = member_text (root, "error");
  executed = json_obj_get (root, "executed");
  out->executed = executed != NULL && executed->type == JSON_BOOL && executed->boolean;
  workload = json_obj_get (root, "workload");
  out->workload = workload != NULL && workload->type == JSON_OBJECT ? workload : NULL;
  out->denied = rule_ids (json_obj_get (root, "denied"));
  out->rewritten = rule_ids (json_obj_get (root, "rewritten"));
  out->warned = rule_ids (json_obj_get (root, "warned"));
  out->exemptions = strings (json_obj_get (root, "exemptions"));
  return 0;
}

void
trail_record_release (struct trail_record *r)
{
  strv_free (r->denied);
  strv_free (r->rewritten);
  strv_free (r->warned);
  strv_free (r->exemptions);
  json_free (r->root);
  memset (r, 0, sizeof (*r));
}

bool
trail_record_is_creation (const struct trail_record *r)
{
  return r->executed && r->container != NULL && r->verb != NULL
         && (str_eq (r->verb, "create") || str_eq (r->verb, "run") || str_eq (r->verb, "restore"));
}

int
trail_read (FILE *f, const char *name, void (*fn) (void *ctx, const struct trail_record *r),
            void *ctx, size_t *skipped, ocg_error_t *err)
{
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  errno = 0;
  while ((n = getline (&line, &cap, f)) > 0)
    {
      struct trail_record r;

      if ((size_t)n == 1 && line[0] == '\n')
        continue;
      if ((size_t)n >= TRAIL_LINE_MAX || trail_record_parse (line, (size_t)n, &r) < 0)
        {
          (*skipped)++;
          continue;
        }
      fn (ctx, &r);
      trail_record_release (&r);
    }
  if (ferror (f))
    return ocg_error_set (err, errno, "read `%s`", name);
  return 0;
}
