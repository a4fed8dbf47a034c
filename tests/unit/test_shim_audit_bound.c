/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the audit record's bound (shim/audit.c) and the syslog sink (audit_sink.c): a
 * string cut for the bound fits and never splits a UTF-8 sequence, a patch value too long is
 * written as its length and digest, an oversized decision gives a record within the bound that
 * is still JSON and says what it left out, and the syslog sink sends one datagram, authpriv, to a
 * socket the test binds.  No root needed.  */
#include <config.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <yajl/yajl_gen.h>

#include "audit.h"
#include "engine.h"
#include "json.h"
#include "policy.h"
#include "record_asserts.h"
#include "scratch.h"
#include "sha256.h"
#include "spec.h"
#include "util.h"

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

/* A string cut for the bound: what yajl writes for it fits, the marker says how much was cut, and
 * no UTF-8 sequence is split.  */
static void
test_cut_string (void **state)
{
  cleanup_free char *euro = NULL;
  cleanup_free char *ctl = NULL;
  cleanup_free char *s = xstrdup ("");

  (void)state;
  assert_null (json_cut_string ("short", 64));
  for (int i = 0; i < 40; i++)
    {
      char *more = xasprintf ("%s\xe2\x82\xac", s); /* U+20AC, three bytes */
      free (s);
      s = more;
    }
  euro = json_cut_string (s, 64);
  assert_non_null (euro);
  assert_true (json_escaped_length (euro) <= 64);
  assert_true (json_utf8_valid (euro, strlen (euro)));
  assert_non_null (strstr (euro, "...["));
  rec_assert_matches (euro, "^(\xe2\x82\xac)+\\.\\.\\.\\[[0-9]+ bytes cut\\]$");
  /* A control character is written as \u00XX: six bytes each.  */
  ctl = json_cut_string ("\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01", 40);
  assert_non_null (ctl);
  assert_true (json_escaped_length (ctl) <= 40);
  assert_string_equal (ctl, "\x01\x01\x01...[13 bytes cut]"); /* 3 * 6 + 17 <= 40 */
}

/* The compact JSON text of a tree, as the patch digest is taken of it.  */
static char *
compact (const struct json_node *v)
{
  cleanup_yajl_gen yajl_gen g = json_gen_new (false);
  const unsigned char *buf = NULL;
  size_t len = 0;

  assert_int_equal (json_gen_value (g, v), 0);
  assert_int_equal (yajl_gen_get_buf (g, &buf, &len), yajl_gen_status_ok);
  return xstrndup ((const char *)buf, len);
}

/* A value as long as an injected seccomp profile, in every record that gets one: its length and
 * digest instead, and no `value`, so applying the patch fails rather than setting something
 * else.  `ocigate check` (whole) keeps it.  */
static void
test_record_patch_value_digest (void **state)
{
  cleanup_policy struct policy *policy = policy_builtin ("baseline");
  cleanup_error ocg_error_t err = NULL;
  cleanup_spec struct spec *spec
      = spec_load_buffer (config, strlen (config), "config.json", SPEC_CONFIG, &err);
  struct json_node *big = json_new_array ();
  cleanup_free char *text = NULL;
  cleanup_free char *line = NULL;
  cleanup_free char *whole = NULL;
  cleanup_json struct json_node *record = NULL;
  struct decision d = { .verdict = VERDICT_REWRITE };
  struct audit_subject subject = { .verb = "create" };
  const struct json_node *op;
  char hex[SHA256_HEX_SIZE];

  (void)state;
  for (int i = 0; i < 400; i++)
    json_arr_append (big, json_new_string ("syscall"));
  text = compact (big);
  sha256_hex (text, strlen (text), hex);
  assert_int_equal (spec_set (spec, "/linux/seccomp", big, &err), 0);
  assert_int_equal (spec_set (spec, "/process/noNewPrivileges", json_new_bool (true), &err), 0);
  line = audit_record (&subject, policy, spec, &d, false, &err);
  record = rec_parse (line);
  op = json_obj_get (record, "patch")->items[0];
  rec_assert_keys (op, "op,path,value_bytes,value_sha256");
  assert_int_equal (strtoul (json_obj_get (op, "value_bytes")->text, NULL, 10), strlen (text));
  assert_string_equal (json_obj_get (op, "value_sha256")->text, hex);
  rec_assert_json_equal (
      json_obj_get (record, "patch")->items[1],
      "{\"op\": \"add\", \"path\": \"/process/noNewPrivileges\", \"value\": true}");
  rec_assert_json_equal (json_obj_get (record, "truncated"), "true");
  assert_null (json_obj_get (record, "omitted"));
  subject.whole = true;
  whole = audit_record (&subject, policy, spec, &d, false, &err);
  json_free (record);
  record = rec_parse (whole);
  rec_assert_keys (json_obj_get (record, "patch")->items[0], "op,path,value");
  assert_null (json_obj_get (record, "truncated"));
}

