/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the pure parts of `ocigate audit summary` and `ocigate report`: audit records read
 * back whatever members a version of ocigate adds (cmd/audit_trail.c), the sums by rule and by
 * workload (cmd/audit_summary.c), the suggested drop-in (cmd/audit_suggest.c) loaded as a policy
 * file and applied to the workloads it was made for and to another, who a workload is
 * (cmd/workload.c), which engine a runtime root belongs to and the roots ocigate's records name
 * (cmd/report_scan.c).  Policy files and records are trusted only when root owns them: those
 * tests need root and say so when skipped.  */
#include <config.h>

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

#include "audit_summary.h"
#include "audit_trail.h"
#include "engine.h"
#include "policy_file.h"
#include "policy_file_exempt.h"
#include "record.h"
#include "report_cmd.h"
#include "scratch.h"
#include "util.h"
#include "workload.h"

/* A record as ocigate writes it today, and one with what a later version may add (host name,
 * version, policy digest, microsecond time) and findings shortened to their rule ids.  */
#define REC_PRIV_AUDIT                                                                             \
  "{\"time\":\"2026-12-07T10:00:00Z\",\"verb\":\"create\",\"container\":\"priv1\","                \
  "\"document\":\"/b/config.json\",\"runtime\":\"/usr/sbin/runc\",\"policy\":\"baseline\","        \
  "\"mode\":\"audit\",\"verdict\":\"deny\",\"exemptions\":[],\"executed\":true,\"workload\":{},"   \
  "\"denied\":[{\"rule\":\"privileged\",\"cis\":\"5.5\",\"pss\":\"privileged\",\"action\":"        \
  "\"deny\",\"path\":\"\",\"message\":\"m\"},{\"rule\":\"capabilities\",\"cis\":\"5.4\",\"pss\":"  \
  "null,\"path\":\"/process\",\"message\":\"m\"}],\"rewritten\":[{\"rule\":\"seccomp\"}],"         \
  "\"warned\":[],\"notes\":[{\"rule\":null,\"message\":\"own note\"}],\"patch\":[]}\n"
#define REC_POD_NEWER                                                                              \
  "{\"time\":\"2026-12-07T10:00:01.123456Z\",\"hostname\":\"node-1\",\"version\":\"0.2\","         \
  "\"policy_digest\":\"sha256:00\",\"verb\":\"run\",\"container\":\"%s\",\"policy\":"              \
  "\"baseline\",\"mode\":\"audit\",\"verdict\":\"deny\",\"executed\":true,\"workload\":{"          \
  "\"io.kubernetes.cri.sandbox-namespace\":\"kube-system\",\"io.kubernetes.cri.sandbox-name\":"    \
  "\"cni-x1\",\"io.kubernetes.cri.container-name\":\"agent\",\"io.kubernetes.cri.container-"       \
  "type\":\"container\"},\"denied\":[\"host-namespaces\"],\"rewritten\":[\"masked-paths\"],"       \
  "\"warned\":[\"root-user\"]}\n"
#define REC_OK_ENFORCE                                                                             \
  "{\"verb\":\"create\",\"container\":\"web1\",\"policy\":\"baseline\",\"mode\":\"enforce\","      \
  "\"verdict\":\"rewrite\",\"executed\":true,\"rewritten\":[{\"rule\":\"seccomp\"}]}\n"
#define REC_ERROR                                                                                  \
  "{\"verb\":\"create\",\"container\":\"odd\",\"policy\":\"baseline\",\"mode\":\"audit\","         \
  "\"verdict\":\"error\",\"error\":\"case-folded key\",\"executed\":true}\n"
#define REC_POLICY_ERROR                                                                           \
  "{\"verb\":\"kill\",\"container\":\"x\",\"verdict\":\"policy-error\",\"error\":\"e\","           \
  "\"executed\":true}\n"

static bool
have_root (void)
{
  return scratch_have_root ("policy files and records are trusted only when root owns them");
}

/* The trail of the tests: an audit-mode denial, two restarts of one pod container (new ids), an
 * allowed rewrite in enforce mode, one that could not be judged, a policy error, and two lines
 * that are not records.  */
static void
summarise (struct summary *s)
{
  cleanup_free char *pod1 = xasprintf (REC_POD_NEWER, "c-aaa");
  cleanup_free char *pod2 = xasprintf (REC_POD_NEWER, "c-bbb");
  cleanup_free char *text = xasprintf ("%s%s%s%s%s%snot json\n[1]\n", REC_PRIV_AUDIT, pod1, pod2,
                                       REC_OK_ENFORCE, REC_ERROR, REC_POLICY_ERROR);
  cleanup_error ocg_error_t err = NULL;
  FILE *f = fmemopen (text, strlen (text), "r");

  memset (s, 0, sizeof (*s));
  assert_non_null (f);
  assert_int_equal (trail_read (f, "mem", summary_add, s, &s->skipped, &err), 0);
  fclose (f);
  summary_finish (s);
}

