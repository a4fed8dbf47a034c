/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The canonical encoding of the seccomp rule's plan keys and values (see seccomp_canon.h).  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "seccomp_canon.h"
#include "util.h"

/* Room for n more bytes and the NUL: where they go.  */
static char *
canon_reserve (struct canon *c, size_t n)
{
  if (c->len + n + 1 > c->cap)
    {
      c->cap = (c->len + n + 1) * 2 > 256 ? (c->len + n + 1) * 2 : 256;
      c->buf = xrealloc (c->buf, c->cap);
    }
  return c->buf + c->len;
}

/* Close what was written up to p.  */
static void
canon_end (struct canon *c, char *p)
{
  *p = '\0';
  c->len = (size_t)(p - c->buf);
}

/* Decimal digits of v at p (snprintf would cost a few hundred instructions per item): the end.  */
static char *
put_decimal (char *p, unsigned long long v)
{
  char tmp[20];
  size_t i = sizeof (tmp);

  if (v < 10)
    {
      *p = (char)('0' + v);
      return p + 1;
    }
  if (v < 100)
    {
      p[0] = (char)('0' + v / 10);
      p[1] = (char)('0' + v % 10);
      return p + 2;
    }
  do
    tmp[--i] = (char)('0' + v % 10);
  while ((v /= 10) != 0);
  memcpy (p, tmp + i, sizeof (tmp) - i);
  return p + (sizeof (tmp) - i);
}

static void
canon_put (struct canon *c, char byte)
{
  char *p = canon_reserve (c, 1);

  *p++ = byte;
  canon_end (c, p);
}

void
canon_release (struct canon *c)
{
  free (c->buf);
  *c = (struct canon){ 0 };
}

void
canon_bytes (struct canon *c, char tag, const char *s, size_t len)
{
  char *p = canon_reserve (c, len + 22);

  *p++ = tag;
  p = put_decimal (p, len);
  *p++ = ':';
  memcpy (p, s, len);
  canon_end (c, p + len);
}

void
canon_str (struct canon *c, char tag, const char *s)
{
  size_t len = strlen (s) + 1;
  char *p = canon_reserve (c, len + 1);

  *p++ = tag;
  memcpy (p, s, len);
  canon_end (c, p + len);
}

void
canon_uint (struct canon *c, char tag, unsigned long long v)
{
  char *p = canon_reserve (c, 22);

  *p++ = tag;
  p = put_decimal (p, v);
  *p++ = ';';
  canon_end (c, p);
}

void
canon_tree (struct canon *c, const struct json_node *node)
{
  static const char scalar[] = { [JSON_NULL] = 'n', [JSON_NUMBER] = '#', [JSON_STRING] = '"' };

  if (node == NULL)
    return canon_put (c, '-');
  switch (node->type)
    {
    case JSON_NULL:
      return canon_put (c, scalar[JSON_NULL]);
    case JSON_BOOL:
      return canon_put (c, node->boolean ? 't' : 'f');
    case JSON_NUMBER:
    case JSON_STRING:
      return canon_str (c, scalar[node->type], node->text);
    case JSON_ARRAY:
    case JSON_OBJECT:
      canon_uint (c, node->type == JSON_ARRAY ? '[' : '{', node->n);
      for (size_t i = 0; i < node->n; i++)
        {
          if (node->type == JSON_OBJECT)
            canon_str (c, 'k', node->keys[i]);
          canon_tree (c, node->items[i]);
        }
      return;
    }
}

/* ---- reading back ---- */

/* At least one digit, no leading zero but for 0 itself, then `end`.  */
static bool
take_decimal (struct uncanon *u, char tag, char end, unsigned long long *v)
{
  const char *start;

  if (u->p >= u->end || *u->p != tag)
    return false;
  start = ++u->p;
  *v = 0;
  for (; u->p < u->end && *u->p >= '0' && *u->p <= '9'; u->p++)
    {
      if (*v > (~0ull - 9) / 10)
        return false;
      *v = *v * 10 + (unsigned)(*u->p - '0');
    }
  if (u->p == start || u->p >= u->end || *u->p != end || (*start == '0' && u->p - start > 1))
    return false;
  u->p++;
  return true;
}

bool
uncanon_bytes (struct uncanon *u, char tag, const char **s, size_t *len)
{
  unsigned long long n = 0;

  if (!take_decimal (u, tag, ':', &n) || n > (size_t)(u->end - u->p))
    return false;
  *s = u->p;
  *len = n;
  u->p += n;
  return true;
}

bool
uncanon_str (struct uncanon *u, char tag, char **out)
{
  const char *nul;

  if (u->p >= u->end || *u->p != tag
      || (nul = memchr (u->p + 1, '\0', (size_t)(u->end - u->p - 1))) == NULL)
    return false;
  *out = xstrndup (u->p + 1, (size_t)(nul - u->p - 1));
  u->p = nul + 1;
  return true;
}

bool
uncanon_uint (struct uncanon *u, char tag, unsigned long long *v)
{
  return take_decimal (u, tag, ';', v);
}

