/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An OCI document as ocigate judges it: loading, JSON Pointer accessors, recorded mutations and
 * the write-back.
 *
 * Owns: the only path from bundle bytes to a judged tree (fsutil bounded read -> json_parse with
 * duplicates, comments and deep nesting refused -> root must be an object -> schema_validate), the
 * RFC 6901 pointer walk every rule uses, the RFC 6902 log of every change, and writing the judged
 * tree back (never the original bytes).
 * Must not: decide policy, log, or exec.  */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "fsutil.h"
#include "json.h"
#include "schema.h"
#include "sha256.h"
#include "spec.h"
#include "util.h"

struct spec *
spec_load_buffer (const char *buf, size_t len, const char *name, enum spec_kind kind,
                  ocg_error_t *err)
{
  /* Go's encoding/json accepts neither comments nor (meaningfully) duplicate keys; see json.h.  */
  const struct json_parse_opts opts = {
    .source = name,
    .max_depth = SPEC_MAX_DEPTH,
    .allow_comments = false,
    .allow_duplicates = false,
    .max_bytes = SPEC_MAX_BYTES,
  };
  cleanup_json struct json_node *root = json_parse (buf, len, &opts, err);
  struct spec *spec;

  if (root == NULL)
    return NULL;
  /* runc's loadSpec refuses `null` ("config cannot be null"), Go refuses other non-objects.  */
  if (root->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "%s: the document is not a JSON object", name), NULL;
  if (schema_validate (root, kind, name, err) < 0)
    return NULL;
  spec = xzalloc (sizeof (*spec));
  spec->kind = kind;
  spec->name = xstrdup (name);
  spec->root = steal_pointer (&root);
  return spec;
}

struct spec *
spec_load_at (int dirfd, const char *name, enum spec_kind kind, ocg_error_t *err)
{
  size_t len = 0;
  cleanup_free char *buf = fsutil_read_at (dirfd, name, SPEC_MAX_BYTES, &len, err);

  if (buf == NULL)
    return NULL;
  return spec_load_buffer (buf, len, name, kind, err);
}

void
spec_free (struct spec *spec)
{
  if (spec == NULL)
    return;
  for (size_t i = 0; i < spec->n_ops; i++)
    {
      free (spec->ops[i].path);
      json_free (spec->ops[i].value);
    }
  free (spec->ops);
  json_free (spec->root);
  free (spec->name);
  free (spec);
}

void
spec_freep (struct spec **spec)
{
  spec_free (*spec);
  *spec = NULL;
}

/* ---- RFC 6901 JSON Pointers ---- */

/* Split a pointer into its decoded reference tokens ("~1" is "/", "~0" is "~").  Returns a
 * NULL-terminated vector (empty for "", the whole document), or NULL when the pointer is
 * malformed: not starting with "/", or a "~" not followed by 0 or 1.  */
/* Decode the len bytes of one reference token at ptr into tok (room for len + 1 bytes); false
 * for a "~" not followed by 0 or 1.  */
static bool
ptr_token (const char *ptr, size_t len, char *tok)
{
  size_t o = 0;

  for (size_t i = 0; i < len; i++)
    {
      if (ptr[i] == '~' && (i + 1 == len || (ptr[i + 1] != '0' && ptr[i + 1] != '1')))
        return false;
      tok[o++] = ptr[i] == '~' ? (ptr[++i] == '0' ? '~' : '/') : ptr[i];
    }
  tok[o] = '\0';
  return true;
}

static char **
ptr_split (const char *ptr)
{
  cleanup_strv char **tokens = NULL;
  size_t n = 0;

  if (ptr == NULL || (*ptr != '\0' && *ptr != '/'))
    return NULL;
  tokens = xzalloc (sizeof (*tokens));
  while (*ptr == '/')
    {
      size_t len = strcspn (++ptr, "/");
      char *tok = xmalloc (len + 1);
      tokens = xreallocarray (tokens, n + 2, sizeof (*tokens));
      tokens[n++] = tok;
      tokens[n] = NULL;
      if (!ptr_token (ptr, len, tok))
        return NULL;
      ptr += len;
    }
  return steal_pointer (&tokens);
}

