/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/state.c (what the runtime recorded about a container) and shim/policy_load.c
 * (which policy applies to a call): container ids, state directories, the annotations exec and
 * update are exempted by -- and the audit note when they cannot be read --, the invoked name, the
 * mode and the audit destination.  State files and policy files are only trusted when root owns
 * them, so those tests need root and say so when skipped; the rest run as anyone.  */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "argv.h"
#include "json.h"
#include "policy_file.h"
#include "policy_load.h"
#include "scratch.h"
#include "state.h"
#include "util.h"

static bool
have_root (void)
{
  return scratch_have_root ("state and policy files are trusted only when root owns them");
}

static char *
put (const char *name, const char *text, mode_t mode)
{
  return scratch_put (scratch_dir, name, text, mode);
}

static struct runc_invocation
exec_of (const char *id)
{
  struct runc_invocation inv
      = { .verb = RUNC_VERB_EXEC, .verb_name = "exec", .root = scratch_dir, .container_id = id };
  return inv;
}

static const struct runtime runc = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
static const struct runtime crun = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };

static void
test_ids_and_roots (void **state)
{
  static const char *const valid[] = { "abc", "a_b-c.d", "a+b", "a,b", "..a", "ABC123" };
  static const char *const invalid[] = { "", ".", "..", "a/b", "a b", "a:b", "ü" };
  struct runc_invocation inv = exec_of ("c1");
  cleanup_free char *cdir = xasprintf ("%s/c1", scratch_dir);

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (valid); i++)
    assert_true (state_valid_id (valid[i]));
  for (size_t i = 0; i < ARRAY_SIZE (invalid); i++)
    assert_false (state_valid_id (invalid[i]));
  assert_false (state_valid_id (NULL));
  /* --root, else each runtime's own default.  */
  assert_string_equal (state_root (&inv, &runc), scratch_dir);
  inv.root = NULL;
  assert_string_equal (state_root (&inv, &runc), "/run/runc");
  assert_string_equal (state_root (&inv, &crun), "/run/crun");
  assert_string_equal (state_root (&inv, NULL), "/run/runc");
  /* <root>/<id> present, absent, or an id that cannot name it.  */
  inv.root = scratch_dir;
  assert_int_equal (state_container_present (&inv, &runc), 0);
  assert_int_equal (mkdir (cdir, 0700), 0);
  assert_int_equal (state_container_present (&inv, &runc), 1);
  inv.container_id = "../c1";
  assert_int_equal (state_container_present (&inv, &runc), -1);
}

static char *
annotations_text (const struct runc_invocation *inv, const struct runtime *rt, char **why)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *ann = state_annotations (inv, rt, &err);

  *why = ann == NULL ? ocg_error_text (err) : NULL;
  return ann == NULL ? NULL : json_serialize (ann, NULL, &err);
}

static void
assert_annotations (const struct runc_invocation *inv, const struct runtime *rt, const char *want)
{
  cleanup_free char *why = NULL;
  cleanup_free char *got = annotations_text (inv, rt, &why);
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *a = got ? json_parse (got, strlen (got), NULL, &err) : NULL;
  cleanup_json struct json_node *b = json_parse (want, strlen (want), NULL, &err);

  if (a == NULL || !json_equal (a, b))
    fail_msg ("annotations %s (%s), expected %s", got ? got : "none", why ? why : "", want);
}

static void
assert_no_annotations (const struct runc_invocation *inv, const struct runtime *rt,
                       const char *why_has)
{
  cleanup_free char *why = NULL;
  cleanup_free char *got = annotations_text (inv, rt, &why);

  assert_null (got);
  if (strstr (why, why_has) == NULL)
    fail_msg ("`%s` does not say `%s`", why, why_has);
}

static void
test_recorded_annotations (void **state)
{
  struct runc_invocation inv = exec_of ("c1");
  cleanup_free char *runc_state = NULL;
  cleanup_free char *crun_config = NULL;

  (void)state;
  if (!have_root ())
    skip ();
  /* runc: "key=value" labels beside its own "bundle=", split at the first `=`.  */
  runc_state
      = put ("c1/state.json",
             "{\"config\": {\"labels\": [\"bundle=/b\", \"a=1\", \"k=v=w\", \"bare\"]}}", 0600);
  assert_annotations (&inv, &runc, "{\"a\": \"1\", \"k\": \"v=w\"}");
  /* crun: its copy of the config.  */
  crun_config = put ("c1/config.json", "{\"annotations\": {\"x\": \"y\"}}", 0600);
  assert_annotations (&inv, &crun, "{\"x\": \"y\"}");
  /* No annotations is not a failure.  */
  free (put ("c1/config.json", "{}", 0600));
  assert_annotations (&inv, &crun, "{}");
  /* What cannot be read says why.  */
  assert_int_equal (chmod (runc_state, 0620), 0);
  assert_no_annotations (&inv, &runc, "writable by");
  assert_int_equal (unlink (runc_state), 0);
  assert_no_annotations (&inv, &runc, "state.json");
  free (put ("c1/state.json", "{\"config\": ", 0600));
  assert_no_annotations (&inv, &runc, "state.json");
  inv.container_id = "../c1";
  assert_no_annotations (&inv, &runc, "cannot name a state directory");
  assert_no_annotations (&inv, NULL, "no runtime");
}

static void
test_profile_from_name (void **state)
{
  (void)state;
  assert_string_equal (policy_profile_from_name ("/usr/bin/ocigate-restricted"), "restricted");
  assert_string_equal (policy_profile_from_name ("ocigate-privileged"), "privileged");
  assert_null (policy_profile_from_name ("/usr/bin/ocigate"));
  assert_null (policy_profile_from_name ("ocigate-"));
  assert_null (policy_profile_from_name ("/usr/local/sbin/runc"));
  assert_null (policy_profile_from_name ("/opt/ocigate-restricted/runc"));
}

