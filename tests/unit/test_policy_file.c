/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/file/policy_file*.c: drop-in merge order and semantics, strict errors with
 * their exact `file:line:column` and key path, the ownership checks (a file chown'ed to 65534, a
 * group-writable file or directory), profile inheritance and cycles, each exemption matcher, the
 * trust rule for annotations, the runtime lookup, seccomp profile files, show and validate.
 * Files are written to a fresh temp dir per test; the ownership tests need root and skip
 * otherwise.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "engine.h"
#include "policy_file.h"
#include "seccomp.h"
#include "sha256.h"
#include "util.h"

static char *dir; /* this test's temp dir */

static int
rm_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  return remove (path);
}

static int
setup (void **state)
{
  (void)state;
  dir = xstrdup ("/tmp/ocg-test-policy-XXXXXX");
  if (mkdtemp (dir) == NULL)
    return -1;
  unsetenv (POLICY_FILE_ENV);
  policy_file_default_path = "/nonexistent-ocigate-test/policy.json";
  return 0;
}

static int
teardown (void **state)
{
  (void)state;
  nftw (dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free (dir);
  dir = NULL;
  return 0;
}

static void
need_root (void)
{
  if (geteuid () != 0)
    skip (); /* the trust checks require files owned by root */
}

/* dir/name (missing directories created 0755) with the given content and mode; returns the path. */
static char *
put (const char *name, const char *content, mode_t mode)
{
  char *path = xasprintf ("%s/%s", dir, name);
  cleanup_free char *parent = xstrdup (path);
  cleanup_close int fd = -1;

  *strrchr (parent, '/') = '\0';
  for (char *p = parent + strlen (dir) + 1; (p = strchr (p, '/')) != NULL; p++)
    {
      *p = '\0';
      mkdir (parent, 0755);
      *p = '/';
    }
  mkdir (parent, 0755);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  assert_true (fd >= 0);
  assert_int_equal (write (fd, content, strlen (content)), (ssize_t)strlen (content));
  assert_int_equal (fchmod (fd, mode), 0);
  return path;
}

/* "a/b", kept until eight more calls: for path arguments only.  */
static const char *
xasprintf_tmp (const char *a, const char *b)
{
  static char *ring[8];
  static size_t next;
  size_t i = next++ % ARRAY_SIZE (ring);

  free (ring[i]);
  ring[i] = xasprintf ("%s/%s", a, b);
  return ring[i];
}

static char *
main_file (const char *content)
{
  return put ("policy.json", content, 0644);
}

static struct policy_file *
load_ok (const char *path)
{
  cleanup_error ocg_error_t err = NULL;
  struct policy_file *pf = policy_file_load (path, &err);

  if (pf == NULL)
    fail_msg ("load failed: %s", err->msg);
  return pf;
}

/* Load must fail with exactly dir + want_suffix (or exactly `want` when it does not start with
 * ':' or '/').  */
static void
load_fails (const char *path, const char *want)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = NULL;
  cleanup_free char *expected = NULL;
  struct policy_file *pf = policy_file_load (path, &err);

  if (pf != NULL)
    {
      policy_file_free (pf);
      fail_msg ("loaded, expected: %s", want);
    }
  text = ocg_error_text (err);
  expected = want[0] == '/' ? xasprintf ("%s%s", dir, want) : xstrdup (want);
  assert_string_equal (text, expected);
}

static void
pf_sources_are (const char *path, const char *dropin)
{
  struct policy_file *pf = load_ok (path);

  assert_string_equal (policy_file_sources (pf)[0], path);
  assert_string_equal (policy_file_sources (pf)[1], dropin);
  assert_null (policy_file_sources (pf)[2]);
  policy_file_free (pf);
}

static struct policy *
build_ok (const struct policy_file *pf, const char *profile)
{
  cleanup_error ocg_error_t err = NULL;
  struct policy *p = policy_file_build (pf, profile, &err);

  if (p == NULL)
    fail_msg ("build `%s` failed: %s", profile, err->msg);
  return p;
}

static enum rule_action
action_of (const struct policy *p, const char *rule)
{
  size_t index = 0;

  assert_non_null (rules_find (rule, &index));
  return p->actions[index];
}

/* The seccomp rule's `profile` parameter of p.  */
static const struct param_seccomp *
seccomp_of (const struct policy *p)
{
  const struct param_seccomp *s = policy_param (p, "seccomp", "profile");

  assert_non_null (s);
  return s;
}

static void
assert_strv (const char *const *v, const char *const *want)
{
  size_t i = 0;

  assert_non_null (v);
  for (; want[i] != NULL; i++)
    {
      assert_non_null (v[i]);
      assert_string_equal (v[i], want[i]);
    }
  assert_null (v[i]);
}

/* ---- merge ---- */

static const char merge_main[]
    = "{\n"
      "  // the main file\n"
      "  \"runtime\": \"/usr/sbin/runc\",\n"
      "  \"mode\": \"audit\",\n"
      "  \"audit_log\": \"/var/log/ocg-test.log\",\n"
      "  \"profiles\": {\n"
      "    \"web\": {\n"
      "      \"extends\": \"baseline\",\n"
      "      \"rules\": {\n"
      "        \"capabilities\": { \"action\": \"deny\",\n"
      "                          \"allow\": [\"CAP_CHOWN\", \"CAP_KILL\"] },\n"
      "        \"root-user\": \"rewrite\",\n"
      "        \"sshd\": \"deny\"\n"
      "      }\n"
      "    }\n"
      "  }\n"
      "}\n";

