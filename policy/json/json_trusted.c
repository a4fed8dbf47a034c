/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json_parse_trusted(): the tree json_parse() builds, for the JSON ocigate ships inside itself
 * (the embedded seccomp profiles), without yajl and without the checks that only untrusted input
 * needs.  The embedded profiles are parsed on every judged call that loads a profile, and yajl's
 * events with json_parse()'s position tracking and defence-in-depth string checks cost 1.7 M
 * instructions for moby's 18 KB profile.
 *
 * Owns: one forward pass over a deliberately small subset of JSON -- ASCII strings without
 * escapes, integers, true/false/null, objects and arrays, the four JSON whitespace bytes -- that
 * builds nodes with json_parse()'s line and column.  Anything outside that subset (an escape, a
 * byte above 0x7E, a fraction, trailing bytes, nesting past JSON_DEFAULT_MAX_DEPTH) gives NULL,
 * and the caller parses with json_parse(), which judges it as it always did.  It does not look
 * for duplicate keys: tests/unit/test_json_trusted.c holds every embedded profile to the tree
 * json_parse() makes of it, refusals included.
 * Must not: be used for anything a caller hands in (documents, policy files, profiles on disk).  */
#include <config.h>

#include <string.h>

#include "json.h"
#include "util.h"

struct trusted
{
  const char *buf;
  size_t len;
  size_t off;
  size_t line;
  size_t line_start; /* offset just past the last newline */
};

static void
skip_space (struct trusted *t)
{
  for (; t->off < t->len; t->off++)
    {
      char c = t->buf[t->off];
      if (c == '\n')
        t->line++, t->line_start = t->off + 1;
      else if (c != ' ' && c != '\t' && c != '\r')
        return;
    }
}

/* The string whose opening quote is at t->off: true with its bytes at *from, *len long, and
 * t->off past the closing quote; false outside the subset.  */
static bool
string_span (struct trusted *t, size_t *from, size_t *len)
{
  *from = ++t->off;
  for (; t->off < t->len; t->off++)
    {
      unsigned char c = (unsigned char)t->buf[t->off];
      if (c == '"')
        return *len = t->off++ - *from, true;
      if (c < 0x20 || c > 0x7E || c == '\\')
        return false;
    }
  return false;
}

/* A key, malloc'd; NULL outside the subset.  */
static char *
take_key (struct trusted *t)
{
  size_t from, len;

  return string_span (t, &from, &len) ? xstrndup (t->buf + from, len) : NULL;
}

/* A string value: one allocation, node and text (json_new_string_len).  */
static struct json_node *
take_string (struct trusted *t)
{
  size_t from, len;

  return string_span (t, &from, &len) ? json_new_string_len (t->buf + from, len) : NULL;
}

/* An integer: -?(0|[1-9][0-9]*), not followed by a fraction or an exponent.  */
static struct json_node *
take_number (struct trusted *t)
{
  size_t from = t->off;

  if (t->buf[t->off] == '-')
    t->off++;
  if (t->off >= t->len || t->buf[t->off] < '0' || t->buf[t->off] > '9')
    return NULL;
  if (t->buf[t->off] == '0' && t->off + 1 < t->len && t->buf[t->off + 1] >= '0'
      && t->buf[t->off + 1] <= '9')
    return NULL;
  while (t->off < t->len && t->buf[t->off] >= '0' && t->buf[t->off] <= '9')
    t->off++;
  if (t->off < t->len && strchr (".eE", t->buf[t->off]) != NULL && t->buf[t->off] != '\0')
    return NULL;
  return json_new_number_len (t->buf + from, t->off - from);
}

static struct json_node *
take_word (struct trusted *t)
{
  static const struct
  {
    const char *word;
    enum json_type type;
    bool value;
  } words[] = { { "true", JSON_BOOL, true },
                { "false", JSON_BOOL, false },
                { "null", JSON_NULL, false } };

  for (size_t i = 0; i < ARRAY_SIZE (words); i++)
    {
      size_t n = strlen (words[i].word);
      if (t->len - t->off >= n && memcmp (t->buf + t->off, words[i].word, n) == 0)
        {
          t->off += n;
          return words[i].type == JSON_NULL ? json_new_null () : json_new_bool (words[i].value);
        }
    }
  return NULL;
}

static struct json_node *take_value (struct trusted *t, size_t depth);

/* The members of an object or the elements of an array, the opening bracket at t->off.  */
static bool
take_members (struct trusted *t, struct json_node *node, size_t depth)
{
  bool object = node->type == JSON_OBJECT;
  char close = object ? '}' : ']';

  t->off++;
  skip_space (t);
  if (t->off < t->len && t->buf[t->off] == close)
    return t->off++, true;
  for (;;)
    {
      cleanup_free char *key = NULL;
      struct json_node *value;

      if (object)
        {
          if (t->off >= t->len || t->buf[t->off] != '"' || (key = take_key (t)) == NULL)
            return false;
          skip_space (t);
          if (t->off >= t->len || t->buf[t->off++] != ':')
            return false;
        }
      if ((value = take_value (t, depth + 1)) == NULL)
        return false;
      if (object)
        json_obj_append (node, steal_pointer (&key), value);
      else
        json_arr_append (node, value);
      skip_space (t);
      if (t->off >= t->len)
        return false;
      if (t->buf[t->off] == close)
        return t->off++, true;
      if (t->buf[t->off++] != ',')
        return false;
      skip_space (t);
    }
}

static struct json_node *
take_value (struct trusted *t, size_t depth)
{
  struct json_node *node = NULL;
  size_t line, column;
  char c;

  skip_space (t);
  if (t->off >= t->len || depth >= JSON_DEFAULT_MAX_DEPTH)
    return NULL;
  line = t->line;
  column = t->off - t->line_start + 1;
  c = t->buf[t->off];
  if (c == '{' || c == '[')
    {
      node = c == '{' ? json_new_object () : json_new_array ();
      if (!take_members (t, node, depth))
        {
          json_free (node);
          return NULL;
        }
    }
  else if (c == '"')
    node = take_string (t);
  else if (c == '-' || (c >= '0' && c <= '9'))
    node = take_number (t);
  else
    node = take_word (t);
  if (node != NULL)
    node->line = line, node->column = column;
  return node;
}

struct json_node *
json_parse_trusted (const char *buf, size_t len)
{
  struct trusted t = { .buf = buf, .len = len, .line = 1 };
  struct json_node *root = buf != NULL ? take_value (&t, 0) : NULL;

  skip_space (&t);
  if (root != NULL && t.off == t.len)
    return root;
  json_free (root);
  return NULL;
}