/* An array index token: "0" or digits without a leading zero (RFC 6901 section 4), in range.  */
static bool
ptr_index (const char *token, size_t *out)
{
  size_t v = 0;

  if (token[0] == '\0' || (token[0] == '0' && token[1] != '\0'))
    return false;
  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9' || v > (SIZE_MAX - (size_t)(*p - '0')) / 10)
        return false;
      v = v * 10 + (size_t)(*p - '0');
    }
  *out = v;
  return true;
}

static struct json_node *
ptr_child (const struct json_node *node, const char *token)
{
  size_t i;

  if (node->type == JSON_OBJECT)
    return json_obj_get (node, token);
  if (node->type == JSON_ARRAY && ptr_index (token, &i))
    return json_arr_get (node, i);
  return NULL;
}

/* The node reached by following tokens[0..n) from root, or NULL.  */
static struct json_node *
ptr_walk (struct json_node *root, char **tokens, size_t n)
{
  struct json_node *node = root;

  for (size_t i = 0; node != NULL && i < n; i++)
    node = ptr_child (node, tokens[i]);
  return node;
}

/* A normalised pointer for tokens[0..n): what the patch log records.  */
static char *
ptr_build (char **tokens, size_t n)
{
  char *ptr = xstrdup ("");

  for (size_t i = 0; i < n; i++)
    {
      char *next = spec_ptr_join (ptr, tokens[i]);
      free (ptr);
      ptr = next;
    }
  return ptr;
}

char *
spec_ptr_join (const char *base, const char *key)
{
  size_t blen = strlen (base), o = blen + 1;
  char *out = xmalloc (blen + 2 * strlen (key) + 2);

  memcpy (out, base, blen);
  out[blen] = '/';
  for (const char *k = key; *k != '\0'; k++)
    {
      if (*k == '~' || *k == '/')
        out[o++] = '~', out[o++] = *k == '~' ? '0' : '1';
      else
        out[o++] = *k;
    }
  out[o] = '\0';
  return out;
}

char *
spec_ptr_index (const char *base, size_t index)
{
  return xasprintf ("%s/%zu", base, index);
}

/* ---- readers ---- */

/* The rules read the document through spec_get a few hundred times per judgement: it decodes
 * one token at a time into a buffer on the stack instead of splitting the pointer into
 * allocated tokens (ptr_split), which cost a third of a million instructions per create.  The
 * answer is ptr_split's: NULL for a malformed pointer, whether or not the walk got that far.  */
const struct json_node *
spec_get (const struct spec *spec, const char *ptr)
{
  const struct json_node *node;
  char tok[128];

  if (spec_read_seen != NULL)
    spec_read_seen (spec, ptr);
  if (spec == NULL || ptr == NULL || (*ptr != '\0' && *ptr != '/'))
    return NULL;
  node = spec->root;
  while (*ptr == '/')
    {
      size_t len = strcspn (++ptr, "/");
      cleanup_free char *big = len < sizeof (tok) ? NULL : xmalloc (len + 1);
      char *t = big != NULL ? big : tok;

      if (!ptr_token (ptr, len, t))
        return NULL;
      node = node != NULL ? ptr_child (node, t) : NULL;
      ptr += len;
    }
  return node;
}

static const struct json_node *
get_typed (const struct spec *spec, const char *ptr, enum json_type type)
{
  const struct json_node *node = spec_get (spec, ptr);
  return node != NULL && node->type == type ? node : NULL;
}

const struct json_node *
spec_get_object (const struct spec *spec, const char *ptr)
{
  return get_typed (spec, ptr, JSON_OBJECT);
}

const struct json_node *
spec_get_array (const struct spec *spec, const char *ptr)
{
  return get_typed (spec, ptr, JSON_ARRAY);
}

bool
spec_get_string (const struct spec *spec, const char *ptr, const char **out)
{
  const struct json_node *node = get_typed (spec, ptr, JSON_STRING);

  if (node == NULL)
    return false;
  *out = node->text;
  return true;
}

bool
spec_get_bool (const struct spec *spec, const char *ptr, bool *out)
{
  const struct json_node *node = get_typed (spec, ptr, JSON_BOOL);

  if (node == NULL)
    return false;
  *out = node->boolean;
  return true;
}

