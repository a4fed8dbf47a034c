/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy/util/capname.c reads and names capabilities exactly as libcap does: every input below
 * gets the same answer from capname_parse as from libcap's cap_from_name (which crun 1.8.1 reads
 * a config's capabilities with), and every number the same name as cap_to_name gives.  This test
 * links the real libcap; ocigate itself no longer does (its constructor's prctl calls).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include <cmocka.h>

#include "capname.h"
#include "util.h"

static void
same_as_libcap (const char *in)
{
  cap_value_t want = -99;
  int got = -99;
  int r_want = cap_from_name (in, &want);
  int r_got = capname_parse (in, &got);

  if (r_want != r_got || (r_want == 0 && want != got))
    fail_msg ("`%s`: libcap %d (%d), capname %d (%d)", in, r_want, (int)want, r_got, got);
}

static void
cased (char *s, int how)
{
  for (size_t i = 0; s[i] != '\0'; i++)
    if (how == 1 && s[i] >= 'a' && s[i] <= 'z')
      s[i] = (char)(s[i] - 'a' + 'A');
    else if (how == 2 && i % 2 == 1 && s[i] >= 'a' && s[i] <= 'z')
      s[i] = (char)(s[i] - 'a' + 'A');
}

static void
test_names (void **state)
{
  static const char *const tails[] = { "", "X", "_", "1", " ", ",x", "\t", "-", ".", "x1", NULL };

  (void)state;
  for (unsigned c = 0; c < 64; c++)
    {
      char *lib = cap_to_name ((cap_value_t)c);
      cleanup_free char *copy = lib != NULL ? xstrdup (lib) : NULL;
      const char *name = copy != NULL && strncmp (copy, "cap_", 4) == 0 ? copy : "cap_unknown";

      cap_free (lib); /* libcap's allocation: not free(3)'s */

      for (int how = 0; how < 3; how++)
        for (size_t t = 0; tails[t] != NULL; t++)
          {
            cleanup_free char *in = xasprintf ("%s%s", name, tails[t]);
            cleanup_free char *bare = xasprintf ("%s%s", name + 4, tails[t]);
            cased (in, how);
            cased (bare, how);
            same_as_libcap (in);
            same_as_libcap (bare);
          }
    }
}

static void
test_numbers (void **state)
{
  static const char *const odd[]
      = { "", "0x", "09", "0x15", "025", "21abc", " 21", "+21", "-1", "63", "64", "65", "00",
          "1e", "0X3F", "0x40", "077", "0100", "99999999999999999999999", "4294967296", "cap_",
          "CAP_", "_", "all", "CAP_LAST_CAP", "CAP_CHOWN CAP_KILL", "\x80", "c", "CAPCHOWN", NULL };

  (void)state;
  for (unsigned n = 0; n < 80; n++)
    {
      cleanup_free char *d = xasprintf ("%u", n);
      cleanup_free char *x = xasprintf ("0x%x", n);
      cleanup_free char *o = xasprintf ("0%o", n);
      cleanup_free char *g = xasprintf ("%uzz", n);
      same_as_libcap (d);
      same_as_libcap (x);
      same_as_libcap (o);
      same_as_libcap (g);
    }
  for (size_t i = 0; odd[i] != NULL; i++)
    same_as_libcap (odd[i]);
}

static void
test_to_name (void **state)
{
  (void)state;
  for (unsigned c = 0; c < 70; c++)
    {
      char *lib = cap_to_name ((cap_value_t)c);
      cleanup_free char *copy = lib != NULL ? xstrdup (lib) : NULL;
      const char *mine = capname_of (c);
      cleanup_free char *text = mine != NULL ? xstrdup (mine) : xasprintf ("%u", c);

      cap_free (lib);
      assert_non_null (copy);
      assert_string_equal (text, copy);
    }
  assert_int_equal (capname_count (), (unsigned)CAP_LAST_CAP + 1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_names),
    cmocka_unit_test (test_numbers),
    cmocka_unit_test (test_to_name),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
