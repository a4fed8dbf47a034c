/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the seccomp rule (policy/rules/hardening.c) in the cases the fixture driver
 * (test_rules.c) cannot express: a Podman profile that allows syscalls reaching state the host
 * shares (keyrings, user namespaces) where user namespaces are or are not open to everyone,
 * Docker's default left alone, a container's own denials kept, profiles that cannot be kept or
 * are missing.  */
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

extern const struct rule rule_seccomp;

/* ---- seccomp ---- */

static bool
group_names (const struct spec *spec, const char *name, const char *action)
{
  const struct json_node *groups = spec_get_array (spec, "/linux/seccomp/syscalls");

  for (size_t g = 0; groups != NULL && g < groups->n; g++)
    {
      const struct json_node *names = json_obj_get (groups->items[g], "names");
      const struct json_node *act = json_obj_get (groups->items[g], "action");
      for (size_t i = 0; names != NULL && i < names->n; i++)
        if (str_eq (names->items[i]->text, name) && str_eq (act->text, action))
          return true;
    }
  return false;
}

static void
test_seccomp_podman_host_global (void **state)
{
  struct harness *r = *state;
  cleanup_free char *text = harness_real_client ("podman-default.config.json");
  cleanup_spec struct spec *spec = harness_load (text, SPEC_CONFIG);

  assert_int_equal (harness_check (r, &rule_seccomp, spec), 1);
  assert_true (harness_said (r,
                             "allows `clone`, `clone3`, `keyctl`, `unshare`, which reach state the "
                             "host shares",
                             false, true));
  assert_true (group_names (spec, "keyctl", "SCMP_ACT_ALLOW"));
  harness_rewrite (r, &rule_seccomp, spec);
  assert_false (group_names (spec, "keyctl", "SCMP_ACT_ALLOW"));
  assert_true (group_names (spec, "keyctl", "SCMP_ACT_ERRNO"));
  assert_true (group_names (spec, "unshare", "SCMP_ACT_ERRNO"));
  /* The rest of Podman's profile is Podman's: mount and setns stay as it says.  */
  assert_true (group_names (spec, "mount", "SCMP_ACT_ALLOW"));
  assert_true (group_names (spec, "setns", "SCMP_ACT_ALLOW"));
}

/* Where the host refuses user namespaces to unprivileged processes, only the keyring is open.  */
static void
test_seccomp_podman_no_userns (void **state)
{
  struct harness *r = *state;
  cleanup_free char *text = harness_real_client ("podman-default.config.json");
  cleanup_spec struct spec *spec = harness_load (text, SPEC_CONFIG);

  r->host.userns_unprivileged = false;
  assert_int_equal (harness_check (r, &rule_seccomp, spec), 1);
  assert_true (harness_said (r, "allows `keyctl`, which reach", false, true));
  harness_rewrite (r, &rule_seccomp, spec);
  assert_true (group_names (spec, "unshare", "SCMP_ACT_ALLOW"));
  assert_true (group_names (spec, "keyctl", "SCMP_ACT_ERRNO"));
}

static void
test_seccomp_docker_default_untouched (void **state)
{
  struct harness *r = *state;
  cleanup_free char *text = harness_real_client ("docker-default.config.json");
  cleanup_spec struct spec *spec = harness_load (text, SPEC_CONFIG);

  assert_int_equal (harness_check (r, &rule_seccomp, spec), 0);
}

#define SECCOMP_CONFIG(obj)                                                                        \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"capabilities\":{"      \
  "\"bounding\":[\"CAP_KILL\"]}},\"linux\":{\"seccomp\":" obj "}}"

/* runc's seccomp test: allow all, mkdir denied.  The policy's profile goes on top and mkdir stays
 * denied with the container's action.  */
static void
test_seccomp_keeps_own_denial (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      SECCOMP_CONFIG ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                      "\"action\":\"SCMP_ACT_KILL\"}]}"),
      SPEC_CONFIG);

  assert_int_equal (harness_check (r, &rule_seccomp, spec), 1);
  assert_true (harness_said (r, "keeping every restriction of its own", false, true));
  harness_rewrite (r, &rule_seccomp, spec);
  assert_true (group_names (spec, "mkdir", "SCMP_ACT_KILL"));
  assert_false (group_names (spec, "mkdir", "SCMP_ACT_ALLOW"));
}

static void
test_seccomp_refused (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *cond = harness_load (
      SECCOMP_CONFIG ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"socket\"],"
                      "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":40,\"op\":"
                      "\"SCMP_CMP_EQ\"}]}]}"),
      SPEC_CONFIG);
  cleanup_spec struct spec *bad = harness_load (
      SECCOMP_CONFIG ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                      "\"action\":\"SCMP_ACT_FREEZE\"}]}"),
      SPEC_CONFIG);
  cleanup_spec struct spec *listener = harness_load (
      SECCOMP_CONFIG ("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"listenerPath\":\"/run/agent.sock\","
                      "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"),
      SPEC_CONFIG);

  assert_int_equal (harness_check (r, &rule_seccomp, cond), 1);
  assert_true (harness_said (r, "cannot be kept under the policy's (`socket`", false, false));
  assert_int_equal (harness_check (r, &rule_seccomp, bad), 1);
  assert_true (harness_said (r, "SCMP_ACT_FREEZE", false, false));
  assert_true (harness_check (r, &rule_seccomp, listener) >= 1);
  assert_true (harness_said (r, "listenerPath `/run/agent.sock`", false, false));
}

