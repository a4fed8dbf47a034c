/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The TOML lexer: whitespace, comments, strings and keys (see toml_internal.h).  String rules are
 * TOML 1.0's "String" section: escapes, control characters, multi-line trimming.  */
#include <config.h>

#include <stdarg.h>

#include "toml_internal.h"
#include "util.h"

struct sb
{
  char *s;
  size_t n;
  size_t cap;
};

static void
sb_putc (struct sb *b, char c)
{
  if (b->n + 2 > b->cap)
    b->s = xrealloc (b->s, b->cap = 2 * b->cap + 32);
  b->s[b->n++] = c;
  b->s[b->n] = '\0';
}

int
tp_fail (struct tp *p, const char *fmt, ...)
{
  size_t line = 1, col = 1;
  cleanup_free char *msg = NULL;
  va_list ap;

  for (size_t i = 0; i < p->pos && i < p->len; i++)
    if (p->buf[i] == '\n')
      line++, col = 1;
    else
      col++;
  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    ocg_oom ();
  va_end (ap);
  return ocg_error_set (p->err, 0, "%s:%zu:%zu: %s", p->source, line, col, msg);
}

char
tp_peek_at (const struct tp *p, size_t off)
{
  return p->pos + off < p->len ? p->buf[p->pos + off] : '\0';
}

char
tp_peek (const struct tp *p)
{
  return tp_peek_at (p, 0);
}

bool
tp_eof (const struct tp *p)
{
  return p->pos >= p->len;
}

void
tp_skip_ws (struct tp *p)
{
  while (tp_peek (p) == ' ' || tp_peek (p) == '\t')
    p->pos++;
}

bool
tp_at_newline (const struct tp *p)
{
  return tp_peek (p) == '\n' || (tp_peek (p) == '\r' && tp_peek_at (p, 1) == '\n');
}

void
tp_skip_newline (struct tp *p)
{
  p->pos += tp_peek (p) == '\r' ? 2 : 1;
}

static void
skip_comment (struct tp *p)
{
  if (tp_peek (p) != '#')
    return;
  while (!tp_eof (p) && !tp_at_newline (p))
    p->pos++;
}

void
tp_skip_blank (struct tp *p)
{
  for (;;)
    {
      tp_skip_ws (p);
      skip_comment (p);
      if (!tp_at_newline (p))
        return;
      tp_skip_newline (p);
    }
}

int
tp_end_of_line (struct tp *p)
{
  tp_skip_ws (p);
  skip_comment (p);
  if (tp_eof (p))
    return 0;
  if (!tp_at_newline (p))
    return tp_fail (p, "expected the end of the line, found `%c`", tp_peek (p));
  tp_skip_newline (p);
  return 0;
}

static void
put_utf8 (struct sb *b, unsigned long c)
{
  int n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  static const unsigned char lead[5] = { 0, 0, 0xc0, 0xe0, 0xf0 };

  if (n == 1)
    {
      sb_putc (b, (char)c);
      return;
    }
  sb_putc (b, (char)(lead[n] | (c >> (6 * (n - 1)))));
  for (int i = n - 2; i >= 0; i--)
    sb_putc (b, (char)(0x80 | ((c >> (6 * i)) & 0x3f)));
}

static int
hex_value (char h)
{
  if (h >= '0' && h <= '9')
    return h - '0';
  if (h >= 'a' && h <= 'f')
    return h - 'a' + 10;
  if (h >= 'A' && h <= 'F')
    return h - 'A' + 10;
  return -1;
}

static int
unicode_escape (struct tp *p, struct sb *b, int digits)
{
  unsigned long c = 0;

  for (int i = 0; i < digits; i++)
    {
      int v = hex_value (tp_peek (p));
      if (v < 0)
        return tp_fail (p, "invalid \\u escape");
      c = c * 16 + (unsigned long)v;
      p->pos++;
    }
  /* U+0000 too: the tree's strings are C strings, and no engine setting holds one.  */
  if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
    return tp_fail (p, "the escape names no allowed Unicode scalar value");
  put_utf8 (b, c);
  return 0;
}

static int
escape (struct tp *p, struct sb *b)
{
  static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
  char c = tp_peek (p);
  const char *i = c ? strchr (from, c) : NULL;

  if (i != NULL)
    {
      p->pos++;
      sb_putc (b, to[i - from]);
      return 0;
    }
  if (c == 'u' || c == 'U')
    {
      p->pos++;
      return unicode_escape (p, b, c == 'u' ? 4 : 8);
    }
  return tp_fail (p, "invalid escape `\\%c`", c);
}

