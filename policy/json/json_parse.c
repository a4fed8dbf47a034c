/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json_parse(): bytes to a json_node tree, refusing every input that runc's Go decoder and a
 * yajl-based reader (crun, libocispec) could read as different values.
 *
 * Owns: a strict pre-scan of the raw bytes, the yajl event callbacks that build the tree, the
 * nesting cap, duplicate-key detection, and line/column positions.
 * Must not: know the OCI schema (spec.c, schema.c) or do I/O.
 *
 * Two passes, because yajl 2.1 alone accepts too much:
 * - scan_document() refuses what yajl lets through but Go decodes differently: invalid UTF-8
 *   (yajl_lex.c yajl_lex_utf8_char only checks the bit patterns, so overlong forms, encoded
 *   surrogates and F5-F7 lead bytes pass; Go's decoder turns them into U+FFFD), \u escapes that
 *   are lone surrogates, \u0000, and form feed / vertical tab between tokens (yajl_lex.c treats
 *   \v and \f as whitespace; Go's scanner.go isSpace does not);
 * - yajl's event parser builds the tree.  yajl keeps its own state on a heap byte stack, and the
 *   callbacks cancel the parse at max_depth, so no input makes anything recurse.  */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <yajl/yajl_parse.h>

#include "json.h"
#include "json_bytes.h"
#include "util.h"

struct parse_frame
{
  struct json_node *node;
  char *key; /* object frames: the key whose value comes next (owned) */
};

struct parse_ctx
{
  const char *buf;
  size_t len;
  const char *source;
  size_t max_depth;
  bool allow_duplicates;
  yajl_handle handle;
  bool finishing;            /* inside yajl_complete_parse: yajl's offsets are not into buf */
  struct parse_frame *stack; /* max_depth frames */
  size_t depth;
  struct json_node *root;
  struct json_pos pos; /* moves forward as values are added */
  size_t ascii_end;    /* the pre-scan saw only ASCII before this offset (json_pos_advance_ascii) */
  ocg_error_t *err;
  bool failed;
};

/* Record a refusal at byte offset off: "<source>: <what> at line L column C".  Returns 0, the
 * value that makes a yajl callback cancel the parse.  */
__attribute__ ((format (printf, 3, 4))) static int
fail_at (struct parse_ctx *ctx, size_t off, const char *fmt, ...)
{
  struct json_pos pos = { 0, 1, 1 };
  cleanup_free char *what = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&what, fmt, ap) < 0)
    ocg_oom ();
  va_end (ap);
  json_pos_advance (ctx->buf, &pos, off < ctx->len ? off : ctx->len);
  ocg_error_set (ctx->err, 0, "%s: %s at line %zu column %zu", ctx->source, what, pos.line,
                 pos.column);
  ctx->failed = true;
  return 0;
}

/* ---- pre-scan of the raw bytes ----
 * DEFER means "malformed in a way yajl itself refuses at this very spot": the scan stops and lets
 * yajl report it, since nothing after that spot is ever read.  */
enum scan_result
{
  SCAN_OK,
  SCAN_DEFER,
  SCAN_REFUSED,
};

/* A byte from 0x80 up (or a comment, not looked at byte by byte) at off: positions from there on
 * count characters, not bytes.  */
static void
scan_note_high (struct parse_ctx *ctx, size_t off)
{
  if (off < ctx->ascii_end)
    ctx->ascii_end = off;
}

static enum scan_result
scan_refuse (struct parse_ctx *ctx, size_t off, const char *what)
{
  fail_at (ctx, off, "%s", what);
  return SCAN_REFUSED;
}

static int
hex_value (unsigned char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (c | 0x20) - 'a' + 10;
  return -1;
}

/* The UTF-16 code unit of the \uXXXX escape at off, or -1 when there is none.  */
static long
escape_unit (const struct parse_ctx *ctx, size_t off)
{
  const unsigned char *p = (const unsigned char *)ctx->buf + off;
  long unit = 0;

  if (off + 6 > ctx->len || p[0] != '\\' || p[1] != 'u')
    return -1;
  for (int k = 2; k < 6; k++)
    {
      int h = hex_value (p[k]);
      if (h < 0)
        return -1;
      unit = unit * 16 + h;
    }
  return unit;
}