static void
test_merge_order (void **state)
{
  cleanup_free char *path = NULL;
  struct policy_file *pf;
  struct policy *web;
  const char *const *sources;
  static const char *const nbs[] = { "CAP_NET_BIND_SERVICE", NULL };

  (void)state;
  need_root ();
  path = main_file (merge_main);
  /* strcmp order: "10-first" sorts before "9-second".  Lists replace, objects merge per key,
   * null deletes.  */
  free (
      put ("policy.d/10-first.json",
           "{\"runtime\": \"/usr/bin/crun\", \"profiles\": {\"web\": {\"rules\": {\"capabilities\":"
           " {\"allow\": [\"CAP_NET_BIND_SERVICE\"]}, \"sshd\": {\"action\": \"warn\"}}}}}",
           0644));
  free (put ("policy.d/9-second.json",
             "{\"runtime\": null, \"mode\": \"enforce\", \"profiles\": {\"web\": {\"rules\": "
             "{\"root-user\": \"warn\"}}}}",
             0644));
  /* Not drop-ins: hidden, other suffixes.  Each would be an error if read.  */
  free (put ("policy.d/.hidden.json", "junk", 0644));
  free (put ("policy.d/README", "junk", 0644));
  free (put ("policy.d/50.json.bak", "junk", 0644));
  pf = load_ok (path);
  sources = policy_file_sources (pf);
  assert_string_equal (sources[0], path);
  assert_true (strstr (sources[1], "/policy.d/10-first.json") != NULL);
  assert_true (strstr (sources[2], "/policy.d/9-second.json") != NULL);
  assert_null (sources[3]);
  web = build_ok (pf, "web");
  assert_null (web->runtime);                 /* deleted by 9-second */
  assert_int_equal (web->mode, MODE_ENFORCE); /* 9-second overrides main */
  assert_string_equal (web->audit_log, "/var/log/ocg-test.log");
  assert_int_equal (action_of (web, "capabilities"), ACTION_DENY);     /* kept: merged per key */
  assert_strv (policy_param_list (web, "capabilities", "allow"), nbs); /* replaced: a list */
  assert_int_equal (action_of (web, "sshd"), ACTION_WARN);
  assert_int_equal (action_of (web, "root-user"), ACTION_WARN);  /* bare action merged too */
  assert_int_equal (action_of (web, "privileged"), ACTION_DENY); /* from baseline */
  policy_free (web);
  policy_file_free (pf);
}

/* The default file may be absent while its drop-ins apply (contrib/policy/01-audit.json).  */
static void
test_default_dropins_only (void **state)
{
  cleanup_free char *def = xasprintf ("%s/policy.json", dir);
  struct policy_file *pf;
  struct policy *p;

  (void)state;
  need_root ();
  free (put ("policy.d/01-audit.json", "{\"mode\": \"audit\"}", 0644));
  policy_file_default_path = def;
  pf = load_ok (NULL);
  assert_true (strstr (policy_file_sources (pf)[0], "/policy.d/01-audit.json") != NULL);
  p = build_ok (pf, "baseline");
  assert_int_equal (p->mode, MODE_AUDIT);
  policy_free (p);
  policy_file_free (pf);
}

static void
test_no_file (void **state)
{
  cleanup_free char *missing = xasprintf ("%s/none.json", dir);
  cleanup_free char *want = NULL;
  struct policy_file *pf;
  struct policy *p, *builtin;
  size_t n = 0;

  (void)state;
  pf = load_ok (NULL); /* nothing at the default path: the built-ins */
  assert_null (policy_file_sources (pf)[0]);
  assert_string_equal (policy_file_default_profile (pf), "baseline");
  p = build_ok (pf, "restricted");
  builtin = policy_builtin ("restricted");
  rules_table (&n);
  assert_memory_equal (p->actions, builtin->actions, n * sizeof (*p->actions));
  assert_int_equal (p->mode, builtin->mode);
  policy_free (p);
  policy_free (builtin);
  policy_file_free (pf);
  /* A file named explicitly, or by OCIGATE_POLICY, must exist: never fall back silently.  */
  want = xasprintf ("open policy file `%s`: %s", missing, strerror (ENOENT));
  load_fails (missing, want);
  setenv (POLICY_FILE_ENV, missing, 1);
  load_fails (NULL, want);
  unsetenv (POLICY_FILE_ENV);
}

/* ---- strict errors ---- */

struct bad_case
{
  const char *content;
  const char *error; /* after "<dir>/policy.json" */
};

static const struct bad_case bad_cases[] = {
  { "{\n  \"mdoe\": \"audit\"\n}\n",
    ":2:11: $.mdoe: unknown key (expected `runtime`, `mode`, `profile`, `audit_log`, "
    "`engine_set_annotations`, `profiles` or `exemptions`); did you mean `mode`?" },
  { "{\n  \"mode\": 1\n}", ":2:11: $.mode: expected a string, got a number" },
  { "{\"mode\": \"strict\"}", ":1:10: $.mode: `strict` is not one of `enforce`, `audit`" },
  { "{\"runtime\": \"runc\"}", ":1:13: $.runtime: `runc` is not an absolute path" },
  { "{\"profiles\": {\"p\": {\"rules\": {\n    \"privilegd\": \"deny\"}}}}",
    ":2:18: $.profiles.p.rules.privilegd: unknown rule `privilegd`; did you mean `privileged`?" },
  { "{\"profiles\": {\"p\": {\"rules\": {\"privileged\": \"block\"}}}}",
    ":1:45: $.profiles.p.rules.privileged: `block` is not one of `off`, `warn`, `rewrite`, "
    "`deny`" },
  { "{\"profiles\": {\"p\": {\"rules\": {\"seccomp\": {\"profil\": \"strict\"}}}}}",
    ":1:53: $.profiles.p.rules.seccomp.profil: unknown key (expected `action`, `profile` or "
    "`native_arch_only`); did "
    "you mean `profile`?" },
  { "{\"profiles\": {\"p\": {\"rules\": {\"oom-score-adj\": {\"floor\": -1001}}}}}",
    ":1:58: $.profiles.p.rules.oom-score-adj.floor: `-1001` is not an integer from -1000 to "
    "1000" },
  { "{\"profiles\": {\"p\": {\"rules\": {\"capabilities\": {\"allow\": [\"CAP_NOPE\"]}}}}}",
    ":1:58: $.profiles.p.rules.capabilities.allow[0]: `CAP_NOPE` is not a capability name "
    "(CAP_...)" },
  { "{\"profiles\": {\"p q\": {}}}",
    ":1:22: $.profiles[\"p q\"]: a name is 1-64 letters, digits, `-`, `_` or `.`, not starting "
    "with `-` or `.`" },
  { "{\"profiles\": {\"p\": {\"extend\": \"baseline\"}}}",
    ":1:31: $.profiles.p.extend: unknown key (expected `extends`, `mode`, `description` or "
    "`rules`); did you mean `extends`?" },
  { "{\"exemptions\": {\"e\": {\"match\": {\"container_ids\": [\"x\"]},\n"
    "  \"rules\": {\"host-namespaces\": \"of\"}}}}",
    ":2:32: $.exemptions.e.rules.host-namespaces: `of` is not one of `off`, `warn`, `rewrite`, "
    "`deny`; did you mean `off`?" },
  { "[]", ":1:1: $: expected an object, got an array" },
  /* The audit destination: a file's absolute path, `syslog`, or `syslog:` and a socket's.  */
  { "{\"audit_log\": \"syslog:dev/log\"}",
    ":1:15: $.audit_log: `syslog:dev/log` is neither an absolute path nor `syslog` or "
    "`syslog:/path/of/socket`" },
  { "{\"audit_log\": \"audit.log\"}",
    ":1:15: $.audit_log: `audit.log` is neither an absolute path nor `syslog` or "
    "`syslog:/path/of/socket`" },
};