/* A string of `n` bytes of `c`.  */
static char *
filled (size_t n, char c)
{
  char *s = xmalloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';
  return s;
}

/* An oversized decision: every string huge (control characters, written six bytes each),
 * hundreds of findings, exemptions and patch operations, long values.  */
struct oversized
{
  struct policy *policy;
  struct spec *spec;
  struct decision d;
  char *huge, *ctl;
  char **names;
};

static const char *const workload_keys[] = {
  "io.kubernetes.cri.sandbox-namespace",
  "io.kubernetes.cri.sandbox-name",
  "io.kubernetes.cri.sandbox-uid",
  "io.kubernetes.cri.container-name",
  "io.kubernetes.cri.container-type",
  "io.kubernetes.cri.image-name",
  "io.kubernetes.pod.namespace",
  "io.kubernetes.pod.name",
  "io.kubernetes.pod.uid",
  "io.kubernetes.container.name",
};

static void
oversized_build (struct oversized *o)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *ann = json_new_object ();
  static const char *const ids[] = { "privileged", "capabilities", "root-user", "resource-limits" };
  struct findings *lists[] = { &o->d.denied, &o->d.fixed, &o->d.warned, &o->d.noted };

  o->policy = policy_builtin ("baseline");
  o->huge = filled (20000, 'x');
  o->ctl = filled (20000, '\x01');
  o->spec = spec_load_buffer (config, strlen (config), "config.json", SPEC_CONFIG, &err);
  /* Every key of the workload, each value written six bytes a byte.  */
  for (size_t i = 0; i < ARRAY_SIZE (workload_keys); i++)
    json_obj_set (ann, workload_keys[i], json_new_string (o->ctl));
  assert_int_equal (spec_set (o->spec, "/annotations", ann, &err), 0);
  for (int i = 0; i < 400; i++)
    {
      cleanup_free char *key = xasprintf ("/annotations/%d%s", i, i == 0 ? o->ctl : "");
      assert_int_equal (spec_set (o->spec, key, json_new_string (o->huge), &err), 0);
    }
  o->d.verdict = VERDICT_DENY;
  for (size_t l = 0; l < ARRAY_SIZE (lists); l++)
    for (int i = 0; i < 400; i++)
      add (lists[l], ids[l], i % 2 ? o->ctl : "/p", o->huge, l == 3);
  o->names = xzalloc (1001 * sizeof (char *));
  for (int i = 0; i < 1000; i++)
    o->names[i] = xasprintf ("exemption-%d", i);
}

static void
oversized_free (struct oversized *o)
{
  policy_free (o->policy);
  spec_free (o->spec);
  decision_release (&o->d);
  free (o->huge);
  free (o->ctl);
  strv_free (o->names);
}