/* A \u escape at *i.  Go's decode.go unquote() turns a lone surrogate into U+FFFD, while yajl 2.1
 * (yajl_encode.c yajl_string_decode) writes "?" and drops the next character, or glues a high
 * surrogate to whatever \u escape follows, or emits an encoded surrogate: refuse all of them.
 * \u0000 is refused because a C string (and crun) would stop there while Go keeps going.  */
static enum scan_result
scan_unicode_escape (struct parse_ctx *ctx, size_t *i)
{
  long unit = escape_unit (ctx, *i), low;

  if (unit < 0)
    return SCAN_DEFER;
  if (unit == 0)
    return scan_refuse (ctx, *i, "\\u0000 in a string");
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      low = escape_unit (ctx, *i + 6);
      if (low < 0xDC00 || low > 0xDFFF)
        return scan_refuse (ctx, *i, "lone UTF-16 surrogate in a \\u escape");
      *i += 6;
    }
  else if (unit >= 0xDC00 && unit <= 0xDFFF)
    return scan_refuse (ctx, *i, "lone UTF-16 surrogate in a \\u escape");
  *i += 6;
  return SCAN_OK;
}

/* A string starting at the quote at *i; leaves *i after the closing quote.  */
static enum scan_result
scan_string (struct parse_ctx *ctx, size_t *i)
{
  const unsigned char *p = (const unsigned char *)ctx->buf;
  enum scan_result r;
  size_t n;

  for (++*i; *i < ctx->len;)
    {
      uint64_t word, special;

      /* Printable ASCII other than the quote and the backslash: nothing to check, eight bytes at
       * a time when it can, then up to the first byte that needs a look.  */
      if (ctx->len - *i >= sizeof (word))
        {
          memcpy (&word, p + *i, sizeof (word));
          if ((special = json_word_string_special (word)) == 0)
            {
              *i += sizeof (word);
              continue;
            }
          *i += json_word_skip (special);
        }
      if (p[*i] >= 0x20 && p[*i] < 0x80 && p[*i] != '"' && p[*i] != '\\')
        {
          ++*i;
          continue;
        }
      if (p[*i] == '"')
        {
          ++*i;
          return SCAN_OK;
        }
      if (p[*i] < 0x20)
        return SCAN_DEFER; /* yajl_lex.c: IJC, a raw control character */
      if (p[*i] == '\\' && *i + 1 < ctx->len && p[*i + 1] == 'u')
        {
          if ((r = scan_unicode_escape (ctx, i)) != SCAN_OK)
            return r;
          continue;
        }
      if (p[*i] >= 0x80 || (*i + 1 < ctx->len && p[*i + 1] >= 0x80))
        scan_note_high (ctx, *i);
      n = p[*i] == '\\' ? 2 : json_utf8_sequence_length (ctx->buf + *i, ctx->len - *i);
      if (n == 0)
        return scan_refuse (ctx, *i, "invalid UTF-8");
      *i += n;
    }
  return SCAN_DEFER; /* unterminated: yajl reports premature EOF */
}

/* A comment at *i (yajl only accepts it with yajl_allow_comments, but the scan must not read a
 * quote inside it as the start of a string).  Same ends as yajl_lex.c yajl_lex_comment.  */
static enum scan_result
scan_comment (struct parse_ctx *ctx, size_t *i)
{
  bool block = ctx->buf[*i + 1] == '*';
  const char *from = ctx->buf + *i + 2;
  size_t rest = ctx->len - *i - 2;
  const char *end = block ? memmem (from, rest, "*/", 2) : memchr (from, '\n', rest);
  size_t stop = end == NULL ? ctx->len : (size_t)(end - ctx->buf) + (block ? 2 : 1);

  if (!json_utf8_valid (ctx->buf + *i, stop - *i))
    return scan_refuse (ctx, *i, "invalid UTF-8 in a comment");
  *i = stop;
  return end == NULL && block ? SCAN_DEFER : SCAN_OK;
}

