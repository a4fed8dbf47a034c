/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One JSON document written with yajl (see jsonout.h).  */
#include <config.h>

#include <errno.h>
#include <string.h>

#include "json.h"
#include "jsonout.h"

void
jsonout_init (struct jsonout *o, bool pretty)
{
  o->g = json_gen_new (pretty);
  o->st = yajl_gen_status_ok;
}

void
jsonout_release (struct jsonout *o)
{
  json_gen_freep (&o->g);
}

void
jsonout_keep (struct jsonout *o, yajl_gen_status st)
{
  if (o->st == yajl_gen_status_ok)
    o->st = st;
}

void
jsonout_str (struct jsonout *o, const char *s)
{
  if (s == NULL)
    jsonout_keep (o, yajl_gen_null (o->g));
  else
    jsonout_keep (o, yajl_gen_string (o->g, (const unsigned char *)s, strlen (s)));
}

void
jsonout_kv (struct jsonout *o, const char *k, const char *v)
{
  jsonout_str (o, k);
  jsonout_str (o, v);
}

void
jsonout_kn (struct jsonout *o, const char *k, long long n)
{
  jsonout_str (o, k);
  jsonout_keep (o, yajl_gen_integer (o->g, n));
}

void
jsonout_kb (struct jsonout *o, const char *k, bool b)
{
  jsonout_str (o, k);
  jsonout_keep (o, yajl_gen_bool (o->g, b));
}

void
jsonout_map_open (struct jsonout *o, const char *key)
{
  if (key != NULL)
    jsonout_str (o, key);
  jsonout_keep (o, yajl_gen_map_open (o->g));
}

void
jsonout_map_close (struct jsonout *o)
{
  jsonout_keep (o, yajl_gen_map_close (o->g));
}

void
jsonout_array_open (struct jsonout *o, const char *key)
{
  if (key != NULL)
    jsonout_str (o, key);
  jsonout_keep (o, yajl_gen_array_open (o->g));
}

void
jsonout_array_close (struct jsonout *o)
{
  jsonout_keep (o, yajl_gen_array_close (o->g));
}

void
jsonout_value (struct jsonout *o, const struct json_node *v)
{
  if (v == NULL)
    jsonout_str (o, NULL);
  else if (o->st == yajl_gen_status_ok && json_gen_value (o->g, v) < 0)
    o->st = yajl_gen_invalid_string;
}

void
jsonout_text (struct jsonout *o, const char *key, const char *text)
{
  jsonout_map_open (o, key);
  jsonout_kv (o, "text", text);
  jsonout_map_close (o);
}

int
jsonout_write (struct jsonout *o, FILE *out, const char *what, ocg_error_t *err)
{
  const unsigned char *buf = NULL;
  size_t len = 0;

  jsonout_keep (o, yajl_gen_get_buf (o->g, &buf, &len));
  if (o->st != yajl_gen_status_ok)
    return ocg_error_set (err, 0, "write %s: it holds text that is not UTF-8", what);
  if (fwrite (buf, 1, len, out) != len || fputc ('\n', out) == EOF || fflush (out) == EOF)
    return ocg_error_set (err, errno, "write %s", what);
  return 0;
}

int
jsonout_finish (struct jsonout *o, FILE *out, const char *what, ocg_error_t *err)
{
  int r = jsonout_write (o, out, what, err);

  jsonout_release (o);
  return r;
}
