/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/document.c (the document a judged verb hands the runtime, found where the
 * runtime will read it) and `ocigate check` (shim/police.c): the bundle's config.json and who may
 * have written it, crun's --config, update's --resources, restore's label flags, the write-back
 * of a rewrite, a container's own root under a user namespace, and the decision record check
 * prints.  Bundles are temp dirs; the tests that chown need root and say so when skipped.  */
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

#include "document.h"
#include "json.h"
#include "police.h"
#include "police_check.h"
#include "policy_file.h"
#include "scratch.h"
#include "util.h"

static bool
have_root (void)
{
  return scratch_have_root ("to give files to another owner");
}

static char *
put (const char *name, const char *text, mode_t mode)
{
  return scratch_put (scratch_dir, name, text, mode);
}

/* No network namespace: the host's, which baseline denies (host-namespaces).  */
static const char config[]
    = "{\"ociVersion\": \"1.0.2\", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\"],"
      " \"user\": {\"uid\": 0, \"gid\": 0}}, \"root\": {\"path\": \"rootfs\"},"
      " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"},"
      " {\"type\": \"ipc\"}, {\"type\": \"uts\"}]}}";

static const char userns_config[]
    = "{\"ociVersion\": \"1.0.2\", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\"]},"
      " \"root\": {\"path\": \"rootfs\"}, \"linux\": {\"namespaces\": [{\"type\": \"user\"}],"
      " \"uidMappings\": [{\"containerID\": 1, \"hostID\": 200000, \"size\": 10},"
      " {\"containerID\": 0, \"hostID\": 100000, \"size\": 1}]}}";

/* Load the document of `inv`: 0, or -1 with the error's text in *why.  */
static int
load (const struct runc_invocation *inv, struct document *doc, char **why)
{
  cleanup_error ocg_error_t err = NULL;
  const struct runtime rt = { .path = (char *)"/usr/bin/crun", .flavor = RUNTIME_CRUN };

  *why = NULL;
  if (document_load (inv, &rt, NULL, NULL, doc, &err) == 0)
    return 0;
  *why = ocg_error_text (err);
  return -1;
}

static void
assert_refused (const struct runc_invocation *inv, const char *want)
{
  struct document doc = DOCUMENT_INIT;
  cleanup_free char *why = NULL;

  assert_int_equal (load (inv, &doc, &why), -1);
  if (strstr (why, want) == NULL)
    fail_msg ("`%s` does not say `%s`", why, want);
  document_release (&doc);
}

static void
test_container_root (void **state)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *mapped
      = spec_load_buffer (userns_config, strlen (userns_config), "c", SPEC_CONFIG, &err);
  cleanup_spec struct spec *plain
      = spec_load_buffer (config, strlen (config), "c", SPEC_CONFIG, &err);

  (void)state;
  assert_int_equal (document_container_root (mapped), 100000);
  assert_int_equal (document_container_root (plain), 0);
}

static void
test_bundle_config (void **state)
{
  struct runc_invocation inv
      = { .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = scratch_dir };
  struct document doc = DOCUMENT_INIT;
  cleanup_free char *why = NULL;
  cleanup_free char *path = put ("config.json", config, 0644);

  (void)state;
  assert_int_equal (load (&inv, &doc, &why), 0);
  assert_string_equal (doc.display, "config.json");
  assert_int_equal (doc.spec->kind, SPEC_CONFIG);
  assert_false (doc.synthetic);
  document_release (&doc);
  /* A file or bundle others could write is a file that can change after it was judged.  */
  assert_int_equal (chmod (path, 0664), 0);
  assert_refused (&inv, "`config.json` is writable by group or others");
  assert_int_equal (chmod (path, 0644), 0);
  assert_int_equal (chmod (scratch_dir, 0775), 0);
  assert_refused (&inv, "is writable by group or others");
  assert_int_equal (chmod (scratch_dir, 0755), 0);
  /* restore's label flags would replace the judged labels.  */
  inv.verb = RUNC_VERB_RESTORE;
  inv.restore_lsm = true;
  assert_refused (&inv, "restore --lsm-profile/--lsm-mount-context");
}

/* Another owner: refused, unless it is the host uid the container's own root maps to.  */
static void
test_bundle_owner (void **state)
{
  struct runc_invocation inv
      = { .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = scratch_dir };
  struct document doc = DOCUMENT_INIT;
  cleanup_free char *why = NULL;
  cleanup_free char *path = NULL;

  (void)state;
  if (!have_root ())
    skip ();
  path = put ("config.json", config, 0644);
  assert_int_equal (chown (path, 65534, 65534), 0);
  assert_refused (&inv, "`config.json` is owned by uid 65534");
  assert_int_equal (chown (path, 0, 0), 0);
  assert_int_equal (chown (scratch_dir, 100000, 100000), 0);
  assert_refused (&inv, "is owned by uid 100000");
  free (put ("config.json", userns_config, 0644));
  assert_int_equal (load (&inv, &doc, &why), 0);
  document_release (&doc);
}