bool
spec_get_i64 (const struct spec *spec, const char *ptr, int64_t *out)
{
  return json_number_i64 (spec_get (spec, ptr), out);
}

bool
spec_get_u64 (const struct spec *spec, const char *ptr, uint64_t *out)
{
  return json_number_u64 (spec_get (spec, ptr), out);
}

const char **
spec_get_strv (const struct spec *spec, const char *ptr, size_t *count)
{
  const struct json_node *arr = get_typed (spec, ptr, JSON_ARRAY);
  const char **v;
  size_t n = 0;

  if (arr == NULL)
    return NULL;
  v = xreallocarray (NULL, arr->n + 1, sizeof (*v));
  for (size_t i = 0; i < arr->n; i++)
    if (arr->items[i]->type == JSON_STRING)
      v[n++] = arr->items[i]->text;
  v[n] = NULL;
  if (count != NULL)
    *count = n;
  return v;
}

/* ---- mutators ---- */

/* Append one operation; path and value (a copy, NULL for "remove") become the log's.  */
static void
record_op (struct spec *spec, const char *op, char *path, struct json_node *value)
{
  spec->ops = xreallocarray (spec->ops, spec->n_ops + 1, sizeof (*spec->ops));
  spec->ops[spec->n_ops++] = (struct spec_patch_op){ .op = op, .path = path, .value = value };
}

/* Wrap value in one object per token of tokens[from..n), innermost last: the subtree that
 * creating missing parents adds.  */
static struct json_node *
build_parents (char **tokens, size_t from, size_t n, struct json_node *value)
{
  for (size_t i = n; i-- > from + 1;)
    {
      struct json_node *obj = json_new_object ();
      json_obj_set (obj, tokens[i], value);
      value = obj;
    }
  return value;
}

/* Set the member `token` of an existing object or array.  Takes ownership of value.  */
static int
set_member (struct spec *spec, struct json_node *parent, char **tokens, size_t n,
            struct json_node *value, ocg_error_t *err)
{
  const char *token = tokens[n - 1];
  struct json_node *old = ptr_child (parent, token);
  size_t index = parent->n;

  if (old != NULL && json_equal (old, value))
    return json_free (value), 0;
  if (parent->type == JSON_OBJECT)
    {
      record_op (spec, old ? "replace" : "add", ptr_build (tokens, n), json_clone (value));
      json_obj_set (parent, token, value);
      return 0;
    }
  if (parent->type != JSON_ARRAY || !(str_eq (token, "-") || ptr_index (token, &index))
      || index > parent->n)
    {
      cleanup_free char *ptr = ptr_build (tokens, n);
      json_free (value);
      return ocg_error_set (err, EINVAL, "set `%s`: no such member or index", ptr);
    }
  if (old != NULL)
    {
      json_free (parent->items[index]);
      parent->items[index] = value;
      return record_op (spec, "replace", ptr_build (tokens, n), json_clone (value)), 0;
    }
  {
    cleanup_free char *base = ptr_build (tokens, n - 1);
    record_op (spec, "add", spec_ptr_index (base, parent->n), json_clone (value));
  }
  json_arr_append (parent, value);
  return 0;
}

int
spec_set (struct spec *spec, const char *ptr, struct json_node *value, ocg_error_t *err)
{
  cleanup_json struct json_node *owned = value;
  cleanup_strv char **tokens = ptr_split (ptr);
  struct json_node *parent, *child;
  size_t n, i;

  if (tokens == NULL || tokens[0] == NULL || value == NULL)
    return ocg_error_set (err, EINVAL, "set `%s`: not a JSON pointer to a member", ptr);
  n = strv_length ((const char *const *)tokens);
  if (n > SPEC_MAX_DEPTH)
    return ocg_error_set (err, EINVAL, "set `%s`: deeper than %u levels", ptr, SPEC_MAX_DEPTH);
  parent = spec->root;
  for (i = 0; i + 1 < n && (child = ptr_child (parent, tokens[i])) != NULL; i++)
    parent = child;
  if (i + 1 == n)
    return set_member (spec, parent, tokens, n, steal_pointer (&owned), err);
  if (parent->type != JSON_OBJECT)
    return ocg_error_set (err, EINVAL, "set `%s`: crosses a non-object", ptr);
  /* tokens[i] is missing: create it and everything below as ONE "add" of the outermost missing
   * member, which is what a JSON Patch consumer needs (RFC 6902 4.1: the parent must exist).  */
  child = build_parents (tokens, i, n, steal_pointer (&owned));
  record_op (spec, "add", ptr_build (tokens, i + 1), json_clone (child));
  json_obj_set (parent, tokens[i], child);
  return 0;
}

