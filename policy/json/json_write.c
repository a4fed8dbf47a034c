/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing a JSON tree into a yajl_gen, numbers from their original text, every status checked.
 *
 * Owns: json_gen_value and the one way to make a generator (json_gen_new), for the records that
 * embed a tree in their own generator; json_print.c writes whole documents.
 * Must not: know the OCI schema or do file I/O.
 *
 * Recursion: gen_node recurses once per nesting level, and a tree is at most
 * JSON_MAX_DEPTH_LIMIT deep (json.h).  */
#include <config.h>

#include <string.h>

#include <yajl/yajl_gen.h>

#include "json.h"
#include "util.h"

static yajl_gen_status gen_node (yajl_gen gen, const struct json_node *node);

/* yajl_gen_validate_utf8 uses yajl's loose check (yajl_encode.c yajl_string_validate_utf8 lets
 * overlong forms and encoded surrogates through), so a string built in memory is checked
 * strictly here: what we write must read back the same in Go.  */
static yajl_gen_status
gen_string (yajl_gen gen, const char *s)
{
  size_t len = s ? strlen (s) : 0;

  if (s == NULL || !json_utf8_valid (s, len))
    return yajl_gen_invalid_string;
  return yajl_gen_string (gen, (const unsigned char *)s, len);
}

/* yajl_gen_number prints its argument verbatim as one value, which is how an empty container is
 * written as `{}` / `[]` rather than yajl's beautified "{\n\n}".  */
static yajl_gen_status
gen_container (yajl_gen gen, const struct json_node *node)
{
  bool obj = node->type == JSON_OBJECT;
  yajl_gen_status st;

  if (node->n == 0)
    return yajl_gen_number (gen, obj ? "{}" : "[]", 2);
  st = obj ? yajl_gen_map_open (gen) : yajl_gen_array_open (gen);
  for (size_t i = 0; st == yajl_gen_status_ok && i < node->n; i++)
    {
      if (obj)
        st = gen_string (gen, node->keys[i]);
      if (st == yajl_gen_status_ok)
        st = gen_node (gen, node->items[i]);
    }
  if (st != yajl_gen_status_ok)
    return st;
  return obj ? yajl_gen_map_close (gen) : yajl_gen_array_close (gen);
}

static yajl_gen_status
gen_node (yajl_gen gen, const struct json_node *node)
{
  if (node == NULL)
    return yajl_gen_invalid_number;
  switch (node->type)
    {
    case JSON_NULL:
      return yajl_gen_null (gen);
    case JSON_BOOL:
      return yajl_gen_bool (gen, node->boolean);
    case JSON_NUMBER:
      /* Written verbatim, so never trust the text blindly.  */
      if (node->text == NULL || !json_number_text_valid (node->text))
        return yajl_gen_invalid_number;
      return yajl_gen_number (gen, node->text, strlen (node->text));
    case JSON_STRING:
      return gen_string (gen, node->text);
    case JSON_OBJECT:
    case JSON_ARRAY:
      return gen_container (gen, node);
    }
  return yajl_gen_invalid_number;
}

int
json_gen_value (struct yajl_gen_t *gen, const struct json_node *node)
{
  return gen_node (gen, node) == yajl_gen_status_ok ? 0 : -1;
}

struct yajl_gen_t *
json_gen_new (bool pretty)
{
  yajl_gen gen = yajl_gen_alloc (NULL);

  if (gen == NULL)
    ocg_oom ();
  if (pretty)
    {
      yajl_gen_config (gen, yajl_gen_beautify, 1);
      yajl_gen_config (gen, yajl_gen_indent_string, "  ");
    }
  yajl_gen_config (gen, yajl_gen_validate_utf8, 1);
  return gen;
}

void
json_gen_freep (struct yajl_gen_t **gen)
{
  if (*gen != NULL)
    yajl_gen_free (*gen);
}

/* What one byte becomes in a string yajl writes (yajl_encode.c yajl_string_encode, without
 * yajl_gen_escape_solidus): `"`, `\` and five control characters as two bytes, the other control
 * characters as `\u00XX`, everything else as itself.  */
static size_t
escaped_width (unsigned char c)
{
  if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
    return 2;
  return c < 0x20 ? 6 : 1;
}

size_t
json_escaped_length (const char *s)
{
  size_t n = 0;

  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
    n += escaped_width (*p);
  return n;
}

char *
json_cut_string (const char *s, size_t max)
{
  size_t len = strlen (s), keep = 0, width = 0;
  char marker[48];

  /* Whether it fits is known once `max` is passed: a long string is not read to its end.  */
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && width <= max; p++)
    width += escaped_width (*p);
  if (width <= max)
    return NULL;
  width = 0;
  /* The marker's own length depends on the count, which is at most len: reserve for that.  */
  snprintf (marker, sizeof (marker), JSON_CUT_MARKER, len);
  while (keep < len && width + escaped_width ((unsigned char)s[keep]) + strlen (marker) <= max)
    width += escaped_width ((unsigned char)s[keep++]);
  /* Never split a UTF-8 sequence: back up to the first byte of the one cut through.  */
  while (keep > 0 && keep < len && ((unsigned char)s[keep] & 0xc0) == 0x80)
    keep--;
  snprintf (marker, sizeof (marker), JSON_CUT_MARKER, len - keep);
  return xasprintf ("%.*s%s", (int)keep, s, marker);
}
