/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every policy key a rule's hint names exists in the policy-file schema.
 *
 * A hint is what a user reads when a container is denied; when it tells the operator to allow
 * something "in `devices.allow`", that key must be one the policy file accepts, or the advice
 * ends in an "unknown key" error.  Convention (policy/engine/engine.h, struct rule.hint): a policy
 * key is written in backticks as `<rule>.<parameter>` (or `<rule>.action`); anything else in
 * backticks is an error here, and so is a bare word that looks like a key (snake_case) outside
 * backticks.  */
#include <config.h>

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "util.h"

/* NULL when `key` ("rule.parameter") exists; else why not (malloc'd).  */
static char *
key_problem (const char *key)
{
  const char *dot = strchr (key, '.');
  cleanup_free char *rule = NULL;
  const struct rule *r;

  if (dot == NULL)
    return xasprintf ("`%s` is not written as `<rule>.<parameter>`", key);
  rule = xstrndup (key, dot - key);
  if ((r = rules_find (rule, NULL)) == NULL)
    return xasprintf ("`%s`: no rule `%s`", key, rule);
  if (!str_eq (dot + 1, "action") && param_find (r->params, r->n_params, dot + 1) == NULL)
    return xasprintf ("`%s`: rule `%s` has no parameter `%s`", key, rule, dot + 1);
  return NULL;
}

/* A bare word with an underscore reads as a policy key the operator would type.  */
static bool
looks_like_key (const char *word, size_t len)
{
  return memchr (word, '_', len) != NULL;
}

/* Every problem of one hint, one per line (malloc'd; "" when none).  */
static char *
hint_problems (const struct rule *r)
{
  char *out = xstrdup ("");
  const char *p = r->hint;

  while (*p != '\0')
    {
      size_t len;
      char *why = NULL;

      if (*p == '`' && strchr (p + 1, '`') != NULL)
        {
          cleanup_free char *key = xstrndup (p + 1, strchr (p + 1, '`') - p - 1);
          why = key_problem (key);
          p = strchr (p + 1, '`') + 1;
        }
      else if ((len = strcspn (p, " ,;:()`")) > 0)
        {
          if (looks_like_key (p, len))
            why = xasprintf ("`%.*s` looks like a policy key but is not `<rule>.<parameter>` in "
                             "backticks",
                             (int)len, p);
          p += len;
        }
      else
        p++;
      if (why != NULL)
        {
          char *more = xasprintf ("%srule `%s`, hint \"%s\": %s\n", out, r->id, r->hint, why);
          free (out);
          free (why);
          out = more;
        }
    }
  return out;
}

static void
test_hints_name_existing_keys (void **state)
{
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);
  cleanup_free char *all = xstrdup ("");

  (void)state;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *problems = NULL;
      char *more;

      assert_non_null (table[i]->hint);
      problems = hint_problems (table[i]);
      more = xasprintf ("%s%s", all, problems);
      free (all);
      all = more;
    }
  if (all[0] != '\0')
    fail_msg ("%s", all);
}

/* The checker itself: it must catch both shapes of mistake, and accept real keys.  */
static void
test_checker (void **state)
{
  struct rule bad = { .id = "devices", .hint = "allow it in `device_allow` or the hook_allow" };
  struct rule good
      = { .id = "devices", .hint = "allow it in `devices.allow`, `hooks.allow` or `sshd.action`" };
  cleanup_free char *b = hint_problems (&bad);
  cleanup_free char *g = hint_problems (&good);

  (void)state;
  assert_non_null (strstr (b, "`device_allow` is not written as `<rule>.<parameter>`"));
  assert_non_null (strstr (b, "`hook_allow` looks like a policy key"));
  assert_string_equal (g, "");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_hints_name_existing_keys),
    cmocka_unit_test (test_checker),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
