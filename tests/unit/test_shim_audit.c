/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/audit.c and audit_sink.c, the audit trail: the decision record is re-parsed
 * and every field compared (names, order, values), its JSON Patch is the one spec_patch_gen
 * writes -- the same writer the spec tests check through spec_patch_json --, a record that cannot
 * be written is refused, and the O_APPEND writer creates, appends and refuses a symlink.  The
 * record's bound and the syslog sink: test_shim_audit_bound.c.  No root needed.  */
#include <config.h>

#include <errno.h>
#include <regex.h>
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

#include "audit.h"
#include "engine.h"
#include "hostfacts.h"
#include "json.h"
#include "policy.h"
#include "record_asserts.h"
#include "scratch.h"
#include "spec.h"
#include "util.h"

/* assert_stamp, then the three removed, so the rest compares as a constant.  */
static void
drop_stamp (struct json_node *record)
{
  rec_assert_stamp (record);
  json_obj_remove (record, "time");
  json_obj_remove (record, "host");
  json_obj_remove (record, "ocigate_version");
}

static const char config[]
    = "{\"ociVersion\": \"1.0.2\", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\"],"
      " \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_SYS_ADMIN\"]}},"
      " \"root\": {\"path\": \"rootfs\"}, \"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": "
      "\"1\"}},"
      " \"annotations\": {\"io.kubernetes.cri.container-name\": \"web\", \"unrelated\": \"x\","
      " \"io.kubernetes.cri.sandbox-uid\": \"0b5e-11\","
      " \"io.kubernetes.cri.sandbox-namespace\": \"shop\"}}";

/* A finding of rule `id` into `list`.  */
static void
add (struct findings *list, const char *id, const char *path, const char *message, bool note)
{
  struct rule_ctx ctx = { .rule = rules_find (id, NULL) };

  assert_non_null (ctx.rule);
  if (note)
    note_add (list, &ctx, path, "%s", message);
  else
    finding_add (list, &ctx, path, false, "%s", message);
}

/* {"rule":...,"cis":...,"pss":...,"action":...,"path":...,"message":...} of rule `id`.  */
static char *
finding_json (const char *id, const char *action, const char *path, const char *message)
{
  const struct rule *r = rules_find (id, NULL);
  cleanup_free char *cis = r->cis ? xasprintf ("\"%s\"", r->cis) : xstrdup ("null");
  cleanup_free char *pss = r->pss ? xasprintf ("\"%s\"", r->pss) : xstrdup ("null");

  return xasprintf ("{\"rule\": \"%s\", \"cis\": %s, \"pss\": %s, \"action\": \"%s\", "
                    "\"path\": \"%s\", \"message\": \"%s\"}",
                    id, cis, pss, action, path, message);
}

/* A create's record with a finding of every kind, a note of ocigate's own, three changes.  */
struct full_record
{
  struct policy *policy;
  struct spec *spec;
  struct json_node *record; /* the line, parsed back */
};

static const char own_note[] = "the annotations the runtime recorded cannot be read";

static int
full_record_setup (void **state)
{
  struct full_record *f = xzalloc (sizeof (*f));
  cleanup_error ocg_error_t err = NULL;
  struct decision d = { .verdict = VERDICT_DENY };
  const char *const exemptions[] = { "cni", "monitoring", NULL };
  const char *const notes[] = { own_note, NULL };
  struct audit_subject subject = { .verb = "create",
                                   .container_id = "c1",
                                   .document = "config.json",
                                   .runtime = "/usr/sbin/runc",
                                   .exemptions = exemptions,
                                   .notes = notes };
  cleanup_free char *line = NULL;

  f->policy = policy_builtin ("baseline");
  f->spec = spec_load_buffer (config, strlen (config), "config.json", SPEC_CONFIG, &err);
  assert_true (f->policy != NULL && f->spec != NULL);
  /* Three recorded changes: an add that creates its parent, a replace, a remove.  */
  assert_int_equal (spec_set (f->spec, "/process/user/uid", json_new_int (1000), &err), 0);
  assert_int_equal (spec_set (f->spec, "/root/path", json_new_string ("rootfs2"), &err), 0);
  assert_true (spec_remove (f->spec, "/linux/sysctl/net.ipv4.ip_forward"));
  add (&d.denied, "privileged", "/process", "all capabilities", false);
  add (&d.fixed, "capabilities", "/process/capabilities/bounding/1", "dropped", false);
  add (&d.warned, "root-user", "/process/user/uid", "uid 0", false);
  add (&d.noted, "resource-limits", "", "rootless", true);
  line = audit_record (&subject, f->policy, f->spec, &d, false, &err);
  assert_non_null (line);
  assert_null (strchr (line, '\n')); /* one line: audit_append adds the newline */
  f->record = rec_parse (line);
  decision_release (&d);
  *state = f;
  return 0;
}

