/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for seccomp_merge_oci_changed (policy/seccomp/seccomp_merge.c): the answer of
 * seccomp_merge_oci -- status, `changed`, the tightened names and, when it changed, the merged
 * object -- without the object when nothing changed, on the embedded profiles merged with each
 * other, whole and for a few names.  */
#include <config.h>

#include <seccomp.h> /* libseccomp's: seccomp_arch_native */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "seccomp.h"
#include "util.h"

static struct json_node *
embedded (const char *name)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *p = seccomp_load_embedded (name, &err);

  assert_non_null (p);
  return p;
}

static void
compare (const struct json_node *own, const struct json_node *pol, const char *const *only,
         size_t *n_changed)
{
  cleanup_error ocg_error_t e1 = NULL, e2 = NULL;
  struct seccomp_merge_result full, lazy;
  int r1 = seccomp_merge_oci (own, pol, only, seccomp_arch_native (), &full, &e1);
  int r2 = seccomp_merge_oci_changed (own, pol, only, seccomp_arch_native (), &lazy, &e2);

  assert_int_equal (r1, r2);
  if (r1 == 0)
    {
      assert_int_equal (full.changed, lazy.changed);
      if (full.changed)
        {
          assert_non_null (lazy.oci);
          assert_true (json_identical (full.oci, lazy.oci));
          assert_int_equal (strv_length ((const char *const *)full.tightened),
                            strv_length ((const char *const *)lazy.tightened));
          for (size_t i = 0; full.tightened != NULL && full.tightened[i] != NULL; i++)
            assert_string_equal (full.tightened[i], lazy.tightened[i]);
          ++*n_changed;
        }
      else
        assert_true (lazy.oci == NULL || json_identical (full.oci, lazy.oci));
    }
  seccomp_merge_result_release (&full);
  seccomp_merge_result_release (&lazy);
}

static void
test_changed_same_as_full (void **state)
{
  static const char *const host_global[]
      = { "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", NULL };
  static const char *const opened[] = { "unshare", "mount", "setns", "clone", NULL };
  cleanup_json struct json_node *def = embedded ("default");
  cleanup_json struct json_node *strict = embedded ("strict");
  const struct json_node *profiles[] = { def, strict };
  const char *const *onlies[] = { NULL, host_global, opened };
  size_t n_changed = 0;

  (void)state;
  for (size_t a = 0; a < ARRAY_SIZE (profiles); a++)
    for (size_t b = 0; b < ARRAY_SIZE (profiles); b++)
      for (size_t k = 0; k < ARRAY_SIZE (onlies); k++)
        compare (profiles[a], profiles[b], onlies[k], &n_changed);
  /* default merged with strict tightens something; a profile with itself changes nothing.  */
  assert_true (n_changed > 0 && n_changed < ARRAY_SIZE (profiles) * ARRAY_SIZE (profiles) * 3);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_changed_same_as_full),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
