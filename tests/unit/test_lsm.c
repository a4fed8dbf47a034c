/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the apparmor and selinux rules (policy/rules/lsm.c) on hosts the fixture driver
 * (test_rules.c) cannot vary -- this CI VM has neither LSM, so these paths run only against the
 * fake host: AppArmor on or off, profiles loaded in enforce, kill, complain or unconfined mode,
 * a default profile that itself does not confine, the kernel's profiles line; SELinux on or off,
 * injected labels, the system's container contexts, the MCS level, a small policy that knows the
 * container types (fake_host_set_selinux_policy).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "rule_harness.h"
#include "util.h"
#include "fsutil.h"

extern const struct rule rule_apparmor;
extern const struct rule rule_selinux;

/* The fake host, with a small SELinux policy.  */
static int
setup (void **state)
{
  struct harness *r = harness_new ("baseline");

  fake_host_set_selinux_policy (&r->host, false);
  *state = r;
  return 0;
}

#define PROCESS_DOC(extra)                                                                         \
  "{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"],\"cwd\":\"/\"" extra "}"

/* ---- apparmor: enabled or not ---- */

#define AA_CONFIG(profile)                                                                         \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"" profile "}}"

static void
test_apparmor_host_without_apparmor (void **state)
{
  struct harness *r = *state;

  fake_host_add_apparmor_profile (&r->host, "docker-default");
  r->host.apparmor_enabled = false; /* the profile is listed, but the LSM is off */
  assert_int_equal (
      harness_check_config (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"unconfined\"")),
      0);
  assert_true (harness_found (r, "AppArmor not enabled on host"));
  assert_int_equal (harness_check_config (r, &rule_apparmor, AA_CONFIG ("")), 0);
}

static void
test_apparmor_enabled (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = NULL;

  r->host.apparmor_enabled = true;
  /* Enabled, but the default profile is not loaded: nothing can be injected, and it says so.  */
  assert_int_equal (
      harness_check_config (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"unconfined\"")),
      0);
  assert_true (harness_found (r, "`docker-default` is not loaded"));
  fake_host_add_apparmor_profile (&r->host, "docker-default");
  spec = harness_load (AA_CONFIG (",\"apparmorProfile\":\"unconfined\""), SPEC_CONFIG);
  assert_int_equal (harness_check (r, &rule_apparmor, spec), 1);
  assert_true (harness_all_fixable (r));
  harness_rewrite (r, &rule_apparmor, spec);
  assert_string_equal (harness_string (spec, "/process/apparmorProfile"), "docker-default");
  assert_int_equal (harness_check_config (r, &rule_apparmor, AA_CONFIG ("")), 1);
  assert_int_equal (
      harness_check_config (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"\"")), 1);
  assert_int_equal (
      harness_check_config (r, &rule_apparmor, AA_CONFIG (",\"apparmorProfile\":\"my-profile\"")),
      0);
  /* exec: no profile inherits the container's; `unconfined` is rewritten.  */
  assert_int_equal (harness_check_json (r, &rule_apparmor, PROCESS_DOC (""), SPEC_PROCESS), 0);
  assert_int_equal (harness_check_json (r, &rule_apparmor,
                                        PROCESS_DOC (",\"apparmorProfile\":\"unconfined\""),
                                        SPEC_PROCESS),
                    1);
  assert_string_equal (r->found.items[0].path, "/apparmorProfile");
}

/* ---- apparmor: by the mode the kernel lists a profile in ---- */

#define AA_PROFILE(profile)                                                                        \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":"    \
  "\"" profile "\"}}"

static void
aa_host (struct harness *r)
{
  fake_host_add_apparmor_profile (&r->host, "docker-default");
  fake_host_add_apparmor_profile (&r->host, "ocg-enforced");
  fake_host_add_apparmor_profile_mode (&r->host, "ocg-killing", "kill");
  fake_host_add_apparmor_profile_mode (&r->host, "ocg-complain", "complain");
  fake_host_add_apparmor_profile_mode (&r->host, "ocg-flags-unconfined", "unconfined");
}

static void
assert_aa_rewritten (struct harness *r, const char *json, enum spec_kind kind, const char *message)
{
  cleanup_spec struct spec *spec = harness_load (json, kind);
  const char *got = NULL;

  assert_int_equal (harness_check (r, &rule_apparmor, spec), 1);
  assert_true (harness_said (r, message, false, true));
  harness_rewrite (r, &rule_apparmor, spec);
  assert_true (spec_get_string (
      spec, kind == SPEC_CONFIG ? "/process/apparmorProfile" : "/apparmorProfile", &got));
  assert_string_equal (got, "docker-default");
}

static size_t
aa_check (struct harness *r, const char *json)
{
  cleanup_spec struct spec *spec = harness_load (json, SPEC_CONFIG);
  return harness_check (r, &rule_apparmor, spec);
}