static int
full_record_teardown (void **state)
{
  struct full_record *f = *state;

  policy_free (f->policy);
  spec_free (f->spec);
  json_free (f->record);
  free (f);
  return 0;
}

static void
test_record_subject (void **state)
{
  const struct json_node *record = ((struct full_record *)*state)->record;

  rec_assert_keys (record,
                   "time,host,ocigate_version,verb,container,document,runtime,policy,"
                   "policy_digest,mode,verdict,exemptions,executed,workload,denied,rewritten,"
                   "warned,notes,patch");
  rec_assert_stamp (record);
  rec_assert_json_equal (json_obj_get (record, "verb"), "\"create\"");
  rec_assert_json_equal (json_obj_get (record, "container"), "\"c1\"");
  rec_assert_json_equal (json_obj_get (record, "document"), "\"config.json\"");
  rec_assert_json_equal (json_obj_get (record, "runtime"), "\"/usr/sbin/runc\"");
  rec_assert_json_equal (json_obj_get (record, "policy"), "\"baseline\"");
  /* No policy file: the built-in profile is the policy.  */
  rec_assert_json_equal (json_obj_get (record, "policy_digest"), "\"builtin:baseline\"");
  rec_assert_json_equal (json_obj_get (record, "mode"), "\"enforce\"");
  rec_assert_json_equal (json_obj_get (record, "verdict"), "\"deny\"");
  rec_assert_json_equal (json_obj_get (record, "exemptions"), "[\"cni\", \"monitoring\"]");
  rec_assert_json_equal (json_obj_get (record, "executed"), "false");
  /* The engine-set identity only, in the list's order: the pod's uid too.  */
  rec_assert_keys (json_obj_get (record, "workload"),
                   "io.kubernetes.cri.sandbox-namespace,io.kubernetes.cri.sandbox-uid,"
                   "io.kubernetes.cri.container-name");
  rec_assert_json_equal (json_obj_get (record, "workload"),
                         "{\"io.kubernetes.cri.sandbox-namespace\": \"shop\","
                         " \"io.kubernetes.cri.sandbox-uid\": \"0b5e-11\","
                         " \"io.kubernetes.cri.container-name\": \"web\"}");
  assert_null (json_obj_get (record, "truncated"));
}

static void
test_record_findings (void **state)
{
  const struct json_node *record = ((struct full_record *)*state)->record;
  cleanup_free char *denied = finding_json ("privileged", "deny", "/process", "all capabilities");
  cleanup_free char *fixed
      = finding_json ("capabilities", "rewrite", "/process/capabilities/bounding/1", "dropped");
  cleanup_free char *warned = finding_json ("root-user", "warn", "/process/user/uid", "uid 0");
  cleanup_free char *noted = finding_json ("resource-limits", "rewrite", "", "rootless");
  cleanup_free char *lists
      = xasprintf ("{\"denied\": [%s], \"rewritten\": [%s], \"warned\": [%s], \"notes\": [%s,"
                   " {\"rule\": null, \"cis\": null, \"pss\": null, \"path\": \"\","
                   " \"message\": \"%s\"}]}",
                   denied, fixed, warned, noted, own_note);
  cleanup_json struct json_node *want = rec_parse (lists);

  for (size_t i = 0; i < want->n; i++)
    if (!json_equal (json_obj_get (record, want->keys[i]), want->items[i]))
      fail_msg ("`%s` is not %s", want->keys[i], lists);
  rec_assert_keys (json_obj_get (record, "denied")->items[0], "rule,cis,pss,action,path,message");
  /* A rule's note, then ocigate's own, shaped alike with no rule.  */
  rec_assert_keys (json_obj_get (record, "notes")->items[1], "rule,cis,pss,path,message");
}

static void
test_record_patch (void **state)
{
  const struct full_record *f = *state;
  const struct json_node *patch = json_obj_get (f->record, "patch");
  cleanup_free char *patch_text = spec_patch_json (f->spec);
  cleanup_json struct json_node *from_spec = NULL;

  /* RFC 6902, in the order the changes were made...  */
  rec_assert_json_equal (
      patch, "[{\"op\": \"add\", \"path\": \"/process/user\", \"value\": {\"uid\": 1000}},"
             " {\"op\": \"replace\", \"path\": \"/root/path\", \"value\": \"rootfs2\"},"
             " {\"op\": \"remove\", \"path\": \"/linux/sysctl/net.ipv4.ip_forward\"}]");
  rec_assert_keys (patch->items[0], "op,path,value");
  rec_assert_keys (patch->items[2], "op,path");
  /* ... and exactly what the spec's own writer gives, which the spec tests check.  */
  assert_non_null (patch_text);
  from_spec = rec_parse (patch_text);
  assert_true (json_equal (patch, from_spec));
}