int
spec_append (struct spec *spec, const char *array_ptr, struct json_node *value, ocg_error_t *err)
{
  cleanup_json struct json_node *owned = value;
  cleanup_strv char **tokens = ptr_split (array_ptr);
  struct json_node *arr;
  cleanup_free char *base = NULL;

  if (tokens == NULL || value == NULL)
    return ocg_error_set (err, EINVAL, "append to `%s`: not a JSON pointer", array_ptr);
  arr = ptr_walk (spec->root, tokens, strv_length ((const char *const *)tokens));
  if (arr == NULL)
    {
      /* Missing: spec_set records the add of the outermost missing member, array included.  */
      arr = json_new_array ();
      json_arr_append (arr, steal_pointer (&owned));
      return spec_set (spec, array_ptr, arr, err);
    }
  if (arr->type != JSON_ARRAY)
    return ocg_error_set (err, EINVAL, "append to `%s`: not an array", array_ptr);
  base = ptr_build (tokens, strv_length ((const char *const *)tokens));
  record_op (spec, "add", spec_ptr_index (base, arr->n), json_clone (value));
  json_arr_append (arr, steal_pointer (&owned));
  return 0;
}

bool
spec_remove (struct spec *spec, const char *ptr)
{
  cleanup_strv char **tokens = ptr_split (ptr);
  struct json_node *parent;
  size_t n, index;
  bool removed = false;

  if (spec == NULL || tokens == NULL || tokens[0] == NULL)
    return false;
  n = strv_length ((const char *const *)tokens);
  parent = ptr_walk (spec->root, tokens, n - 1);
  if (parent != NULL && parent->type == JSON_OBJECT)
    removed = json_obj_remove (parent, tokens[n - 1]);
  else if (parent != NULL && parent->type == JSON_ARRAY && ptr_index (tokens[n - 1], &index))
    removed = json_arr_remove (parent, index);
  if (removed)
    record_op (spec, "remove", ptr_build (tokens, n), NULL);
  return removed;
}

/* A string of the patch, as strictly checked as json.c checks every string it writes.  */
static yajl_gen_status
patch_text (yajl_gen g, const char *s)
{
  if (s == NULL || !json_utf8_valid (s, strlen (s)))
    return yajl_gen_invalid_string;
  return yajl_gen_string (g, (const unsigned char *)s, strlen (s));
}

/* The value's compact JSON text (malloc'd, *len its length), or NULL when it cannot be
 * written.  */
static char *
compact_value (const struct json_node *value, size_t *len)
{
  cleanup_yajl_gen yajl_gen g = json_gen_new (false);
  const unsigned char *buf = NULL;

  if (json_gen_value (g, value) < 0 || yajl_gen_get_buf (g, &buf, len) != yajl_gen_status_ok)
    return NULL;
  return xstrndup ((const char *)buf, *len);
}

/* A value too long for the bound: its length and digest stand in for it.  */
static yajl_gen_status
patch_value_digest (yajl_gen g, const char *text, size_t len)
{
  char hex[SHA256_HEX_SIZE];
  char bytes[24];
  yajl_gen_status st;

  sha256_hex (text, len, hex);
  snprintf (bytes, sizeof (bytes), "%zu", len);
  st = patch_text (g, "value_bytes");
  if (st == yajl_gen_status_ok)
    st = yajl_gen_number (g, bytes, strlen (bytes));
  if (st == yajl_gen_status_ok)
    st = patch_text (g, "value_sha256");
  return st == yajl_gen_status_ok ? patch_text (g, hex) : st;
}

