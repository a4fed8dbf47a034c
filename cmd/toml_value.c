/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TOML values: strings, booleans, numbers and date-times (kept as written), arrays and inline
 * tables (see toml_internal.h).  */
#include <config.h>

#include "toml_internal.h"
#include "util.h"

static bool
token_char (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
         || c == '+' || c == '-' || c == '.' || c == ':';
}

/* "1979-05-27 07:32:00": TOML lets a space stand for the `T` of a date-time.  */
static bool
date_space (const struct tp *p, size_t start)
{
  size_t n = p->pos - start;
  const char *s = p->buf + start;

  return n == 10 && s[4] == '-' && s[7] == '-' && tp_peek (p) == ' ' && tp_peek_at (p, 1) >= '0'
         && tp_peek_at (p, 1) <= '9' && tp_peek_at (p, 3) == ':';
}

/* The shape of an integer, a float, inf/nan or a date-time; the engines' decoders check the
 * rest, and `ocigate runtime configure` writes such tokens back verbatim.  */
static bool
token_valid (const char *t)
{
  const char *s = t + (t[0] == '+' || t[0] == '-');

  if (strcmp (s, "inf") == 0 || strcmp (s, "nan") == 0)
    return true;
  if (s[0] < '0' || s[0] > '9')
    return false;
  for (const char *c = s; *c != '\0'; c++)
    if (*c == '_' && (c == s || c[1] == '\0' || c[1] == '_' || !token_char (c[1])))
      return false;
  return true;
}

static struct json_node *
token (struct tp *p)
{
  size_t start = p->pos;
  cleanup_free char *text = NULL;
  struct json_node *n;

  while (token_char (tp_peek (p)))
    {
      p->pos++;
      if (date_space (p, start))
        p->pos++;
    }
  text = xstrndup (p->buf + start, p->pos - start);
  if (str_eq (text, "true") || str_eq (text, "false"))
    return json_new_bool (text[0] == 't');
  if (text[0] == '\0' || !token_valid (text))
    {
      p->pos = start;
      return tp_fail (p, "expected a value"), NULL;
    }
  n = json_new_string (text);
  n->type = JSON_NUMBER;
  return n;
}

static void
record_element (struct tp *p, bool landmarks, size_t start)
{
  struct toml_top *t = p->top;

  if (!landmarks)
    return;
  t->elems = xreallocarray (t->elems, t->n_elems + 1, sizeof (*t->elems));
  t->elems[t->n_elems].start = start;
  t->elems[t->n_elems].end = p->pos;
  t->n_elems++;
}

static struct json_node *
array (struct tp *p, bool landmarks)
{
  struct json_node *arr = json_new_array ();

  if (landmarks)
    p->top->imports_open = p->pos;
  p->pos++;
  for (;;)
    {
      size_t start;
      struct json_node *v;

      tp_skip_blank (p);
      if (tp_peek (p) == ']')
        break;
      start = p->pos;
      v = tp_value (p, false);
      if (v == NULL)
        return json_free (arr), NULL;
      json_arr_append (arr, v);
      record_element (p, landmarks, start);
      tp_skip_blank (p);
      if (tp_peek (p) != ',')
        break;
      p->pos++;
    }
  if (tp_peek (p) != ']')
    return json_free (arr), tp_fail (p, "expected `,` or `]` in an array"), NULL;
  if (landmarks)
    p->top->imports_close = p->pos;
  p->pos++;
  return arr;
}

/* One `key = value` of an inline table into `t`; dotted keys make sub-tables.  */
static int
inline_member (struct tp *p, struct json_node *t)
{
  cleanup_strv char **parts = tp_key (p);
  struct json_node *v;
  size_t i;

  if (parts == NULL)
    return -1;
  if (tp_peek (p) != '=')
    return tp_fail (p, "expected `=` in an inline table");
  p->pos++;
  tp_skip_ws (p);
  for (i = 0; parts[i + 1] != NULL; i++)
    {
      struct json_node *next = json_obj_get (t, parts[i]);
      if (next == NULL)
        json_obj_append (t, xstrdup (parts[i]), next = json_new_object ());
      if (next->type != JSON_OBJECT || tp_is_defined (p, next))
        return tp_fail (p, "`%s` is not a table that can be extended", parts[i]);
      t = next;
    }
  if (json_obj_get (t, parts[i]) != NULL)
    return tp_fail (p, "the key `%s` is defined twice", parts[i]);
  v = tp_value (p, false);
  if (v == NULL)
    return -1;
  json_obj_append (t, xstrdup (parts[i]), v);
  return 0;
}

/* `{ a = 1, b.c = "x" }`: on one line, no trailing comma (TOML 1.0 "Inline Table").  */
static struct json_node *
inline_table (struct tp *p)
{
  struct json_node *t = json_new_object ();

  p->pos++;
  tp_skip_ws (p);
  if (tp_peek (p) == '}')
    {
      p->pos++;
      tp_mark_defined (p, t);
      return t;
    }
  for (;;)
    {
      if (inline_member (p, t) < 0)
        return json_free (t), NULL;
      tp_skip_ws (p);
      if (tp_peek (p) == '}')
        break;
      if (tp_peek (p) != ',')
        return json_free (t), tp_fail (p, "expected `,` or `}` in an inline table"), NULL;
      p->pos++;
      tp_skip_ws (p);
    }
  p->pos++;
  tp_mark_defined (p, t);
  return t;
}

struct json_node *
tp_value (struct tp *p, bool landmarks)
{
  char c = tp_peek (p);
  struct json_node *v;

  if (c == '"' || c == '\'')
    {
      char *s = tp_string (p);
      if (s == NULL)
        return NULL;
      v = json_new_string (s);
      free (s);
      return v;
    }
  if (c != '[' && c != '{')
    return token (p);
  if (++p->depth > 64)
    return tp_fail (p, "values nested deeper than 64 levels"), NULL;
  v = c == '[' ? array (p, landmarks) : inline_table (p);
  p->depth--;
  return v;
}
