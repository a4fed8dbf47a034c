/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the keys of a JSON tree (policy/json/json_keys.c): the OCI spec's names come
 * from one shared pool, every other key is a copy of its own, and a tree whose keys are of both
 * kinds is built, changed, cloned and freed as before (the sanitizer build checks every free).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "json_bytes.h"
#include "util.h"

static const char doc[] = "{\"mounts\": [{\"destination\": \"/a\", \"type\": \"bind\"},\n"
                          "  {\"destination\": \"/b\", \"my key\": 1, \"typ\": 2, \"types\": 3}]}";

static struct json_node *
parse (void)
{
  ocg_error_t err = NULL;
  struct json_node *root = json_parse (doc, strlen (doc), NULL, &err);

  assert_non_null (root);
  return root;
}

/* The same name in two objects, and in two documents, is one string; a name the pool does not
 * hold (or a prefix or extension of one it holds) is a copy of its own each time.  */
static void
test_shared_names (void **state)
{
  cleanup_json struct json_node *a = parse ();
  cleanup_json struct json_node *b = parse ();
  struct json_node *a0 = json_arr_get (json_obj_get (a, "mounts"), 0);
  struct json_node *a1 = json_arr_get (json_obj_get (a, "mounts"), 1);
  struct json_node *b1 = json_arr_get (json_obj_get (b, "mounts"), 1);

  (void)state;
  assert_ptr_equal (a0->keys[0], a1->keys[0]);
  assert_ptr_equal (a1->keys[0], b1->keys[0]);
  assert_ptr_equal (a->keys[0], b->keys[0]);
  assert_string_equal (a1->keys[1], "my key");
  assert_ptr_not_equal (a1->keys[1], b1->keys[1]);
  assert_string_equal (a1->keys[2], "typ");
  assert_ptr_not_equal (a1->keys[2], b1->keys[2]);
  assert_string_equal (a1->keys[3], "types");
  assert_ptr_not_equal (a1->keys[3], b1->keys[3]);
  assert_ptr_equal (json_key_dup ("destination"), a0->keys[0]);
  json_key_free (json_key_dup ("destination")); /* a pool name: nothing to free */
}

/* Set, remove, append, clone and free on members of both kinds.  */
static void
test_mutations (void **state)
{
  cleanup_json struct json_node *root = parse ();
  cleanup_json struct json_node *copy = NULL;
  struct json_node *m1 = json_arr_get (json_obj_get (root, "mounts"), 1);
  cleanup_free char *text = NULL;
  ocg_error_t err = NULL;

  (void)state;
  json_obj_set (m1, "destination", json_new_string ("/c"));
  json_obj_set (m1, "my key", json_new_string ("x"));
  json_obj_set (m1, "source", json_new_string ("/s"));
  json_obj_set (m1, "other key", json_new_null ());
  json_obj_append (m1, json_key_new ("options", 7), json_new_array ());
  json_obj_append (m1, xstrdup ("appended"), json_new_bool (true));
  assert_true (json_obj_remove (m1, "typ"));
  assert_true (json_obj_remove (m1, "types"));
  copy = json_clone (root);
  assert_true (json_identical (copy, root));
  assert_true (json_obj_remove (m1, "destination"));
  assert_true (json_obj_remove (m1, "other key"));
  assert_false (json_identical (copy, root));
  text = json_serialize (copy, NULL, &err);
  assert_non_null (text);
  assert_non_null (strstr (text, "\"destination\": \"/c\",\n      \"my key\": \"x\",\n"));
  assert_non_null (strstr (text, "\"options\": [],\n      \"appended\": true\n"));
}

/* Containers past the slots they were allocated with (json.c node_new): members in order, keys
 * still naming their items after every growth, removal and clone.  */
static void
test_growth (void **state)
{
  cleanup_json struct json_node *obj = json_new_object ();
  cleanup_json struct json_node *arr = json_new_array ();
  cleanup_json struct json_node *copy = NULL;
  char key[16];

  (void)state;
  for (int i = 0; i < 40; i++)
    {
      snprintf (key, sizeof (key), "k%d", i);
      json_obj_set (obj, i % 3 == 0 ? "type" : key, json_new_int (i));
      json_arr_append (arr, json_new_int (i));
    }
  assert_true (json_obj_remove (obj, "k1"));
  assert_true (json_arr_remove (arr, 0));
  json_obj_set (obj, "arr", arr);
  arr = NULL;
  copy = json_clone (obj);
  assert_true (json_identical (copy, obj));
  assert_int_equal (json_arr_get (json_obj_get (copy, "arr"), 38)->text[0], '3');
  assert_string_equal (json_obj_get (copy, "type")->text, "39");
  assert_string_equal (json_obj_get (copy, "k38")->text, "38");
  assert_null (json_obj_get (copy, "k1"));
  assert_string_equal (copy->keys[0], "type");
  assert_string_equal (copy->keys[1], "k2");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_shared_names),
    cmocka_unit_test (test_mutations),
    cmocka_unit_test (test_growth),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