static void
test_audit_destination (void **state)
{
  struct runc_invocation inv = { .ocg_audit_log = "/flag.log" };
  cleanup_free char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

  (void)state;
  setenv ("OCIGATE_AUDIT_LOG", "/env.log", 1);
  a = policy_load_audit_destination (&inv, "/file.log");
  inv.ocg_audit_log = NULL;
  b = policy_load_audit_destination (&inv, "/file.log");
  setenv ("OCIGATE_AUDIT_LOG", "", 1);
  c = policy_load_audit_destination (&inv, "/file.log");
  unsetenv ("OCIGATE_AUDIT_LOG");
  d = policy_load_audit_destination (&inv, "/file.log");
  e = policy_load_audit_destination (&inv, NULL);
  assert_string_equal (a, "/flag.log");
  assert_string_equal (b, "/env.log");
  assert_string_equal (c, "/file.log");
  assert_string_equal (d, "/file.log");
  assert_string_equal (e, "/var/log/ocigate/audit.log");
}

/* Without a policy file: the built-in profiles, chosen by --ocigate-profile over the invoked
 * name; --ocigate-mode on top; a mode that is neither is an error.  */
static void
test_profile_and_mode (void **state)
{
  struct runc_invocation inv = { .ocg_mode = "audit" };
  cleanup_error ocg_error_t err = NULL;
  cleanup_policy_file struct policy_file *pf = policy_load_file (&inv, &err);
  struct policy *policy = NULL;
  char *audit = NULL;

  (void)state;
  assert_non_null (pf);
  assert_int_equal (policy_load_profile (&inv, "restricted", pf, &policy, &audit, &err), 0);
  assert_string_equal (policy->name, "restricted");
  assert_int_equal (policy->mode, MODE_AUDIT);
  assert_string_equal (audit, "/var/log/ocigate/audit.log");
  policy_free (policy);
  free (audit);
  inv.ocg_profile = "baseline";
  inv.ocg_mode = "enforce";
  assert_int_equal (policy_load_profile (&inv, "restricted", pf, &policy, &audit, &err), 0);
  assert_string_equal (policy->name, "baseline");
  assert_int_equal (policy->mode, MODE_ENFORCE);
  policy_free (policy);
  free (audit);
  inv.ocg_mode = "permissive";
  assert_int_equal (policy_load_profile (&inv, NULL, pf, &policy, &audit, &err), -1);
  assert_non_null (strstr (err->msg, "unknown mode `permissive`"));
}

static const char exempting_policy[]
    = "{\"engine_set_annotations\": [\"io.kubernetes.cri.sandbox-namespace\"],\n"
      " \"exemptions\": {\"system\": {\"match\": {\"annotations\": {\n"
      "   \"io.kubernetes.cri.sandbox-namespace\": \"kube-*\"}},\n"
      "   \"rules\": {\"privileged\": \"off\"}}}}\n";

/* exec and update are exempted by the annotations the runtime recorded; when those cannot be
 * read no exemption on annotations applies (stricter), and the audit record says why.  */
static void
test_exempt_from_recorded_annotations (void **state)
{
  struct runc_invocation inv = exec_of ("c1");
  cleanup_error ocg_error_t err = NULL;
  cleanup_policy_file struct policy_file *pf = NULL;
  cleanup_policy struct policy *policy = NULL;
  cleanup_free char *audit = NULL;
  cleanup_free char *policy_path = NULL;
  char **applied = NULL;
  char *note = NULL;
  cleanup_free char *why = NULL;
  cleanup_json struct json_node *recorded = NULL;

  (void)state;
  if (!have_root ())
    skip ();
  inv.ocg_policy = policy_path = put ("etc/policy.json", exempting_policy, 0644);
  pf = policy_load_file (&inv, &err);
  assert_non_null (pf);
  assert_int_equal (policy_load_profile (&inv, NULL, pf, &policy, &audit, &err), 0);
  /* No state.json for c1: nothing applies, and the note says why.  */
  recorded = state_annotations (&inv, &runc, &err);
  assert_null (recorded);
  why = ocg_error_text (err);
  policy_load_exempt (&inv, NULL, pf, recorded, why, policy, &applied, &note);
  assert_null (applied);
  assert_non_null (note);
  print_message ("# %s\n", note);
  assert_non_null (strstr (note, "container `c1` cannot be read"));
  assert_non_null (strstr (note, "no exemption that matches on annotations applies"));
  free (note);
  note = NULL;
  /* With the labels runc keeps, the exemption applies and there is nothing to note.  */
  free (put ("c1/state.json",
             "{\"config\": {\"labels\": [\"bundle=/b\", "
             "\"io.kubernetes.cri.sandbox-namespace=kube-system\"]}}",
             0600));
  recorded = state_annotations (&inv, &runc, &err);
  assert_non_null (recorded);
  policy_load_exempt (&inv, NULL, pf, recorded, NULL, policy, &applied, &note);
  assert_null (note);
  assert_non_null (applied);
  assert_string_equal (applied[0], "system");
  assert_null (applied[1]);
  strv_free (applied);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_ids_and_roots, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_recorded_annotations, scratch_setup, scratch_teardown),
    cmocka_unit_test (test_profile_from_name),
    cmocka_unit_test_setup_teardown (test_audit_destination, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_profile_and_mode, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_exempt_from_recorded_annotations, scratch_setup,
                                     scratch_teardown),
  };

  unsetenv ("OCIGATE_AUDIT_LOG");
  unsetenv (POLICY_FILE_ENV);
  policy_file_default_path = "/nonexistent-ocigate-test/policy.json";
  return cmocka_run_group_tests (tests, NULL, NULL);
}
