/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the capabilities rule (policy/rules/capabilities.c) in the cases the fixture
 * driver (test_rules.c) cannot express: a document full of unknown capability names is judged in
 * bounded time and reported briefly.  */
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
#include "util.h"

extern const struct rule rule_capabilities;

/* Every set holds `per_set` names: CAP_NOPE_<i> (unknown), or CAP_CHOWN repeated.  */
static char *
caps_doc (size_t per_set, bool unknown)
{
  static const char *const sets[]
      = { "bounding", "effective", "permitted", "inheritable", "ambient" };
  size_t cap = 1024 + per_set * 5 * 32, len = 0;
  char *s = xmalloc (cap);

  len += (size_t)snprintf (s, cap, "{\"ociVersion\":\"1.0.2\",\"process\":{\"capabilities\":{");
  for (size_t k = 0; k < ARRAY_SIZE (sets); k++)
    {
      len += (size_t)snprintf (s + len, cap - len, "%s\"%s\":[", k ? "," : "", sets[k]);
      for (size_t i = 0; i < per_set; i++)
        {
          if (unknown)
            len += (size_t)snprintf (s + len, cap - len, "%s\"CAP_NOPE_%zu\"", i ? "," : "", i);
          else
            len += (size_t)snprintf (s + len, cap - len, "%s\"CAP_CHOWN\"", i ? "," : "");
        }
      len += (size_t)snprintf (s + len, cap - len, "]");
    }
  snprintf (s + len, cap - len, "}}}");
  return s;
}

static void
test_caps_dos (void **state)
{
  struct harness *r = *state;
  cleanup_free char *huge = caps_doc (30000, true);
  cleanup_free char *limit = caps_doc (256, true);
  cleanup_free char *repeated = caps_doc (256, false);

  harness_refused (huge, "$.process.capabilities.bounding has 30000 entries; ocigate judges at "
                         "most 256 there");
  /* At the ceiling: one finding, eight names quoted, every entry counted.  */
  assert_int_equal (harness_check_config (r, &rule_capabilities, limit), 1);
  assert_true (harness_found (r, "1280 unknown capability names (`CAP_NOPE_0`, `CAP_NOPE_1`"));
  assert_true (harness_found (r, "`CAP_NOPE_7`, ...) are ignored"));
  assert_false (harness_found (r, "CAP_NOPE_8"));
  assert_int_equal (harness_check_config (r, &rule_capabilities, repeated), 1);
  assert_false (harness_found (r, "unknown capability"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_caps_dos, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
