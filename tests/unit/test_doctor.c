/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for `ocigate doctor`'s parts: the catalogue (unique stable ids, the CIS Docker
 * Benchmark v1.6.0 ids each check carries), the findings list and its order, the text / JSON /
 * SARIF 2.1.0 reports, the unified diff, SHA-256, telling ocigate from its copies, reading a
 * daemon's command line, and the changeset's all-or-nothing apply.  */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "binid.h"
#include "changeset.h"
#include "doctor_report.h"
#include "fsutil.h"
#include "findings.h"
#include "hostproc.h"
#include "json.h"
#include "sha256.h"
#include "textdiff.h"
#include "util.h"

static void
test_catalogue (void **state)
{
  /* The recommendations the host baseline covers, as docker-bench-security v1.6.0 numbers them.  */
  static const struct
  {
    const char *id, *cis;
  } want[] = {
    { "docker.icc", "2.2" },
    { "docker.log-level", "2.3" },
    { "docker.insecure-registries", "2.5" },
    { "docker.tls", "2.7" },
    { "docker.default-ulimits", "2.8" },
    { "docker.userns-remap", "2.9" },
    { "docker.authz-plugin", "2.12" },
    { "docker.no-new-privileges", "2.14" },
    { "docker.live-restore", "2.15" },
    { "docker.userland-proxy", "2.16" },
    { "docker.experimental", "2.18" },
    { "file.etc-docker.owner", "3.5" },
    { "file.etc-docker.mode", "3.6" },
    { "file.docker-sock.owner", "3.15" },
    { "file.docker-sock.mode", "3.16" },
    { "file.daemon-json.owner", "3.17" },
    { "file.daemon-json.mode", "3.18" },
    { "file.containerd-sock.owner", "3.23" },
    { "file.containerd-sock.mode", "3.24" },
    { "file.docker-service.owner", "3.1" },
    { "audit.dockerd", "1.1.3" },
    { "audit.runc", "1.1.18" },
  };

  (void)state;
  for (size_t i = 0; i < doctor_n_checks; i++)
    {
      assert_non_null (doctor_checks[i].title);
      assert_true (strlen (doctor_checks[i].help) > 20);
      for (size_t j = i + 1; j < doctor_n_checks; j++)
        assert_string_not_equal (doctor_checks[i].id, doctor_checks[j].id);
    }
  for (size_t i = 0; i < ARRAY_SIZE (want); i++)
    assert_string_equal (doctor_check_get (want[i].id)->cis, want[i].cis);
}

static void
sample (struct findings_list *l)
{
  findings_add (l, "docker.icc", SEV_MEDIUM, "docker", "/etc/docker/daemon.json", NULL, "icc");
  findings_add (l, "drift.container", SEV_HIGH, "docker container 4f2a", "/run/docker x", NULL,
                "running \"quoted\"");
  findings_add (l, "docker.runc-path", SEV_HIGH, "docker", NULL,
                "ocigate runtime configure --engine docker --as-runc", "reaches %s",
                "/usr/sbin/runc");
  findings_add (l, "ocigate.runtime", SEV_INFO, "ocigate", NULL, NULL, "execs runc");
}

static void
test_order (void **state)
{
  struct findings_list l = { 0 };

  (void)state;
  sample (&l);
  findings_sort (&l);
  /* High first; among them the catalogue's order (routing before drift).  */
  assert_string_equal (l.items[0].check->id, "docker.runc-path");
  assert_string_equal (l.items[1].check->id, "drift.container");
  assert_string_equal (l.items[2].check->id, "docker.icc");
  assert_string_equal (l.items[3].check->id, "ocigate.runtime");
  assert_int_equal (findings_count (&l, SEV_HIGH), 2);
  findings_release (&l);
}

static struct json_node *
report (const struct findings_list *l, enum out_format f)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  cleanup_error ocg_error_t err = NULL;
  struct json_parse_opts o = { .source = "report" };
  struct json_node *t;

  assert_int_equal (doctor_report_write (out, f, l, &err), 0);
  fclose (out);
  t = json_parse (buf, len, &o, &err);
  free (buf);
  assert_non_null (t);
  return t;
}

