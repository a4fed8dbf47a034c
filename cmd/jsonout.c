/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A JSON document written with yajl (see jsonout.h).  */
#include <config.h>

#include <errno.h>

#include "json.h"
#include "jsonout.h"
#include "util.h"

static void
keep (struct jout *o, yajl_gen_status st)
{
  if (o->st == yajl_gen_status_ok)
    o->st = st;
}

void
jout_init (struct jout *o)
{
  o->g = json_gen_new (true);
  o->st = yajl_gen_status_ok;
}

void
jo_open (struct jout *o, bool map)
{
  keep (o, map ? yajl_gen_map_open (o->g) : yajl_gen_array_open (o->g));
}

void
jo_close (struct jout *o, bool map)
{
  keep (o, map ? yajl_gen_map_close (o->g) : yajl_gen_array_close (o->g));
}

void
jo_str (struct jout *o, const char *s)
{
  if (s == NULL)
    keep (o, yajl_gen_null (o->g));
  else
    keep (o, yajl_gen_string (o->g, (const unsigned char *)s, strlen (s)));
}

void
jo_kv (struct jout *o, const char *key, const char *value)
{
  jo_str (o, key);
  jo_str (o, value);
}

void
jo_kn (struct jout *o, const char *key, long long value)
{
  jo_str (o, key);
  keep (o, yajl_gen_integer (o->g, value));
}

void
jo_kb (struct jout *o, const char *key, bool value)
{
  jo_str (o, key);
  keep (o, yajl_gen_bool (o->g, value));
}

void
jo_value (struct jout *o, const struct json_node *v)
{
  if (v == NULL)
    jo_str (o, NULL);
  else if (o->st == yajl_gen_status_ok && json_gen_value (o->g, v) < 0)
    o->st = yajl_gen_invalid_string;
}

void
jo_text (struct jout *o, const char *key, const char *text)
{
  jo_str (o, key);
  jo_open (o, true);
  jo_kv (o, "text", text);
  jo_close (o, true);
}

int
jout_finish (struct jout *o, FILE *out, const char *what, ocg_error_t *err)
{
  const unsigned char *buf = NULL;
  size_t len = 0;
  int r = 0;

  keep (o, yajl_gen_get_buf (o->g, &buf, &len));
  if (o->st != yajl_gen_status_ok)
    r = ocg_error_set (err, 0, "write the %s: a string that is not UTF-8", what);
  else if (fwrite (buf, 1, len, out) != len || fputc ('\n', out) == EOF || fflush (out) != 0)
    r = ocg_error_set (err, errno, "write the %s", what);
  json_gen_freep (&o->g);
  o->g = NULL;
  return r;
}
