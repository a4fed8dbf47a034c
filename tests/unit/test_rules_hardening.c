/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the seccomp rule (policy/rules/hardening.c), the apparmor rule
 * (policy/rules/lsm.c) and the restore rule (policy/rules/restore.c) on what the generic fixture
 * driver cannot vary: the host, and the verb.
 *
 *  seccomp: a profile that confines gets the policy's answer for the syscalls that reach state
 *    the host shares, named in the finding -- keyctl and friends always, unshare/clone/clone3 only
 *    where the host lets a process without CAP_SYS_ADMIN create a user namespace; a profile that
 *    does not confine keeps its own denials under the policy's; a profile the merge cannot keep
 *    is denied, never replaced; a listenerPath is denied.
 *  apparmor: a profile AppArmor does not enforce (complain mode, flags=(unconfined)) is treated
 *    like `unconfined`; a stack is confined when one of its profiles is enforced; the name is read
 *    with the white space the kernel strips; the default is injected only when it is enforced;
 *    the real parser of /sys/kernel/security/apparmor/profiles lines.
 *  restore: a document judged for `restore` is refused, the same one for create is not.  */
#include <config.h>

#include <fcntl.h>
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
#include "fsutil.h"
#include "policy.h"
#include "util.h"

extern const struct rule rule_seccomp;
extern const struct rule rule_apparmor;
extern const struct rule rule_restore;

static char *
fixture (const char *file)
{
  const char *dir = getenv ("OCG_FIXTURES");
  cleanup_free char *path
      = xasprintf ("%s/real-clients/%s", dir && *dir ? dir : "tests/fixtures", file);
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  char *buf = fsutil_read_at (AT_FDCWD, path, 4u << 20, &len, &err);

  if (buf == NULL)
    fail_msg ("read %s: %s", path, err->msg);
  return buf;
}

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
  cleanup_free char *text = fixture ("podman-default.config.json");
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
  cleanup_free char *text = fixture ("podman-default.config.json");
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
  cleanup_free char *text = fixture ("docker-default.config.json");
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

/* ---- apparmor ---- */

#define AA_CONFIG(profile)                                                                         \
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
  assert_aa_rewritten (r, AA_CONFIG ("ocg-complain"), SPEC_CONFIG,
                       "`ocg-complain` is loaded in `complain` mode: it does not confine");
  assert_aa_rewritten (r, AA_CONFIG ("ocg-flags-unconfined"), SPEC_CONFIG,
                       "loaded in `unconfined` mode");
  /* The kernel strips the white space around the name: still `unconfined` and still complain.  */
  assert_aa_rewritten (r, AA_CONFIG (" unconfined\\n"), SPEC_CONFIG, "is `unconfined`");
  assert_aa_rewritten (r, AA_CONFIG ("ocg-complain \\t"), SPEC_CONFIG, "`complain` mode");
  /* A stack of profiles none of which is enforced; one stacked onto the runtime's own.  */
  assert_aa_rewritten (r, AA_CONFIG ("ocg-complain//&ocg-flags-unconfined"), SPEC_CONFIG,
                       "does not confine");
  assert_aa_rewritten (r, AA_CONFIG ("&ocg-complain"), SPEC_CONFIG, "does not confine");
  /* An exec process naming one is judged the same way.  */
  assert_aa_rewritten (r, "{\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"ocg-complain\"}",
                       SPEC_PROCESS, "`complain` mode");
}

static void
test_apparmor_enforced (void **state)
{
  struct harness *r = *state;

  aa_host (r);
  assert_int_equal (aa_check (r, AA_CONFIG ("ocg-enforced")), 0);
  assert_int_equal (aa_check (r, AA_CONFIG ("ocg-killing")), 0);
  assert_int_equal (aa_check (r, AA_CONFIG ("docker-default")), 0);
  /* One enforced profile in the stack confines the process.  */
  assert_int_equal (aa_check (r, AA_CONFIG ("ocg-complain//&ocg-enforced")), 0);
  /* Not loaded: the runtime cannot apply it and fails; a note, nothing to rewrite.  */
  assert_int_equal (aa_check (r, AA_CONFIG ("ocg-missing")), 0);
  assert_true (r->found.n == 1 && r->found.items[0].note);
}

/* A default profile that is itself only in complain mode is no confinement to inject.  */
static void
test_apparmor_default_not_enforced (void **state)
{
  struct harness *r = *state;

  fake_host_add_apparmor_profile_mode (&r->host, "docker-default", "complain");
  fake_host_add_apparmor_profile_mode (&r->host, "ocg-complain", "complain");
  assert_int_equal (aa_check (r, AA_CONFIG ("ocg-complain")), 0);
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

  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    {
      cleanup_free char *mode = hostfacts_apparmor_mode_in (table[i].line, table[i].name);
      if (table[i].mode == NULL)
        assert_null (mode);
      else
        assert_string_equal (mode, table[i].mode);
    }
}

/* ---- restore ---- */

/* Only a document judged for `restore` is refused: the same config for create passes, and the
 * finding cannot be rewritten away (the image brings the process).  */
static void
test_restore (void **state)
{
  struct harness *r = *state;
  cleanup_free char *text = fixture ("docker-default.config.json");
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
    cmocka_unit_test_setup_teardown (test_apparmor_not_enforced, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_enforced, harness_setup, harness_teardown),
    cmocka_unit_test_setup_teardown (test_apparmor_default_not_enforced, harness_setup,
                                     harness_teardown),
    cmocka_unit_test (test_apparmor_profiles_line),
    cmocka_unit_test_setup_teardown (test_restore, harness_setup, harness_teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