static int
scan_document (struct parse_ctx *ctx)
{
  const unsigned char *p = (const unsigned char *)ctx->buf;
  enum scan_result r = SCAN_OK;
  size_t i = 0;

  while (r == SCAN_OK && i < ctx->len)
    {
      uint64_t word, special;

      /* Whitespace and punctuation between the tokens (the indentation of a beautified document):
       * eight bytes at a time, then up to the first byte that needs a look.  */
      if (ctx->len - i >= sizeof (word))
        {
          memcpy (&word, p + i, sizeof (word));
          if ((special = json_word_outside_special (word)) == 0)
            {
              i += sizeof (word);
              continue;
            }
          i += json_word_skip (special);
        }
      if (p[i] >= 0x80 || p[i] == '/')
        scan_note_high (ctx, i);
      if (p[i] == '"')
        r = scan_string (ctx, &i);
      else if (p[i] == '/' && i + 1 < ctx->len && (p[i + 1] == '*' || p[i + 1] == '/'))
        r = scan_comment (ctx, &i);
      else if (p[i] == '\v' || p[i] == '\f')
        r = scan_refuse (ctx, i, "form feed or vertical tab outside a string");
      else if (p[i] >= 0x80 && json_utf8_sequence_length (ctx->buf + i, ctx->len - i) == 0)
        r = scan_refuse (ctx, i, "invalid UTF-8");
      else if (p[i] >= 0x80)
        r = SCAN_DEFER; /* a character yajl's lexer refuses outside a string */
      else
        i++;
    }
  if (r != SCAN_OK)
    scan_note_high (ctx, i); /* what lies beyond was not looked at */
  return r == SCAN_REFUSED ? -1 : 0;
}

/* ---- tree building from yajl events ---- */

static size_t
sub_floor (size_t a, size_t b)
{
  return a > b ? a - b : 0;
}

/* Offset just past the token yajl is reporting: yajl_do_parse (yajl_parser.c) advances
 * hand->bytesConsumed while lexing, before it calls back.  yajl_complete_parse re-runs the parser
 * on a one-byte " " buffer, so a number that ends the input is reported from there; it ends where
 * our buffer ends.  */
static size_t
token_end (const struct parse_ctx *ctx)
{
  return ctx->finishing ? ctx->len : yajl_get_bytes_consumed (ctx->handle);
}

/* The opening quote of the string that just ended: walk back to a quote preceded by an even run of
 * backslashes (inside a string a quote only appears escaped).  */
static size_t
string_start (const struct parse_ctx *ctx)
{
  size_t q = sub_floor (token_end (ctx), 1);
  const char *at;

  /* memrchr finds the quotes from the end, in the order a byte-by-byte walk back would.  */
  while (q > 0 && (at = memrchr (ctx->buf, '"', q)) != NULL)
    {
      size_t run = 0;
      q = (size_t)(at - ctx->buf);
      while (run < q && ctx->buf[q - 1 - run] == '\\')
        run++;
      if (run % 2 == 0)
        return q;
    }
  return 0;
}

/* string_start for the string s[0..len) yajl reported: a string without escapes is handed over
 * where it lies in the buffer (yajl_parser.c yajl_do_parse, yajl_tok_string; yajl_lex.c steps
 * past the quotes), and then its opening quote is just before it -- the quote string_start's walk
 * back would find, without the walk.  A decoded string (escapes) lies elsewhere: the walk.  */
static size_t
string_start_of (const struct parse_ctx *ctx, const unsigned char *s, size_t len)
{
  uintptr_t at = (uintptr_t)s - (uintptr_t)ctx->buf;

  if (!ctx->finishing && at >= 1 && at <= ctx->len && len <= ctx->len - at
      && at + len + 1 == token_end (ctx) && ctx->buf[at - 1] == '"' && ctx->buf[at + len] == '"')
    return at - 1;
  return string_start (ctx);
}

/* Defence in depth behind the pre-scan: whatever yajl decoded must be strict UTF-8 without NUL,
 * so that every C consumer sees the same string Go does.  */
/* Is s[0..len) ASCII without a NUL?  Then it is strict UTF-8 without U+0000, as nearly every
 * string of a document is: one pass, eight bytes at a time, instead of memchr and the UTF-8
 * check.  */
static bool
plain_ascii (const unsigned char *s, size_t len)
{
  size_t i = 0;

  for (uint64_t w; len - i >= sizeof (w); i += sizeof (w))
    {
      memcpy (&w, s + i, sizeof (w));
      if ((w & 0x8080808080808080ull) != 0 || json_word_byte_mask (w, 0) != 0)
        return false;
    }
  for (; i < len; i++)
    if (s[i] == 0 || s[i] >= 0x80)
      return false;
  return true;
}