static void
test_json_report (void **state)
{
  struct findings_list l = { 0 };
  cleanup_json struct json_node *t = NULL;
  const struct json_node *f;

  (void)state;
  sample (&l);
  findings_sort (&l);
  t = report (&l, OUT_JSON);
  assert_string_equal (json_obj_get (t, "schema")->text, "1");
  assert_string_equal (json_obj_get (json_obj_get (t, "summary"), "high")->text, "2");
  f = json_obj_get (t, "findings")->items[0];
  assert_string_equal (json_obj_get (f, "id")->text, "docker.runc-path");
  assert_string_equal (json_obj_get (f, "severity")->text, "high");
  assert_string_equal (json_obj_get (f, "fix")->text,
                       "ocigate runtime configure --engine docker --as-runc");
  assert_int_equal (json_obj_get (f, "cis")->type, JSON_NULL);
  f = json_obj_get (t, "findings")->items[2];
  assert_string_equal (json_obj_get (f, "cis")->text, "2.2");
  assert_string_equal (json_obj_get (f, "location")->text, "/etc/docker/daemon.json");
  findings_release (&l);
}

static void
test_sarif_report (void **state)
{
  struct findings_list l = { 0 };
  cleanup_json struct json_node *t = NULL;
  const struct json_node *run, *rules, *results;

  (void)state;
  sample (&l);
  findings_sort (&l);
  t = report (&l, OUT_SARIF);
  assert_string_equal (json_obj_get (t, "version")->text, "2.1.0");
  run = json_obj_get (t, "runs")->items[0];
  rules = json_obj_get (json_obj_get (json_obj_get (run, "tool"), "driver"), "rules");
  results = json_obj_get (run, "results");
  assert_int_equal (rules->n, doctor_n_checks);
  assert_int_equal (results->n, 4);
  for (size_t i = 0; i < results->n; i++)
    {
      const struct json_node *r = results->items[i];
      uint64_t idx = 0;
      assert_true (json_number_u64 (json_obj_get (r, "ruleIndex"), &idx));
      assert_string_equal (json_obj_get (rules->items[idx], "id")->text,
                           json_obj_get (r, "ruleId")->text);
    }
  assert_string_equal (json_obj_get (results->items[0], "level")->text, "error");
  assert_string_equal (json_obj_get (results->items[2], "level")->text, "warning");
  assert_string_equal (json_obj_get (results->items[3], "level")->text, "none");
  /* A location is a file URI, percent-encoded.  */
  assert_string_equal (
      json_obj_get (
          json_obj_get (json_obj_get (json_obj_get (results->items[1], "locations")->items[0],
                                      "physicalLocation"),
                        "artifactLocation"),
          "uri")
          ->text,
      "file:///run/docker%20x");
  for (size_t i = 0; i < rules->n; i++)
    {
      const struct json_node *props = json_obj_get (rules->items[i], "properties");
      assert_non_null (json_obj_get (json_obj_get (rules->items[i], "help"), "text"));
      if (doctor_checks[i].cis != NULL)
        assert_non_null (strstr (json_obj_get (props, "cis")->text, doctor_checks[i].cis));
    }
  findings_release (&l);
}

static void
test_text_report (void **state)
{
  struct findings_list l = { 0 };
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  sample (&l);
  findings_sort (&l);
  assert_int_equal (doctor_report_write (out, OUT_TEXT, &l, &err), 0);
  fclose (out);
  assert_true (str_has_prefix (buf, "ocigate doctor " PACKAGE_VERSION
                                    ": 2 high, 1 medium, 0 low, 1 info\n"));
  assert_non_null (strstr (buf, "high    docker.runc-path  [docker]\n"));
  assert_non_null (
      strstr (buf, "        fix: ocigate runtime configure --engine docker --as-runc\n"));
  assert_non_null (strstr (buf, "CIS Docker Benchmark v1.6.0 2.2:"));
  free (buf);
  findings_release (&l);
}

