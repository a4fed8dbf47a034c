/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test for the restore rule (policy/rules/restore.c): a document is refused when it is judged
 * for `restore`, not when the same one is judged for create.  */
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

extern const struct rule rule_restore;

/* Only a document judged for `restore` is refused: the same config for create passes, and the
 * finding cannot be rewritten away (the image brings the process).  */
static void
test_restore (void **state)
{
  struct harness *r = *state;
  cleanup_free char *text = harness_real_client ("docker-default.config.json");
  cleanup_spec struct spec *spec = harness_load (text, SPEC_CONFIG);

  assert_int_equal (harness_check (r, &rule_restore, spec), 0);
  r->call.verb = CALL_RESTORE;
  assert_int_equal (harness_check (r, &rule_restore, spec), 1);
  assert_true (
      harness_said (r, "from the checkpoint image, which ocigate does not read", false, false));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_restore, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