static const struct summary_workload *
workload (const struct summary *s, const char *name)
{
  for (size_t i = 0; i < s->n_workloads; i++)
    if (str_eq (s->workloads[i].name, name))
      return &s->workloads[i];
  fail_msg ("no workload %s", name);
  return NULL;
}

static const struct summary_rule *
rule_of (const struct summary_rule *rules, size_t n, const char *id)
{
  for (size_t i = 0; i < n; i++)
    if (str_eq (rules[i].rule, id))
      return &rules[i];
  fail_msg ("no rule %s", id);
  return NULL;
}

static void
test_record_tolerant (void **state)
{
  cleanup_free char *line = xasprintf (REC_POD_NEWER, "c-aaa");
  struct trail_record r;

  (void)state;
  assert_int_equal (trail_record_parse (line, strlen (line), &r), 0);
  assert_string_equal (r.host, "node-1");
  assert_string_equal (r.time, "2026-12-07T10:00:01.123456Z");
  assert_string_equal (r.denied[0], "host-namespaces");
  assert_null (r.denied[1]);
  assert_true (trail_record_is_creation (&r));
  trail_record_release (&r);
  assert_int_equal (trail_record_parse (REC_PRIV_AUDIT, strlen (REC_PRIV_AUDIT), &r), 0);
  /* ocigate's own note names no rule: it is no finding of a rule.  */
  assert_int_equal (strv_length ((const char *const *)r.denied), 2);
  assert_null (r.host);
  trail_record_release (&r);
  /* A time written as a number is kept as written.  */
  assert_int_equal (trail_record_parse ("{\"time\":1796000000123456}", 25, &r), 0);
  assert_string_equal (r.time, "1796000000123456");
  assert_null (r.verb);
  trail_record_release (&r);
  assert_int_equal (trail_record_parse ("[1]", 3, &r), -1);
  assert_int_equal (trail_record_parse ("{", 1, &r), -1);
}

static void
test_summary_counts (void **state)
{
  struct summary s;
  const struct summary_workload *pod;

  (void)state;
  summarise (&s);
  assert_int_equal (s.records, 5);
  assert_int_equal (s.policy_errors, 1);
  assert_int_equal (s.skipped, 2);
  assert_int_equal (s.audit, 4);
  assert_int_equal (s.enforce, 1);
  assert_int_equal (s.verdicts[SUMMARY_DENY], 3);
  assert_int_equal (s.verdicts[SUMMARY_ERROR], 1);
  /* Two container ids of one pod container are one workload.  */
  assert_int_equal (s.n_workloads, 4);
  pod = workload (&s, "kube-system/cni-x1/agent");
  assert_int_equal (pod->records, 2);
  assert_int_equal (strv_length ((const char *const *)pod->ids), 2);
  assert_int_equal (rule_of (pod->rules, pod->n_rules, "host-namespaces")->denied, 2);
  assert_int_equal (rule_of (s.rules, s.n_rules, "host-namespaces")->denied_audit, 2);
  assert_int_equal (rule_of (s.rules, s.n_rules, "seccomp")->rewritten, 2);
  assert_int_equal (rule_of (s.rules, s.n_rules, "seccomp")->workloads, 2);
  /* Sorted: the rule that denies most first.  */
  assert_string_equal (s.rules[0].rule, "host-namespaces");
  assert_string_equal (workload (&s, "odd")->error, "case-folded key");
  summary_release (&s);
}

static char *
suggestion (const struct summary *s, const struct policy_exemptions *existing)
{
  cleanup_free char *path = xasprintf ("%s/suggestion.out", scratch_dir);
  cleanup_error ocg_error_t err = NULL;
  FILE *f = fopen (path, "we");

  assert_non_null (f);
  assert_int_equal (summary_write_suggestion (f, s, "mem", existing, "/etc/ocigate/policy.d", &err),
                    0);
  fclose (f);
  return scratch_read (path);
}

