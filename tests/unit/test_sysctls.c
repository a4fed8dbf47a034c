/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the sysctls rule (policy/rules/sysctls.c) in the cases the fixture driver
 * (test_rules.c) cannot express: namespace entries whose path is the host's or cannot be
 * resolved, and the `allow` parameter.  */
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

extern const struct rule rule_sysctls;

#define SYSCTL_CONFIG(ns, sysctl)                                                                  \
  "{\"ociVersion\":\"1.0.2\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":"           \
  "\"pid\"}" ns "],\"sysctl\":{" sysctl "}}}"

static void
test_sysctls_namespace_paths (void **state)
{
  struct harness *r = *state;
  const char *pod = ",{\"type\":\"network\",\"path\":\"/proc/7471/ns/net\"},{\"type\":\"ipc\","
                    "\"path\":\"/proc/7471/ns/ipc\"}";
  const char *hostnet = ",{\"type\":\"network\",\"path\":\"/proc/6315/ns/net\"}";
  char buf[512];

  snprintf (buf, sizeof buf,
            SYSCTL_CONFIG ("%s", "\"net.ipv4.tcp_syncookies\":\"1\","
                                 "\"kernel.msgmax\":\"8192\""),
            pod);
  assert_int_equal (harness_check_config (r, &rule_sysctls, buf), 0);
  snprintf (buf, sizeof buf, SYSCTL_CONFIG ("%s", "\"net.ipv4.tcp_syncookies\":\"1\""), hostnet);
  assert_int_equal (harness_check_config (r, &rule_sysctls, buf), 1);
  assert_true (harness_found (r, "its path is the host's"));
  /* A host whose own netns could not be read: nothing can be proven private.  */
  r->host.ns[HOST_NS_NETWORK].known = false;
  snprintf (buf, sizeof buf, SYSCTL_CONFIG ("%s", "\"net.ipv4.tcp_syncookies\":\"1\""), pod);
  assert_int_equal (harness_check_config (r, &rule_sysctls, buf), 1);
  assert_true (harness_found (r, "cannot be resolved"));
  /* A new namespace needs no host fact.  */
  assert_int_equal (harness_check_config (r, &rule_sysctls,
                                          SYSCTL_CONFIG (",{\"type\":\"network\",\"path\":\"\"}",
                                                         "\"net.ipv4.tcp_syncookies\":\"1\"")),
                    0);
}

static void
test_sysctls_allowlist_param (void **state)
{
  struct harness *r = *state;
  const char *uts = ",{\"type\":\"uts\"}";
  char buf[512];

  harness_param (r, "sysctls", "allow", HARNESS_LIST ("kernel.domainname", "vm.*"));
  snprintf (buf, sizeof buf, SYSCTL_CONFIG ("%s", "\"kernel/domainname\":\"x\""), uts);
  assert_int_equal (harness_check_config (r, &rule_sysctls, buf), 0);
  assert_int_equal (
      harness_check_config (r, &rule_sysctls, SYSCTL_CONFIG ("", "\"kernel.domainname\":\"x\"")),
      1);
  assert_true (harness_found (r, "needs a private uts namespace"));
  /* Allowlisted, but not namespaced: still the host's.  */
  assert_int_equal (
      harness_check_config (r, &rule_sysctls, SYSCTL_CONFIG ("", "\"vm.swappiness\":\"1\"")), 1);
  assert_true (harness_found (r, "not namespaced"));
  /* The list replaced the PSS default, but net.* in a private netns needs no list entry.  */
  assert_int_equal (
      harness_check_config (r, &rule_sysctls,
                            SYSCTL_CONFIG (",{\"type\":\"network\"}",
                                           "\"net.ipv4.ip_unprivileged_port_start\":\"0\"")),
      0);
  assert_int_equal (harness_check_config (
                        r, &rule_sysctls,
                        SYSCTL_CONFIG (",{\"type\":\"ipc\"}", "\"kernel.shm_rmid_forced\":\"1\"")),
                    0);
  assert_int_equal (harness_check_config (r, &rule_sysctls,
                                          SYSCTL_CONFIG ("", "\"kernel.shm_rmid_forced\":\"1\"")),
                    1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_sysctls_namespace_paths, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_sysctls_allowlist_param, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
