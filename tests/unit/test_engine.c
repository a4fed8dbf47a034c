/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/engine/engine.c: evaluation order, every violation listed, the four
 * actions, audit mode, idempotent rewrites, the post-rewrite re-check, errors from rules, kinds,
 * and the exact shape of the denial line.
 *
 * The engine reads its rules from rules_table(); this program defines its own rules_table() and
 * rules_find() with small test rules keyed on annotations, so policy/engine/rules.c (and the real
 * rules) are never linked in: the linker takes the registry from here instead of libocigate.a.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine.h"
#include "fake_host.h"
#include "util.h"

/* ---- test rules: each looks at one annotation ---- */

static bool
annotation (const struct spec *spec, const char *key, const char **value)
{
  cleanup_free char *ptr = spec_ptr_join ("/annotations", key);
  const char *v = NULL;
  bool found = spec_get_string (spec, ptr, &v);

  if (value != NULL)
    *value = v;
  return found;
}

/* How many times each counted rule was checked (test_unchanged_document_not_checked_again).  */
static unsigned n_deny_checks, n_fix_checks;

/* t-deny: annotation "deny" present -> non-fixable finding.  */
static int
t_deny_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const char *v = NULL;

  (void)err;
  n_deny_checks++;
  if (annotation (ctx->spec, "deny", &v))
    finding_add (out, ctx, "/annotations/deny", false, "deny says `%s`", v);
  return 0;
}

/* t-fix: annotation "fix" not "done" -> fixable; rewrite sets "done".  */
static int
t_fix_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const char *v = NULL;

  (void)err;
  n_fix_checks++;
  if (annotation (ctx->spec, "fix", &v) && !str_eq (v, "done"))
    finding_add (out, ctx, "/annotations/fix", true, "fix is `%s`", v);
  return 0;
}

static int
t_fix_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  (void)ctx;
  return spec_set (spec, "/annotations/fix", json_new_string ("done"), err);
}

/* t-after: once fix is "done", wants "after" = "yes": proves a later rewrite sees the document the
 * earlier rewrites left (table order), even though it found nothing in the first pass.  */
static int
t_after_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const char *v = NULL;

  (void)err;
  if (annotation (ctx->spec, "fix", &v) && str_eq (v, "done")
      && !annotation (ctx->spec, "after", NULL))
    finding_add (out, ctx, "/annotations/after", true, "after is missing");
  return 0;
}

static int
t_after_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  (void)ctx;
  return spec_set (spec, "/annotations/after", json_new_string ("yes"), err);
}

static int
t_warn_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)err;
  if (annotation (ctx->spec, "warn", NULL))
    finding_add (out, ctx, "/annotations/warn", false, "warn is set");
  return 0;
}

/* t-broken: claims it can fix "broken", but its rewrite changes nothing.  */
static int
t_broken_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)err;
  if (annotation (ctx->spec, "broken", NULL))
    finding_add (out, ctx, "/annotations/broken", true, "broken is set");
  return 0;
}

static int
t_broken_rewrite (const struct rule_ctx *ctx, struct spec *spec, ocg_error_t *err)
{
  (void)ctx;
  (void)spec;
  (void)err;
  return 0;
}

static int
t_error_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)out;
  if (annotation (ctx->spec, "error", NULL))
    return ocg_error_set (err, 0, "cannot judge `%s`", "error");
  return 0;
}

/* t-config: config documents only.  */
static int
t_config_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  (void)err;
  finding_add (out, ctx, "", false, "config only");
  return 0;
}

/* t-watch: annotation "watch" present and "after" = "yes" -> non-fixable finding: a violation
 * that only t-after's rewrite creates, which only the recheck can see.  */
static int
t_watch_check (const struct rule_ctx *ctx, struct findings *out, ocg_error_t *err)
{
  const char *v = NULL;

  (void)err;
  if (annotation (ctx->spec, "watch", NULL) && annotation (ctx->spec, "after", &v)
      && str_eq (v, "yes"))
    finding_add (out, ctx, "/annotations/watch", false, "watch sees after");
  return 0;
}

