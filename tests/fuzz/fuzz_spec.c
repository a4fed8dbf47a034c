/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the JSON tree and spec I/O (policy/json/json*.c, policy/spec/spec.c).
 *
 * Invariants checked on every input (abort() on violation, so libFuzzer reports it):
 *  - json_parse never crashes, whatever the options;
 *  - a tree json_parse accepted serialises, the output reparses to an equal tree, and
 *    serialising that again gives the same bytes (the write-back is a fixed point);
 *  - spec_load_buffer and schema_validate never crash, for any document kind;
 *  - every node of an accepted object is reached again by the JSON Pointer built for it with
 *    spec_ptr_join / spec_ptr_index (escaping and lookup agree);
 *  - after a few mutations, replaying the recorded RFC 6902 operations on the original tree
 *    gives exactly the mutated tree, and the mutated tree still round-trips.  */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "schema.h"
#include "spec.h"
#include "util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_PATHS 256

static void
check (bool ok)
{
  if (!ok)
    abort ();
}

/* Serialise -> parse -> equal -> serialise again gives the same bytes.  */
static void
check_round_trip (const struct json_node *root)
{
  const struct json_parse_opts opts = { .source = "fuzz", .max_depth = JSON_MAX_DEPTH_LIMIT };
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0, len2 = 0;
  cleanup_free char *out = json_serialize (root, &len, &err);
  cleanup_free char *out2 = NULL;
  cleanup_json struct json_node *again = NULL;

  check (out != NULL && strlen (out) == len);
  again = json_parse (out, len, &opts, &err);
  check (again != NULL && json_equal (root, again));
  out2 = json_serialize (again, &len2, &err);
  check (out2 != NULL && len == len2 && memcmp (out, out2, len) == 0);
}

struct paths
{
  char *ptr[MAX_PATHS];
  const struct json_node *node[MAX_PATHS];
  size_t n;
};

/* Breadth-first pointers to the first MAX_PATHS nodes.  */
static void
collect_paths (const struct json_node *root, struct paths *p)
{
  p->ptr[0] = xstrdup ("");
  p->node[0] = root;
  p->n = 1;
  for (size_t i = 0; i < p->n; i++)
    for (size_t k = 0; k < p->node[i]->n && p->n < MAX_PATHS; k++)
      {
        const struct json_node *parent = p->node[i];
        p->ptr[p->n] = parent->type == JSON_OBJECT ? spec_ptr_join (p->ptr[i], parent->keys[k])
                                                   : spec_ptr_index (p->ptr[i], k);
        p->node[p->n++] = parent->items[k];
      }
}

static void
free_paths (struct paths *p)
{
  for (size_t i = 0; i < p->n; i++)
    free (p->ptr[i]);
}

static void
typed_getters (const struct spec *spec, const char *ptr)
{
  const char *s;
  bool b;
  int64_t i64;
  uint64_t u64;
  size_t count;
  const char **v = spec_get_strv (spec, ptr, &count);

  free (v);
  (void)spec_get_object (spec, ptr);
  (void)spec_get_array (spec, ptr);
  (void)spec_get_string (spec, ptr, &s);
  (void)spec_get_bool (spec, ptr, &b);
  (void)spec_get_i64 (spec, ptr, &i64);
  (void)spec_get_u64 (spec, ptr, &u64);
}

/* Every typed getter on fixed paths (malformed ones included) and on a sample of the tree's own
 * paths; spec_get on all of them must land on the very node the path was built from.  */
static void
exercise_accessors (const struct spec *spec, const struct paths *p)
{
  static const char *const fixed[] = {
    "",
    "/process",
    "/process/args",
    "/process/args/0",
    "/process/user/uid",
    "/linux/resources/memory/limit",
    "/mounts/0/options",
    "/process/noNewPrivileges",
    "/linux/namespaces",
    "/a~1b",
    "/~0",
    "/-",
    "//",
    "x",
    "/process/args/-",
    "/process/args/01",
    "/process/capabilities/bounding",
    "/a~",
    "/a~2",
  };

  for (size_t k = 0; k < ARRAY_SIZE (fixed); k++)
    typed_getters (spec, fixed[k]);
  for (size_t k = 0; k < p->n; k++)
    {
      check (spec_get (spec, p->ptr[k]) == p->node[k]);
      if (k % 16 == 1)
        typed_getters (spec, p->ptr[k]);
    }
}

/* ---- an independent RFC 6902 replayer for the operations spec.c records ---- */

static char **
split_pointer (const char *ptr)
{
  char **tokens = xzalloc (sizeof (*tokens) * (strlen (ptr) + 1));
  size_t n = 0;

  check (*ptr == '/');
  while (*ptr == '/')
    {
      size_t len = strcspn (++ptr, "/"), o = 0;
      char *tok = tokens[n++] = xmalloc (len + 1);
      for (size_t i = 0; i < len; i++)
        {
          bool esc = ptr[i] == '~';
          check (!esc || ptr[i + 1] == '0' || ptr[i + 1] == '1');
          tok[o++] = esc ? (ptr[++i] == '0' ? '~' : '/') : ptr[i];
        }
      tok[o] = '\0';
      ptr += len;
    }
  return tokens;
}

static size_t
token_index (const char *tok)
{
  char *end = NULL;
  unsigned long v = strtoul (tok, &end, 10);
  check (*tok >= '0' && *tok <= '9' && *end == '\0' && (tok[0] != '0' || tok[1] == '\0'));
  return v;
}