/* The digest of the effective policy: the bytes of every file read, in load order, as `cat` of
 * them gives sha256sum; none without a file; the same for files that do not load.  */
static void
test_digest (void **state)
{
  static const char main_text[] = "{\"mode\": \"audit\"}\n";
  static const char d1[] = "{\"profile\": \"restricted\"}";
  static const char d2[] = "// last\n{\"mode\": \"enforce\"}";
  cleanup_free char *path = NULL;
  cleanup_free char *all = xasprintf ("%s%s%s", main_text, d1, d2);
  cleanup_free char *want = NULL;
  cleanup_free char *broken = NULL;
  char hex[SHA256_HEX_SIZE];
  struct policy_file *pf;
  struct policy *p;

  (void)state;
  need_root ();
  pf = load_ok (NULL);
  p = build_ok (pf, "baseline");
  assert_null (p->digest);
  policy_free (p);
  policy_file_free (pf);
  path = main_file (main_text);
  free (put ("policy.d/10-b.json", d2, 0644));
  free (put ("policy.d/09-a.json", d1, 0644)); /* strcmp order: 09-a, then 10-b */
  sha256_hex (all, strlen (all), hex);
  want = xasprintf ("sha256:%s", hex);
  pf = load_ok (path);
  p = build_ok (pf, "restricted");
  assert_string_equal (p->digest, want);
  policy_free (p);
  policy_file_free (pf);
  broken = policy_file_read_digest (path);
  assert_string_equal (broken, want);
  free (broken);
  /* A drop-in that does not load is still in the digest of the files read.  */
  free (put ("policy.d/11-c.json", "{oops", 0644));
  broken = policy_file_read_digest (path);
  assert_non_null (broken);
  assert_string_not_equal (broken, want);
}

static void
test_strict_errors (void **state)
{
  (void)state;
  need_root ();
  for (size_t i = 0; i < ARRAY_SIZE (bad_cases); i++)
    {
      cleanup_free char *path = main_file (bad_cases[i].content);
      cleanup_free char *want = xasprintf ("/policy.json%s", bad_cases[i].error);

      load_fails (path, want);
    }
}

static void
test_parse_errors (void **state)
{
  cleanup_free char *path = NULL;
  cleanup_free char *want = NULL;

  (void)state;
  need_root ();
  /* Duplicate keys are refused (Go keeps the last, yajl_tree the first: never guess).  */
  path = main_file ("{\n  \"mode\": \"audit\",\n  \"mode\": \"enforce\"\n}");
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (policy_file_load (path, &err));
    assert_non_null (strstr (err->msg, "duplicate"));
    assert_non_null (strstr (err->msg, path));
  }
  /* An error in a drop-in names the drop-in; comments are allowed everywhere.  */
  free (main_file ("/* main */ {}"));
  free (put ("policy.d/20-x.json", "{\n  // why\n  \"profiles\": {\"p\": {\"mode\": \"dry\"}}\n}",
             0644));
  want = xstrdup ("/policy.d/20-x.json:3:30: $.profiles.p.mode: `dry` is not one of "
                  "`enforce`, `audit`");
  load_fails (path, want);
  /* null deletes only what an earlier file set.  */
  free (put ("policy.d/20-x.json", "{\"runtime\": null}", 0644));
  free (want);
  want = xstrdup ("/policy.d/20-x.json:1:13: $.runtime: `null` deletes a key set by an "
                  "earlier file, and no earlier file sets it");
  load_fails (path, want);
}

/* ---- ownership ---- */

static void
test_ownership (void **state)
{
  cleanup_free char *path = NULL;
  cleanup_free char *want = NULL;
  cleanup_free char *dropin = NULL;
  cleanup_free char *ddir = xasprintf ("%s/policy.d", dir);
  cleanup_free char *link = xasprintf ("%s/link.json", dir);

  (void)state;
  need_root ();
  path = main_file ("{}");
  assert_int_equal (chown (path, 65534, 65534), 0);
  want = xasprintf ("policy file `%s` is owned by uid 65534, not root: refusing to use a policy "
                    "another user could have written",
                    path);
  load_fails (path, want);
  assert_int_equal (chown (path, 0, 0), 0);
  assert_int_equal (chmod (path, 0664), 0);
  free (want);
  want = xasprintf ("policy file `%s` is writable by group or others (mode 0664): refusing to "
                    "use a policy another user could have written",
                    path);
  load_fails (path, want);
  /* The same holds for the runtime lookup of pass-through verbs.  */
  {
    cleanup_error ocg_error_t err = NULL;
    char *rt = NULL;
    assert_int_equal (policy_file_runtime (path, &rt, &err), -1);
    assert_null (rt);
  }
  assert_int_equal (chmod (path, 0644), 0);
  /* A drop-in owned by someone else, and a world-writable drop-in directory.  */
  dropin = put ("policy.d/10.json", "{}", 0644);
  assert_int_equal (chown (dropin, 65534, 0), 0);
  free (want);
  want = xasprintf ("policy file `%s` is owned by uid 65534, not root: refusing to use a policy "
                    "another user could have written",
                    dropin);
  load_fails (path, want);
  assert_int_equal (chown (dropin, 0, 0), 0);
  assert_int_equal (chmod (ddir, 0777), 0);
  free (want);
  want = xasprintf ("policy directory `%s` is writable by group or others (mode 0777): refusing "
                    "to use a policy another user could have written",
                    ddir);
  load_fails (path, want);
  assert_int_equal (chmod (ddir, 0755), 0);
  /* The main file's directory: group-writable is refused, sticky (like /tmp) is not.  */
  assert_int_equal (chmod (dir, 0775), 0);
  free (want);
  want = xasprintf ("policy directory `%s` is writable by group or others (mode 0775): refusing "
                    "to use a policy another user could have written",
                    dir);
  load_fails (path, want);
  assert_int_equal (chmod (dir, 01777), 0);
  policy_file_free (load_ok (path));
  assert_int_equal (chmod (dir, 0700), 0);
  /* A symlink as the file itself is followed only when root made it.  */
  assert_int_equal (symlink (path, link), 0);
  policy_file_free (load_ok (link));
  assert_int_equal (lchown (link, 65534, 65534), 0);
  free (want);
  want = xasprintf ("policy file `%s` is a symbolic link (`%s` -> `%s`): symbolic link `%s` is "
                    "owned by uid 65534, not root: refusing to follow a link another user could "
                    "have made",
                    link, link, path, link);
  load_fails (link, want);
}

