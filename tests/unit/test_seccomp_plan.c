/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the seccomp rule's remembered plans (policy/rules/seccomp_plan.c) and their
 * encoding (policy/seccomp/seccomp_canon.c): the key changes with every input the plan depends
 * on and with nothing else (an embedded profile by the digest of its bytes); the encoding is
 * injective and reads back the same tree; a stored plan reads back as the plan it was, and a
 * damaged one is refused; the rule takes a plan from the store, and computes it again (with the
 * same findings) when the store hands it garbage.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "seccomp_canon.h"
#include "seccomp_plan.h"
#include "sha256.h"
#include "util.h"

extern const struct rule rule_seccomp;

/* ---- the encoding ---- */

static void
test_canon_injective (void **state)
{
  static const char *const docs[] = {
    "{\"a\":[\"ab\",\"c\"]}",
    "{\"a\":[\"a\",\"bc\"]}",
    "{\"a\":[\"abc\"]}",
    "{\"a\":[1]}",
    "{\"a\":[\"1\"]}",
    "{\"a\":[1.0]}",
    "{\"a\":[true]}",
    "{\"a\":[null]}",
    "{\"a\":[]}",
    "{\"a\":{}}",
    "{\"a\":[[]]}",
    "{\"b\":1,\"a\":2}",
    "{\"a\":2,\"b\":1}",
    "{\"a\":[\"\"]}",
    "{\"a\":[\"\",\"\"]}",
    "{\"ab\":[]}",
  };
  char *enc[ARRAY_SIZE (docs)];
  size_t len[ARRAY_SIZE (docs)];

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (docs); i++)
    {
      struct canon c = { 0 };
      cleanup_spec struct spec *s = harness_load (docs[i], SPEC_CONFIG);

      canon_tree (&c, s->root);
      enc[i] = c.buf;
      len[i] = c.len;
    }
  for (size_t i = 0; i < ARRAY_SIZE (docs); i++)
    for (size_t j = i + 1; j < ARRAY_SIZE (docs); j++)
      assert_false (len[i] == len[j] && memcmp (enc[i], enc[j], len[i]) == 0);
  for (size_t i = 0; i < ARRAY_SIZE (docs); i++)
    free (enc[i]);
}

/* A tree reads back as itself, matches its own encoding and no other.  */
static void
test_canon_round_trip (void **state)
{
  cleanup_free char *docker = harness_real_client ("docker-default.config.json");
  cleanup_spec struct spec *s = harness_load (docker, SPEC_CONFIG);
  cleanup_json struct json_node *back = NULL;
  struct canon c = { 0 };
  struct uncanon u;

  (void)state;
  canon_tree (&c, s->root);
  u = (struct uncanon){ c.buf, c.buf + c.len };
  assert_true (uncanon_tree (&u, &back));
  assert_true (u.p == u.end);
  assert_true (json_identical (back, s->root));
  u = (struct uncanon){ c.buf, c.buf + c.len };
  assert_true (canon_tree_matches (&u, s->root));
  assert_true (u.p == u.end);
  /* One byte less, or one string changed, is another tree.  */
  u = (struct uncanon){ c.buf, c.buf + c.len - 1 };
  assert_false (canon_tree_matches (&u, s->root));
  json_free (back);
  back = NULL;
  assert_int_equal (
      spec_set (s, "/linux/seccomp/syscalls/0/names/0", json_new_string ("acceps"), NULL), 0);
  u = (struct uncanon){ c.buf, c.buf + c.len };
  assert_false (canon_tree_matches (&u, s->root));
  /* Damaged encodings are refused, never read past.  */
  for (size_t cut = 0; cut < 64; cut++)
    {
      u = (struct uncanon){ c.buf, c.buf + cut };
      assert_false (uncanon_tree (&u, &back));
      assert_null (back);
    }
  canon_release (&c);
}

/* ---- the key ---- */

/* An embedded profile stands in the key for its digest, computed when the binary was built: it
 * must be the digest of the bytes the binary holds.  */
static void
test_embedded_digest (void **state)
{
  static const char *const names[] = { "default", "strict" };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    {
      size_t len = 0;
      const char *bytes = seccomp_embedded_profile (names[i], &len);
      char hex[SHA256_HEX_SIZE];

      assert_non_null (bytes);
      sha256_hex (bytes, len, hex);
      assert_string_equal (seccomp_embedded_sha256 (names[i]), hex);
    }
  assert_null (seccomp_embedded_sha256 ("none"));
}

/* The key of spec under the harness's policy and host.  */
static struct canon
key_of (struct harness *h, const struct spec *spec)
{
  size_t index = 0;
  struct rule_ctx ctx = {
    .spec = spec, .call = &h->call, .host = &h->host, .rule = &rule_seccomp, .policy = h->policy
  };
  struct canon key = { 0 };

  assert_non_null (rules_find ("seccomp", &index));
  ctx.params = h->policy->params[index];
  assert_true (seccomp_plan_key (&ctx, spec, &key));
  return key;
}