/* Expected outputs are GNU diff 3.8's `diff -u` on the same files.  */
static void
test_textdiff (void **state)
{
  static const char a[] = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n";
  static const char b[] = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\nnine\nten";
  static const char c[] = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nx\ny\nz\n";
  static const char d[] = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\nnine\nx\ny\nZ\n";
  cleanup_free char *merged = textdiff_unified (a, strlen (a), b, strlen (b), "old", "new");
  cleanup_free char *split = textdiff_unified (c, strlen (c), d, strlen (d), "old", "new");
  cleanup_free char *same = textdiff_unified (a, strlen (a), a, strlen (a), "old", "new");
  cleanup_free char *fresh = textdiff_unified ("", 0, "x\n", 2, "/dev/null", "new");

  (void)state;
  assert_string_equal (same, "");
  assert_string_equal (merged, "--- old\n+++ new\n@@ -1,9 +1,10 @@\n one\n two\n three\n-four\n"
                               "+FOUR\n five\n six\n seven\n eight\n nine\n+ten\n"
                               "\\ No newline at end of file\n");
  assert_string_equal (split,
                       "--- old\n+++ new\n@@ -1,7 +1,7 @@\n one\n two\n three\n-four\n"
                       "+FOUR\n five\n six\n seven\n@@ -9,4 +9,4 @@\n nine\n x\n y\n-z\n+Z\n");
  assert_string_equal (fresh, "--- /dev/null\n+++ new\n@@ -0,0 +1 @@\n+x\n");
}

