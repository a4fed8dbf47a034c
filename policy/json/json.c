/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON tree: nodes, constructors, mutators and comparison.
 *
 * Owns: the json_node data structure and everything that builds or walks it.  Parsing lives in
 * json_parse.c, writing in json_print.c (a document) and json_write.c (into a yajl generator),
 * strict UTF-8 in json_bytes.c.
 * Must not: know the OCI schema (spec.c, schema.c) or do file I/O.
 *
 * Recursion: json_clone, json_equal and json_serialize recurse once per nesting level.  A parsed
 * tree is at most JSON_MAX_DEPTH_LIMIT deep, and json_free is iterative, so no input can exhaust
 * the stack.  */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "json.h"
#include "json_bytes.h"
#include "util.h"

/* Members an object or array holds in the slots allocated with it.  */
#define INLINE_SLOTS 4

/* A container comes with room for INLINE_SLOTS members in its own allocation (an object's keys
 * after its items): most containers of a config.json are that small (a mount, its options, a
 * device rule), and a node and its member array in one block spare a malloc each, 1000 mounts
 * 2000 of them.  */
static struct json_node *
node_new (enum json_type type)
{
  size_t per = type == JSON_OBJECT ? 2 : type == JSON_ARRAY ? 1 : 0;
  struct json_node *node = xmalloc (sizeof (*node) + INLINE_SLOTS * per * sizeof (void *));

  *node = (struct json_node){ .type = type };
  if (per > 0)
    {
      node->items_inline = true;
      node->cap = INLINE_SLOTS;
      node->items = (struct json_node **)(node + 1);
      if (type == JSON_OBJECT)
        node->keys = (char **)(node->items + INLINE_SLOTS);
    }
  return node;
}

/* A string or number node and its text in ONE allocation: a parsed document is mostly strings,
 * and a node, its text and their two malloc headers in one block halve the parser's calls to
 * malloc and the heap it takes.  s[0..len) must hold no NUL.  */
static struct json_node *
node_new_text (enum json_type type, const char *s, size_t len)
{
  struct json_node *node;

  if (len > SIZE_MAX - sizeof (*node) - 1)
    ocg_oom ();
  node = xmalloc (sizeof (*node) + len + 1);
  *node = (struct json_node){ .type = type, .text_inline = true, .text = (char *)(node + 1) };
  memcpy (node->text, s, len);
  node->text[len] = '\0';
  return node;
}

/* Room for cap members.  An object's keys live in the block of its items, after the cap item
 * slots: one allocation for both, which node_free_shallow frees with free (node->items) unless
 * they are still the node's own slots (node_new); nothing else allocates them.  */
static void
container_resize (struct json_node *node, size_t cap)
{
  bool obj = node->type == JSON_OBJECT;
  size_t old = node->cap, per = sizeof (*node->items) + (obj ? sizeof (*node->keys) : 0);
  struct json_node **items;

  if (cap <= old)
    return;
  if (node->items_inline)
    {
      /* Out of the node's own slots: a block of its own, the members copied.  */
      items = xreallocarray (NULL, cap, per);
      if (node->n > 0)
        memcpy (items, node->items, node->n * sizeof (*items));
      if (obj && node->n > 0)
        memcpy (items + cap, node->keys, node->n * sizeof (*node->keys));
      node->items_inline = false;
    }
  else
    {
      items = xreallocarray (node->items, cap, per);
      /* The keys were copied where the old block had them, after its old cap item slots.  */
      if (obj && node->n > 0)
        memmove (items + cap, items + old, node->n * sizeof (*node->keys));
    }
  node->items = items;
  if (obj)
    node->keys = (char **)(items + cap);
  node->cap = cap;
}

/* Make room for one more member in an object or array.  */
static void
container_reserve (struct json_node *node)
{
  if (node->n < node->cap)
    return;
  container_resize (node, node->cap ? node->cap * 2 : 4);
}

/* Free the node itself once its children have been taken care of.  */
static void
node_free_shallow (struct json_node *node)
{
  if (node->keys != NULL)
    for (size_t i = 0; i < node->n; i++)
      json_key_free (node->keys[i]);
  if (!node->items_inline)
    free (node->items); /* and the keys: container_resize */
  if (!node->text_inline || node->text != (char *)(node + 1))
    free (node->text);
  free (node);
}

/* Iterative, with an explicit work list: json_free also runs on half-built trees from the parser's
 * error path and on trees built in memory, whose depth nothing bounds.  */
void
json_free (struct json_node *node)
{
  struct json_node **todo = NULL;
  size_t n = 0, cap = 0;

  if (node == NULL)
    return;
  todo = xreallocarray (NULL, cap = 16, sizeof (*todo));
  todo[n++] = node;
  while (n > 0)
    {
      struct json_node *cur = todo[--n];
      if (n + cur->n > cap)
        {
          cap = 2 * (n + cur->n);
          todo = xreallocarray (todo, cap, sizeof (*todo));
        }
      for (size_t i = 0; i < cur->n; i++)
        if (cur->items[i] != NULL)
          todo[n++] = cur->items[i];
      node_free_shallow (cur);
    }
  free (todo);
}