static int
check_string (struct parse_ctx *ctx, const unsigned char *s, size_t len)
{
  if (plain_ascii (s, len))
    return 1;
  if (memchr (s, '\0', len) != NULL)
    return fail_at (ctx, string_start (ctx), "U+0000 in a string");
  if (!json_utf8_valid ((const char *)s, len))
    return fail_at (ctx, string_start (ctx), "invalid UTF-8 in a string");
  return 1;
}

static int
add_value (struct parse_ctx *ctx, struct json_node *node, size_t start)
{
  struct parse_frame *top;

  if (start <= ctx->ascii_end)
    json_pos_advance_ascii (ctx->buf, &ctx->pos, start);
  else
    json_pos_advance (ctx->buf, &ctx->pos, start);
  node->line = ctx->pos.line;
  node->column = ctx->pos.column;
  if (ctx->depth == 0)
    {
      ctx->root = node; /* yajl_allow_multiple_values is off: there is only one */
      return 1;
    }
  top = &ctx->stack[ctx->depth - 1];
  if (top->node->type == JSON_ARRAY)
    json_arr_append (top->node, node);
  else if (top->key != NULL)
    json_obj_append (top->node, steal_pointer (&top->key), node);
  else
    {
      json_free (node);
      return fail_at (ctx, start, "value without a key");
    }
  return 1;
}

static int
on_null (void *opaque)
{
  struct parse_ctx *ctx = opaque;
  return add_value (ctx, json_new_null (), sub_floor (token_end (ctx), 4));
}

static int
on_boolean (void *opaque, int value)
{
  struct parse_ctx *ctx = opaque;
  return add_value (ctx, json_new_bool (value), sub_floor (token_end (ctx), value ? 4 : 5));
}

/* yajl hands numbers over as their source text when yajl_number is set (yajl_parser.c), which is
 * how 18446744073709551615 and 1e3 survive untouched.  */
static int
on_number (void *opaque, const char *text, size_t len)
{
  struct parse_ctx *ctx = opaque;
  struct json_node *node = json_new_number_len (text, len);
  size_t start = sub_floor (token_end (ctx), len);

  if (node == NULL)
    return fail_at (ctx, start, "invalid number");
  return add_value (ctx, node, start);
}

static int
on_string (void *opaque, const unsigned char *s, size_t len)
{
  struct parse_ctx *ctx = opaque;
  struct json_node *node;

  if (!check_string (ctx, s, len))
    return 0;
  /* The node takes the one copy (check_string refused a U+0000, so it is the whole string).  */
  node = json_new_string_len ((const char *)s, len);
  return add_value (ctx, node, string_start_of (ctx, s, len));
}

static int
open_container (struct parse_ctx *ctx, struct json_node *node)
{
  size_t start = sub_floor (token_end (ctx), 1);

  if (ctx->depth >= ctx->max_depth)
    {
      json_free (node);
      return fail_at (ctx, start, "nesting deeper than %zu levels", ctx->max_depth);
    }
  if (!add_value (ctx, node, start))
    return 0;
  ctx->stack[ctx->depth++] = (struct parse_frame){ .node = node, .key = NULL };
  return 1;
}

static int
on_start_map (void *opaque)
{
  return open_container (opaque, json_new_object ());
}

static int
on_start_array (void *opaque)
{
  return open_container (opaque, json_new_array ());
}

static int
on_map_key (void *opaque, const unsigned char *key, size_t len)
{
  struct parse_ctx *ctx = opaque;
  struct parse_frame *top = &ctx->stack[ctx->depth - 1];

  if (!check_string (ctx, key, len))
    return 0;
  json_key_free (top->key);
  top->key = json_key_new ((const char *)key, len);
  return 1;
}

/* "$.a[2].b" for the container on top of the stack: each frame's child is its last member.  */
static char *
stack_path (const struct parse_ctx *ctx)
{
  char *path = xstrdup ("$");

  for (size_t i = 0; i + 1 < ctx->depth; i++)
    {
      const struct json_node *node = ctx->stack[i].node;
      char *next = node->type == JSON_OBJECT ? json_path_key (path, node->keys[node->n - 1])
                                             : json_path_index (path, node->n - 1);
      free (path);
      path = next;
    }
  return path;
}

/* Go's decoder keeps the last of two equal keys, yajl_tree_get() finds the first: a document
 * with both must never be judged by one reader and run by the other.  */