/* Never above the bound, always JSON, and it says what it left out.  */
static void
test_record_bound (void **state)
{
  struct oversized o = { 0 };
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *line = NULL;
  cleanup_free char *perr = NULL;
  cleanup_json struct json_node *record = NULL;
  cleanup_json struct json_node *perr_record = NULL;
  const struct json_node *omitted;

  (void)state;
  oversized_build (&o);
  {
    const char *const notes[] = { o.huge, o.ctl, NULL };
    struct audit_subject subject = { .verb = "create",
                                     .container_id = o.ctl,
                                     .document = o.huge,
                                     .runtime = o.ctl,
                                     .exemptions = (const char *const *)o.names,
                                     .error = o.huge,
                                     .notes = notes };
    line = audit_record (&subject, o.policy, o.spec, &o.d, false, &err);
  }
  assert_non_null (line);
  assert_true (strlen (line) <= AUDIT_RECORD_MAX);
  record = rec_parse (line);
  rec_assert_stamp (record);
  rec_assert_json_equal (json_obj_get (record, "truncated"), "true");
  omitted = json_obj_get (record, "omitted");
  rec_assert_keys (omitted, "exemptions,denied,rewritten,warned,notes,patch");
  assert_int_equal (strtoul (json_obj_get (omitted, "exemptions")->text, NULL, 10)
                        + json_obj_get (record, "exemptions")->n,
                    1000);
  assert_int_equal (strtoul (json_obj_get (omitted, "notes")->text, NULL, 10)
                        + json_obj_get (record, "notes")->n,
                    402);
  assert_int_equal (strtoul (json_obj_get (omitted, "patch")->text, NULL, 10)
                        + json_obj_get (record, "patch")->n,
                    401);
  assert_non_null (strstr (json_obj_get (record, "container")->text, " bytes cut]"));
  assert_int_equal (json_obj_get (record, "workload")->n, ARRAY_SIZE (workload_keys));
  assert_string_equal (json_obj_get (record, "verdict")->text, "error");
  perr = audit_policy_error_record (o.huge, o.ctl, o.huge, o.ctl, o.huge, &err);
  assert_true (strlen (perr) <= AUDIT_RECORD_MAX);
  perr_record = rec_parse (perr);
  rec_assert_json_equal (json_obj_get (perr_record, "truncated"), "true");
  oversized_free (&o);
}

/* The syslog sink: one datagram to the socket, facility authpriv, ident ocigate, the record as
 * the message; a socket nobody reads is an error (the caller fails closed).  */
static void
test_syslog_sink (void **state)
{
  cleanup_free char *sock = xasprintf ("%s/log.sock", scratch_dir);
  cleanup_free char *dest = xasprintf ("syslog:%s", sock);
  cleanup_close int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  cleanup_error ocg_error_t err = NULL;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  char buf[AUDIT_RECORD_MAX + 256];
  ssize_t n;

  (void)state;
  assert_string_equal (audit_syslog_socket ("syslog"), "/dev/log");
  assert_string_equal (audit_syslog_socket (dest), sock);
  assert_null (audit_syslog_socket ("/var/log/syslog"));
  assert_int_equal (audit_check_writable (dest, &err), -1); /* nobody listens yet */
  ocg_error_free (&err);
  assert_int_equal (audit_write (dest, "{\"n\":1}", true, &err), -1);
  ocg_error_free (&err);
  memcpy (addr.sun_path, sock, strlen (sock) + 1);
  assert_int_equal (bind (fd, (struct sockaddr *)&addr, sizeof (addr)), 0);
  assert_int_equal (audit_check_writable (dest, &err), 0);
  assert_int_equal (audit_write (dest, "{\"n\":1}", true, &err), 0);
  assert_int_equal (audit_write (dest, "{\"n\":2}", false, &err), 0);
  n = recv (fd, buf, sizeof (buf) - 1, 0);
  assert_true (n > 0);
  buf[n] = '\0';
  /* <PRI> = authpriv (10) * 8 + warning (4) = 84, then info (6) = 86.  */
  rec_assert_matches (
      buf, "^<84>[A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} ocigate\\[[0-9]+\\]: "
           "\\{\"n\":1\\}$");
  n = recv (fd, buf, sizeof (buf) - 1, 0);
  assert_true (n > 0);
  buf[n] = '\0';
  rec_assert_matches (buf, "^<86>.* ocigate\\[[0-9]+\\]: \\{\"n\":2\\}$");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_cut_string),
    cmocka_unit_test (test_record_patch_value_digest),
    cmocka_unit_test (test_record_bound),
    cmocka_unit_test_setup_teardown (test_syslog_sink, scratch_setup, scratch_teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