/* Audit mode, a call enforce would have refused before judging: verdict "error" and the reason
 * right after it; no document, so no workload and no patch.  */
static void
test_record_error_verdict (void **state)
{
  cleanup_policy struct policy *policy = policy_builtin ("baseline");
  cleanup_error ocg_error_t err = NULL;
  struct decision d = { .verdict = VERDICT_ALLOW };
  struct audit_subject subject = { .verb = "exec", .error = "cannot read `p.json`" };
  cleanup_free char *line = NULL;
  cleanup_json struct json_node *record = NULL;

  (void)state;
  policy->mode = MODE_AUDIT;
  policy->digest = xstrdup ("sha256:5eed"); /* built from files */
  line = audit_record (&subject, policy, NULL, &d, true, &err);
  assert_non_null (line);
  record = rec_parse (line);
  rec_assert_keys (record, "time,host,ocigate_version,verb,container,document,runtime,policy,"
                           "policy_digest,mode,verdict,error,exemptions,executed,workload,denied,"
                           "rewritten,warned,notes,patch");
  drop_stamp (record);
  rec_assert_json_equal (record,
                         "{\"verb\": \"exec\", \"container\": null, \"document\": null,"
                         " \"runtime\": null, \"policy\": \"baseline\","
                         " \"policy_digest\": \"sha256:5eed\", \"mode\": \"audit\","
                         " \"verdict\": \"error\", \"error\": \"cannot read `p.json`\","
                         " \"exemptions\": [], \"executed\": true, \"workload\": {},"
                         " \"denied\": [], \"rewritten\": [], \"warned\": [], \"notes\": [],"
                         " \"patch\": []}");
}

static void
test_policy_error_record (void **state)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *line = audit_policy_error_record (
      "kill", "c9", "/usr/bin/crun", "policy.json:3:1: oops", "sha256:0bad", &err);
  cleanup_json struct json_node *record = NULL;

  (void)state;
  assert_non_null (line);
  record = rec_parse (line);
  rec_assert_keys (record, "time,host,ocigate_version,verb,container,runtime,policy_digest,verdict,"
                           "error,executed");
  drop_stamp (record);
  rec_assert_json_equal (record, "{\"verb\": \"kill\", \"container\": \"c9\", \"runtime\":"
                                 " \"/usr/bin/crun\", \"policy_digest\": \"sha256:0bad\","
                                 " \"verdict\": \"policy-error\", \"error\":"
                                 " \"policy.json:3:1: oops\", \"executed\": true}");
}

/* A patch string that is not UTF-8 cannot be written as JSON: the record is refused (a decision
 * that is not recorded is not taken), and spec_patch_json -- the same writer -- gives none.  */
static void
test_unwritable_patch_refused (void **state)
{
  cleanup_policy struct policy *policy = policy_builtin ("baseline");
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *bad_value = json_new_string ("caf\xe9");
  struct spec_patch_op bad_path = { .op = "add", .path = (char *)"/annotations/caf\xe9" };
  struct spec_patch_op bad_val
      = { .op = "add", .path = (char *)"/annotations/a", .value = bad_value };
  struct spec spec = { .kind = SPEC_CONFIG, .ops = &bad_path, .n_ops = 1 };
  struct decision d = { .verdict = VERDICT_REWRITE };
  struct audit_subject subject = { .verb = "create" };

  (void)state;
  bad_path.value = NULL;
  assert_null (audit_record (&subject, policy, &spec, &d, false, &err));
  assert_non_null (err);
  assert_non_null (strstr (err->msg, "audit record"));
  assert_null (spec_patch_json (&spec));
  spec.ops = &bad_val;
  ocg_error_free (&err);
  assert_null (audit_record (&subject, policy, &spec, &d, false, &err));
  assert_null (spec_patch_json (&spec));
}

/* The embedded seccomp profile's load error is kept with the policy: the seccomp rule fails
 * closed with it, and audit mode records it as the call's error.  */