void
json_freep (struct json_node **node)
{
  json_free (*node);
  *node = NULL;
}

struct json_node *
json_new_null (void)
{
  return node_new (JSON_NULL);
}

struct json_node *
json_new_bool (bool value)
{
  struct json_node *node = node_new (JSON_BOOL);
  node->boolean = value;
  return node;
}

struct json_node *
json_new_string (const char *value)
{
  return node_new_text (JSON_STRING, value, strlen (value));
}

struct json_node *
json_new_string_len (const char *s, size_t len)
{
  return node_new_text (JSON_STRING, s, len);
}

struct json_node *
json_new_int (int64_t value)
{
  struct json_node *node = node_new (JSON_NUMBER);
  node->text = xasprintf ("%" PRId64, value);
  return node;
}

struct json_node *
json_new_uint (uint64_t value)
{
  struct json_node *node = node_new (JSON_NUMBER);
  node->text = xasprintf ("%" PRIu64, value);
  return node;
}

static const char *
skip_digits (const char *s)
{
  while (*s >= '0' && *s <= '9')
    s++;
  return s;
}

/* RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?  */
bool
json_number_text_valid (const char *s)
{
  const char *p;

  if (*s == '-')
    s++;
  if (*s == '0')
    s++;
  else if (*s >= '1' && *s <= '9')
    s = skip_digits (s);
  else
    return false;
  if (*s == '.')
    {
      p = skip_digits (s + 1);
      if (p == s + 1)
        return false;
      s = p;
    }
  if (*s == 'e' || *s == 'E')
    {
      s++;
      if (*s == '+' || *s == '-')
        s++;
      p = skip_digits (s);
      if (p == s)
        return false;
      s = p;
    }
  return *s == '\0';
}

struct json_node *
json_new_number_text (const char *text)
{
  if (text == NULL || !json_number_text_valid (text))
    return NULL;
  return node_new_text (JSON_NUMBER, text, strlen (text));
}

struct json_node *
json_new_number_len (const char *text, size_t len)
{
  struct json_node *node;

  if (memchr (text, '\0', len) != NULL)
    return NULL;
  node = node_new_text (JSON_NUMBER, text, len);
  if (!json_number_text_valid (node->text))
    {
      json_free (node);
      return NULL;
    }
  return node;
}

struct json_node *
json_new_object (void)
{
  return node_new (JSON_OBJECT);
}

struct json_node *
json_new_array (void)
{
  return node_new (JSON_ARRAY);
}

struct json_node *
json_clone (const struct json_node *node)
{
  struct json_node *copy;

  if (node == NULL)
    return NULL;
  copy = node->text ? node_new_text (node->type, node->text, strlen (node->text))
                    : node_new (node->type);
  copy->boolean = node->boolean;
  copy->line = node->line;
  copy->column = node->column;
  /* The member count is known: one allocation per array rather than one per doubling (the
   * profile a seccomp rewrite copies has arrays of hundreds of names).  */
  if (node->n > 0)
    container_resize (copy, node->n);
  for (size_t i = 0; i < node->n; i++)
    {
      if (copy->type == JSON_OBJECT)
        copy->keys[i] = json_key_dup (node->keys[i]);
      copy->items[i] = json_clone (node->items[i]);
      copy->n++;
    }
  return copy;
}

static ssize_t
obj_find (const struct json_node *obj, const char *key)
{
  if (obj == NULL || obj->type != JSON_OBJECT || key == NULL)
    return -1;
  /* The first byte before the call: most keys of an object differ there (every mounts[] entry is
   * asked for its destination, type, source and options by several rules).  */
  for (size_t i = 0; i < obj->n; i++)
    if (obj->keys[i][0] == key[0] && strcmp (obj->keys[i], key) == 0)
      return (ssize_t)i;
  return -1;
}

struct json_node *
json_obj_get (const struct json_node *obj, const char *key)
{
  ssize_t i = obj_find (obj, key);
  return i < 0 ? NULL : obj->items[i];
}

struct json_node *
json_arr_get (const struct json_node *arr, size_t index)
{
  if (arr == NULL || arr->type != JSON_ARRAY || index >= arr->n)
    return NULL;
  return arr->items[index];
}

static bool
objects_equal (const struct json_node *a, const struct json_node *b)
{
  for (size_t i = 0; i < a->n; i++)
    {
      /* Same position first: a tree compared with its own round trip keeps its order.  */
      const struct json_node *other
          = strcmp (a->keys[i], b->keys[i]) == 0 ? b->items[i] : json_obj_get (b, a->keys[i]);
      if (other == NULL || !json_equal (a->items[i], other))
        return false;
    }
  return true;
}

bool
json_equal (const struct json_node *a, const struct json_node *b)
{
  if (a == b)
    return true;
  if (a == NULL || b == NULL || a->type != b->type)
    return false;
  switch (a->type)
    {
    case JSON_NULL:
      return true;
    case JSON_BOOL:
      return a->boolean == b->boolean;
    case JSON_NUMBER:
    case JSON_STRING:
      return strcmp (a->text, b->text) == 0;
    case JSON_OBJECT:
      return a->n == b->n && objects_equal (a, b);
    case JSON_ARRAY:
      if (a->n != b->n)
        return false;
      for (size_t i = 0; i < a->n; i++)
        if (!json_equal (a->items[i], b->items[i]))
          return false;
      return true;
    }
  return false;
}

