/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A TOML 1.0 reader into the JSON tree (see toml.h): tables, arrays of tables, the document.
 * Grammar: https://toml.io/en/v1.0.0, the one go-toml v1 (containerd 1.6
 * services/server/config/config.go loadConfigFile) and BurntSushi/toml (containers/common
 * pkg/config readConfigFromFile) implement.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>

#include "fsutil.h"
#include "toml_internal.h"
#include "util.h"

#define TOML_MAX_BYTES (4u * 1024u * 1024u)

/* Walk to (creating) the table `parts[0..n)` below `from`; through an array of tables, into its
 * last table.  A value that is not a table on the way is an error.  */
static struct json_node *
descend (struct tp *p, struct json_node *from, char **parts, size_t n, bool through_frozen)
{
  struct json_node *t = from;

  for (size_t i = 0; i < n; i++)
    {
      struct json_node *next = json_obj_get (t, parts[i]);

      if (next == NULL)
        {
          next = json_new_object ();
          json_obj_append (t, xstrdup (parts[i]), next);
        }
      else if (next->type == JSON_ARRAY && next->n > 0 && tp_is_defined (p, next)
               && next->items[next->n - 1]->type == JSON_OBJECT)
        next = next->items[next->n - 1];
      if (next->type != JSON_OBJECT || (!through_frozen && tp_is_defined (p, next)))
        return tp_fail (p, "`%s` is not a table that can be extended", parts[i]), NULL;
      t = next;
    }
  return t;
}

/* The top-level `imports` line, from the start of its line to after its newline.  */
static void
record_imports_line (struct tp *p, size_t key_start)
{
  size_t s = key_start;

  while (s > 0 && p->buf[s - 1] != '\n')
    s--;
  p->top->has_imports = true;
  p->top->imports_line.start = s;
  p->top->imports_line.end = p->pos;
}

static int
parse_keyval (struct tp *p)
{
  size_t key_start = p->pos;
  cleanup_strv char **parts = tp_key (p);
  struct json_node *table, *value;
  size_t n = 0;
  bool top_imports;

  if (parts == NULL)
    return -1;
  n = strv_length ((const char *const *)parts);
  if (tp_peek (p) != '=')
    return tp_fail (p, "expected `=` after the key");
  p->pos++;
  tp_skip_ws (p);
  table = descend (p, p->cur, parts, n - 1, false);
  if (table == NULL)
    return -1;
  if (json_obj_get (table, parts[n - 1]) != NULL)
    return tp_fail (p, "the key `%s` is defined twice", parts[n - 1]);
  top_imports = !p->seen_header && n == 1 && str_eq (parts[0], "imports") && p->top != NULL;
  if (top_imports && tp_peek (p) != '[')
    return tp_fail (p, "`imports` must be an array");
  value = tp_value (p, top_imports);
  if (value == NULL)
    return -1;
  json_obj_append (table, xstrdup (parts[n - 1]), value);
  if (tp_end_of_line (p) < 0)
    return -1;
  if (top_imports)
    record_imports_line (p, key_start);
  return 0;
}

static int
open_table (struct tp *p, char **parts, size_t n)
{
  struct json_node *t = descend (p, p->root, parts, n, true);

  if (t == NULL)
    return -1;
  if (tp_is_defined (p, t))
    return tp_fail (p, "the table `%s` is defined twice", parts[n - 1]);
  tp_mark_defined (p, t);
  p->cur = t;
  return 0;
}

static int
open_array_table (struct tp *p, char **parts, size_t n)
{
  struct json_node *parent = descend (p, p->root, parts, n - 1, true);
  struct json_node *arr, *t = json_new_object ();

  if (parent == NULL)
    return json_free (t), -1;
  arr = json_obj_get (parent, parts[n - 1]);
  if (arr == NULL)
    {
      arr = json_new_array ();
      json_obj_append (parent, xstrdup (parts[n - 1]), arr);
      tp_mark_defined (p, arr);
    }
  else if (arr->type != JSON_ARRAY || !tp_is_defined (p, arr))
    return json_free (t), tp_fail (p, "`%s` is not an array of tables", parts[n - 1]);
  json_arr_append (arr, t);
  p->cur = t;
  return 0;
}

static int
parse_header (struct tp *p)
{
  bool array = tp_peek_at (p, 1) == '[';
  cleanup_strv char **parts = NULL;
  size_t n = 0;

  if (!p->seen_header && p->top != NULL)
    p->top->first_header = p->pos;
  p->seen_header = true;
  p->pos += array ? 2 : 1;
  parts = tp_key (p);
  if (parts == NULL)
    return -1;
  if (tp_peek (p) != ']' || (array && tp_peek_at (p, 1) != ']'))
    return tp_fail (p, "expected `%s` to close the table header", array ? "]]" : "]");
  p->pos += array ? 2 : 1;
  n = strv_length ((const char *const *)parts);
  if ((array ? open_array_table (p, parts, n) : open_table (p, parts, n)) < 0)
    return -1;
  return tp_end_of_line (p);
}

static int
parse_document (struct tp *p)
{
  for (;;)
    {
      tp_skip_blank (p);
      if (tp_eof (p))
        return 0;
      if ((tp_peek (p) == '[' ? parse_header (p) : parse_keyval (p)) < 0)
        return -1;
    }
}

void
toml_top_release (struct toml_top *top)
{
  free (top->elems);
  memset (top, 0, sizeof (*top));
}

struct json_node *
toml_parse (const char *buf, size_t len, const char *source, struct toml_top *top, ocg_error_t *err)
{
  struct tp p = { .buf = buf, .len = len, .source = source, .top = top, .err = err };

  if (top != NULL)
    {
      memset (top, 0, sizeof (*top));
      top->first_header = len;
    }
  if (!json_utf8_valid (buf, len) || memchr (buf, '\0', len) != NULL)
    return ocg_error_set (err, 0, "%s: not UTF-8 text", source), NULL;
  p.root = p.cur = json_new_object ();
  if (parse_document (&p) < 0)
    {
      json_free (p.root);
      free (p.defined);
      if (top != NULL)
        toml_top_release (top);
      return NULL;
    }
  free (p.defined);
  return p.root;
}

struct json_node *
toml_parse_file (const char *path, struct toml_top *top, size_t *len_out, char **text_out,
                 ocg_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;
  struct json_node *root;

  buf = fsutil_read_at (AT_FDCWD, path, TOML_MAX_BYTES, &len, err);
  if (buf == NULL)
    return NULL;
  root = toml_parse (buf, len, path, top, err);
  if (root != NULL && text_out != NULL)
    *text_out = steal_pointer (&buf);
  if (len_out != NULL)
    *len_out = len;
  return root;
}

struct json_node *
toml_get (const struct json_node *root, ...)
{
  const struct json_node *n = root;
  const char *key;
  va_list ap;

  va_start (ap, root);
  while (n != NULL && (key = va_arg (ap, const char *)) != NULL)
    n = n->type == JSON_OBJECT ? json_obj_get (n, key) : NULL;
  va_end (ap);
  return n != NULL && n->type == JSON_OBJECT ? (struct json_node *)n : NULL;
}
