/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing a JSON tree indented, without yajl_gen: the bytes yajl_gen writes with
 * yajl_gen_beautify and a two-space indent string, through a buffer that is handed on whenever
 * it fills, so that a document written to a file is never held whole in memory.
 *
 * Owns: json_print and json_serialize (json.h).
 * Must not: know the OCI schema or do file I/O (the caller's flush function does).
 *
 * Why not yajl_gen: it writes every string through a callback per run of bytes and per escape
 * (yajl_encode.c yajl_string_encode), into a buffer that grows by doubling and is copied once
 * more to be returned: for a 1 MiB document three times its size in memory.  What it writes is
 * kept byte for byte, because the document ocigate hands the runtime must stay the same bytes
 * (tests/unit/test_json_print.c compares both on every captured engine config):
 *  - yajl_gen.c: "{" or "[" then a newline; each member on a line of its own, indented by two
 *    spaces per open container, members separated by ",\n", a key followed by ": "; before the
 *    closing bracket a newline and the indentation of its parent; a newline after the value
 *    that completes the document;
 *  - an empty container is written as `{}` / `[]` (json_write.c gen_container writes it with
 *    yajl_gen_number; yajl would write "{\n\n}");
 *  - yajl_encode.c yajl_string_encode without yajl_gen_escape_solidus: `"`, `\`, \b \f \n \r \t
 *    as two-byte escapes, the other bytes below 0x20 as \u00XX with upper-case hex digits, every
 *    other byte as itself;
 *  - yajl_gen.c INCREMENT_DEPTH: opening a 128th nested container fails (YAJL_MAX_DEPTH).
 * The refusals are json_write.c's: a string that is not strict UTF-8, a number whose text is
 * not a JSON number, a missing value, with the same messages, at the first in document order.
 *
 * Recursion: print_node recurses once per nesting level, at most 127 (YAJL_MAX_DEPTH - 1).  */
#include <config.h>

#include <string.h>

#include "json.h"
#include "json_bytes.h"
#include "util.h"

/* yajl_common.h YAJL_MAX_DEPTH: yajl_gen refuses to open a container at this depth.  */
#define PRINT_MAX_DEPTH 128
#define PRINT_BUF_SIZE 65536

enum print_status
{
  PRINT_OK,
  PRINT_BAD_STRING,
  PRINT_BAD_NUMBER,
  PRINT_TOO_DEEP,
  PRINT_FLUSH_FAILED, /* the flush function set the error */
};

struct print_out
{
  char *buf;
  size_t used;
  size_t cap;
  json_print_flush_fn flush; /* NULL: buf grows and holds the whole text */
  void *ctx;
  ocg_error_t *err;
};

/* Room for `want` more bytes: hand the buffer on, or grow it when there is nobody to hand it to.
 * Returns false when the flush failed.  */
static bool
out_room (struct print_out *o, size_t want)
{
  if (o->cap - o->used >= want)
    return true;
  if (o->flush == NULL)
    {
      while (o->cap - o->used < want)
        o->cap *= 2;
      o->buf = xrealloc (o->buf, o->cap);
      return true;
    }
  if (o->flush (o->ctx, o->buf, o->used, o->err) < 0)
    return false;
  o->used = 0;
  return true;
}

static bool
out_bytes (struct print_out *o, const char *s, size_t n)
{
  while (n > 0)
    {
      size_t chunk;

      if (!out_room (o, n < o->cap ? n : 1))
        return false;
      chunk = o->cap - o->used < n ? o->cap - o->used : n;
      memcpy (o->buf + o->used, s, chunk);
      o->used += chunk;
      s += chunk;
      n -= chunk;
    }
  return true;
}

/* A newline and the indentation of `depth` open containers.  */
static bool
out_newline_indent (struct print_out *o, size_t depth)
{
  if (!out_room (o, 1 + 2 * depth))
    return false;
  o->buf[o->used++] = '\n';
  memset (o->buf + o->used, ' ', 2 * depth);
  o->used += 2 * depth;
  return true;
}

/* What yajl_string_encode writes for the byte c when it is not itself, NULL when it is.  */
static const char *
escape_of (unsigned char c, char hex[7])
{
  static const char digits[] = "0123456789ABCDEF";

  switch (c)
    {
    case '\r':
      return "\\r";
    case '\n':
      return "\\n";
    case '\\':
      return "\\\\";
    case '"':
      return "\\\"";
    case '\f':
      return "\\f";
    case '\b':
      return "\\b";
    case '\t':
      return "\\t";
    default:
      if (c >= 0x20)
        return NULL;
      memcpy (hex, "\\u00", 4);
      hex[4] = digits[c >> 4];
      hex[5] = digits[c & 0x0F];
      hex[6] = '\0';
      return hex;
    }
}

/* The length of the run at s[0..len) that is written as it is: eight bytes at a time while no
 * byte is a control character, a quote or a backslash.  */
static size_t
plain_run (const char *s, size_t len)
{
  size_t i = 0;

  for (uint64_t word; len - i >= sizeof (word); i += sizeof (word))
    {
      memcpy (&word, s + i, sizeof (word));
      if (!json_word_unescaped (word))
        break;
    }
  while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
    i++;
  return i;
}

/* What encode_into does with a byte that is not in a run of eight plain ones: 0 writes it as it
 * is, 1 escapes it (escape_of), 2 starts a UTF-8 sequence to check.  */
static const unsigned char byte_class[256] = {
  [0x00 ... 0x1f] = 1,
  ['"'] = 1,
  ['\\'] = 1,
  [0x80 ... 0xff] = 2,
};

/* The string, quoted and escaped, at out (room for 6 * len + 2 bytes: every byte escaped at
 * worst), checking it is strict UTF-8 on the way: one pass over it.  Returns the bytes written,
 * or 0 when the string is not strict UTF-8.  */
static size_t
encode_into (char *out, const char *s, size_t len)
{
  char *p = out, hex[7];
  size_t i = 0;

  *p++ = '"';
  while (i < len)
    {
      unsigned char c = (unsigned char)s[i];
      const char *esc;
      uint64_t word;
      size_t n;

      if (len - i >= sizeof (word))
        {
          memcpy (&word, s + i, sizeof (word));
          if ((word & 0x8080808080808080ull) == 0 && json_word_unescaped (word))
            {
              memcpy (p, s + i, sizeof (word));
              p += sizeof (word), i += sizeof (word);
              continue;
            }
        }
      if (byte_class[c] == 0)
        {
          *p++ = (char)c;
          i++;
          continue;
        }
      if (byte_class[c] == 2)
        {
          if ((n = json_utf8_sequence_length (s + i, len - i)) == 0)
            return 0;
          memcpy (p, s + i, n);
          p += n, i += n;
          continue;
        }
      esc = escape_of (c, hex);
      p = stpcpy (p, esc);
      i++;
    }
  *p++ = '"';
  return (size_t)(p - out);
}

static enum print_status
out_string (struct print_out *o, const char *s)
{
  size_t len = s != NULL ? strlen (s) : 0, i = 0, n;

  if (s == NULL)
    return PRINT_BAD_STRING;
  /* Nearly every string fits the buffer even with every byte escaped: written in place.  */
  if (len <= (PRINT_BUF_SIZE - 2) / 6)
    {
      if (!out_room (o, 6 * len + 2))
        return PRINT_FLUSH_FAILED;
      if ((n = encode_into (o->buf + o->used, s, len)) == 0)
        return PRINT_BAD_STRING;
      o->used += n;
      return PRINT_OK;
    }
  /* yajl_gen's own check is looser (json_write.c gen_string says why): the strict one.  */
  if (!json_utf8_valid (s, len))
    return PRINT_BAD_STRING;
  if (!out_bytes (o, "\"", 1))
    return PRINT_FLUSH_FAILED;
  while (i < len)
    {
      size_t run = plain_run (s + i, len - i);
      char hex[7];

      if (!out_bytes (o, s + i, run))
        return PRINT_FLUSH_FAILED;
      i += run;
      if (i < len)
        {
          const char *esc = escape_of ((unsigned char)s[i++], hex);
          if (!out_bytes (o, esc, strlen (esc)))
            return PRINT_FLUSH_FAILED;
        }
    }
  return out_bytes (o, "\"", 1) ? PRINT_OK : PRINT_FLUSH_FAILED;
}

static enum print_status print_node (struct print_out *o, const struct json_node *node,
                                     size_t depth);

/* 2 * depth spaces at p, eight at a time: the caller made room for 7 bytes more.  */
static char *
put_indent (char *p, size_t depth)
{
  for (size_t k = 0; k < 2 * depth; k += 8)
    memcpy (p + k, "        ", 8);
  return p + 2 * depth;
}

/* member_prefix for a key too long to write in place: a call each, as yajl_gen makes them.  */
static enum print_status
member_prefix_apart (struct print_out *o, const char *key, size_t i, size_t depth)
{
  enum print_status st;

  if ((i > 0 && !out_bytes (o, ",", 1)) || !out_newline_indent (o, depth))
    return PRINT_FLUSH_FAILED;
  if (key == NULL)
    return PRINT_OK;
  if ((st = out_string (o, key)) != PRINT_OK)
    return st;
  return out_bytes (o, ": ", 2) ? PRINT_OK : PRINT_FLUSH_FAILED;
}

/* What comes before member i of a container `depth` deep: the comma after the one before, a
 * newline, the indentation and, in an object, the key and ": "; then the member itself when it is
 * a string (value, else NULL), which sets *value_done.  One look at the room for all of it, where
 * out_bytes, out_newline_indent and out_string each took one (most of the cost of writing a
 * short member).  */
static enum print_status
member_prefix (struct print_out *o, const char *key, const char *value, size_t i, size_t depth,
               bool *value_done)
{
  size_t klen = key != NULL ? strlen (key) : 0, vlen = value != NULL ? strlen (value) : 0, n;
  char *p;

  *value_done = false;
  if (klen + vlen > (PRINT_BUF_SIZE - 512) / 6)
    return member_prefix_apart (o, key, i, depth);
  /* ",\n", the indentation (and 7 more for put_indent), the key at worst escaped, ": ", the
   * value at worst escaped.  */
  if (!out_room (o, 2 + 2 * depth + 7 + 6 * klen + 2 + 2 + 6 * vlen + 2))
    return PRINT_FLUSH_FAILED;
  p = o->buf + o->used;
  if (i > 0)
    *p++ = ',';
  *p++ = '\n';
  p = put_indent (p, depth);
  if (key != NULL)
    {
      if ((n = encode_into (p, key, klen)) == 0)
        return PRINT_BAD_STRING;
      p += n;
      *p++ = ':';
      *p++ = ' ';
    }
  if (value != NULL)
    {
      if ((n = encode_into (p, value, vlen)) == 0)
        return PRINT_BAD_STRING;
      p += n;
      *value_done = true;
    }
  o->used = (size_t)(p - o->buf);
  return PRINT_OK;
}

/* A container with members, `depth` containers around it.  */
static enum print_status
print_container (struct print_out *o, const struct json_node *node, size_t depth)
{
  bool obj = node->type == JSON_OBJECT;
  enum print_status st = PRINT_OK;

  if (depth + 1 >= PRINT_MAX_DEPTH)
    return PRINT_TOO_DEEP;
  if (!out_bytes (o, obj ? "{" : "[", 1))
    return PRINT_FLUSH_FAILED;
  for (size_t i = 0; st == PRINT_OK && i < node->n; i++)
    {
      if (obj && node->keys[i] == NULL)
        return PRINT_BAD_STRING;
      const struct json_node *item = node->items[i];
      bool done;

      st = member_prefix (o, obj ? node->keys[i] : NULL,
                          item != NULL && item->type == JSON_STRING ? item->text : NULL, i,
                          depth + 1, &done);
      if (st == PRINT_OK && !done)
        st = print_node (o, item, depth + 1);
    }
  if (st != PRINT_OK)
    return st;
  /* The newline, the indentation of the parent (and 7 more for put_indent), the bracket.  */
  if (!out_room (o, 1 + 2 * depth + 7 + 1))
    return PRINT_FLUSH_FAILED;
  o->buf[o->used] = '\n';
  o->used = (size_t)(put_indent (o->buf + o->used + 1, depth) - o->buf);
  o->buf[o->used++] = obj ? '}' : ']';
  return PRINT_OK;
}

static enum print_status
print_text (struct print_out *o, const char *text)
{
  return out_bytes (o, text, strlen (text)) ? PRINT_OK : PRINT_FLUSH_FAILED;
}

static enum print_status
print_node (struct print_out *o, const struct json_node *node, size_t depth)
{
  if (node == NULL)
    return PRINT_BAD_NUMBER;
  switch (node->type)
    {
    case JSON_NULL:
      return print_text (o, "null");
    case JSON_BOOL:
      return print_text (o, node->boolean ? "true" : "false");
    case JSON_NUMBER:
      /* Written verbatim, so never trust the text blindly.  */
      if (node->text == NULL || !json_number_text_valid (node->text))
        return PRINT_BAD_NUMBER;
      return print_text (o, node->text);
    case JSON_STRING:
      return out_string (o, node->text);
    case JSON_OBJECT:
    case JSON_ARRAY:
      if (node->n == 0)
        return print_text (o, node->type == JSON_OBJECT ? "{}" : "[]");
      return print_container (o, node, depth);
    }
  return PRINT_BAD_NUMBER;
}

/* json_write.c gen_status_text's words for the same refusals.  */
static int
print_fail (enum print_status st, ocg_error_t *err)
{
  const char *what = st == PRINT_TOO_DEEP     ? "nesting deeper than yajl_gen allows"
                     : st == PRINT_BAD_STRING ? "string is not valid UTF-8"
                                              : "invalid number or missing value";

  if (st == PRINT_FLUSH_FAILED)
    return -1;
  return ocg_error_set (err, 0, "serialise json: %s", what);
}

/* The whole text then the final newline, through o.  */
static int
print_all (struct print_out *o, const struct json_node *node)
{
  enum print_status st = print_node (o, node, 0);

  if (st == PRINT_OK && !out_bytes (o, "\n", 1))
    st = PRINT_FLUSH_FAILED;
  return st == PRINT_OK ? 0 : print_fail (st, o->err);
}

int
json_print (const struct json_node *node, json_print_flush_fn flush, void *ctx, ocg_error_t *err)
{
  cleanup_free char *buf = xmalloc (PRINT_BUF_SIZE);
  struct print_out o
      = { .buf = buf, .cap = PRINT_BUF_SIZE, .flush = flush, .ctx = ctx, .err = err };

  if (print_all (&o, node) < 0)
    return -1;
  if (o.used > 0 && flush (ctx, o.buf, o.used, err) < 0)
    return -1;
  return 0;
}

char *
json_serialize (const struct json_node *node, size_t *len, ocg_error_t *err)
{
  struct print_out o = { .buf = xmalloc (4096), .cap = 4096, .err = err };

  if (print_all (&o, node) < 0 || !out_bytes (&o, "", 1))
    {
      free (o.buf);
      return NULL;
    }
  if (len != NULL)
    *len = o.used - 1;
  return o.buf;
}