static yajl_gen_status
patch_value (yajl_gen g, const struct json_node *value, struct spec_patch_bound *bound)
{
  cleanup_free char *text = NULL;
  size_t len = 0;

  if (bound != NULL)
    {
      text = compact_value (value, &len);
      if (text == NULL)
        return yajl_gen_invalid_string;
      if (len > bound->value_max)
        {
          bound->cut++;
          return patch_value_digest (g, text, len);
        }
    }
  if (patch_text (g, "value") != yajl_gen_status_ok || json_gen_value (g, value) < 0)
    return yajl_gen_invalid_number;
  return yajl_gen_status_ok;
}

static yajl_gen_status
patch_op (yajl_gen g, const struct spec_patch_op *op, struct spec_patch_bound *bound)
{
  cleanup_free char *path = NULL;
  yajl_gen_status st = yajl_gen_map_open (g);

  if (bound != NULL && op->path != NULL && (path = json_cut_string (op->path, bound->str_max)))
    bound->cut++;
  if (st == yajl_gen_status_ok)
    st = patch_text (g, "op");
  if (st == yajl_gen_status_ok)
    st = patch_text (g, op->op);
  if (st == yajl_gen_status_ok)
    st = patch_text (g, "path");
  if (st == yajl_gen_status_ok)
    st = patch_text (g, path ? path : op->path);
  if (st == yajl_gen_status_ok && op->value != NULL)
    st = patch_value (g, op->value, bound);
  return st == yajl_gen_status_ok ? yajl_gen_map_close (g) : st;
}

int
spec_patch_gen_bounded (struct yajl_gen_t *g, const struct spec *spec,
                        struct spec_patch_bound *bound)
{
  size_t n = spec->n_ops;
  yajl_gen_status st;

  if (bound != NULL && n > bound->ops_max)
    {
      bound->omitted = n - bound->ops_max;
      n = bound->ops_max;
    }
  /* `[]` rather than yajl's beautified "[\n]", as json_serialize writes an empty array.  */
  if (n == 0)
    return yajl_gen_number (g, "[]", 2) == yajl_gen_status_ok ? 0 : -1;
  st = yajl_gen_array_open (g);
  for (size_t i = 0; st == yajl_gen_status_ok && i < n; i++)
    st = patch_op (g, &spec->ops[i], bound);
  if (st == yajl_gen_status_ok)
    st = yajl_gen_array_close (g);
  return st == yajl_gen_status_ok ? 0 : -1;
}

int
spec_patch_gen (struct yajl_gen_t *g, const struct spec *spec)
{
  return spec_patch_gen_bounded (g, spec, NULL);
}

char *
spec_patch_json (const struct spec *spec)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf = NULL;
  size_t len = 0;
  char *out = NULL;

  if (g == NULL)
    ocg_oom ();
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "  ");
  if (spec_patch_gen (g, spec) == 0 && yajl_gen_get_buf (g, &buf, &len) == yajl_gen_status_ok)
    out = xstrndup ((const char *)buf, len);
  yajl_gen_free (g);
  return out;
}

/* The write-back as it is written: the temp file, and whether what failed was writing it.  */
struct write_back
{
  int fd;
  const char *name;
  const struct json_node *root;
  bool write_failed;
};

static int
write_back_flush (void *ctx, const char *buf, size_t len, ocg_error_t *err)
{
  struct write_back *w = ctx;

  if (fsutil_write_all (w->fd, buf, len) == 0)
    return 0;
  w->write_failed = true;
  return ocg_error_set (err, errno, "write the new `%s`", w->name);
}

static int
write_back_fill (int fd, void *ctx, ocg_error_t *err)
{
  struct write_back *w = ctx;

  w->fd = fd;
  if (json_print (w->root, write_back_flush, w, err) == 0)
    return 0;
  /* A tree that cannot be written says which file it was for, as it did before streaming.  */
  return w->write_failed ? -1 : ocg_error_wrap (err, "write `%s`", w->name);
}

/* The tree goes to the temp file through json_print's fixed buffer: a 1 MiB config is never
 * held a second time as text (let alone as yajl_gen's doubling buffer and a copy of it).  */
int
spec_write_at (int dirfd, const char *name, const struct spec *spec, ocg_error_t *err)
{
  struct write_back w = { .fd = -1, .name = name, .root = spec->root };

  return fsutil_replace_with_at (dirfd, name, write_back_fill, &w, err);
}