static void
test_apparmor_not_enforced (void **state)
{
  struct harness *r = *state;

  aa_host (r);
  assert_aa_rewritten (r, AA_PROFILE ("ocg-complain"), SPEC_CONFIG,
                       "`ocg-complain` is loaded in `complain` mode: it does not confine");
  assert_aa_rewritten (r, AA_PROFILE ("ocg-flags-unconfined"), SPEC_CONFIG,
                       "loaded in `unconfined` mode");
  /* The kernel strips the white space around the name: still `unconfined` and still complain.  */
  assert_aa_rewritten (r, AA_PROFILE (" unconfined\\n"), SPEC_CONFIG, "is `unconfined`");
  assert_aa_rewritten (r, AA_PROFILE ("ocg-complain \\t"), SPEC_CONFIG, "`complain` mode");
  /* A stack of profiles none of which is enforced; one stacked onto the runtime's own.  */
  assert_aa_rewritten (r, AA_PROFILE ("ocg-complain//&ocg-flags-unconfined"), SPEC_CONFIG,
                       "does not confine");
  assert_aa_rewritten (r, AA_PROFILE ("&ocg-complain"), SPEC_CONFIG, "does not confine");
  /* An exec process naming one is judged the same way.  */
  assert_aa_rewritten (r, "{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"ocg-complain\"}",
                       SPEC_PROCESS, "`complain` mode");
}

static void
test_apparmor_enforced (void **state)
{
  struct harness *r = *state;

  aa_host (r);
  assert_int_equal (aa_check (r, AA_PROFILE ("ocg-enforced")), 0);
  assert_int_equal (aa_check (r, AA_PROFILE ("ocg-killing")), 0);
  assert_int_equal (aa_check (r, AA_PROFILE ("docker-default")), 0);
  /* One enforced profile in the stack confines the process.  */
  assert_int_equal (aa_check (r, AA_PROFILE ("ocg-complain//&ocg-enforced")), 0);
  /* Not loaded: the runtime cannot apply it and fails; a note, nothing to rewrite.  */
  assert_int_equal (aa_check (r, AA_PROFILE ("ocg-missing")), 0);
  assert_true (r->found.n == 1 && r->found.items[0].note);
}

/* A default profile that is itself only in complain mode is no confinement to inject.  */
static void
test_apparmor_default_not_enforced (void **state)
{
  struct harness *r = *state;

  fake_host_add_apparmor_profile_mode (&r->host, "docker-default", "complain");
  fake_host_add_apparmor_profile_mode (&r->host, "ocg-complain", "complain");
  assert_int_equal (aa_check (r, AA_PROFILE ("ocg-complain")), 0);
  assert_true (r->found.n == 1 && r->found.items[0].note);
  assert_non_null (strstr (r->found.items[0].message, "not loaded in enforce mode"));
}

static void
test_apparmor_profiles_line (void **state)
{
  static const struct
  {
    const char *line, *name, *mode;
  } table[] = {
    { "docker-default (enforce)\n", "docker-default", "enforce" },
    { "docker-default (complain)\n", "docker", NULL },
    { "/usr/bin/man (complain)\n", "/usr/bin/man", "complain" },
    { "name with (parens) (unconfined)\n", "name with (parens)", "unconfined" },
    { "cri-containerd.apparmor.d (kill)", "cri-containerd.apparmor.d", "kill" },
    { ":ns:inner (enforce)\n", ":ns:inner", "enforce" },
    { "parent//hat (complain)\n", "parent//hat", "complain" },
    { "docker-default(enforce)\n", "docker-default", NULL },
    { "docker-default-x (enforce)\n", "docker-default", NULL },
  };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    {
      cleanup_free char *mode = hostfacts_apparmor_mode_in (table[i].line, table[i].name);
      if (table[i].mode == NULL)
        assert_null (mode);
      else
        assert_string_equal (mode, table[i].mode);
    }
}

/* ---- selinux ---- */

#define SE_CONFIG(label, mount)                                                                    \
  "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"" label "},\"linux\":{"   \
  "\"cgroupsPath\":\"/docker/abc\"" mount "}}"

static void
test_selinux_disabled (void **state)
{
  struct harness *r = *state;

  assert_int_equal (harness_check_config (r, &rule_selinux, SE_CONFIG ("", "")), 0);
  assert_true (harness_found (r, "SELinux not enabled on host"));
  assert_int_equal (
      harness_check_config (r, &rule_selinux,
                            SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"", "")),
      0);
}

static void
test_selinux_inject (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (SE_CONFIG ("", ""), SPEC_CONFIG);
  cleanup_spec struct spec *again = harness_load (SE_CONFIG ("", ""), SPEC_CONFIG);
  cleanup_spec struct spec *other = NULL;
  const char *label;
  const char *mount;
  unsigned c1 = 0, c2 = 0;

  r->host.selinux_enabled = true;
  assert_int_equal (harness_check (r, &rule_selinux, spec), 1);
  assert_true (harness_all_fixable (r));
  harness_rewrite (r, &rule_selinux, spec);
  label = harness_string (spec, "/process/selinuxLabel");
  mount = harness_string (spec, "/linux/mountLabel");
  print_message ("# injected %s / %s\n", label, mount);
  assert_int_equal (sscanf (label, "system_u:system_r:container_t:s0:c%u,c%u", &c1, &c2), 2);
  assert_true (c1 < c2 && c2 < 1024);
  assert_string_equal (strchr (strchr (strchr (mount, ':') + 1, ':') + 1, ':'),
                       strchr (strchr (strchr (label, ':') + 1, ':') + 1, ':'));
  /* Same config, same pair; another container, another pair.  */
  harness_rewrite (r, &rule_selinux, again);
  assert_string_equal (harness_string (again, "/process/selinuxLabel"), label);
  other = harness_load ("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
                        "\"linux\":{\"cgroupsPath\":\"/docker/abd\"}}",
                        SPEC_CONFIG);
  harness_rewrite (r, &rule_selinux, other);
  assert_string_not_equal (harness_string (other, "/process/selinuxLabel"), label);
}