#define ALL_KINDS (RULE_KIND (SPEC_CONFIG) | RULE_KIND (SPEC_PROCESS))

/* Not const: test_declared_reads_skip_recheck gives it a `.reads`.  */
static struct rule t_deny
    = { "t-deny", "deny", "5.5", "privileged", "stop denying", ALL_KINDS, t_deny_check, NULL,
        NULL,     0,      0,     NULL };
static const struct rule t_fix = { "t-fix",
                                   "fix",
                                   "5.10, 5.16",
                                   "hostNamespaces",
                                   "fix it",
                                   ALL_KINDS,
                                   t_fix_check,
                                   t_fix_rewrite,
                                   NULL,
                                   0,
                                   0,
                                   NULL };
static const struct rule t_after = { "t-after",     "after",         NULL, "x", NULL, ALL_KINDS,
                                     t_after_check, t_after_rewrite, NULL, 0,   0,    NULL };
static const struct rule t_warn = { "t-warn",     "warn", "4.1", NULL, "warn hint", ALL_KINDS,
                                    t_warn_check, NULL,   NULL,  0,    0,           NULL };
static const struct rule t_broken = { "t-broken",     "broken",         NULL, NULL, NULL, ALL_KINDS,
                                      t_broken_check, t_broken_rewrite, NULL, 0,    0,    NULL };
static const struct rule t_error
    = { "t-error", "error", NULL, NULL, NULL, ALL_KINDS, t_error_check, NULL, NULL, 0, 0, NULL };
static const struct rule t_watch
    = { "t-watch", "watch", NULL, NULL, NULL, ALL_KINDS, t_watch_check, NULL, NULL, 0, 0, NULL };
static const struct rule t_config
    = { "t-config",     "config", NULL, NULL, NULL, RULE_KIND (SPEC_CONFIG),
        t_config_check, NULL,     NULL, 0,    0,    NULL };

enum
{
  I_DENY,
  I_FIX,
  I_AFTER,
  I_WARN,
  I_BROKEN,
  I_ERROR,
  I_CONFIG,
  I_WATCH,
  N_RULES
};

static const struct rule *const test_rules[N_RULES]
    = { &t_deny, &t_fix, &t_after, &t_warn, &t_broken, &t_error, &t_config, &t_watch };

const struct rule *const *
rules_table (size_t *count)
{
  *count = N_RULES;
  return test_rules;
}

const struct rule *
rules_find (const char *id, size_t *index)
{
  for (size_t i = 0; i < N_RULES; i++)
    if (str_eq (test_rules[i]->id, id))
      {
        if (index)
          *index = i;
        return test_rules[i];
      }
  return NULL;
}

/* ---- fixtures ---- */

struct env
{
  struct host_facts host;
  struct policy policy;
  enum rule_action actions[N_RULES];
  void *params[N_RULES]; /* the test rules have no parameters */
  struct decision d;
  struct spec *spec;
};

static int
setup (void **state)
{
  struct env *e = xzalloc (sizeof (*e));

  fake_host_init (&e->host);
  e->policy.name = (char *)"baseline";
  e->policy.mode = MODE_ENFORCE;
  e->policy.actions = e->actions;
  e->policy.params = e->params;
  e->actions[I_DENY] = ACTION_DENY;
  e->actions[I_FIX] = ACTION_REWRITE;
  e->actions[I_AFTER] = ACTION_REWRITE;
  e->actions[I_WARN] = ACTION_WARN;
  e->actions[I_BROKEN] = ACTION_OFF;
  e->actions[I_ERROR] = ACTION_DENY;
  e->actions[I_CONFIG] = ACTION_OFF;
  e->actions[I_WATCH] = ACTION_OFF;
  *state = e;
  return 0;
}

static int
teardown (void **state)
{
  struct env *e = *state;

  decision_release (&e->d);
  spec_free (e->spec);
  free (e);
  return 0;
}