static void
test_sha256 (void **state)
{
  char hex[SHA256_HEX_SIZE];
  cleanup_free char *million = xmalloc (1000000);

  (void)state;
  sha256_hex ("abc", 3, hex);
  assert_string_equal (hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  sha256_hex ("", 0, hex);
  assert_string_equal (hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  memset (million, 'a', 1000000);
  sha256_hex (million, 1000000, hex);
  assert_string_equal (hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  sha256_hex ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
  assert_string_equal (hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* The same bytes fed in pieces of every size from 1 to 130 (partial blocks, whole blocks from
   * the input, a block completed across two pieces) hash as one piece.  */
  for (size_t piece = 1; piece <= 130; piece++)
    {
      struct sha256_ctx ctx;
      char whole[SHA256_HEX_SIZE];

      for (size_t i = 0; i < 1000; i++)
        million[i] = (char)(i * 7 + piece);
      sha256_hex (million, 1000, whole);
      sha256_init (&ctx);
      for (size_t off = 0; off < 1000; off += piece)
        sha256_update (&ctx, million + off, off + piece <= 1000 ? piece : 1000 - off);
      sha256_final_hex (&ctx, hex);
      assert_string_equal (hex, whole);
    }
}

static void
copy_file (const char *from, const char *to, const char *version)
{
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  cleanup_free char *buf = fsutil_read_at (AT_FDCWD, from, 256u << 20, &len, &err);
  FILE *f = fopen (to, "w");
  char *m;

  assert_non_null (buf);
  assert_non_null (f);
  /* The marker, found past the prefix's lone occurrence: patched to another version.  */
  for (m = memmem (buf, len, binid_marker, strlen (binid_marker)); version && m;
       m = memmem (m + 1, len - (size_t)(m + 1 - buf), binid_marker, strlen (binid_marker)))
    memcpy (m + strlen ("ocigate-ident:"), version, strlen (PACKAGE_VERSION));
  fwrite (buf, 1, len, f);
  fclose (f);
}

/* Run on the test binary itself: it links binid.c, so it carries the marker like ocigate.  */
static void
test_binid (void **state)
{
  cleanup_free char *self = binid_self_path ();
  char path[] = "/tmp/ocg-test-binid-XXXXXX";
  cleanup_free char *copy = NULL, *link = NULL;
  struct binid id;

  (void)state;
  assert_non_null (mkdtemp (path));
  copy = xasprintf ("%s/copy", path);
  link = xasprintf ("%s/link", path);
  assert_int_equal (symlink (self, link), 0);
  binid_classify_path (link, &id);
  assert_int_equal (id.kind, BINID_SELF);
  copy_file (self, copy, NULL);
  binid_classify_path (copy, &id);
  assert_int_equal (id.kind, BINID_COPY_SAME);
  copy_file (self, copy, "0.0.0");
  binid_classify_path (copy, &id);
  assert_int_equal (id.kind, BINID_COPY_OTHER);
  assert_string_equal (id.version, "0.0.0");
  assert_true (id.order < 0);
  binid_release (&id);
  binid_classify_path ("/bin/sh", &id);
  assert_int_equal (id.kind, BINID_OTHER);
  binid_classify_path ("/nonexistent/runc", &id);
  assert_int_equal (id.kind, BINID_MISSING);
  assert_true (binid_version_cmp ("0.1.10", "0.1.9") > 0);
  assert_int_equal (binid_version_cmp ("1.0", "1.0"), 0);
  unlink (copy), unlink (link), rmdir (path);
}

static void
test_flags (void **state)
{
  char *argv[] = { "dockerd",
                   "--config-file=/a.json",
                   "-H",
                   "unix:///x",
                   "--host",
                   "tcp://0:1",
                   "--icc=false",
                   "--live-restore",
                   "--add-runtime",
                   "a=/b",
                   "-l",
                   "debug",
                   "--",
                   "--config-file",
                   "/never",
                   NULL };
  cleanup_free const char **hosts = hostproc_flag_all (argv, "host", 'H');
  char *env[] = { "A=1", "PATH=/p:/q", "PATHX=no", NULL };

  (void)state;
  assert_string_equal (hostproc_flag (argv, "config-file", 0, false), "/a.json");
  assert_string_equal (hostproc_flag (argv, "icc", 0, true), "false");
  assert_string_equal (hostproc_flag (argv, "live-restore", 0, true), "true");
  assert_string_equal (hostproc_flag (argv, "log-level", 'l', false), "debug");
  assert_null (hostproc_flag (argv, "userns-remap", 0, false));
  assert_string_equal (hosts[0], "unix:///x");
  assert_string_equal (hosts[1], "tcp://0:1");
  assert_null (hosts[2]);
  assert_string_equal (hostproc_getenv (env, "PATH"), "/p:/q");
  assert_null (hostproc_getenv (env, "PAT"));
}

/* A step that fails undoes the steps before it: the first file is back, nothing new remains.  */
static void
test_changeset_all_or_nothing (void **state)
{
  char dir[] = "/tmp/ocg-test-changeset-XXXXXX";
  cleanup_free char *a = NULL, *b = NULL, *bad = NULL, *sub = NULL, *buf = NULL;
  struct changeset cs = { 0 };
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;
  bool exists;
  struct stat st;

  (void)state;
  assert_non_null (mkdtemp (dir));
  a = xasprintf ("%s/a", dir), b = xasprintf ("%s/b", dir), sub = xasprintf ("%s/sub", dir);
  bad = xasprintf ("%s/missing/c", dir);
  FILE *f = fopen (a, "w");
  fputs ("old\n", f);
  fclose (f);
  chmod (a, 0640);
  changeset_write (&cs, a, "new\n", 4, 0644, "a");
  changeset_write (&cs, b, "b\n", 2, 0600, "b");
  changeset_mkdir (&cs, sub, "sub");
  changeset_write (&cs, bad, "c\n", 2, 0644, "c");
  assert_int_equal (changeset_apply (&cs, &err), -1);
  buf = changeset_read (a, &len, &exists, &err);
  assert_string_equal (buf, "old\n");
  assert_int_equal (stat (a, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0640);
  assert_int_equal (stat (b, &st), -1);
  assert_int_equal (stat (sub, &st), -1);
  changeset_release (&cs);
  unlink (a), rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_catalogue),   cmocka_unit_test (test_order),
    cmocka_unit_test (test_json_report), cmocka_unit_test (test_sarif_report),
    cmocka_unit_test (test_text_report), cmocka_unit_test (test_textdiff),
    cmocka_unit_test (test_sha256),      cmocka_unit_test (test_binid),
    cmocka_unit_test (test_flags),       cmocka_unit_test (test_changeset_all_or_nothing),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