/* spec.c only ever appends to an array (add at index n) or replaces / removes an element.  */
static void
replay_array_op (struct json_node *arr, size_t i, const struct spec_patch_op *op)
{
  if (str_eq (op->op, "add"))
    {
      check (i == arr->n);
      json_arr_append (arr, json_clone (op->value));
    }
  else if (str_eq (op->op, "remove"))
    check (json_arr_remove (arr, i));
  else
    {
      check (i < arr->n);
      json_free (arr->items[i]);
      arr->items[i] = json_clone (op->value);
    }
}

static void
replay_op (struct json_node *root, const struct spec_patch_op *op)
{
  cleanup_strv char **tokens = split_pointer (op->path);
  struct json_node *parent = root;
  size_t n = 0;

  while (tokens[n + 1] != NULL)
    {
      parent = parent->type == JSON_OBJECT ? json_obj_get (parent, tokens[n])
                                           : json_arr_get (parent, token_index (tokens[n]));
      check (parent != NULL);
      n++;
    }
  if (parent->type == JSON_OBJECT)
    {
      bool exists = json_obj_get (parent, tokens[n]) != NULL;
      check (str_eq (op->op, "add") ? !exists : exists);
      if (str_eq (op->op, "remove"))
        check (json_obj_remove (parent, tokens[n]));
      else
        json_obj_set (parent, tokens[n], json_clone (op->value));
      return;
    }
  check (parent->type == JSON_ARRAY);
  replay_array_op (parent, token_index (tokens[n]), op);
}

static void
mutate (struct spec *spec, const struct paths *p, const uint8_t *data, size_t size)
{
  cleanup_error ocg_error_t err = NULL;
  size_t a = size % p->n, b = (size / 7 + (size ? data[0] : 0)) % p->n;

  (void)spec_set (spec, "/process/noNewPrivileges", json_new_bool (true), &err);
  (void)spec_set (spec, "/ocigateFuzz/a~1b/c", json_new_uint (UINT64_MAX), &err);
  (void)spec_append (spec, "/process/args", json_new_string ("fuzz"), &err);
  (void)spec_append (spec, "/linux/maskedPaths", json_new_string ("/proc/kcore"), &err);
  (void)spec_set (spec, p->ptr[a], json_new_string ("\xe2\x82\xac"), &err);
  (void)spec_set (spec, p->ptr[b], json_clone (p->node[a]), &err);
  (void)spec_remove (spec, "/hostname");
  (void)spec_remove (spec, p->ptr[b]);
  (void)spec_append (spec, p->ptr[a], json_new_int (-1), &err);
  (void)spec_set (spec, "/process/args/-", json_new_null (), &err);
}

/* Mutate a spec wrapped around `root` (schema validity is not needed for the tree layer) and check
 * the patch log replays to the same result.  */
static void
exercise_spec (struct json_node *root, const uint8_t *data, size_t size)
{
  struct spec spec = { .kind = SPEC_CONFIG, .name = (char *)"fuzz", .root = root };
  cleanup_json struct json_node *original = json_clone (root);
  struct paths p = { .n = 0 };
  cleanup_free char *patch = NULL;

  collect_paths (root, &p);
  exercise_accessors (&spec, &p);
  /* p's node pointers go stale once the tree changes: mutate() only uses them before that.  */
  {
    cleanup_json struct json_node *snapshot = json_clone (p.node[size % p.n]);
    p.node[size % p.n] = snapshot;
    mutate (&spec, &p, data, size);
  }
  patch = spec_patch_json (&spec);
  check (patch != NULL);
  for (size_t i = 0; i < spec.n_ops; i++)
    replay_op (original, &spec.ops[i]);
  check (json_equal (original, spec.root));
  check_round_trip (spec.root);
  free_paths (&p);
  spec.root = NULL;
  spec.name = NULL;
  for (size_t i = 0; i < spec.n_ops; i++)
    {
      free (spec.ops[i].path);
      json_free (spec.ops[i].value);
    }
  free (spec.ops);
}

/* The loader for one kind, and the schema walk for the others on the same tree (cheaper than
 * three loads, and the loader adds nothing but the object check on top of json_parse).  */
static void
exercise_loaders (const char *buf, size_t size, const uint8_t *data)
{
  static const enum spec_kind kinds[] = { SPEC_CONFIG, SPEC_PROCESS, SPEC_RESOURCES };
  enum spec_kind kind = kinds[size ? data[size - 1] % 3 : 0];
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *spec = spec_load_buffer (buf, size, "fuzz", kind, &err);

  check ((spec == NULL) == (err != NULL));
  if (spec == NULL)
    return;
  for (size_t k = 0; k < ARRAY_SIZE (kinds); k++)
    {
      ocg_error_free (&err);
      check ((schema_validate (spec->root, kinds[k], "fuzz", &err) < 0) == (err != NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *buf = (const char *)data;
  const struct json_parse_opts strict = { .source = "fuzz", .max_bytes = SPEC_MAX_BYTES };
  const struct json_parse_opts lax
      = { .source = "fuzz", .max_depth = 1000, .allow_comments = true, .allow_duplicates = true };
  cleanup_error ocg_error_t err = NULL;
  struct json_node *root;

  exercise_loaders (buf, size, data);
  root = json_parse (buf, size, &lax, &err);
  if (root != NULL)
    {
      cleanup_free char *out = json_serialize (root, NULL, &err);
      check (out != NULL);
      json_free (root);
    }
  ocg_error_free (&err);
  root = json_parse (buf, size, &strict, &err);
  check ((root == NULL) == (err != NULL));
  if (root == NULL)
    return 0;
  check_round_trip (root);
  if (root->type == JSON_OBJECT)
    exercise_spec (root, data, size);
  json_free (root);
  return 0;
}