/* An older container-selinux's lxc_contexts (svirt_* types), as the host facts read it.  */
static bool
fake_lxc_contexts (const struct host_facts *host, char **process, char **file)
{
  (void)host;
  *process = xstrdup ("system_u:system_r:svirt_lxc_net_t:s0");
  *file = xstrdup ("system_u:object_r:svirt_sandbox_file_t:s0");
  return true;
}

static void
test_selinux_system_contexts (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (SE_CONFIG ("", ""), SPEC_CONFIG);
  unsigned c1 = 0, c2 = 0;

  r->host.selinux_enabled = true;
  r->host.selinux_container_labels = fake_lxc_contexts;
  assert_int_equal (harness_check (r, &rule_selinux, spec), 1);
  harness_rewrite (r, &rule_selinux, spec);
  assert_int_equal (sscanf (harness_string (spec, "/process/selinuxLabel"),
                            "system_u:system_r:svirt_lxc_net_t:s0:c%u,c%u", &c1, &c2),
                    2);
  assert_true (c1 < c2);
  assert_true (str_has_prefix (harness_string (spec, "/linux/mountLabel"),
                               "system_u:object_r:svirt_sandbox_file_t:s0:c"));
}

static void
test_selinux_mount_label_level (void **state)
{
  struct harness *r = *state;
  cleanup_spec struct spec *spec = harness_load (
      SE_CONFIG ("", ",\"mountLabel\":\"system_u:object_r:container_file_t:s0:c7,c9\""),
      SPEC_CONFIG);

  r->host.selinux_enabled = true;
  assert_int_equal (harness_check (r, &rule_selinux, spec), 1);
  harness_rewrite (r, &rule_selinux, spec);
  assert_string_equal (harness_string (spec, "/process/selinuxLabel"),
                       "system_u:system_r:container_t:s0:c7,c9");
  assert_string_equal (harness_string (spec, "/linux/mountLabel"),
                       "system_u:object_r:container_file_t:s0:c7,c9");
}

static void
test_selinux_validate (void **state)
{
  struct harness *r = *state;

  r->host.selinux_enabled = true;
  assert_int_equal (
      harness_check_config (
          r, &rule_selinux,
          SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:container_t:s0:c1,c2\"", "")),
      0);
  assert_int_equal (
      harness_check_config (r, &rule_selinux,
                            SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\"", "")),
      1);
  assert_true (harness_none_fixable (r));
  assert_true (harness_found (r, "`spc_t` is not confined"));
  assert_int_equal (
      harness_check_config (
          r, &rule_selinux,
          SE_CONFIG (",\"selinuxLabel\":\"unconfined_u:unconfined_r:unconfined_t:s0\"", "")),
      1);
  assert_int_equal (
      harness_check_config (r, &rule_selinux,
                            SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:made_up_t:s0\"", "")),
      1);
  assert_true (harness_found (r, "not valid on this host"));
  assert_int_equal (
      harness_check_config (r, &rule_selinux, SE_CONFIG (",\"selinuxLabel\":\"container_t\"", "")),
      1);
  assert_int_equal (
      harness_check_config (r, &rule_selinux,
                            SE_CONFIG (",\"selinuxLabel\":\"system_u:system_r:container_t:s0\"",
                                       ",\"mountLabel\":\"system_u:object_r:bogus_t:s0\"")),
      1);
  /* exec: a missing label inherits the container's; a forbidden one is denied.  */
  assert_int_equal (harness_check_json (r, &rule_selinux, PROCESS_DOC (""), SPEC_PROCESS), 0);
  assert_int_equal (
      harness_check_json (r, &rule_selinux,
                          PROCESS_DOC (",\"selinuxLabel\":\"system_u:system_r:spc_t:s0\""),
                          SPEC_PROCESS),
      1);
  /* A policy without the container types: a missing label cannot be fixed.  */
  fake_host_set_selinux_policy (&r->host, true);
  assert_int_equal (harness_check_config (r, &rule_selinux, SE_CONFIG ("", "")), 1);
  assert_true (harness_none_fixable (r));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_apparmor_host_without_apparmor, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_enabled, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_not_enforced, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_enforced, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_default_not_enforced, harness_setup,
                                     harness_teardown),
    cmocka_unit_test (test_apparmor_profiles_line),
    cmocka_unit_test_setup_teardown (test_selinux_disabled, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_inject, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_system_contexts, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_mount_label_level, setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_selinux_validate, setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
