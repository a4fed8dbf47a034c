/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd/check_report.c and cmd/check_sarif.c: the formats of judged documents -- text grouped by
 * denied, rewritten, warned and notes, colour only when asked, SARIF results naming their rule by
 * id and index at the line and column of their JSON Pointer, URIs relative as given.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_report.h"
#include "check_sarif.h"
#include "engine.h"
#include "json.h"
#include "util.h"

static const char source[] = "{\n  \"process\": {\n    \"args\": [\"sh\"]\n  },\n"
                             "  \"mounts\": [\n    {\"source\": \"/etc\"}\n  ]\n}\n";

struct fixture
{
  struct json_node *original;
  struct policy *policy;
  struct decision decision;
};

static void
add (struct findings *l, const char *rule, const char *path, const char *message, bool note)
{
  size_t idx = 0;
  struct rule_ctx ctx = { .rule = rules_find (rule, &idx) };

  assert_non_null (ctx.rule);
  if (note)
    note_add (l, &ctx, path, "%s", message);
  else
    finding_add (l, &ctx, path, false, "%s", message);
}

static void
fixture_init (struct fixture *f)
{
  cleanup_error ocg_error_t err = NULL;

  memset (f, 0, sizeof (*f));
  f->original = json_parse (source, strlen (source), NULL, &err);
  assert_non_null (f->original);
  f->policy = policy_builtin ("baseline");
  f->decision.verdict = VERDICT_DENY;
  add (&f->decision.denied, "sensitive-mounts", "/mounts/0", "bind of `/etc`", false);
  add (&f->decision.fixed, "no-new-privileges", "/process/noNewPrivileges", "may gain", false);
  add (&f->decision.noted, "rootfs", "/root/path", "on the node", true);
}

static void
fixture_release (struct fixture *f)
{
  json_free (f->original);
  policy_free (f->policy);
  decision_release (&f->decision);
}

static char *
write_report (const struct fixture *f, enum out_format format, bool color)
{
  const struct check_item item = { .display = "deploy/my config.json",
                                   .file = "deploy/my config.json",
                                   .original = f->original,
                                   .policy = f->policy,
                                   .decision = &f->decision,
                                   .status = 1 };
  const struct check_report_options opts = { .tool = "ocigate check", .color = color };
  cleanup_error ocg_error_t err = NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);

  assert_int_equal (check_report_write (out, format, &item, 1, &opts, &err), 0);
  fclose (out);
  return buf;
}

static void
test_text (void **state)
{
  struct fixture f;
  cleanup_free char *plain = NULL;
  cleanup_free char *colour = NULL;

  (void)state;
  fixture_init (&f);
  plain = write_report (&f, OUT_TEXT, false);
  assert_non_null (strstr (plain, "deploy/my config.json: denied (profile baseline, enforce mode; "
                                  "1 denied, 1 rewritten, 0 warned, 1 notes)\n"
                                  "  denied\n"
                                  "    sensitive-mounts  CIS 5.6, 5.32  PSS hostPathVolumes  "
                                  "/mounts/0 (line 6, column 5)\n"
                                  "      bind of `/etc`\n      hint: "));
  /* A missing member: its nearest parent, `"process": {` at line 2 column 14.  */
  assert_non_null (strstr (plain, "  rewritten\n    no-new-privileges  CIS 5.26  PSS "
                                  "allowPrivilegeEscalation  /process/noNewPrivileges (line 2, "
                                  "column 14)\n"));
  assert_non_null (strstr (plain, "  notes\n    rootfs"));
  assert_null (strchr (plain, '\033'));
  colour = write_report (&f, OUT_TEXT, true);
  assert_non_null (strstr (colour, "\033[1;31mdenied\033[0m"));
  fixture_release (&f);
}

static const struct json_node *
member (const struct json_node *n, const char *ptr)
{
  const struct json_node *at = json_pointer_nearest (n, ptr);

  assert_non_null (at);
  return at;
}

static void
test_sarif (void **state)
{
  struct fixture f;
  cleanup_free char *text = NULL;
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *log = NULL;
  const struct json_node *run, *results, *rules, *r0;
  cleanup_free char *index = NULL, *id_ptr = NULL, *cis_ptr = NULL;
  size_t idx = 0;

  (void)state;
  fixture_init (&f);
  text = write_report (&f, OUT_SARIF, false);
  log = json_parse (text, strlen (text), NULL, &err);
  assert_non_null (log);
  assert_string_equal (member (log, "/version")->text, "2.1.0");
  run = member (log, "/runs/0");
  rules = member (run, "/tool/driver/rules");
  results = member (run, "/results");
  assert_int_equal (results->n, 3);
  r0 = results->items[0];
  assert_string_equal (member (r0, "/ruleId")->text, "sensitive-mounts");
  assert_string_equal (member (r0, "/level")->text, "error");
  rules_find ("sensitive-mounts", &idx);
  index = xasprintf ("%zu", idx);
  id_ptr = xasprintf ("/%zu/id", idx);
  cis_ptr = xasprintf ("/%zu/properties/cis", idx);
  assert_string_equal (member (r0, "/ruleIndex")->text, index);
  assert_string_equal (member (rules, id_ptr)->text, "sensitive-mounts");
  assert_string_equal (member (rules, cis_ptr)->text, "5.6, 5.32");
  assert_string_equal (member (r0, "/locations/0/physicalLocation/artifactLocation/uri")->text,
                       "deploy/my%20config.json");
  assert_string_equal (member (r0, "/locations/0/physicalLocation/region/startLine")->text, "6");
  assert_string_equal (member (r0, "/locations/0/physicalLocation/region/startColumn")->text, "5");
  assert_string_equal (member (results->items[1], "/level")->text, "warning");
  assert_string_equal (member (results->items[2], "/level")->text, "note");
  fixture_release (&f);
}

static void
test_formats_and_uris (void **state)
{
  enum out_format fmt = OUT_TEXT;
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *rel = check_sarif_uri ("a b/c#d.json");
  cleanup_free char *abs = check_sarif_uri ("/srv/x.json");

  (void)state;
  assert_int_equal (out_format_parse ("sarif", &fmt, &err), 0);
  assert_int_equal (fmt, OUT_SARIF);
  assert_int_equal (out_format_parse ("json", &fmt, &err), 0);
  assert_int_equal (fmt, OUT_JSON);
  assert_int_equal (out_format_parse ("yaml", &fmt, &err), -1);
  assert_non_null (strstr (err->msg, "unknown format `yaml`"));
  ocg_error_free (&err);
  assert_int_equal (out_format_parse (NULL, &fmt, &err), -1);
  assert_string_equal (rel, "a%20b/c%23d.json");
  assert_string_equal (abs, "file:///srv/x.json");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_text),
    cmocka_unit_test (test_sarif),
    cmocka_unit_test (test_formats_and_uris),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