/* ---- symlinks: a Kubernetes ConfigMap volume ---- */

/* dir/cm as kubelet's atomic writer lays out a ConfigMap (pkg/volume/util/atomic_writer.go):
 * `..2026_12_07_10_00_00.1` holds the files, `..data` points at it, and each key is a link
 * through `..data`.  The drop-ins are a second ConfigMap mounted at dir/cm/policy.d.  */
static void
configmap_farm (void)
{
  cleanup_free char *cm = xasprintf ("%s/cm", dir);
  cleanup_free char *dd = xasprintf ("%s/cm/policy.d", dir);

  free (put ("cm/..2026_12_07_10_00_00.1/policy.json", "{\"profile\": \"restricted\"}", 0644));
  free (put ("cm/policy.d/..2026_12_07_10_00_00.2/10-audit.json", "{\"mode\": \"audit\"}", 0644));
  assert_int_equal (symlink ("..2026_12_07_10_00_00.1", xasprintf_tmp (cm, "..data")), 0);
  assert_int_equal (symlink ("..data/policy.json", xasprintf_tmp (cm, "policy.json")), 0);
  assert_int_equal (symlink ("..2026_12_07_10_00_00.2", xasprintf_tmp (dd, "..data")), 0);
  assert_int_equal (symlink ("..data/10-audit.json", xasprintf_tmp (dd, "10-audit.json")), 0);
}

static void
test_configmap_symlinks (void **state)
{
  cleanup_free char *path = xasprintf ("%s/cm/policy.json", dir);
  cleanup_free char *ts = xasprintf ("%s/cm/..2026_12_07_10_00_00.1", dir);
  cleanup_free char *data = xasprintf ("%s/cm/..data", dir);
  cleanup_free char *dropin = xasprintf ("%s/cm/policy.d/10-audit.json", dir);
  cleanup_free char *chain = NULL;
  cleanup_free char *want = NULL;
  struct policy_file *pf;
  struct policy *p;

  (void)state;
  need_root ();
  configmap_farm ();
  pf = load_ok (path);
  assert_string_equal (policy_file_sources (pf)[0], path);
  assert_string_equal (policy_file_sources (pf)[1], dropin);
  assert_string_equal (policy_file_default_profile (pf), "restricted");
  p = build_ok (pf, "restricted");
  assert_int_equal (p->mode, MODE_AUDIT);
  policy_free (p);
  policy_file_free (pf);
  chain = xasprintf ("policy file `%s` is a symbolic link (`%s` -> `..data/policy.json`, `%s` -> "
                     "`..2026_12_07_10_00_00.1`): ",
                     path, path, data);
  /* The timestamped directory writable by others.  */
  assert_int_equal (chmod (ts, 0777), 0);
  want = xasprintf ("%spolicy directory `%s` is writable by group or others (mode 0777): "
                    "refusing to use a policy another user could have written",
                    chain, ts);
  load_fails (path, want);
  assert_int_equal (chmod (ts, 0755), 0);
  /* `..data` made by another user.  */
  assert_int_equal (lchown (data, 65534, 0), 0);
  free (want);
  want = xasprintf ("%ssymbolic link `%s` is owned by uid 65534, not root: refusing to follow a "
                    "link another user could have made",
                    chain, data);
  load_fails (path, want);
  assert_int_equal (lchown (data, 0, 0), 0);
  /* The file at the end, owned by another user.  */
  assert_int_equal (chown (xasprintf_tmp (ts, "policy.json"), 65534, 0), 0);
  free (want);
  want = xasprintf ("%spolicy file `%s/policy.json` is owned by uid 65534, not root: refusing to "
                    "use a policy another user could have written",
                    chain, ts);
  load_fails (path, want);
  assert_int_equal (chown (xasprintf_tmp (ts, "policy.json"), 0, 0), 0);
  /* A drop-in link made by another user.  */
  assert_int_equal (lchown (dropin, 65534, 0), 0);
  free (want);
  want = xasprintf ("policy file `%s` is a symbolic link (`%s` -> `..data/10-audit.json`): "
                    "symbolic link `%s` is owned by uid 65534, not root: refusing to follow a "
                    "link another user could have made",
                    dropin, dropin, dropin);
  load_fails (path, want);
  assert_int_equal (lchown (dropin, 0, 0), 0);
  policy_file_free (load_ok (path));
}

/* Absolute links, a directory reached through a link, dangling links and loops.  */
static void
test_symlink_paths (void **state)
{
  cleanup_free char *other = xasprintf ("%s/other", dir);
  cleanup_free char *abs_link = xasprintf ("%s/abs.json", dir);
  cleanup_free char *etc = xasprintf ("%s/etc", dir);
  cleanup_free char *via = xasprintf ("%s/etc/policy.json", dir);
  cleanup_free char *loop = xasprintf ("%s/loop.json", dir);
  cleanup_free char *want = NULL;

  (void)state;
  need_root ();
  configmap_farm ();
  /* An absolute link into a directory others can write.  */
  free (put ("other/p.json", "{}", 0644));
  assert_int_equal (symlink (xasprintf_tmp (other, "p.json"), abs_link), 0);
  policy_file_free (load_ok (abs_link));
  assert_int_equal (chmod (other, 0757), 0);
  want = xasprintf ("policy file `%s` is a symbolic link (`%s` -> `%s/p.json`): policy directory "
                    "`%s` is writable by group or others (mode 0757): refusing to use a policy "
                    "another user could have written",
                    abs_link, abs_link, other, other);
  load_fails (abs_link, want);
  /* A directory on the way is a root-owned link: followed, and the files behind it read.  */
  assert_int_equal (symlink ("cm", etc), 0);
  pf_sources_are (via, xasprintf_tmp (etc, "policy.d/10-audit.json"));
  /* Dangling, and a loop.  */
  assert_int_equal (symlink ("nowhere.json", loop), 0);
  free (want);
  want = xasprintf ("policy file `%s` is a symbolic link (`%s` -> `nowhere.json`): open "
                    "`%s/nowhere.json`: %s",
                    loop, loop, dir, strerror (ENOENT));
  load_fails (loop, want);
  assert_int_equal (unlink (loop), 0);
  assert_int_equal (symlink ("loop.json", loop), 0);
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (policy_file_load (loop, &err));
    assert_int_equal (err->status, ELOOP);
  }
}