static struct spec *
load (struct env *e, const char *json, enum spec_kind kind)
{
  ocg_error_t err = NULL;
  struct spec *s = spec_load_buffer (json, strlen (json), "test.json", kind, &err);

  if (s == NULL)
    fail_msg ("load: %s", err ? err->msg : "?");
  spec_free (e->spec);
  e->spec = s;
  return s;
}

#define CONFIG(annotations)                                                                        \
  "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"cwd\":\"/\","           \
  "\"args\":[\"sh\"]},\"annotations\":{" annotations "}}"

static int
evaluate (struct env *e, ocg_error_t *err)
{
  decision_release (&e->d);
  return engine_evaluate (&e->policy, &e->host, NULL, e->spec, &e->d, err);
}

static bool
lists (const struct findings *f, const struct rule *r)
{
  for (size_t i = 0; i < f->n; i++)
    if (f->items[i].rule == r)
      return true;
  return false;
}

/* ---- tests ---- */

static void
test_all_violations_listed_and_nothing_changed (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;

  load (e, CONFIG ("\"deny\":\"a\",\"fix\":\"b\",\"warn\":\"c\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_DENY);
  assert_true (lists (&e->d.denied, &t_deny));
  assert_true (lists (&e->d.fixed, &t_fix));
  assert_true (lists (&e->d.warned, &t_warn));
  assert_int_equal (e->d.denied.n, 1);
  assert_string_equal (e->d.denied.items[0].path, "/annotations/deny");
  /* A denied document is never rewritten.  */
  assert_int_equal (e->spec->n_ops, 0);
}

static void
test_rewrite_in_table_order_and_idempotent (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;
  const char *v = NULL;

  load (e, CONFIG ("\"fix\":\"b\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_REWRITE);
  assert_int_equal (e->d.fixed.n, 1);
  assert_true (spec_get_string (e->spec, "/annotations/fix", &v));
  assert_string_equal (v, "done");
  assert_true (spec_get_string (e->spec, "/annotations/after", &v));
  assert_string_equal (v, "yes");
  assert_int_equal (e->spec->n_ops, 2);
  /* Second pass over the result: nothing to do, nothing recorded.  */
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_ALLOW);
  assert_int_equal (e->d.fixed.n + e->d.denied.n + e->d.warned.n, 0);
  assert_int_equal (e->spec->n_ops, 2);
}

static void
test_audit_mode_changes_nothing (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;
  struct json_node *before;

  load (e, CONFIG ("\"fix\":\"b\",\"warn\":\"c\""), SPEC_CONFIG);
  before = json_clone (e->spec->root);
  e->policy.mode = MODE_AUDIT;
  assert_int_equal (evaluate (e, &err), 0);
  /* The verdict says what enforce would do ...  */
  assert_int_equal (e->d.verdict, VERDICT_REWRITE);
  assert_true (lists (&e->d.fixed, &t_fix));
  assert_true (lists (&e->d.warned, &t_warn));
  /* ... and the document is untouched.  */
  assert_int_equal (e->spec->n_ops, 0);
  assert_true (json_equal (before, e->spec->root));
  load (e, CONFIG ("\"deny\":\"a\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_DENY);
  json_free (before);
}

static void
test_actions (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;

  load (e, CONFIG ("\"deny\":\"a\",\"fix\":\"b\""), SPEC_CONFIG);
  /* off: the rule is not even checked.  */
  e->actions[I_DENY] = ACTION_OFF;
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_REWRITE);
  assert_false (lists (&e->d.denied, &t_deny) || lists (&e->d.warned, &t_deny));
  /* warn: recorded, never denies.  */
  e->actions[I_DENY] = ACTION_WARN;
  load (e, CONFIG ("\"deny\":\"a\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_ALLOW);
  assert_true (lists (&e->d.warned, &t_deny));
  /* rewrite on a finding the rule cannot fix: denied.  */
  e->actions[I_DENY] = ACTION_REWRITE;
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_DENY);
  assert_true (lists (&e->d.denied, &t_deny));
  /* deny on a fixable finding: denied, not fixed.  */
  e->actions[I_DENY] = ACTION_OFF;
  e->actions[I_FIX] = ACTION_DENY;
  load (e, CONFIG ("\"fix\":\"b\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_DENY);
  assert_true (lists (&e->d.denied, &t_fix));
  assert_int_equal (e->spec->n_ops, 0);
}

static void
test_recheck_catches_broken_rewrite (void **state)
{
  struct env *e = *state;
  cleanup_error ocg_error_t err = NULL;

  e->actions[I_BROKEN] = ACTION_REWRITE;
  load (e, CONFIG ("\"broken\":\"x\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), -1);
  assert_non_null (err);
  assert_non_null (strstr (err->msg, "rule `t-broken` still finds a violation"));
  assert_non_null (strstr (err->msg, "broken is set"));
}

/* A rule is not checked again while the document is what it checked (spec->n_ops unchanged): the
 * rewrite pass takes t-fix's first answer; every rule is checked again once a rewrite changed the
 * document.  */
static void
test_unchanged_document_not_checked_again (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;

  load (e, CONFIG ("\"fix\":\"b\""), SPEC_CONFIG);
  n_deny_checks = n_fix_checks = 0;
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_REWRITE);
  /* check, recheck: the rewrite pass reused the first answer.  */
  assert_int_equal (n_fix_checks, 2);
  /* check, then recheck after the rewrites changed the document.  */
  assert_int_equal (n_deny_checks, 2);
  /* Nothing to rewrite: every rule checked once.  */
  load (e, CONFIG ("\"other\":\"b\""), SPEC_CONFIG);
  n_deny_checks = n_fix_checks = 0;
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_ALLOW);
  assert_int_equal (n_fix_checks, 1);
  assert_int_equal (n_deny_checks, 1);
}

/* A rule that found nothing before the rewrites is checked again after them: t-after's rewrite
 * creates what t-watch denies.  */
static void
test_recheck_sees_violation_a_rewrite_made (void **state)
{
  struct env *e = *state;
  cleanup_error ocg_error_t err = NULL;

  e->actions[I_WATCH] = ACTION_DENY;
  load (e, CONFIG ("\"fix\":\"b\",\"watch\":\"1\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), -1);
  assert_non_null (err);
  assert_non_null (strstr (err->msg, "rule `t-watch` still finds a violation"));
}

/* A rule that declares what it reads is not checked again when the rewrites touched none of it
 * (t-fix and t-after write /annotations/fix and /annotations/after), and is when one did; an exec
 * process document is always checked again.  */
static void
test_declared_reads_skip_recheck (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;
  static const char *const own[] = { "/annotations/deny", NULL };
  static const char *const all[] = { "/annotations", NULL };

  t_deny.reads = own;
  load (e, CONFIG ("\"fix\":\"b\""), SPEC_CONFIG);
  n_deny_checks = 0;
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_REWRITE);
  assert_int_equal (n_deny_checks, 1);
  t_deny.reads = all;
  load (e, CONFIG ("\"fix\":\"b\""), SPEC_CONFIG);
  n_deny_checks = 0;
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (n_deny_checks, 2);
  t_deny.reads = NULL;
}

static void
test_rule_error_propagates (void **state)
{
  struct env *e = *state;
  cleanup_error ocg_error_t err = NULL;

  load (e, CONFIG ("\"error\":\"x\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), -1);
  assert_string_equal (err->msg, "rule `t-error`: cannot judge `error`");
}

static void
test_kinds (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;

  e->actions[I_CONFIG] = ACTION_DENY;
  load (e, "{\"cwd\":\"/\",\"args\":[\"sh\"]}", SPEC_PROCESS);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_ALLOW);
  load (e, CONFIG (""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  assert_int_equal (e->d.verdict, VERDICT_DENY);
  assert_true (lists (&e->d.denied, &t_config));
}

static void
test_denial_message_format (void **state)
{
  struct env *e = *state;
  ocg_error_t err = NULL;
  cleanup_free char *msg = NULL;

  e->actions[I_FIX] = ACTION_DENY;
  e->actions[I_WARN] = ACTION_DENY;
  load (e, CONFIG ("\"deny\":\"a\",\"fix\":\"b\",\"warn\":\"c\""), SPEC_CONFIG);
  assert_int_equal (evaluate (e, &err), 0);
  msg = decision_denial_message (&e->policy, &e->d);
  assert_string_equal (msg, "denied by policy \"baseline\": t-deny (CIS Docker 1.6.0 5.5, PSS "
                            "privileged): deny says `a`; t-fix (CIS Docker 1.6.0 5.10, 5.16, PSS "
                            "hostNamespaces): fix is `b`; t-warn (CIS Docker 1.6.0 4.1): warn is "
                            "set; hint: stop denying; fix it; warn hint");
}

/* Several findings of one rule share its head; no control character survives; the line is
 * bounded and says how many findings it left out.  */
static void
test_denial_message_grouping_and_bounds (void **state)
{
  struct env *e = *state;
  struct decision d = { .verdict = VERDICT_DENY };
  const struct rule_ctx ctx = { .rule = &t_deny };
  cleanup_free char *msg = NULL;
  cleanup_free char *big = NULL;
  char *more;

  finding_add (&d.denied, &ctx, "", false, "first");
  finding_add (&d.denied, &ctx, "", false, "second\nline");
  msg = decision_denial_message (&e->policy, &d);
  assert_string_equal (msg, "denied by policy \"baseline\": t-deny (CIS Docker 1.6.0 5.5, PSS "
                            "privileged): first, second?line; hint: stop denying");
  findings_clear (&d.denied);
  big = xmalloc (301);
  memset (big, 'x', 300);
  big[300] = '\0';
  for (int i = 0; i < 20; i++)
    finding_add (&d.denied, &ctx, "", false, "%d %s", i, big);
  free (msg);
  msg = decision_denial_message (&e->policy, &d);
  assert_null (strchr (msg, '\n'));
  assert_true (strlen (msg) < 1400);
  more = strstr (msg, "\xe2\x80\xa6(");
  assert_non_null (more);
  assert_non_null (strstr (more, " more); hint: stop denying"));
  findings_clear (&d.denied);
}

/* A message built from a huge document value is cut at a UTF-8 boundary.  */
static void
test_finding_message_bounded (void **state)
{
  struct findings f = { 0 };
  const struct rule_ctx ctx = { .rule = &t_deny };
  cleanup_free char *big = xmalloc (4001);

  (void)state;
  for (int i = 0; i < 2000; i++)
    memcpy (big + 2 * i, "\xc3\xa9", 2);
  big[4000] = '\0';
  finding_add (&f, &ctx, NULL, false, "value `%s`", big);
  assert_true (strlen (f.items[0].message) <= 480);
  assert_string_equal (f.items[0].path, "");
  assert_non_null (strstr (f.items[0].message, "\xc3\xa9\xe2\x80\xa6"));
  findings_clear (&f);
  assert_int_equal (f.n, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_all_violations_listed_and_nothing_changed, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_rewrite_in_table_order_and_idempotent, setup, teardown),
    cmocka_unit_test_setup_teardown (test_audit_mode_changes_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_actions, setup, teardown),
    cmocka_unit_test_setup_teardown (test_recheck_catches_broken_rewrite, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unchanged_document_not_checked_again, setup, teardown),
    cmocka_unit_test_setup_teardown (test_recheck_sees_violation_a_rewrite_made, setup, teardown),
    cmocka_unit_test_setup_teardown (test_declared_reads_skip_recheck, setup, teardown),
    cmocka_unit_test_setup_teardown (test_rule_error_propagates, setup, teardown),
    cmocka_unit_test_setup_teardown (test_kinds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_denial_message_format, setup, teardown),
    cmocka_unit_test_setup_teardown (test_denial_message_grouping_and_bounds, setup, teardown),
    cmocka_unit_test (test_finding_message_bounded),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