static void
test_other_documents (void **state)
{
  cleanup_free char *conf = put ("elsewhere.json", config, 0644);
  cleanup_free char *res = put ("resources.json", "{\"pids\": {\"limit\": 5}}", 0644);
  struct runc_invocation create
      = { .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = scratch_dir, .config = conf };
  struct runc_invocation update
      = { .verb = RUNC_VERB_UPDATE, .verb_name = "update", .resources_path = res };
  struct document doc = DOCUMENT_INIT;
  cleanup_free char *why = NULL;

  (void)state;
  /* crun's --config: the file itself, wherever it is.  */
  assert_int_equal (load (&create, &doc, &why), 0);
  assert_string_equal (doc.display, conf);
  assert_int_equal (doc.spec->kind, SPEC_CONFIG);
  document_release (&doc);
  assert_int_equal (load (&update, &doc, &why), 0);
  assert_string_equal (doc.display, res);
  assert_int_equal (doc.spec->kind, SPEC_RESOURCES);
  document_release (&doc);
  update.resources_path = "/nonexistent-ocigate-test/r.json";
  assert_refused (&update, "open directory of `/nonexistent-ocigate-test/r.json`");
}

/* The rewrite goes back to the file the runtime reads; no rewrite leaves it byte for byte.  */
static void
test_hand_on (void **state)
{
  struct runc_invocation inv
      = { .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = scratch_dir };
  cleanup_free char *path = put ("config.json", config, 0644);
  struct document doc = DOCUMENT_INIT;
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *why = NULL;
  cleanup_free char *after = NULL;
  cleanup_free char *rewritten = NULL;

  (void)state;
  assert_int_equal (load (&inv, &doc, &why), 0);
  assert_int_equal (spec_set (doc.spec, "/process/noNewPrivileges", json_new_bool (true), &err), 0);
  assert_int_equal (document_hand_on (&doc, false, &err), 0);
  after = scratch_read (path);
  assert_string_equal (after, config);
  assert_int_equal (document_hand_on (&doc, true, &err), 0);
  rewritten = scratch_read (path);
  assert_non_null (strstr (rewritten, "\"noNewPrivileges\": true"));
  document_release (&doc);
}

/* `ocigate check` judges and keeps the decision record; the status says the verdict.  */
static int
check_judging (const char *target, char **out, char **why)
{
  struct runc_invocation inv = { .verb = RUNC_VERB_OTHER, .verb_name = "check" };
  const struct police_check_options opts = { .container_id = "c1" };
  struct police_check c = POLICE_CHECK_INIT;
  cleanup_error ocg_error_t err = NULL;
  int status
      = police_check_judge (&inv, target, &opts, &c, &err) < 0 ? 2 : police_check_status (&c);

  *out = c.record ? xstrdup (c.record) : NULL;
  *why = err ? ocg_error_text (err) : NULL;
  police_check_release (&c);
  return status;
}

static void
test_check (void **state)
{
  cleanup_free char *out = NULL;
  cleanup_free char *why = NULL;
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *record = NULL;
  const struct json_node *denied;
  cleanup_free char *path = put ("config.json", config, 0644);
  char *missing;

  (void)state;
  assert_int_equal (check_judging (scratch_dir, &out, &why), 1);
  assert_null (why);
  record = json_parse (out, strlen (out), NULL, &err);
  assert_non_null (record);
  assert_string_equal (json_obj_get (record, "verb")->text, "check");
  assert_string_equal (json_obj_get (record, "document")->text, scratch_dir);
  assert_string_equal (json_obj_get (record, "verdict")->text, "deny");
  assert_string_equal (json_obj_get (record, "mode")->text, "enforce");
  denied = json_obj_get (record, "denied");
  assert_true (denied != NULL && denied->n > 0);
  assert_string_equal (json_obj_get (denied->items[0], "rule")->text, "host-namespaces");
  /* Nothing changed: check only explains.  */
  free (out);
  out = scratch_read (path);
  assert_string_equal (out, config);
  free (out);
  missing = xasprintf ("%s/missing", scratch_dir);
  assert_int_equal (check_judging (missing, &out, &why), 2);
  assert_null (out);
  assert_non_null (strstr (why, "stat `"));
  free (missing);
}

