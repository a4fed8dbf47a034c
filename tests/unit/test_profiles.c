/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the built-in profiles (policy/engine/profiles.c) and the policy's names
 * (policy.c): every registered rule has the action this file expects in each profile (so a new
 * rule cannot be registered without deciding its place in each), privileged audits everything,
 * the parameters restricted sets otherwise than the rules' defaults, and the action names.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine.h"
#include "util.h"

/* The action every rule of the catalogue has in baseline and restricted.  Keep in step with
 * policy/engine/profiles.c: this is the reviewed statement of what each profile does.  */
static const struct
{
  const char *rule;
  enum rule_action baseline;
  enum rule_action restricted;
} expected_actions[] = {
  { "privileged", ACTION_DENY, ACTION_DENY },
  { "capabilities", ACTION_REWRITE, ACTION_REWRITE },
  { "host-namespaces", ACTION_DENY, ACTION_DENY },
  { "rootfs", ACTION_DENY, ACTION_DENY },
  { "sensitive-mounts", ACTION_DENY, ACTION_DENY },
  { "mount-propagation", ACTION_REWRITE, ACTION_REWRITE },
  { "masked-paths", ACTION_REWRITE, ACTION_REWRITE },
  { "seccomp", ACTION_REWRITE, ACTION_REWRITE },
  { "no-new-privileges", ACTION_REWRITE, ACTION_REWRITE },
  { "devices", ACTION_DENY, ACTION_DENY },
  { "resource-limits", ACTION_REWRITE, ACTION_REWRITE },
  { "oom-score-adj", ACTION_REWRITE, ACTION_REWRITE },
  { "sysctls", ACTION_DENY, ACTION_DENY },
  { "hooks", ACTION_DENY, ACTION_DENY },
  { "annotations", ACTION_DENY, ACTION_DENY },
  { "apparmor", ACTION_REWRITE, ACTION_REWRITE },
  { "selinux", ACTION_REWRITE, ACTION_REWRITE },
  { "root-user", ACTION_WARN, ACTION_REWRITE },
  { "readonly-rootfs", ACTION_WARN, ACTION_REWRITE },
  { "sshd", ACTION_WARN, ACTION_WARN },
  { "cgroup-parent", ACTION_WARN, ACTION_WARN },
  { "restore", ACTION_DENY, ACTION_DENY },
};

static void
test_profiles_cover_every_rule (void **state)
{
  cleanup_policy struct policy *baseline = policy_builtin ("baseline");
  cleanup_policy struct policy *restricted = policy_builtin ("restricted");
  size_t n = 0;
  const struct rule *const *table = rules_table (&n);

  (void)state;
  assert_non_null (baseline);
  assert_non_null (restricted);
  assert_int_equal (baseline->mode, MODE_ENFORCE);
  assert_int_equal (restricted->mode, MODE_ENFORCE);
  for (size_t i = 0; i < n; i++)
    {
      size_t j = 0;
      while (j < ARRAY_SIZE (expected_actions) && !str_eq (expected_actions[j].rule, table[i]->id))
        j++;
      if (j == ARRAY_SIZE (expected_actions))
        fail_msg ("rule `%s` has no expected action: add it to profiles.c and here", table[i]->id);
      if (baseline->actions[i] != expected_actions[j].baseline
          || restricted->actions[i] != expected_actions[j].restricted)
        fail_msg ("rule `%s`: baseline %s, restricted %s", table[i]->id,
                  policy_action_name (baseline->actions[i]),
                  policy_action_name (restricted->actions[i]));
    }
  assert_null (policy_builtin ("nonsense"));
}

static void
test_profile_privileged_audits (void **state)
{
  cleanup_policy struct policy *p = policy_builtin ("privileged");
  size_t n = 0;

  (void)state;
  rules_table (&n);
  assert_non_null (p);
  assert_int_equal (p->mode, MODE_AUDIT);
  for (size_t i = 0; i < n; i++)
    assert_int_equal (p->actions[i], ACTION_WARN);
}

static void
test_profile_params (void **state)
{
  cleanup_policy struct policy *b = policy_builtin ("baseline");
  cleanup_policy struct policy *r = policy_builtin ("restricted");
  const char *const *b_allow = policy_param_list (b, "capabilities", "allow");
  const char *const *r_allow = policy_param_list (r, "capabilities", "allow");
  const struct param_seccomp *b_seccomp = policy_param (b, "seccomp", "profile");
  const struct param_seccomp *r_seccomp = policy_param (r, "seccomp", "profile");

  (void)state;
  assert_int_equal (strv_length (b_allow), 14);
  assert_string_equal (r_allow[0], "CAP_NET_BIND_SERVICE");
  assert_null (r_allow[1]);
  assert_string_equal (b_seccomp->name, "default");
  assert_string_equal (r_seccomp->name, "strict");
  /* The embedded profiles are parsed when a judgement first needs one.  */
  assert_null (b_seccomp->profile);
  assert_non_null (policy_seccomp_profile ((struct param_seccomp *)b_seccomp, NULL));
  assert_non_null (policy_seccomp_profile ((struct param_seccomp *)r_seccomp, NULL));
  /* restricted injects its profile for the native architecture only.  */
  assert_false (*(const bool *)policy_param (b, "seccomp", "native_arch_only"));
  assert_true (*(const bool *)policy_param (r, "seccomp", "native_arch_only"));
  assert_int_equal (*(const int *)policy_param (b, "oom-score-adj", "floor"), -999);
}

static void
test_action_names (void **state)
{
  enum rule_action a = ACTION_OFF;

  (void)state;
  for (int i = ACTION_OFF; i <= ACTION_DENY; i++)
    {
      assert_true (policy_action_parse (policy_action_name ((enum rule_action)i), &a));
      assert_int_equal (a, i);
    }
  assert_false (policy_action_parse ("Deny", &a));
  assert_false (policy_action_parse ("audit", &a));
  assert_string_equal (policy_action_name (ACTION_REWRITE), "rewrite");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_profiles_cover_every_rule),
    cmocka_unit_test (test_profile_privileged_audits),
    cmocka_unit_test (test_profile_params),
    cmocka_unit_test (test_action_names),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