bool
json_identical (const struct json_node *a, const struct json_node *b)
{
  if (a == b)
    return true;
  if (a == NULL || b == NULL || a->type != b->type)
    return false;
  if (a->type == JSON_BOOL)
    return a->boolean == b->boolean;
  if (a->type == JSON_NUMBER || a->type == JSON_STRING)
    return strcmp (a->text, b->text) == 0;
  if (a->type != JSON_OBJECT && a->type != JSON_ARRAY)
    return true;
  if (a->n != b->n)
    return false;
  for (size_t i = 0; i < a->n; i++)
    if ((a->type == JSON_OBJECT && strcmp (a->keys[i], b->keys[i]) != 0)
        || !json_identical (a->items[i], b->items[i]))
      return false;
  return true;
}

/* Digits only, no sign, must fit in 64 bits: what strconv.ParseUint (s, 10, 64) accepts.  */
static bool
parse_u64_text (const char *s, uint64_t *out)
{
  uint64_t v = 0;

  if (*s == '\0')
    return false;
  for (; *s != '\0'; s++)
    {
      unsigned digit = (unsigned)(*s - '0');
      if (*s < '0' || *s > '9' || v > (UINT64_MAX - digit) / 10)
        return false;
      v = v * 10 + digit;
    }
  *out = v;
  return true;
}

bool
json_number_u64 (const struct json_node *node, uint64_t *out)
{
  if (node == NULL || node->type != JSON_NUMBER)
    return false;
  return parse_u64_text (node->text, out);
}

char **
json_strv (const struct json_node *arr)
{
  char **v;
  size_t n = 0;

  if (arr == NULL || arr->type != JSON_ARRAY)
    return NULL;
  v = xreallocarray (NULL, arr->n + 1, sizeof (char *));
  for (size_t i = 0; i < arr->n; i++)
    if (arr->items[i]->type == JSON_STRING)
      v[n++] = xstrdup (arr->items[i]->text);
  v[n] = NULL;
  return v;
}

bool
json_number_i64 (const struct json_node *node, int64_t *out)
{
  const uint64_t min_magnitude = (uint64_t)INT64_MAX + 1;
  uint64_t magnitude;
  bool negative;

  if (node == NULL || node->type != JSON_NUMBER)
    return false;
  negative = node->text[0] == '-';
  if (!parse_u64_text (node->text + negative, &magnitude))
    return false;
  if (magnitude > (negative ? min_magnitude : (uint64_t)INT64_MAX))
    return false;
  if (negative)
    *out = magnitude == min_magnitude ? INT64_MIN : -(int64_t)magnitude;
  else
    *out = (int64_t)magnitude;
  return true;
}

void
json_obj_set (struct json_node *obj, const char *key, struct json_node *value)
{
  ssize_t i = obj_find (obj, key);

  if (obj == NULL || obj->type != JSON_OBJECT || key == NULL)
    {
      json_free (value); /* the contract is "takes ownership", even on misuse */
      return;
    }
  if (i >= 0)
    {
      json_free (obj->items[i]);
      obj->items[i] = value;
      return;
    }
  container_reserve (obj);
  obj->keys[obj->n] = json_key_dup (key);
  obj->items[obj->n++] = value;
}

void
json_obj_append (struct json_node *obj, char *key, struct json_node *value)
{
  if (obj == NULL || obj->type != JSON_OBJECT || key == NULL)
    {
      json_key_free (key);
      json_free (value);
      return;
    }
  container_reserve (obj);
  obj->keys[obj->n] = key;
  obj->items[obj->n++] = value;
}

/* Remove member i of an object or array, keeping the order of the others.  */
static void
container_remove_at (struct json_node *node, size_t i)
{
  json_free (node->items[i]);
  memmove (&node->items[i], &node->items[i + 1], (node->n - i - 1) * sizeof (*node->items));
  if (node->keys != NULL)
    {
      json_key_free (node->keys[i]);
      memmove (&node->keys[i], &node->keys[i + 1], (node->n - i - 1) * sizeof (*node->keys));
    }
  node->n--;
}

bool
json_obj_remove (struct json_node *obj, const char *key)
{
  ssize_t i = obj_find (obj, key);

  if (i < 0)
    return false;
  container_remove_at (obj, (size_t)i);
  return true;
}

void
json_arr_append (struct json_node *arr, struct json_node *value)
{
  if (arr == NULL || arr->type != JSON_ARRAY)
    {
      json_free (value);
      return;
    }
  container_reserve (arr);
  arr->items[arr->n++] = value;
}

bool
json_arr_remove (struct json_node *arr, size_t index)
{
  if (arr == NULL || arr->type != JSON_ARRAY || index >= arr->n)
    return false;
  container_remove_at (arr, index);
  return true;
}