static void
test_seccomp_load_error_recorded (void **state)
{
  cleanup_policy struct policy *policy = policy_builtin ("baseline");
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *spec
      = spec_load_buffer (config, strlen (config), "config.json", SPEC_CONFIG, &err);
  struct host_facts host;
  struct decision d = { 0 };
  struct audit_subject subject = { .verb = "create" };
  struct call call = { .verb = CALL_CREATE };
  struct param_seccomp *profile;
  cleanup_free char *why = NULL;
  cleanup_free char *line = NULL;
  cleanup_json struct json_node *record = NULL;

  (void)state;
  hostfacts_init_real (&host);
  profile = (struct param_seccomp *)policy_param (policy, "seccomp", "profile");
  assert_non_null (profile);
  json_free (profile->profile);
  profile->profile = NULL;
  profile->error = xstrdup ("the embedded profile is cut short");
  assert_int_equal (engine_evaluate (policy, &host, &call, spec, &d, &err), -1);
  why = ocg_error_text (err);
  assert_non_null (strstr (why, "seccomp profile `default` is not loaded: the embedded profile is "
                                "cut short"));
  policy->mode = MODE_AUDIT;
  subject.error = why;
  line = audit_record (&subject, policy, spec, &d, true, &err);
  record = rec_parse (line);
  assert_string_equal (json_obj_get (record, "verdict")->text, "error");
  assert_string_equal (json_obj_get (record, "error")->text, why);
  decision_release (&d);
}

/* exec and update: the workload comes from the annotations the runtime recorded, not from the
 * document (a process.json has none).  */
static void
test_record_recorded_workload (void **state)
{
  static const char process[] = "{\"cwd\": \"/\", \"args\": [\"sh\"]}";
  cleanup_policy struct policy *policy = policy_builtin ("baseline");
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *spec
      = spec_load_buffer (process, strlen (process), "process.json", SPEC_PROCESS, &err);
  cleanup_json struct json_node *recorded = rec_parse (
      "{\"io.kubernetes.cri.sandbox-name\": \"audit\", \"io.kubernetes.cri.sandbox-uid\":"
      " \"u-1\", \"io.kubernetes.cri.container-name\": \"app\", \"other\": \"x\"}");
  struct decision d = { .verdict = VERDICT_ALLOW };
  struct audit_subject subject = { .verb = "exec", .annotations = recorded };
  cleanup_free char *line = NULL;
  cleanup_json struct json_node *record = NULL;

  (void)state;
  assert_non_null (spec);
  line = audit_record (&subject, policy, spec, &d, true, &err);
  record = rec_parse (line);
  rec_assert_json_equal (json_obj_get (record, "workload"),
                         "{\"io.kubernetes.cri.sandbox-name\": \"audit\","
                         " \"io.kubernetes.cri.sandbox-uid\": \"u-1\","
                         " \"io.kubernetes.cri.container-name\": \"app\"}");
}

static void
test_append (void **state)
{
  cleanup_free char *log = xasprintf ("%s/ocigate/audit.log", scratch_dir);
  cleanup_free char *parent = xasprintf ("%s/ocigate", scratch_dir);
  cleanup_free char *link = xasprintf ("%s/link.log", scratch_dir);
  cleanup_free char *target = xasprintf ("%s/target", scratch_dir);
  cleanup_free char *deep = xasprintf ("%s/a/b/audit.log", scratch_dir);
  cleanup_free char *text = NULL;
  cleanup_error ocg_error_t err = NULL;
  struct stat st;

  (void)state;
  /* The missing directory is made 0700, the file 0600, one line per record.  */
  assert_int_equal (audit_check_writable (log, &err), 0);
  assert_int_equal (audit_append (log, "{\"n\":1}", &err), 0);
  assert_int_equal (audit_append (log, "{\"n\":2}", &err), 0);
  text = scratch_read (log);
  assert_string_equal (text, "{\"n\":1}\n{\"n\":2}\n");
  assert_int_equal (stat (parent, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0700);
  assert_int_equal (stat (log, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0600);
  assert_int_equal (audit_check_writable (log, &err), 0);
  /* A symlink is never followed: the record is not written, and the caller fails closed.  */
  assert_int_equal (symlink (target, link), 0);
  assert_int_equal (audit_append (link, "{}", &err), -1);
  assert_int_equal (err->status, ELOOP);
  assert_int_equal (lstat (target, &st), -1);
  ocg_error_free (&err);
  /* Only one missing level is made.  */
  assert_int_equal (audit_append (deep, "{}", &err), -1);
  assert_non_null (strstr (err->msg, "create directory of audit log"));
  ocg_error_free (&err);
  assert_int_equal (audit_check_writable (deep, &err), -1);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_record_subject, full_record_setup, full_record_teardown),
    cmocka_unit_test_setup_teardown (test_record_findings, full_record_setup, full_record_teardown),
    cmocka_unit_test_setup_teardown (test_record_patch, full_record_setup, full_record_teardown),
    cmocka_unit_test (test_record_error_verdict),
    cmocka_unit_test (test_record_recorded_workload),
    cmocka_unit_test (test_policy_error_record),
    cmocka_unit_test (test_unwritable_patch_refused),
    cmocka_unit_test (test_seccomp_load_error_recorded),
    cmocka_unit_test_setup_teardown (test_append, scratch_setup, scratch_teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