/* A config captured on another node: its rootfs, bind source and network namespace exist only
 * there, and it binds the Docker socket by its /var/run name.  */
static const char foreign_config[]
    = "{\"ociVersion\": \"1.0.2\", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\"],"
      " \"user\": {\"uid\": 0, \"gid\": 0}}, \"root\": {\"path\": \"/nonexistent-node/rootfs\"},"
      " \"mounts\": [{\"destination\": \"/data\", \"type\": \"bind\","
      " \"source\": \"/nonexistent-node/data\", \"options\": [\"rbind\"]}SOCK],"
      " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"},"
      " {\"type\": \"ipc\"}, {\"type\": \"uts\"},"
      " {\"type\": \"network\", \"path\": \"/var/run/netns/nonexistent-node\"}]}}";

static int
check_foreign (bool portable, bool socket, struct police_check *c)
{
  struct runc_invocation inv = { .verb = RUNC_VERB_OTHER, .verb_name = "check" };
  const struct police_check_options opts = { .portable = portable };
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = xstrdup (foreign_config);
  cleanup_free char *config_text = NULL;
  char *at = strstr (text, "SOCK");

  *at = '\0';
  config_text = xasprintf ("%s%s%s", text,
                           socket ? ", {\"destination\": \"/s\", \"type\": \"bind\", \"source\":"
                                    " \"/var/run/docker.sock\", \"options\": [\"bind\"]}"
                                  : "",
                           at + 4);
  free (put ("config.json", config_text, 0644));
  if (police_check_judge (&inv, scratch_dir, &opts, c, &err) < 0)
    return 2;
  return police_check_status (c);
}

static bool
has_rule (const struct findings *l, const char *rule, const char *text)
{
  for (size_t i = 0; i < l->n; i++)
    if (str_eq (l->items[i].rule->id, rule) && strstr (l->items[i].message, text) != NULL)
      return true;
  return false;
}

/* --portable: the facts only the node has become notes; with the real facts they deny.  A bind of
 * /var/run/docker.sock still denies: the path is judged, /var/run being /run everywhere.  */
static void
test_check_portable (void **state)
{
  struct police_check c = POLICE_CHECK_INIT;

  (void)state;
  assert_int_equal (check_foreign (false, false, &c), 1);
  assert_true (has_rule (&c.decision.denied, "rootfs", "does not exist"));
  assert_true (has_rule (&c.decision.denied, "sensitive-mounts", "does not exist"));
  assert_true (has_rule (&c.decision.denied, "host-namespaces", "/var/run/netns/nonexistent-node"));
  police_check_release (&c);
  assert_int_equal (check_foreign (true, false, &c), 0);
  assert_int_equal (c.decision.denied.n, 0);
  assert_true (has_rule (&c.decision.noted, "rootfs", "on the node ocigate checks"));
  assert_true (has_rule (&c.decision.noted, "sensitive-mounts", "/nonexistent-node/data"));
  assert_true (has_rule (&c.decision.noted, "host-namespaces", "/var/run/netns/nonexistent-node"));
  police_check_release (&c);
  assert_int_equal (check_foreign (true, true, &c), 1);
  assert_true (has_rule (&c.decision.denied, "sensitive-mounts", "exposes the engine socket"));
  police_check_release (&c);
}

/* --ocigate-mode audit: the record says so, and the node would run it (status 0).  */
static void
test_check_audit_mode (void **state)
{
  struct runc_invocation inv
      = { .verb = RUNC_VERB_OTHER, .verb_name = "check", .ocg_mode = "audit" };
  const struct police_check_options opts = { 0 };
  struct police_check c = POLICE_CHECK_INIT;
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  free (put ("config.json", config, 0644));
  assert_int_equal (police_check_judge (&inv, scratch_dir, &opts, &c, &err), 0);
  assert_int_equal (c.decision.verdict, VERDICT_DENY);
  assert_int_equal (police_check_status (&c), 0);
  assert_non_null (strstr (c.record, "\"mode\":\"audit\""));
  police_check_release (&c);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_container_root),
    cmocka_unit_test_setup_teardown (test_bundle_config, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_bundle_owner, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_other_documents, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_hand_on, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_check, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_check_portable, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_check_audit_mode, scratch_setup, scratch_teardown),
  };

  unsetenv ("OCIGATE_AUDIT_LOG");
  unsetenv (POLICY_FILE_ENV);
  policy_file_default_path = "/nonexistent-ocigate-test/policy.json";
  return cmocka_run_group_tests (tests, NULL, NULL);
}