/* ---- profiles ---- */

static void
test_inheritance (void **state)
{
  cleanup_free char *path = NULL;
  struct policy_file *pf;
  struct policy *p;
  static const char *const nbs[] = { "CAP_NET_BIND_SERVICE", NULL };

  (void)state;
  need_root ();
  path = main_file ("{\n"
                    "  \"mode\": \"enforce\",\n"
                    "  \"profile\": \"web\",\n"
                    "  \"profiles\": {\n"
                    "    \"baseline\": { \"rules\": { \"sshd\": \"deny\" } },\n"
                    "    \"web\": { \"extends\": \"restricted\", \"mode\": \"audit\",\n"
                    "             \"rules\": { \"root-user\": \"warn\" } },\n"
                    "    \"api\": { \"extends\": \"web\", \"rules\": { \"seccomp\": \"off\" } },\n"
                    "    \"plain\": { \"rules\": { \"cgroup-parent\": \"deny\" } }\n"
                    "  }\n"
                    "}\n");
  pf = load_ok (path);
  assert_string_equal (policy_file_default_profile (pf), "web");
  /* web = built-in restricted + its own rules; its own mode beats the file's.  */
  p = build_ok (pf, "web");
  assert_string_equal (p->name, "web");
  assert_int_equal (p->mode, MODE_AUDIT);
  assert_int_equal (action_of (p, "root-user"), ACTION_WARN);
  assert_int_equal (action_of (p, "readonly-rootfs"), ACTION_REWRITE);
  assert_strv (policy_param_list (p, "capabilities", "allow"), nbs);
  assert_string_equal (seccomp_of (p)->name, "strict");
  assert_non_null (policy_seccomp_profile ((struct param_seccomp *)seccomp_of (p), NULL));
  policy_free (p);
  /* api extends web: the mode and every setting are inherited.  */
  p = build_ok (pf, "api");
  assert_int_equal (p->mode, MODE_AUDIT);
  assert_int_equal (action_of (p, "seccomp"), ACTION_OFF);
  assert_int_equal (action_of (p, "root-user"), ACTION_WARN);
  policy_free (p);
  /* plain has no extends: it starts from baseline AS THE FILE DEFINES IT (sshd deny).  */
  p = build_ok (pf, "plain");
  assert_int_equal (p->mode, MODE_ENFORCE);
  assert_int_equal (action_of (p, "sshd"), ACTION_DENY);
  assert_int_equal (action_of (p, "cgroup-parent"), ACTION_DENY);
  assert_int_equal (action_of (p, "readonly-rootfs"), ACTION_WARN);
  policy_free (p);
  /* The file's top-level mode applies to a built-in that the file does not redefine.  */
  p = build_ok (pf, "privileged");
  assert_int_equal (p->mode, MODE_ENFORCE);
  assert_int_equal (action_of (p, "privileged"), ACTION_WARN);
  policy_free (p);
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (policy_file_build (pf, "nope", &err));
    /* An unknown profile lists the valid ones, and suggests the closest.  */
    assert_string_equal (err->msg, "unknown policy profile `nope` (profiles: `baseline`, "
                                   "`restricted`, `privileged`, `web`, `api`, `plain`)");
    assert_null (policy_file_build (pf, "restricte", &err));
    assert_string_equal (err->msg, "unknown policy profile `restricte` (profiles: `baseline`, "
                                   "`restricted`, `privileged`, `web`, `api`, `plain`); did "
                                   "you mean `restricted`?");
  }
  policy_file_free (pf);
}

static void
test_inheritance_errors (void **state)
{
  static const struct bad_case cases[] = {
    { "{\"profiles\": {\n  \"a\": {\"extends\": \"b\"},\n  \"b\": {\"extends\": \"a\"}}}",
      ":2:20: $.profiles.a.extends: profile cycle: a -> b -> a" },
    { "{\"profiles\": {\"a\": {\"extends\": \"a\"}}}",
      ":1:32: $.profiles.a.extends: profile cycle: a -> a" },
    /* Implicit edge: a profile without extends builds on (the file's) baseline.  */
    { "{\"profiles\": {\"baseline\": {\"extends\": \"x\"}, \"x\": {}}}",
      ":1:39: $.profiles.baseline.extends: profile cycle: baseline -> x -> baseline" },
    { "{\"profiles\": {\"a\": {\"extends\": \"nope\"}}}",
      ":1:32: $.profiles.a.extends: unknown profile `nope` (profiles: `baseline`, `restricted`, "
      "`privileged`, `a`)" },
    { "{\"profile\": \"nope\"}", ":1:13: $.profile: unknown profile `nope` (profiles: "
                                 "`baseline`, `restricted`, `privileged`)" },
  };

  (void)state;
  need_root ();
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_free char *path = main_file (cases[i].content);
      cleanup_free char *want = xasprintf ("/policy.json%s", cases[i].error);

      load_fails (path, want);
    }
}

/* ---- exemptions ---- */

static const char exemptions_policy[]
    = "{\n"
      "  \"engine_set_annotations\": [\"io.kubernetes.cri.sandbox-namespace\",\n"
      "                             \"io.kubernetes.cri.image-name\"],\n"
      "  \"profiles\": { \"agents\": { \"extends\": \"baseline\" } },\n"
      "  \"exemptions\": {\n"
      "    \"ns\": { \"match\": { \"annotations\": {\n"
      "              \"io.kubernetes.cri.sandbox-namespace\": \"kube-*\" } },\n"
      "            \"rules\": { \"host-namespaces\": \"off\" } },\n"
      "    \"by-profile\": { \"match\": { \"profiles\": [\"agents\"] },\n"
      "                    \"rules\": { \"privileged\": \"warn\" } },\n"
      "    \"by-id\": { \"match\": { \"container_ids\": [\"mon-*\", \"exact\"] },\n"
      "               \"rules\": { \"host-namespaces\": \"warn\", \"sensitive-mounts\": \"warn\" } "
      "},\n"
      "    \"both\": { \"match\": { \"annotations\": {\n"
      "                \"io.kubernetes.cri.image-name\": \"docker.io/prom/node-exporter*\" },\n"
      "                \"container_ids\": [\"ne-*\"] },\n"
      "              \"rules\": { \"devices\": \"off\" } }\n"
      "  }\n"
      "}\n";