static int
on_end_map (void *opaque)
{
  struct parse_ctx *ctx = opaque;
  const struct json_node *obj = ctx->stack[ctx->depth - 1].node;
  ssize_t dup = ctx->allow_duplicates ? -1 : json_find_duplicate_key (obj);

  if (dup >= 0)
    {
      cleanup_free char *base = stack_path (ctx);
      cleanup_free char *path = json_path_key (base, obj->keys[dup]);
      cleanup_free char *quoted = json_quote_key (obj->keys[dup]);
      ocg_error_set (ctx->err, 0, "%s: duplicate key \"%s\" at %s", ctx->source, quoted, path);
      ctx->failed = true;
      return 0;
    }
  ctx->depth--;
  return 1;
}

static int
on_end_array (void *opaque)
{
  struct parse_ctx *ctx = opaque;
  ctx->depth--;
  return 1;
}

static const yajl_callbacks parse_callbacks = {
  .yajl_null = on_null,
  .yajl_boolean = on_boolean,
  .yajl_number = on_number,
  .yajl_string = on_string,
  .yajl_start_map = on_start_map,
  .yajl_map_key = on_map_key,
  .yajl_end_map = on_end_map,
  .yajl_start_array = on_start_array,
  .yajl_end_array = on_end_array,
};

/* yajl's own message ("parse error: trailing garbage\n", verbose off so it never quotes input),
 * trimmed to the house style and placed at the offset where yajl stopped.  */
static void
fail_from_yajl (struct parse_ctx *ctx)
{
  unsigned char *msg = yajl_get_error (ctx->handle, 0, NULL, 0);
  size_t n = msg ? strlen ((char *)msg) : 0;

  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '.' || msg[n - 1] == ' '))
    msg[--n] = '\0';
  fail_at (ctx, token_end (ctx), "%s", msg && n ? (char *)msg : "parse error");
  if (msg != NULL)
    yajl_free_error (ctx->handle, msg);
}

static void
run_yajl (struct parse_ctx *ctx, bool allow_comments)
{
  yajl_status st;

  ctx->handle = yajl_alloc (&parse_callbacks, NULL, ctx);
  if (ctx->handle == NULL)
    ocg_oom ();
  yajl_config (ctx->handle, yajl_allow_comments, allow_comments ? 1 : 0);
  st = yajl_parse (ctx->handle, (const unsigned char *)ctx->buf, ctx->len);
  if (st == yajl_status_ok)
    {
      ctx->finishing = true;
      st = yajl_complete_parse (ctx->handle);
    }
  if (st != yajl_status_ok && !ctx->failed)
    fail_from_yajl (ctx);
  if (!ctx->failed && ctx->root == NULL)
    fail_at (ctx, ctx->len, "no value");
  yajl_free (ctx->handle);
}

struct json_node *
json_parse (const char *buf, size_t len, const struct json_parse_opts *opts, ocg_error_t *err)
{
  static const struct json_parse_opts defaults = { .source = NULL };
  struct parse_ctx ctx = { .buf = buf ? buf : "", .len = buf ? len : 0, .err = err };

  opts = opts ? opts : &defaults;
  ctx.source = opts->source ? opts->source : "json";
  ctx.max_depth = opts->max_depth ? opts->max_depth : JSON_DEFAULT_MAX_DEPTH;
  ctx.max_depth = ctx.max_depth < JSON_MAX_DEPTH_LIMIT ? ctx.max_depth : JSON_MAX_DEPTH_LIMIT;
  ctx.allow_duplicates = opts->allow_duplicates;
  ctx.pos = (struct json_pos){ 0, 1, 1 };
  ctx.ascii_end = ctx.len;
  if (opts->max_bytes != 0 && ctx.len > opts->max_bytes)
    {
      ocg_error_set (err, 0, "%s: larger than %zu bytes", ctx.source, opts->max_bytes);
      return NULL;
    }
  if (scan_document (&ctx) < 0)
    return NULL;
  ctx.stack = xreallocarray (NULL, ctx.max_depth, sizeof (*ctx.stack));
  run_yajl (&ctx, opts->allow_comments);
  for (size_t i = 0; i < ctx.depth; i++)
    json_key_free (ctx.stack[i].key);
  free (ctx.stack);
  if (ctx.failed)
    {
      json_free (ctx.root);
      return NULL;
    }
  return ctx.root;
}