/* Does the key differ from `before`?  */
static bool
key_differs (struct harness *h, const struct spec *spec, const struct canon *before)
{
  struct canon now = key_of (h, spec);
  bool differs = now.len != before->len || memcmp (now.buf, before->buf, now.len) != 0;

  canon_release (&now);
  return differs;
}

/* Check that changing one input changes the key, then restore it.  */
#define KEY_CHANGES(change, restore)                                                               \
  do                                                                                               \
    {                                                                                              \
      change;                                                                                      \
      assert_true (key_differs (r, d, &base));                                                     \
      restore;                                                                                     \
      assert_false (key_differs (r, d, &base));                                                    \
    }                                                                                              \
  while (0)

static void
set (struct spec *spec, const char *ptr, const char *text)
{
  cleanup_error ocg_error_t err = NULL;

  assert_int_equal (spec_set (spec, ptr, json_new_string (text), &err), 0);
}

static void
test_key_inputs (void **state)
{
  struct harness *r = *state;
  cleanup_free char *docker = harness_real_client ("docker-default.config.json");
  cleanup_spec struct spec *d = harness_load (docker, SPEC_CONFIG);
  struct canon base = key_of (r, d);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *action = xstrdup (harness_string (d, "/linux/seccomp/defaultAction"));

  KEY_CHANGES (set (d, "/linux/seccomp/defaultAction", "SCMP_ACT_LOG"),
               set (d, "/linux/seccomp/defaultAction", action));
  assert_string_equal (harness_string (d, "/linux/seccomp/syscalls/0/names/0"), "accept");
  KEY_CHANGES (set (d, "/linux/seccomp/syscalls/0/names/0", "x"),
               set (d, "/linux/seccomp/syscalls/0/names/0", "accept"));
  assert_string_equal (harness_string (d, "/process/capabilities/bounding/0"), "CAP_CHOWN");
  KEY_CHANGES (set (d, "/process/capabilities/bounding/0", "CAP_SYS_ADMIN"),
               set (d, "/process/capabilities/bounding/0", "CAP_CHOWN"));
  assert_string_equal (harness_string (d, "/process/capabilities/bounding/0"), "CAP_CHOWN");
  KEY_CHANGES (r->host.kernel_major++, r->host.kernel_major--);
  KEY_CHANGES (r->host.kernel_minor++, r->host.kernel_minor--);
  KEY_CHANGES (r->host.userns_unprivileged = !r->host.userns_unprivileged,
               r->host.userns_unprivileged = !r->host.userns_unprivileged);
  KEY_CHANGES (harness_param (r, "seccomp", "native_arch_only", HARNESS_NUMBER (1)),
               harness_param (r, "seccomp", "native_arch_only", NULL));
  KEY_CHANGES (harness_param (r, "seccomp", "profile", &(struct param_value){ .text = "strict" }),
               harness_param (r, "seccomp", "profile", NULL));
  /* No seccomp object at all is another document.  */
  {
    cleanup_json struct json_node *own = json_clone (spec_get_object (d, "/linux/seccomp"));
    KEY_CHANGES (assert_true (spec_remove (d, "/linux/seccomp")),
                 assert_int_equal (spec_set (d, "/linux/seccomp", json_clone (own), &err), 0));
  }
  /* What the plan does not depend on does not change the key.  */
  set (d, "/process/args/0", "/bin/true");
  set (d, "/hostname", "other");
  assert_false (key_differs (r, d, &base));
  canon_release (&base);
}

/* ---- the stored form ---- */

/* The plan the rule makes for `json`, encoded.  */
static struct canon
plan_value (struct harness *h, const char *json)
{
  cleanup_spec struct spec *s = harness_load (json, SPEC_CONFIG);
  size_t index = 0;
  struct rule_ctx ctx = {
    .spec = s, .call = &h->call, .host = &h->host, .rule = &rule_seccomp, .policy = h->policy
  };
  struct seccomp_plan plan;
  struct canon value = { 0 };
  cleanup_error ocg_error_t err = NULL;

  assert_non_null (rules_find ("seccomp", &index));
  ctx.params = h->policy->params[index];
  assert_int_equal (seccomp_plan_make (&ctx, s, &plan, &err), 0);
  seccomp_plan_encode (&plan, &value);
  seccomp_plan_release (&plan);
  return value;
}