static void
test_seccomp_missing (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec
      = harness_load ("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"
                      "\"cwd\":\"/\"}}",
                      SPEC_CONFIG);

  assert_int_equal (harness_check (r, &rule_seccomp, spec), 1);
  assert_true (harness_said (r, "no seccomp profile", false, true));
  harness_rewrite (r, &rule_seccomp, spec);
  assert_true (group_names (spec, "read", "SCMP_ACT_ALLOW"));
}

static size_t
architectures_count (const struct spec *spec)
{
  const struct json_node *archs = spec_get_array (spec, "/linux/seccomp/architectures");
  return archs != NULL ? archs->n : 0;
}

/* native_arch_only: the injected profile lists the native architecture alone; without it, moby's
 * archMap entry with its sub-architectures (x86_64: x86 and x32 too).  */
static void
test_seccomp_native_arch_only (void **state)
{
  struct harness *r = *state;
  static const char config[] = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"
                               "\"cwd\":\"/\"}}";
  cleanup_spec struct spec *all = harness_load (config, SPEC_CONFIG);
  cleanup_spec struct spec *native = harness_load (config, SPEC_CONFIG);
  const struct json_node *archs;

  assert_false (HARNESS_PARAM (r, bool, "seccomp", "native_arch_only"));
  harness_rewrite (r, &rule_seccomp, all);
  harness_param (r, "seccomp", "native_arch_only", HARNESS_NUMBER (1));
  harness_rewrite (r, &rule_seccomp, native);
  assert_true (architectures_count (all) > 1);
  assert_int_equal (architectures_count (native), 1);
  archs = spec_get_array (native, "/linux/seccomp/architectures");
  assert_string_equal (archs->items[0]->text,
                       spec_get_array (all, "/linux/seccomp/architectures")->items[0]->text);
  assert_true (group_names (native, "read", "SCMP_ACT_ALLOW"));
  /* The rewritten document passes the rule (the engine's recheck).  */
  assert_int_equal (harness_check (r, &rule_seccomp, native), 0);
}

/* A container's own confining profile keeps its architectures: only what is injected is cut.  */
static void
test_seccomp_native_arch_only_keeps_own (void **state)
{
  struct harness *r = *state;
  cleanup_free char *text = harness_real_client ("docker-default.config.json");
  cleanup_spec struct spec *spec = harness_load (text, SPEC_CONFIG);

  harness_param (r, "seccomp", "native_arch_only", HARNESS_NUMBER (1));
  assert_int_equal (harness_check (r, &rule_seccomp, spec), 0);
  assert_int_equal (architectures_count (spec), 3);
}

/* The rule keeps its last plan (the engine checks it up to four times per document) and must
 * never hand it out for other inputs: the same document changed in place, another document, the
 * host's user namespaces, the bounding set, the rule's parameters.  */
static void
test_seccomp_memo_follows_inputs (void **state)
{
  struct harness *r = *state;
  cleanup_free char *docker = harness_real_client ("docker-default.config.json");
  cleanup_free char *podman = harness_real_client ("podman-default.config.json");
  cleanup_spec struct spec *d = harness_load (docker, SPEC_CONFIG);
  cleanup_spec struct spec *p = harness_load (podman, SPEC_CONFIG);
  cleanup_error ocg_error_t err = NULL;

  assert_int_equal (harness_check (r, &rule_seccomp, d), 0);
  assert_int_equal (harness_check (r, &rule_seccomp, d), 0);
  assert_int_equal (harness_check (r, &rule_seccomp, p), 1);
  assert_true (harness_said (r, "allows `clone`, `clone3`, `keyctl`, `unshare`", false, true));
  r->host.userns_unprivileged = false;
  assert_int_equal (harness_check (r, &rule_seccomp, p), 1);
  assert_true (harness_said (r, "allows `keyctl`, which", false, true));
  /* The bounding set: Podman's profile allows more with CAP_SYS_ADMIN, and so does moby's.  */
  assert_int_equal (spec_set (p, "/process/capabilities/bounding", json_new_array (), &err), 0);
  assert_int_equal (harness_check (r, &rule_seccomp, p), 1);
  /* The same document object, its seccomp object changed in place.  */
  assert_int_equal (
      spec_set (d, "/linux/seccomp/defaultAction", json_new_string ("SCMP_ACT_ALLOW"), &err), 0);
  assert_int_equal (harness_check (r, &rule_seccomp, d), 1);
  assert_true (harness_said (r, "does not confine the container", false, true));
  assert_int_equal (
      spec_set (d, "/linux/seccomp/defaultAction", json_new_string ("SCMP_ACT_ERRNO"), &err), 0);
  assert_int_equal (harness_check (r, &rule_seccomp, d), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_seccomp_podman_host_global, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_podman_no_userns, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_docker_default_untouched, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_keeps_own_denial, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_refused, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_missing, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_native_arch_only, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_native_arch_only_keeps_own, harness_setup,
                                     harness_teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_memo_follows_inputs, harness_setup,
                                     harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