static bool uncanon_value (struct uncanon *u, size_t depth, struct json_node **out);

/* The members or elements of a container already made in *out.  */
static bool
uncanon_members (struct uncanon *u, size_t depth, struct json_node *node, unsigned long long n)
{
  for (unsigned long long i = 0; i < n; i++)
    {
      cleanup_free char *key = NULL;
      struct json_node *item = NULL;

      if ((node->type == JSON_OBJECT && !uncanon_str (u, 'k', &key))
          || !uncanon_value (u, depth + 1, &item))
        return false;
      if (node->type == JSON_OBJECT)
        json_obj_append (node, steal_pointer (&key), item);
      else
        json_arr_append (node, item);
    }
  return true;
}

static bool
uncanon_container (struct uncanon *u, size_t depth, struct json_node **out)
{
  bool array = *u->p == '[';
  unsigned long long n = 0;

  /* Every member takes at least one byte: a count beyond the bytes left is a lie.  */
  if (depth >= JSON_MAX_DEPTH_LIMIT || !uncanon_uint (u, *u->p, &n) || n > (size_t)(u->end - u->p))
    return false;
  *out = array ? json_new_array () : json_new_object ();
  if (uncanon_members (u, depth, *out, n))
    return true;
  json_free (*out);
  *out = NULL;
  return false;
}

static bool
uncanon_value (struct uncanon *u, size_t depth, struct json_node **out)
{
  cleanup_free char *text = NULL;
  char tag = u->p < u->end ? *u->p : '\0';

  *out = NULL;
  if (tag == 'n' || tag == 't' || tag == 'f')
    {
      u->p++;
      *out = tag == 'n' ? json_new_null () : json_new_bool (tag == 't');
      return true;
    }
  if (tag == '[' || tag == '{')
    return uncanon_container (u, depth, out);
  if ((tag != '#' && tag != '"') || !uncanon_str (u, tag, &text))
    return false;
  if (tag == '#')
    *out = json_new_number_text (text);
  else if (json_utf8_valid (text, strlen (text)))
    *out = json_new_string (text);
  return *out != NULL;
}

/* The decimal at u ended by `end` (the matcher's reading of what canon_decimal wrote: at most 19
 * digits, so no overflow).  */
static inline bool
match_decimal (struct uncanon *u, char tag, char end, size_t *v)
{
  const char *p = u->p, *stop;

  if (p >= u->end || *p++ != tag)
    return false;
  stop = u->end - p > 19 ? p + 19 : u->end;
  for (*v = 0; p < stop && *p >= '0' && *p <= '9'; p++)
    *v = *v * 10 + (size_t)(*p - '0');
  if (p == u->p + 1 || p >= u->end || *p != end)
    return false;
  u->p = p + 1;
  return true;
}

/* Does the text at u hold `text` as an item of `tag`?  Compared byte by byte up to text's NUL,
 * which must be the encoding's too: the loop stops at the first difference or at text's end, and
 * the encoding (canon_end) is NUL-terminated, so no byte past either end is read.  */
static inline bool
match_text (struct uncanon *u, char tag, const char *text)
{
  const char *p = u->p + 1;
  size_t i = 0;

  if (u->p >= u->end || *u->p != tag)
    return false;
  for (; text[i] == p[i]; i++)
    if (text[i] == '\0')
      {
        if (p + i >= u->end)
          return false;
        u->p = p + i + 1;
        return true;
      }
  return false;
}

static bool
match_container (struct uncanon *u, const struct json_node *node)
{
  size_t n = 0;

  if (!match_decimal (u, node->type == JSON_ARRAY ? '[' : '{', ';', &n) || n != node->n)
    return false;
  for (size_t i = 0; i < node->n; i++)
    {
      const struct json_node *item = node->items[i];

      if (node->type == JSON_OBJECT && !match_text (u, 'k', node->keys[i]))
        return false;
      if (item->type == JSON_STRING ? !match_text (u, '"', item->text)
                                    : !canon_tree_matches (u, item))
        return false;
    }
  return true;
}

bool
canon_tree_matches (struct uncanon *u, const struct json_node *node)
{
  char want = node == NULL ? '-' : node->type == JSON_NULL ? 'n' : 't';

  if (node != NULL && node->type == JSON_BOOL)
    want = node->boolean ? 't' : 'f';
  if (node != NULL && (node->type == JSON_NUMBER || node->type == JSON_STRING))
    return match_text (u, node->type == JSON_NUMBER ? '#' : '"', node->text);
  if (node != NULL && (node->type == JSON_ARRAY || node->type == JSON_OBJECT))
    return match_container (u, node);
  if (u->p >= u->end || *u->p != want)
    return false;
  u->p++;
  return true;
}

bool
uncanon_tree (struct uncanon *u, struct json_node **out)
{
  if (u->p < u->end && *u->p == '-')
    {
      u->p++;
      *out = NULL;
      return true;
    }
  return uncanon_value (u, 0, out);
}