static struct json_node *
annotations (const char *json)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_parse_opts opts = { .source = "annotations" };
  struct json_node *n = json_parse (json, strlen (json), &opts, &err);

  assert_non_null (n);
  return n;
}

static bool
matches (const struct policy_file *pf, const char *name, const struct policy_subject *s)
{
  const struct policy_exemptions *set = policy_file_exemptions (pf);

  for (size_t i = 0; i < set->n; i++)
    if (str_eq (set->items[i].name, name))
      return policy_exemption_matches (set, &set->items[i], s);
  fail_msg ("no exemption `%s`", name);
  return false;
}

static void
test_exemption_matchers (void **state)
{
  cleanup_free char *path = NULL;
  cleanup_json struct json_node *kube
      = annotations ("{\"io.kubernetes.cri.sandbox-namespace\": \"kube-system\", "
                     "\"io.kubernetes.cri.image-name\": \"docker.io/prom/node-exporter:v1.6\"}");
  cleanup_json struct json_node *other
      = annotations ("{\"io.kubernetes.cri.sandbox-namespace\": \"default\"}");
  struct policy_subject s = { .profile = "baseline", .container_id = "web-1" };
  struct policy_file *pf;

  (void)state;
  need_root ();
  path = main_file (exemptions_policy);
  pf = load_ok (path);
  assert_int_equal (policy_file_exemptions (pf)->n, 4);
  assert_string_equal (policy_file_exemptions (pf)->items[0].name, "both"); /* sorted */
  /* annotation glob */
  assert_false (matches (pf, "ns", &s));
  s.annotations = other;
  assert_false (matches (pf, "ns", &s));
  s.annotations = kube;
  assert_true (matches (pf, "ns", &s));
  /* profile */
  assert_false (matches (pf, "by-profile", &s));
  s.profile = "agents";
  assert_true (matches (pf, "by-profile", &s));
  /* container id globs: any of the list */
  assert_false (matches (pf, "by-id", &s));
  s.container_id = "mon-node-7";
  assert_true (matches (pf, "by-id", &s));
  s.container_id = "exact";
  assert_true (matches (pf, "by-id", &s));
  s.container_id = NULL; /* `ocigate check`: no id, never matches an id condition */
  assert_false (matches (pf, "by-id", &s));
  /* every condition must hold */
  s.container_id = "web-1";
  assert_false (matches (pf, "both", &s));
  s.container_id = "ne-abc";
  assert_true (matches (pf, "both", &s));
  s.annotations = other;
  assert_false (matches (pf, "both", &s));
  policy_file_free (pf);
}

static void
test_exemption_apply (void **state)
{
  cleanup_free char *path = NULL;
  cleanup_json struct json_node *kube
      = annotations ("{\"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"}");
  struct policy_subject s = { .profile = "agents", .container_id = "mon-1", .annotations = kube };
  struct policy_file *pf;
  struct policy *p;
  char **applied = NULL;
  static const char *const names[] = { "by-id", "by-profile", "ns", NULL };

  (void)state;
  need_root ();
  path = main_file (exemptions_policy);
  pf = load_ok (path);
  p = build_ok (pf, "agents");
  policy_exemptions_apply (policy_file_exemptions (pf), &s, p, &applied);
  assert_strv ((const char *const *)applied, names);
  /* host-namespaces: `ns` grants off, `by-id` warn: the most permissive wins.  */
  assert_int_equal (action_of (p, "host-namespaces"), ACTION_OFF);
  assert_int_equal (action_of (p, "sensitive-mounts"), ACTION_WARN);
  assert_int_equal (action_of (p, "privileged"), ACTION_WARN);
  assert_int_equal (action_of (p, "devices"), ACTION_DENY); /* `both` did not match */
  strv_free (applied);
  policy_free (p);
  /* Nothing matches: no names, the profile's actions untouched.  */
  s = (struct policy_subject){ .profile = "baseline", .container_id = "web" };
  p = build_ok (pf, "baseline");
  policy_exemptions_apply (policy_file_exemptions (pf), &s, p, &applied);
  assert_null (applied);
  assert_int_equal (action_of (p, "host-namespaces"), ACTION_DENY);
  policy_free (p);
  policy_file_free (pf);
}

static void
test_trust_rule (void **state)
{
  static const struct bad_case cases[] = {
    /* An annotation the policy does not declare engine-set: refused at load.  */
    { "{\"exemptions\": {\"e\": {\"match\": {\"annotations\": {\n"
      "  \"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"}},\n"
      "  \"rules\": {\"privileged\": \"off\"}}}}",
      ":2:42: $.exemptions.e.match.annotations[\"io.kubernetes.cri.sandbox-namespace\"]: "
      "annotation `io.kubernetes.cri.sandbox-namespace` is not declared in "
      "`engine_set_annotations`: declare only keys every engine on this node sets itself, "
      "because `docker run --annotation` and `podman --annotation` let any user set any other "
      "key" },
    /* A key naming ocigate, declared or used: refused whatever the case.  */
    { "{\"engine_set_annotations\": [\"io.OCIgate.exempt\"]}",
      ":1:29: $.engine_set_annotations[0]: annotation `io.OCIgate.exempt` names ocigate: an "
      "annotation that addresses ocigate can be set by whoever starts a container, so it can "
      "never grant an exemption" },
    { "{\"exemptions\": {\"e\": {\"match\": {\"annotations\": {\"ocigate/skip\": \"1\"}},"
      " \"rules\": {\"privileged\": \"off\"}}}}",
      ":1:65: $.exemptions.e.match.annotations[\"ocigate/skip\"]: annotation `ocigate/skip` "
      "names ocigate: an annotation that addresses ocigate can be set by whoever starts a "
      "container, so it can never grant an exemption" },
    /* Exemptions for everyone, or granting nothing, are mistakes.  */
    { "{\"exemptions\": {\"e\": {\"match\": {}, \"rules\": {\"privileged\": \"off\"}}}}",
      ":1:32: $.exemptions.e.match: an exemption must match on `annotations`, `profiles` or "
      "`container_ids`" },
    { "{\"exemptions\": {\"e\": {\"match\": {\"container_ids\": [\"*\"]}}}}",
      ":1:22: $.exemptions.e: the exemption grants nothing (no `rules`)" },
    { "{\"exemptions\": {\"e\": {\"match\": {\"profiles\": [\"nope\"]}, \"rules\": {\"sshd\": "
      "\"off\"}}}}",
      ":1:46: $.exemptions.e.match.profiles[0]: unknown profile `nope` (profiles: `baseline`, "
      "`restricted`, `privileged`)" },
  };
  cleanup_json struct json_node *ann
      = annotations ("{\"io.kubernetes.cri.sandbox-namespace\": "
                     "\"kube-system\", \"io.ocigate.exempt\": \"1\"}");
  char *declared_list[]
      = { (char *)"io.kubernetes.cri.image-name", (char *)"io.ocigate.exempt", NULL };
  struct policy_annotation_match m1
      = { (char *)"io.kubernetes.cri.sandbox-namespace", (char *)"kube-system" };
  struct policy_annotation_match m2 = { (char *)"io.ocigate.exempt", (char *)"1" };
  struct policy_exemption ex = { .name = (char *)"mem", .annotations = &m1, .n_annotations = 1 };
  struct policy_exemptions set = { .engine_set_annotations = declared_list, .items = &ex, .n = 1 };
  struct policy_subject s = { .profile = "baseline", .annotations = ann };

  (void)state;
  need_root ();
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      cleanup_free char *path = main_file (cases[i].content);
      cleanup_free char *want = xasprintf ("/policy.json%s", cases[i].error);

      load_fails (path, want);
    }
  /* The matcher re-checks: an undeclared key never grants, even when the value matches, and
   * neither does a key naming ocigate, even when declared.  */
  assert_false (policy_exemption_matches (&set, &ex, &s));
  ex.annotations = &m2;
  assert_false (policy_exemption_matches (&set, &ex, &s));
  declared_list[1] = (char *)"io.kubernetes.cri.sandbox-namespace";
  ex.annotations = &m1;
  assert_true (policy_exemption_matches (&set, &ex, &s));
}