/* The drop-in installed beside a policy file, loaded as ocigate loads them.  */
static struct policy_file *
install (const char *policy_text, const char *drop_in)
{
  cleanup_free char *main = scratch_put (scratch_dir, "policy.json", policy_text, 0644);
  cleanup_free char *d = scratch_put (scratch_dir, "policy.d/50-suggested.json", drop_in, 0644);
  cleanup_error ocg_error_t err = NULL;
  struct policy_file *pf;

  (void)d; /* written for its effect: the drop-in beside the policy */
  pf = policy_file_load (main, &err);
  if (pf == NULL)
    fail_msg ("the drop-in does not load: %s\n%s", ocg_error_text (err), drop_in);
  return pf;
}

/* The action rule `id` gets for this container under the file's exemptions.  */
static enum rule_action
action_for (const struct policy_file *pf, const char *id, const struct json_node *annotations,
            const char *rule)
{
  cleanup_policy struct policy *p = policy_builtin ("baseline");
  struct policy_subject subject
      = { .profile = "baseline", .container_id = id, .annotations = annotations };
  cleanup_strv char **applied = NULL;
  size_t idx = 0;

  assert_non_null (rules_find (rule, &idx));
  policy_exemptions_apply (policy_file_exemptions (pf), &subject, p, &applied);
  return p->actions[idx];
}

static struct json_node *
pod (const char *name)
{
  struct json_node *a = json_new_object ();

  json_obj_set (a, "io.kubernetes.cri.sandbox-namespace", json_new_string ("kube-system"));
  json_obj_set (a, "io.kubernetes.cri.sandbox-name", json_new_string (name));
  json_obj_set (a, "io.kubernetes.cri.container-name", json_new_string ("agent"));
  json_obj_set (a, "io.kubernetes.cri.container-type", json_new_string ("container"));
  return a;
}

#define POLICY_WITH_OWN                                                                            \
  "{ \"engine_set_annotations\": [ \"io.kubernetes.cri.image-name\" ],\n"                          \
  "  \"exemptions\": { \"audit-priv1\": { \"match\": { \"annotations\": {\n"                       \
  "    \"io.kubernetes.cri.image-name\": \"registry.local/agent:*\" } },\n"                        \
  "    \"rules\": { \"sysctls\": \"warn\" } } } }\n"

/* The drop-in loads beside a policy that has its own declarations and an exemption of the name
 * the suggestion would pick; it lets exactly the denied workloads through, for exactly the rules
 * that denied them, and nobody else.  */
static void
test_suggestion_applies (void **state)
{
  struct summary s;
  cleanup_free char *text = NULL;
  cleanup_policy_file struct policy_file *pf = NULL;
  cleanup_json struct json_node *same = pod ("cni-x1");
  cleanup_json struct json_node *other = pod ("cni-x2");

  (void)state;
  if (!have_root ())
    return;
  summarise (&s);
  text = suggestion (&s, NULL);
  assert_non_null (strstr (text, "\"audit-priv1\""));
  {
    cleanup_policy_file struct policy_file *own = install (POLICY_WITH_OWN, "{}");
    free (text);
    text = suggestion (&s, policy_file_exemptions (own));
  }
  /* Not the policy's own name; its declared key repeated, the pod's keys added.  */
  assert_non_null (strstr (text, "\"audit-priv1-2\""));
  assert_non_null (strstr (text, "\"io.kubernetes.cri.image-name\""));
  assert_non_null (strstr (text, "odd: enforce mode could not judge it"));
  assert_null (strstr (text, "web1"));
  pf = install (POLICY_WITH_OWN, text);
  assert_int_equal (action_for (pf, "priv1", NULL, "privileged"), ACTION_WARN);
  assert_int_equal (action_for (pf, "priv1", NULL, "capabilities"), ACTION_WARN);
  assert_int_equal (action_for (pf, "priv1", NULL, "host-namespaces"), ACTION_DENY);
  assert_int_equal (action_for (pf, "priv2", NULL, "privileged"), ACTION_DENY);
  /* The pod container after another restart (a new id) is the same workload; its neighbour is
   * not, nor an id that merely looks like one of the pod's.  */
  assert_int_equal (action_for (pf, "c-zzz", same, "host-namespaces"), ACTION_WARN);
  assert_int_equal (action_for (pf, "c-zzz", other, "host-namespaces"), ACTION_DENY);
  assert_int_equal (action_for (pf, "c-aaa", NULL, "host-namespaces"), ACTION_DENY);
  summary_release (&s);
}

/* Nothing denied: a drop-in that says so and changes nothing.  */
static void
test_suggestion_empty (void **state)
{
  struct summary s = { 0 };
  cleanup_free char *text = NULL;
  cleanup_policy_file struct policy_file *pf = NULL;

  (void)state;
  if (!have_root ())
    return;
  summary_add (&s, &(struct trail_record){
                       .verb = "create", .container = "a", .mode = "audit", .verdict = "allow" });
  summary_finish (&s);
  text = suggestion (&s, NULL);
  assert_non_null (strstr (text, "Nothing to exempt"));
  pf = install ("{}", text);
  assert_int_equal (policy_file_exemptions (pf)->n, 0);
  summary_release (&s);
}