static void
assert_round_trip (const struct canon *value)
{
  struct seccomp_plan plan = { 0 };
  struct canon again = { 0 };

  assert_true (seccomp_plan_decode (value->buf, value->len, &plan));
  seccomp_plan_encode (&plan, &again);
  assert_int_equal (again.len, value->len);
  assert_memory_equal (again.buf, value->buf, value->len);
  seccomp_plan_release (&plan);
  canon_release (&again);
}

static void
test_stored_form (void **state)
{
  struct harness *r = *state;
  cleanup_free char *docker = harness_real_client ("docker-default.config.json");
  cleanup_free char *podman = harness_real_client ("podman-default.config.json");
  cleanup_free char *ctr = harness_real_client ("ctr-default.config.json");
  struct canon v[3];

  (void)state;
  v[0] = plan_value (r, docker); /* unchanged */
  v[1] = plan_value (r, podman); /* tightened */
  v[2] = plan_value (r, ctr);    /* none: the policy's whole */
  for (size_t i = 0; i < ARRAY_SIZE (v); i++)
    {
      struct seccomp_plan plan = { 0 };

      assert_round_trip (&v[i]);
      /* Cut short, or followed by anything: refused, and nothing is left allocated.  */
      assert_false (seccomp_plan_decode (v[i].buf, v[i].len - 1, &plan));
      assert_null (plan.merged.oci);
      assert_null (plan.merged.tightened);
      v[i].buf[v[i].len] = 'x';
      assert_false (seccomp_plan_decode (v[i].buf, v[i].len + 1, &plan));
      v[i].buf[v[i].len] = '\0';
      /* A flag that is neither 0 nor 1, or not ended.  */
      v[i].buf[1] = '2';
      assert_false (seccomp_plan_decode (v[i].buf, v[i].len, &plan));
      v[i].buf[1] = '0';
      v[i].buf[2] = ':';
      assert_false (seccomp_plan_decode (v[i].buf, v[i].len, &plan));
      canon_release (&v[i]);
    }
}

/* ---- the store ---- */

/* A store in memory that counts its calls; `garbage` makes it hand back a damaged value.  */
static struct
{
  struct canon key, value;
  int recalled, remembered;
  bool garbage;
} mem;

static char *
mem_recall (const char *key, size_t key_len, size_t *len)
{
  char *out;

  if (mem.key.len != key_len || memcmp (mem.key.buf, key, key_len) != 0)
    return NULL;
  mem.recalled++;
  *len = mem.garbage ? mem.value.len / 2 : mem.value.len;
  out = xmalloc (*len + 1);
  memcpy (out, mem.value.buf, *len);
  out[*len] = '\0';
  return out;
}

static void
mem_remember (const char *key, size_t key_len, const char *value, size_t len)
{
  mem.key.buf = xrealloc (mem.key.buf, key_len + 1);
  memcpy (mem.key.buf, key, key_len);
  mem.key.len = key_len;
  mem.value.buf = xrealloc (mem.value.buf, len + 1);
  memcpy (mem.value.buf, value, len);
  mem.value.len = len;
  mem.remembered++;
}

static const struct seccomp_plan_store mem_store = { mem_recall, mem_remember };

static void
test_store (void **state)
{
  cleanup_free char *podman = harness_real_client ("podman-default.config.json");
  struct harness *first = *state;
  struct harness *second = harness_new ("baseline");
  struct harness *third = harness_new ("baseline");

  seccomp_plan_store = &mem_store;
  /* Computed once, remembered once; checked again in the same process: the memo.  */
  assert_int_equal (harness_check_config (first, &rule_seccomp, podman), 1);
  assert_int_equal (harness_check_config (first, &rule_seccomp, podman), 1);
  assert_int_equal (mem.remembered, 1);
  assert_int_equal (mem.recalled, 0);
  /* Another process (a fresh policy): the store's plan, not computed again.  */
  assert_int_equal (harness_check_config (second, &rule_seccomp, podman), 1);
  assert_true (harness_said (second, "allows `clone`, `clone3`, `keyctl`, `unshare`", false, true));
  assert_int_equal (mem.recalled, 1);
  assert_int_equal (mem.remembered, 1);
  /* A damaged entry: computed again, the same finding, and remembered anew.  */
  mem.garbage = true;
  assert_int_equal (harness_check_config (third, &rule_seccomp, podman), 1);
  assert_true (harness_said (third, "allows `clone`, `clone3`, `keyctl`, `unshare`", false, true));
  assert_int_equal (mem.recalled, 2);
  assert_int_equal (mem.remembered, 2);
  seccomp_plan_store = NULL;
  canon_release (&mem.key);
  canon_release (&mem.value);
  harness_free (second);
  harness_free (third);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_canon_injective),
    cmocka_unit_test (test_canon_round_trip),
    cmocka_unit_test (test_embedded_digest),
    cmocka_unit_test_setup_teardown (test_key_inputs, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_stored_form, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_store, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