/* ---- runtime ---- */

static void
test_runtime (void **state)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *def = xasprintf ("%s/policy.json", dir);
  char *rt = NULL;

  (void)state;
  need_root ();
  /* No file at the default path: NULL, no error.  */
  assert_int_equal (policy_file_runtime (NULL, &rt, &err), 0);
  assert_null (rt);
  path = main_file ("{\"runtime\": \"/usr/sbin/runc\"}");
  assert_int_equal (policy_file_runtime (path, &rt, &err), 0);
  assert_string_equal (rt, "/usr/sbin/runc");
  free (rt);
  /* The default file, through the default path, with a drop-in overriding it.  */
  free (put ("policy.d/50-crun.json", "{\"runtime\": \"/usr/bin/crun\"}", 0644));
  policy_file_default_path = def;
  assert_int_equal (policy_file_runtime (NULL, &rt, &err), 0);
  assert_string_equal (rt, "/usr/bin/crun");
  free (rt);
  /* OCIGATE_POLICY names another file (with no drop-ins of its own).  */
  free (put ("other.json", "{\"runtime\": \"/opt/runc\"}", 0644));
  {
    cleanup_free char *other = xasprintf ("%s/other.json", dir);
    setenv (POLICY_FILE_ENV, other, 1);
    assert_int_equal (policy_file_runtime (NULL, &rt, &err), 0);
    unsetenv (POLICY_FILE_ENV);
  }
  assert_string_equal (rt, "/opt/runc");
  free (rt);
  /* A malformed file is an error for pass-through verbs too: never guess the runtime.  */
  free (main_file ("{\"runtime\": \"/usr/sbin/runc\",}"));
  assert_int_equal (policy_file_runtime (path, &rt, &err), -1);
  assert_null (rt);
}

/* ---- seccomp profile files ---- */

static void
test_seccomp_path (void **state)
{
  cleanup_free char *good = NULL;
  cleanup_free char *bad = NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *content = NULL;
  struct policy_file *pf;
  struct policy *p;
  const char *embedded = seccomp_embedded_profile ("default", NULL);

  (void)state;
  need_root ();
  good = put ("seccomp/good.json", embedded, 0644);
  bad = put ("seccomp/bad.json", "{\"defaultAction\": \"SCMP_ACT_NOPE\", \"syscalls\": []}", 0644);
  content
      = xasprintf ("{\"profiles\": {\"good\": {\"rules\": {\"seccomp\": {\"profile\": \"%s\"}}},"
                   " \"bad\": {\"rules\": {\"seccomp\": {\"profile\": \"%s\"}}}}}",
                   good, bad);
  path = main_file (content);
  pf = load_ok (path);
  p = build_ok (pf, "good");
  assert_string_equal (seccomp_of (p)->name, good);
  assert_non_null (policy_seccomp_profile ((struct param_seccomp *)seccomp_of (p), NULL));
  policy_free (p);
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (policy_file_build (pf, "bad", &err));
    assert_non_null (strstr (err->msg, "profile `bad`: seccomp profile `"));
    assert_non_null (strstr (err->msg, "SCMP_ACT_NOPE"));
  }
  /* A seccomp profile is trusted input as well.  */
  assert_int_equal (chmod (good, 0666), 0);
  {
    cleanup_error ocg_error_t err = NULL;
    assert_null (policy_file_build (pf, "good", &err));
    assert_non_null (strstr (err->msg, "is writable by group or others (mode 0666)"));
  }
  /* validate builds every profile, so it finds the broken one.  */
  {
    cleanup_error ocg_error_t err = NULL;
    FILE *out = fopen ("/dev/null", "w");
    struct policy_validate v = { .file = path };
    assert_int_equal (policy_command_validate (&v, out, out, &err), -1);
    fclose (out);
  }
  policy_file_free (pf);
}

/* ---- show / validate ---- */

/* Run fn with `out` and `diag` captured; *diag_text gets what went to diag (may be NULL).  */
static char *
capture (int (*fn) (const char *, const char *, FILE *, FILE *, ocg_error_t *), const char *file,
         const char *profile, int *ret, char **diag_text)
{
  cleanup_error ocg_error_t err = NULL;
  char *buf = NULL, *dbuf = NULL;
  size_t len = 0, dlen = 0;
  FILE *out = open_memstream (&buf, &len);
  FILE *diag = open_memstream (&dbuf, &dlen);

  *ret = fn (file, profile, out, diag, &err);
  fclose (out);
  fclose (diag);
  if (diag_text != NULL)
    *diag_text = dbuf;
  else
    free (dbuf);
  return buf;
}

static int
validate_adapter (const char *file, const char *profile, FILE *out, FILE *diag, ocg_error_t *err)
{
  struct policy_validate v = { .file = file, .profile = profile, .profile_how = "the test" };

  return policy_command_validate (&v, out, diag, err);
}