static void
test_workload (void **state)
{
  cleanup_json struct json_node *a = pod ("p");
  cleanup_json struct json_node *crio = json_new_object ();
  cleanup_json struct json_node *podman = json_new_object ();
  cleanup_free char *n1 = workload_name (a, "id1");
  cleanup_free char *n2 = workload_name (NULL, "id2");
  cleanup_free char *n3 = NULL;

  (void)state;
  assert_string_equal (n1, "kube-system/p/agent");
  assert_string_equal (n2, "id2");
  assert_null (workload_image (a));
  json_obj_set (a, "io.kubernetes.cri.image-name", json_new_string ("registry.local/agent:1"));
  assert_string_equal (workload_image (a), "registry.local/agent:1");
  json_obj_set (crio, "io.kubernetes.pod.namespace", json_new_string ("ns"));
  json_obj_set (crio, "io.kubernetes.pod.name", json_new_string ("web"));
  json_obj_set (crio, "io.kubernetes.cri-o.ContainerType", json_new_string ("sandbox"));
  n3 = workload_name (crio, "x");
  assert_string_equal (n3, "ns/web (sandbox)");
  assert_string_equal (workload_engine (crio), "cri-o");
  json_obj_set (podman, "io.container.manager", json_new_string ("libpod"));
  json_obj_set (podman, "io.kubernetes.cri-o.Created", json_new_string ("t"));
  assert_string_equal (workload_engine (podman), "podman");
  assert_null (workload_engine (a));
}

static void
test_root_engine (void **state)
{
  const char *ns = NULL;

  (void)state;
  assert_string_equal (report_root_engine ("/run/runc", &ns), "runc");
  assert_string_equal (report_root_engine ("/run/crun", &ns), "crun");
  assert_string_equal (report_root_engine ("/run/docker/runtime-runc/moby", &ns), "docker");
  assert_string_equal (report_root_engine ("/var/run/dockerx/runtime-runc/moby", &ns), "docker");
  assert_string_equal (report_root_engine ("/run/containerd/runc/k8s.io", &ns), "containerd");
  assert_string_equal (ns, "k8s.io");
  assert_null (report_root_engine ("/tmp/state", &ns));
  assert_null (ns);
  assert_null (report_root_engine ("/run/runc/x", &ns));
}

/* The roots an engine passed as --root are found through ocigate's records (the parent of each
 * record's state directory), once each; a record another user could have written is not.  */
static void
test_record_roots (void **state)
{
  const char *saved = record_run_dir;
  cleanup_free char *run = NULL;
  cleanup_error ocg_error_t err = NULL;
  const struct runtime rt = { .path = (char *)"/usr/sbin/runc", .flavor = RUNTIME_RUNC };
  struct runc_invocation a = { .root = "/run/x/moby", .container_id = "c1" };
  struct runc_invocation b = { .root = "/run/x/moby", .container_id = "c2" };
  struct runc_invocation c = { .container_id = "c3" };
  cleanup_strv char **roots = NULL;

  (void)state;
  if (!have_root ())
    return;
  run = xasprintf ("%s/run", scratch_dir);
  assert_int_equal (mkdir (run, 0700), 0);
  record_run_dir = run;
  assert_int_equal (record_write (&a, &rt, &err), 0);
  assert_int_equal (record_write (&b, &rt, &err), 0);
  assert_int_equal (record_write (&c, &rt, &err), 0);
  free (scratch_put (run, "containers/0000000000000000-evil",
                     "ocigate runtime record 1\nruntime /x\nstate /evil/root/x\n", 0666));
  roots = report_record_roots ();
  record_run_dir = saved;
  assert_int_equal (strv_length ((const char *const *)roots), 2);
  assert_true (strv_contains ((const char *const *)roots, "/run/x/moby"));
  assert_true (strv_contains ((const char *const *)roots, "/run/runc"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_record_tolerant),
    cmocka_unit_test (test_summary_counts),
    cmocka_unit_test_setup_teardown (test_suggestion_applies, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_suggestion_empty, scratch_setup, scratch_teardown),
    cmocka_unit_test (test_workload),
    cmocka_unit_test (test_root_engine),
    cmocka_unit_test_setup_teardown (test_record_roots, scratch_setup, scratch_teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
