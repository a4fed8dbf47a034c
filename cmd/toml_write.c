/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing the JSON tree back as TOML (see toml.h).  The layout is `containerd config dump`'s:
 * headers with the full dotted path, members indented two spaces below their header.  */
#include <config.h>

#include <stdio.h>

#include "toml.h"
#include "util.h"

char *
toml_quote (const char *s)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  if (f == NULL)
    ocg_oom ();
  fputc ('"', f);
  for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++)
    {
      const char *esc = *c == '"'    ? "\\\""
                        : *c == '\\' ? "\\\\"
                        : *c == '\n' ? "\\n"
                        : *c == '\t' ? "\\t"
                        : *c == '\r' ? "\\r"
                                     : NULL;
      if (esc != NULL)
        fputs (esc, f);
      else if (*c < 0x20 || *c == 0x7f)
        fprintf (f, "\\u%04x", *c);
      else
        fputc (*c, f);
    }
  fputc ('"', f);
  if (fclose (f) != 0)
    ocg_oom ();
  return buf;
}

char *
toml_key (const char *key)
{
  bool bare = key[0] != '\0';

  for (const char *c = key; *c != '\0'; c++)
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')
          || *c == '_' || *c == '-'))
      bare = false;
  return bare ? xstrdup (key) : toml_quote (key);
}

static bool
is_table_array (const struct json_node *v)
{
  if (v->type != JSON_ARRAY || v->n == 0)
    return false;
  for (size_t i = 0; i < v->n; i++)
    if (v->items[i]->type != JSON_OBJECT)
      return false;
  return true;
}

static void write_inline (FILE *f, const struct json_node *v);

static void
write_inline_table (FILE *f, const struct json_node *v)
{
  fputs (v->n ? "{ " : "{", f);
  for (size_t i = 0; i < v->n; i++)
    {
      cleanup_free char *k = toml_key (v->keys[i]);
      fprintf (f, "%s%s = ", i ? ", " : "", k);
      write_inline (f, v->items[i]);
    }
  fputs (v->n ? " }" : "}", f);
}

static void
write_inline (FILE *f, const struct json_node *v)
{
  switch (v->type)
    {
    case JSON_STRING:
      {
        cleanup_free char *q = toml_quote (v->text);
        fputs (q, f);
        return;
      }
    case JSON_NUMBER:
      fputs (v->text, f);
      return;
    case JSON_BOOL:
      fputs (v->boolean ? "true" : "false", f);
      return;
    case JSON_ARRAY:
      fputc ('[', f);
      for (size_t i = 0; i < v->n; i++)
        {
          fputs (i ? ", " : "", f);
          write_inline (f, v->items[i]);
        }
      fputc (']', f);
      return;
    case JSON_OBJECT:
      write_inline_table (f, v);
      return;
    case JSON_NULL:
    default:
      /* TOML has no null; a tree from toml_parse never holds one.  */
      fputs ("\"\"", f);
      return;
    }
}

static char *
header_path (const char *base, const char *key)
{
  cleanup_free char *k = toml_key (key);

  return base[0] ? xasprintf ("%s.%s", base, k) : xstrdup (k);
}

static void write_table (FILE *f, const struct json_node *t, const char *path, unsigned depth);

static void
write_sub (FILE *f, const char *path, unsigned depth, const struct json_node *v, bool array)
{
  fprintf (f, "\n%*s%s%s%s\n", (int)(2 * depth), "", array ? "[[" : "[", path, array ? "]]" : "]");
  write_table (f, v, path, depth + 1);
}

/* Members first (a key after a sub-table's header would belong to the sub-table), then
 * sub-tables, then arrays of tables.  */
static void
write_table (FILE *f, const struct json_node *t, const char *path, unsigned depth)
{
  for (size_t i = 0; i < t->n; i++)
    {
      const struct json_node *v = t->items[i];
      cleanup_free char *k = NULL;

      if (v->type == JSON_OBJECT || is_table_array (v))
        continue;
      k = toml_key (t->keys[i]);
      fprintf (f, "%*s%s = ", (int)(2 * depth), "", k);
      write_inline (f, v);
      fputc ('\n', f);
    }
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < t->n; i++)
      {
        const struct json_node *v = t->items[i];
        cleanup_free char *sub = NULL;

        if (pass == 0 ? v->type != JSON_OBJECT : !is_table_array (v))
          continue;
        sub = header_path (path, t->keys[i]);
        if (pass == 0)
          write_sub (f, sub, depth, v, false);
        else
          for (size_t j = 0; j < v->n; j++)
            write_sub (f, sub, depth, v->items[j], true);
      }
}

char *
toml_write (const struct json_node *root, const char *header_comment)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  if (f == NULL)
    ocg_oom ();
  for (const char *line = header_comment; line != NULL && *line != '\0';)
    {
      size_t n = strcspn (line, "\n");
      fprintf (f, "# %.*s\n", (int)n, line);
      line += n + (line[n] == '\n');
    }
  write_table (f, root, "", 0);
  if (fclose (f) != 0)
    ocg_oom ();
  return buf;
}