static void
test_show_round_trip (void **state)
{
  cleanup_free char *path = NULL;
  cleanup_free char *shown = NULL;
  cleanup_free char *again = NULL;
  cleanup_free char *summary = NULL;
  struct policy_file *pf, *pf2;
  struct policy *a, *b;
  int ret = -1;
  size_t n = 0;

  (void)state;
  need_root ();
  path = main_file (merge_main);
  shown = capture (policy_command_show, path, "web", &ret, NULL);
  assert_int_equal (ret, 0);
  assert_non_null (strstr (shown, "\"profile\": \"web\""));
  /* The output is itself a policy file that yields the same effective policy.  */
  again = put ("shown/policy.json", shown, 0644);
  pf = load_ok (path);
  pf2 = load_ok (again);
  a = build_ok (pf, "web");
  b = build_ok (pf2, "web");
  rules_table (&n);
  assert_memory_equal (a->actions, b->actions, n * sizeof (*a->actions));
  assert_int_equal (a->mode, b->mode);
  assert_strv (policy_param_list (b, "capabilities", "allow"),
               policy_param_list (a, "capabilities", "allow"));
  assert_int_equal (*(const int64_t *)policy_param (a, "resource-limits", "memory_default"),
                    *(const int64_t *)policy_param (b, "resource-limits", "memory_default"));
  assert_string_equal (seccomp_of (a)->name, seccomp_of (b)->name);
  policy_free (a);
  policy_free (b);
  policy_file_free (pf);
  policy_file_free (pf2);
  summary = capture (validate_adapter, path, NULL, &ret, NULL);
  assert_int_equal (ret, 0);
  {
    cleanup_free char *want
        = xasprintf ("loaded %s (searched %s, %s/policy.d/*.json)\nprofiles: baseline, restricted, "
                     "privileged, web (default: baseline)\nexemptions: none\n",
                     path, path, dir);
    assert_string_equal (summary, want);
  }
  free (capture (policy_command_show, path, "nope", &ret, NULL));
  assert_int_equal (ret, -1);
}

/* ---- contrib/policy examples ---- */

static char *
slurp (const char *path)
{
  FILE *f = fopen (path, "r");
  char *buf = NULL;
  size_t cap = 0;
  ssize_t n;

  if (f == NULL)
    fail_msg ("open `%s`: %s", path, strerror (errno));
  n = getdelim (&buf, &cap, '\0', f);
  fclose (f);
  assert_true (n > 0);
  return buf;
}

/* A copy of the shipped example (copied: the source tree's owner and modes are not ours to
 * trust), validated and, for the exemptions example, matched against real CRI annotations.  */
static struct policy_file *
load_contrib (const char *name)
{
  const char *src = getenv ("OCG_SRCDIR");
  cleanup_free char *from = NULL;
  cleanup_free char *content = NULL;
  cleanup_free char *copy = NULL;
  cleanup_free char *summary = NULL;
  int ret = -1;

  if (src == NULL)
    skip ();
  from = xasprintf ("%s/contrib/policy/%s", src, name);
  content = slurp (from);
  copy = put (name, content, 0644);
  summary = capture (validate_adapter, copy, NULL, &ret, NULL);
  assert_int_equal (ret, 0);
  return load_ok (copy);
}

static void
test_contrib_examples (void **state)
{
  cleanup_json struct json_node *pod = NULL;
  struct json_node *ann;
  struct policy_subject s = { .profile = "baseline", .container_id = "0123abcd" };
  struct policy_file *pf;
  struct policy *p;
  char **applied = NULL;
  static const char *const kube[] = { "kube-system-node-agents", NULL };

  (void)state;
  need_root ();
  pf = load_contrib ("01-audit.json");
  p = build_ok (pf, "baseline");
  assert_int_equal (p->mode, MODE_AUDIT);
  policy_free (p);
  policy_file_free (pf);

  pf = load_contrib ("02-enforce-with-exemptions.json");
  {
    const char *fx = getenv ("OCG_FIXTURES");
    cleanup_free char *path = xasprintf ("%s/real-clients/cri-podnet-container.config.json", fx);
    cleanup_free char *text = slurp (path);
    cleanup_error ocg_error_t err = NULL;
    struct json_parse_opts opts = { .source = path };
    pod = json_parse (text, strlen (text), &opts, &err);
    assert_non_null (pod);
  }
  ann = json_obj_get (pod, "annotations");
  s.annotations = ann;
  p = build_ok (pf, "baseline");
  assert_int_equal (p->mode, MODE_ENFORCE);
  assert_string_equal (p->runtime, "/usr/sbin/runc");
  /* As captured: namespace "default" -- no exemption.  */
  policy_exemptions_apply (policy_file_exemptions (pf), &s, p, &applied);
  assert_null (applied);
  assert_int_equal (action_of (p, "privileged"), ACTION_DENY);
  /* The same pod in kube-system.  */
  json_obj_set (ann, "io.kubernetes.cri.sandbox-namespace", json_new_string ("kube-system"));
  policy_exemptions_apply (policy_file_exemptions (pf), &s, p, &applied);
  assert_strv ((const char *const *)applied, kube);
  assert_int_equal (action_of (p, "privileged"), ACTION_OFF);
  assert_int_equal (action_of (p, "host-namespaces"), ACTION_OFF);
  assert_int_equal (action_of (p, "sensitive-mounts"), ACTION_WARN);
  assert_int_equal (action_of (p, "sysctls"), ACTION_DENY);
  strv_free (applied);
  policy_free (p);
  policy_file_free (pf);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_merge_order, setup, teardown),
    cmocka_unit_test_setup_teardown (test_default_dropins_only, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_file, setup, teardown),
    cmocka_unit_test_setup_teardown (test_strict_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_digest, setup, teardown),
    cmocka_unit_test_setup_teardown (test_parse_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_ownership, setup, teardown),
    cmocka_unit_test_setup_teardown (test_configmap_symlinks, setup, teardown),
    cmocka_unit_test_setup_teardown (test_symlink_paths, setup, teardown),
    cmocka_unit_test_setup_teardown (test_inheritance, setup, teardown),
    cmocka_unit_test_setup_teardown (test_inheritance_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exemption_matchers, setup, teardown),
    cmocka_unit_test_setup_teardown (test_exemption_apply, setup, teardown),
    cmocka_unit_test_setup_teardown (test_trust_rule, setup, teardown),
    cmocka_unit_test_setup_teardown (test_runtime, setup, teardown),
    cmocka_unit_test_setup_teardown (test_seccomp_path, setup, teardown),
    cmocka_unit_test_setup_teardown (test_show_round_trip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_contrib_examples, setup, teardown),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