/* A character a string may hold as it is: no control character but tab (and the newline of a
 * multi-line string).  */
static bool
plain_char (char c, bool multiline)
{
  unsigned char u = (unsigned char)c;

  if (u == '\t' || (multiline && (u == '\n' || u == '\r')))
    return true;
  return u >= 0x20 && u != 0x7f;
}

/* `\` at the end of a line in a multi-line basic string eats the newline and all whitespace and
 * newlines after it.  false (nothing consumed) when other characters follow the backslash.  */
static bool
line_ending_backslash (struct tp *p)
{
  size_t save = p->pos;

  p->pos++;
  tp_skip_ws (p);
  if (!tp_at_newline (p))
    {
      p->pos = save;
      return false;
    }
  while (tp_at_newline (p) || tp_peek (p) == ' ' || tp_peek (p) == '\t')
    if (tp_at_newline (p))
      tp_skip_newline (p);
    else
      p->pos++;
  return true;
}

/* At a closing delimiter?  A multi-line string may end with one or two quotes of its own right
 * before the closing three: those are content.  */
static bool
string_end (struct tp *p, char q, bool ml, struct sb *b)
{
  int extra = 0;

  if (tp_peek (p) != q)
    return false;
  if (!ml)
    return p->pos++, true;
  if (tp_peek_at (p, 1) != q || tp_peek_at (p, 2) != q)
    return false;
  while (extra < 2 && tp_peek_at (p, 3) == q)
    sb_putc (b, q), p->pos++, extra++;
  p->pos += 3;
  return true;
}

/* One step of a string's content; -1 on error.  */
static int
string_char (struct tp *p, char q, bool ml, struct sb *b)
{
  char c = tp_peek (p);

  if (q == '"' && c == '\\' && ml && line_ending_backslash (p))
    return 0;
  if (q == '"' && c == '\\')
    {
      p->pos++;
      return escape (p, b);
    }
  if (!plain_char (c, ml))
    return tp_fail (p, "control character in a string");
  sb_putc (b, c);
  p->pos++;
  return 0;
}

char *
tp_string (struct tp *p)
{
  char q = tp_peek (p);
  bool ml = tp_peek_at (p, 1) == q && tp_peek_at (p, 2) == q;
  struct sb b = { 0 };

  p->pos += ml ? 3 : 1;
  /* A newline right after the opening delimiter is not content.  */
  if (ml && tp_at_newline (p))
    tp_skip_newline (p);
  for (;;)
    {
      if (tp_eof (p))
        return tp_fail (p, "unterminated string"), free (b.s), NULL;
      if (string_end (p, q, ml, &b))
        return b.s ? b.s : xstrdup ("");
      if (string_char (p, q, ml, &b) < 0)
        return free (b.s), NULL;
    }
}

static bool
bare_key_char (char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
         || c == '-';
}

static char *
simple_key (struct tp *p)
{
  size_t start = p->pos;
  char c = tp_peek (p);

  if (c == '"' || c == '\'')
    {
      if (tp_peek_at (p, 1) == c && tp_peek_at (p, 2) == c)
        return tp_fail (p, "a key cannot be a multi-line string"), NULL;
      return tp_string (p);
    }
  while (bare_key_char (tp_peek (p)))
    p->pos++;
  if (p->pos == start)
    return tp_fail (p, "expected a key"), NULL;
  return xstrndup (p->buf + start, p->pos - start);
}

char **
tp_key (struct tp *p)
{
  char **parts = xzalloc (sizeof (char *));
  size_t n = 0;

  for (;;)
    {
      char *k;

      tp_skip_ws (p);
      k = simple_key (p);
      if (k == NULL)
        return strv_free (parts), NULL;
      parts = xreallocarray (parts, n + 2, sizeof (char *));
      parts[n++] = k;
      parts[n] = NULL;
      tp_skip_ws (p);
      if (tp_peek (p) != '.')
        return parts;
      p->pos++;
    }
}

bool
tp_is_defined (const struct tp *p, const struct json_node *t)
{
  for (size_t i = 0; i < p->n_defined; i++)
    if (p->defined[i] == t)
      return true;
  return false;
}

void
tp_mark_defined (struct tp *p, const struct json_node *t)
{
  p->defined = xreallocarray (p->defined, p->n_defined + 1, sizeof (*p->defined));
  p->defined[p->n_defined++] = (struct json_node *)t;
}
