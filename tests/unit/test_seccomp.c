/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/seccomp/seccomp*.c: every includes/excludes branch of seccomp_specialise,
 * the architectures it emits, the shape it hands to runc, what it refuses; seccomp_check_profile on
 * the shipped profiles and on broken ones; the seccomp_is_restrictive table; the embedded copies
 * being byte-identical to seccomp-profiles/.  */
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
#include <seccomp.h> /* libseccomp: SCMP_ARCH_* */

#include "fsutil.h"
#include "json.h"
#include "seccomp.h"
#include "util.h"

static struct json_node *
parse (const char *text)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_parse_opts opts = { .source = "test" };
  struct json_node *n = json_parse (text, strlen (text), &opts, &err);

  if (n == NULL)
    fail_msg ("cannot parse `%s`: %s", text, err->msg);
  return n;
}

/* A Docker-format profile with one group, the rest fixed.  */
static struct json_node *
profile_with (const char *group)
{
  cleanup_free char *text = xasprintf (
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"archMap\": ["
      "{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", "
      "\"SCMP_ARCH_X32\"]},"
      "{\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}],"
      "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, %s]}",
      group);
  return parse (text);
}

static struct json_node *
specialise (const struct json_node *profile, const char *const *caps, size_t n, uint32_t arch,
            unsigned major, unsigned minor)
{
  cleanup_error ocg_error_t err = NULL;
  struct json_node *oci = seccomp_specialise (profile, caps, n, arch, major, minor, &err);

  if (oci == NULL)
    fail_msg ("specialise failed: %s", err->msg);
  return oci;
}

/* Is the group `{"names": ["mount"] ...}` (the second one) in the output?  */
static bool
kept (const char *group, const char *const *caps, size_t n, uint32_t arch, unsigned major,
      unsigned minor)
{
  cleanup_json struct json_node *p = profile_with (group);
  cleanup_json struct json_node *oci = specialise (p, caps, n, arch, major, minor);
  const struct json_node *s = json_obj_get (oci, "syscalls");

  assert_true (s->n == 1 || s->n == 2);
  return s->n == 2;
}

static void
test_includes_caps (void **state)
{
  const char *g = "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", "
                  "\"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_SYS_CHROOT\"]}}";
  const char *both[] = { "CAP_SYS_CHROOT", "CAP_SYS_ADMIN" };
  const char *one[] = { "CAP_SYS_ADMIN" };

  (void)state;
  assert_true (kept (g, both, 2, SCMP_ARCH_X86_64, 6, 1));
  assert_false (kept (g, one, 1, SCMP_ARCH_X86_64, 6, 1)); /* ALL must be present */
  assert_false (kept (g, NULL, 0, SCMP_ARCH_X86_64, 6, 1));
}

static void
test_excludes_caps (void **state)
{
  const char *g = "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", "
                  "\"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_BPF\"]}}";
  const char *bpf[] = { "CAP_CHOWN", "CAP_BPF" };
  const char *chown[] = { "CAP_CHOWN" };

  (void)state;
  assert_false (kept (g, bpf, 2, SCMP_ARCH_X86_64, 6, 1)); /* ANY present excludes */
  assert_true (kept (g, chown, 1, SCMP_ARCH_X86_64, 6, 1));
  assert_true (kept (g, NULL, 0, SCMP_ARCH_X86_64, 6, 1));
}

static void
test_arches (void **state)
{
  const char *inc = "{\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\", "
                    "\"includes\": {\"arches\": [\"amd64\", \"x32\"]}}";
  const char *exc = "{\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\", "
                    "\"excludes\": {\"arches\": [\"arm64\"]}}";

  (void)state;
  assert_true (kept (inc, NULL, 0, SCMP_ARCH_X86_64, 6, 1));
  assert_false (kept (inc, NULL, 0, SCMP_ARCH_AARCH64, 6, 1));
  assert_true (kept (exc, NULL, 0, SCMP_ARCH_X86_64, 6, 1));
  assert_false (kept (exc, NULL, 0, SCMP_ARCH_AARCH64, 6, 1));
}

static void
test_min_kernel (void **state)
{
  const char *inc = "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", "
                    "\"includes\": {\"minKernel\": \"4.8\"}}";
  const char *exc = "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", "
                    "\"excludes\": {\"minKernel\": \"5.10\"}}";
  /* moby: "" decodes to 0.0, which every kernel satisfies; null is no condition.  */
  const char *empty = "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", "
                      "\"excludes\": {\"minKernel\": \"\"}}";
  const char *null = "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\", "
                     "\"excludes\": {\"minKernel\": null}}";

  (void)state;
  assert_true (kept (inc, NULL, 0, SCMP_ARCH_X86_64, 4, 8));
  assert_true (kept (inc, NULL, 0, SCMP_ARCH_X86_64, 5, 0));
  assert_false (kept (inc, NULL, 0, SCMP_ARCH_X86_64, 4, 7));
  assert_false (kept (inc, NULL, 0, SCMP_ARCH_X86_64, 3, 19));
  assert_true (kept (exc, NULL, 0, SCMP_ARCH_X86_64, 5, 9));
  assert_false (kept (exc, NULL, 0, SCMP_ARCH_X86_64, 5, 10));
  assert_false (kept (empty, NULL, 0, SCMP_ARCH_X86_64, 2, 6));
  assert_true (kept (null, NULL, 0, SCMP_ARCH_X86_64, 2, 6));
}

static void
assert_arches (uint32_t native, const char *expected)
{
  cleanup_json struct json_node *p = profile_with ("{\"names\": [], \"action\": \"SCMP_ACT_LOG\"}");
  cleanup_json struct json_node *oci = specialise (p, NULL, 0, native, 6, 1);
  cleanup_json struct json_node *want = parse (expected);

  assert_true (json_equal (json_obj_get (oci, "architectures"), want));
}

static void
test_architectures (void **state)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *p = profile_with ("{\"names\": [], \"action\": \"SCMP_ACT_LOG\"}");

  (void)state;
  assert_arches (SCMP_ARCH_X86_64, "[\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]");
  assert_arches (SCMP_ARCH_AARCH64, "[\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"]");
  /* An archMap without the native architecture is refused rather than guessed.  */
  assert_null (seccomp_specialise (p, NULL, 0, SCMP_ARCH_S390X, 6, 1, &err));
  assert_non_null (strstr (err->msg, "SCMP_ARCH_S390X"));
}

/* The exact output for the shipped profile's clone3 handling and its header.  */
static void
test_default_clone3 (void **state)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *p = seccomp_load_embedded ("default", &err);
  const char *admin[] = { "CAP_SYS_ADMIN" };
  cleanup_json struct json_node *plain = specialise (p, NULL, 0, SCMP_ARCH_X86_64, 6, 1);
  cleanup_json struct json_node *priv = specialise (p, admin, 1, SCMP_ARCH_X86_64, 6, 1);
  cleanup_json struct json_node *enosys
      = parse ("{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}");
  bool found_enosys = false, found_allow = false;

  (void)state;
  assert_string_equal (json_obj_get (plain, "defaultAction")->text, "SCMP_ACT_ERRNO");
  assert_string_equal (json_obj_get (plain, "defaultErrnoRet")->text, "1");
  for (size_t i = 0; i < json_obj_get (plain, "syscalls")->n; i++)
    found_enosys = found_enosys || json_equal (json_obj_get (plain, "syscalls")->items[i], enosys);
  assert_true (found_enosys);
  for (size_t i = 0; i < json_obj_get (priv, "syscalls")->n; i++)
    {
      const struct json_node *g = json_obj_get (priv, "syscalls")->items[i];
      const struct json_node *names = json_obj_get (g, "names");
      assert_false (json_equal (g, enosys));
      for (size_t j = 0; j < names->n; j++)
        found_allow = found_allow
                      || (str_eq (names->items[j]->text, "clone3")
                          && str_eq (json_obj_get (g, "action")->text, "SCMP_ACT_ALLOW"));
    }
  assert_true (found_allow);
}

/* args survive with exactly the runtime-spec keys; comment/includes/excludes do not reach runc.  */
static void
test_args_preserved (void **state)
{
  cleanup_json struct json_node *p = profile_with (
      "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"x\", "
      "\"args\": [{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, \"op\": "
      "\"SCMP_CMP_MASKED_EQ\", \"note\": 1}, {\"index\": 2, \"value\": 18446744073709551615, "
      "\"op\": \"SCMP_CMP_NE\"}], \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}");
  cleanup_json struct json_node *oci = specialise (p, NULL, 0, SCMP_ARCH_X86_64, 6, 1);
  cleanup_json struct json_node *want = parse (
      "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
      "{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"},"
      "{\"index\": 2, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"}]}");

  (void)state;
  assert_true (json_equal (json_obj_get (oci, "syscalls")->items[1], want));
}

static void
assert_refused (const char *profile_text, const char *needle)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *p = parse (profile_text);
  cleanup_json struct json_node *oci
      = seccomp_specialise (p, NULL, 0, SCMP_ARCH_X86_64, 6, 1, &err);

  if (oci != NULL)
    fail_msg ("accepted %s", profile_text);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("`%s` does not mention `%s`", err->msg, needle);
}

static void
test_refused (void **state)
{
  (void)state;
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_DENY\"}", "unknown action");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}", "crun");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\", \"errnoRet\": 1}]}",
                  "errnoRet");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, \"value\": 1, "
                  "\"op\": \"SCMP_CMP_EQ\"}]}]}",
                  "index");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": -1, "
                  "\"op\": \"SCMP_CMP_EQ\"}]}]}",
                  "unsigned");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, "
                  "\"op\": \"SCMP_CMP_BETWEEN\"}]}]}",
                  "operator");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"a\", "
                  "\"names\": [\"b\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
                  "both");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\"}]}",
                  "empty");
  /* Go would read `Names` as `names`; we refuse to guess.  */
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"Names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\"}]}",
                  "Names");
  assert_refused (
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
      "[\"SCMP_ARCH_X86_64\"], \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
      "both");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"4.8.1\"}}]}",
                  "minKernel");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], "
                  "\"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"0.0\"}}]}",
                  "minKernel");
}

/* Run seccomp_check_profile; the report comes back in *report (malloc'd).  */
static int
check (const struct json_node *profile, char **report, char **msg)
{
  cleanup_error ocg_error_t err = NULL;
  size_t size = 0;
  FILE *f = open_memstream (report, &size);
  int rc;

  assert_non_null (f);
  rc = seccomp_check_profile (profile, f, &err);
  fclose (f);
  *msg = rc < 0 ? xstrdup (err->msg) : NULL;
  return rc;
}

static void
test_check_shipped (void **state)
{
  static const char *const names[] = { "default", "strict" };
  const char *srcdir = getenv ("OCG_SRCDIR");

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_json struct json_node *p = seccomp_load_embedded (names[i], &err);
      cleanup_free char *report = NULL, *msg = NULL, *path = NULL, *buf = NULL;
      size_t len = 0, elen = 0;
      const char *embedded = seccomp_embedded_profile (names[i], &elen);

      assert_non_null (p);
      if (check (p, &report, &msg) != 0)
        fail_msg ("%s: %s\n%s", names[i], msg, report);
      assert_non_null (strstr (report, "SCMP_ARCH_X86_64: "));
      assert_non_null (strstr (report, "SCMP_ARCH_AARCH64: "));
      assert_null (strstr (report, "error:"));
      /* The embedded copy is the shipped file, byte for byte.  */
      if (srcdir == NULL)
        continue;
      path = xasprintf ("%s/seccomp-profiles/%s.json", srcdir, names[i]);
      buf = fsutil_read_at (AT_FDCWD, path, 4u << 20, &len, &err);
      assert_non_null (buf);
      assert_int_equal (len, elen);
      assert_memory_equal (buf, embedded, len);
    }
}

/* An unknown name is reported once per architecture it was resolved for, and fails.  */
static void
test_check_unknown_name (void **state)
{
  (void)state;
  cleanup_json struct json_node *p
      = profile_with ("{\"names\": [\"frobnicate\", \"mseal\"], \"action\": \"SCMP_ACT_ALLOW\"}");
  cleanup_free char *report = NULL, *msg = NULL;

  assert_int_equal (check (p, &report, &msg), -1);
  assert_non_null (strstr (msg, "invalid"));
  assert_non_null (strstr (report, "error: SCMP_ARCH_X86_64: unknown syscall `frobnicate`"));
  assert_non_null (strstr (report, "error: SCMP_ARCH_X86: unknown syscall `frobnicate`"));
  assert_non_null (strstr (report, "error: SCMP_ARCH_X32: unknown syscall `frobnicate`"));
  assert_non_null (strstr (report, "error: SCMP_ARCH_AARCH64: unknown syscall `frobnicate`"));
  assert_non_null (strstr (report, "error: SCMP_ARCH_ARM: unknown syscall `frobnicate`"));
  /* A real syscall newer than libseccomp's table is a note, not an error.  */
  assert_null (strstr (report, "unknown syscall `mseal`"));
}

static void
test_check_newer_syscall_ok (void **state)
{
  cleanup_json struct json_node *p = profile_with (
      "{\"names\": [\"mseal\", \"lsm_list_modules\"], \"action\": \"SCMP_ACT_ALLOW\"}");
  cleanup_free char *report = NULL, *msg = NULL;

  (void)state;
  if (check (p, &report, &msg) != 0)
    fail_msg ("%s\n%s", msg, report);
}

static void
assert_check_fails (const char *text, const char *needle)
{
  cleanup_json struct json_node *p = parse (text);
  cleanup_free char *report = NULL, *msg = NULL;

  assert_int_equal (check (p, &report, &msg), -1);
  if (strstr (report, needle) == NULL && strstr (msg, needle) == NULL)
    fail_msg ("neither `%s` nor the report mention `%s`:\n%s", msg, needle, report);
}

static void
test_check_broken (void **state)
{
  (void)state;
  assert_check_fails ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                      "[\"read\"], \"action\": \"SCMP_ACT_PERMIT\"}]}",
                      "unknown action `SCMP_ACT_PERMIT`");
  assert_check_fails ("{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/x\"}",
                      "defaultAction");
  assert_check_fails ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": "
                      "[\"SECCOMP_FILTER_FLAG_LOG\"]}",
                      "flags");
  assert_check_fails ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
                      "[\"SCMP_ARCH_RISCV64\"]}",
                      "runc 1.1.5");
  assert_check_fails ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": "
                      "[\"write\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
                      "`write`");
  assert_check_fails ("[]", "object");
}

/* Two conditions on one argument are OR'ed by both runtimes: a note, not an error.  */
static void
test_check_same_index_note (void **state)
{
  cleanup_json struct json_node *p = parse (
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], "
      "\"syscalls\": [{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
      "{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_GE\"}, {\"index\": 0, \"value\": 9, "
      "\"op\": \"SCMP_CMP_LE\"}]}]}");
  cleanup_free char *report = NULL, *msg = NULL;

  (void)state;
  if (check (p, &report, &msg) != 0)
    fail_msg ("%s\n%s", msg, report);
  assert_non_null (strstr (report, "OR"));
}

/* An unconditional rule next to one with another action: libseccomp keeps the first silently.  */
static void
test_check_conflict_note (void **state)
{
  (void)state;
  cleanup_json struct json_node *p
      = parse ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": ["
               "{\"names\": [\"setns\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
               "{\"names\": [\"setns\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1, "
               "\"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}");
  cleanup_free char *report = NULL, *msg = NULL;

  if (check (p, &report, &msg) != 0)
    fail_msg ("%s\n%s", msg, report);
  assert_non_null (strstr (report, "`setns` has an unconditional rule"));
}

/* archMap entries for other hosts are compiled as that host would (s390x cannot share a filter
 * with x86_64), moby's `name` and arches other than the host's are handled.  */
static void
test_check_foreign_archmap (void **state)
{
  cleanup_json struct json_node *p = parse (
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": ["
      "{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]},"
      "{\"architecture\": \"SCMP_ARCH_S390X\", \"subArchitectures\": [\"SCMP_ARCH_S390\"]}],"
      "\"syscalls\": [{\"name\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"},"
      "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, "
      "\"value\": 2114060288, \"op\": \"SCMP_CMP_MASKED_EQ\"}], \"includes\": {\"arches\": "
      "[\"s390x\"]}}]}");
  cleanup_free char *report = NULL, *msg = NULL;

  (void)state;
  if (check (p, &report, &msg) != 0)
    fail_msg ("%s\n%s", msg, report);
  assert_non_null (strstr (report, "SCMP_ARCH_S390X: 1 capability set checked"));
  assert_null (strstr (report, "error:"));
}

static bool
restrictive (const char *text)
{
  cleanup_json struct json_node *n = parse (text);
  return seccomp_is_restrictive (n);
}

static void
test_restrictive (void **state)
{
  static const struct
  {
    const char *oci;
    bool want;
  } table[] = {
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
      "\"action\": \"SCMP_ACT_ALLOW\"}]}",
      true },
    { "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\"}", true },
    { "{\"defaultAction\": \"SCMP_ACT_KILL\"}", true },
    { "{\"defaultAction\": \"SCMP_ACT_KILL_THREAD\"}", true },
    { "{\"defaultAction\": \"SCMP_ACT_TRAP\"}", true },
    /* Allow by default, even with a deny list: a new syscall or an alias is never covered.  */
    { "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", false },
    { "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mount\", "
      "\"unshare\", \"bpf\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
      false },
    { "{\"defaultAction\": \"SCMP_ACT_LOG\"}", false },
    { "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/run/agent\"}", false },
    /* A traced container process can approve its own child's syscalls.  */
    { "{\"defaultAction\": \"SCMP_ACT_TRACE\"}", false },
    /* Deny by default but the escape set open, with or without argument filters.  */
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", "
      "\"kexec_load\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
      false },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"bpf\"], "
      "\"action\": \"SCMP_ACT_LOG\"}]}",
      false },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"open_by_handle_at\"], "
      "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 3, \"op\": "
      "\"SCMP_CMP_EQ\"}]}]}",
      false },
    /* The escape set named with a denying action is fine; mount/unshare are the kernel's call.  */
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"bpf\"], "
      "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}, {\"names\": [\"mount\", \"unshare\", "
      "\"keyctl\", \"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
      true },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", false },
    { "{\"syscalls\": []}", false },
    { "[]", false },
  };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    if (restrictive (table[i].oci) != table[i].want)
      fail_msg ("seccomp_is_restrictive (%s) != %d", table[i].oci, table[i].want);
  assert_false (seccomp_is_restrictive (NULL));
}

/* Both shipped profiles are restrictive for a default container; with every capability that
 * unlocks an escape syscall the default profile honestly is not.  */
static void
test_shipped_restrictive (void **state)
{
  static const char *const docker_caps[]
      = { "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
          "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
          "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
          "CAP_KILL",    "CAP_AUDIT_WRITE" };
  const char *module[] = { "CAP_SYS_MODULE" };
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *def = seccomp_load_embedded ("default", &err);
  cleanup_json struct json_node *strict = seccomp_load_embedded ("strict", &err);
  cleanup_json struct json_node *a
      = specialise (def, docker_caps, ARRAY_SIZE (docker_caps), SCMP_ARCH_X86_64, 6, 1);
  cleanup_json struct json_node *b = specialise (strict, NULL, 0, SCMP_ARCH_X86_64, 6, 1);
  cleanup_json struct json_node *c = specialise (def, module, 1, SCMP_ARCH_X86_64, 6, 1);

  (void)state;
  assert_true (seccomp_is_restrictive (a));
  assert_true (seccomp_is_restrictive (b));
  assert_false (seccomp_is_restrictive (c));
}

static void
test_embedded (void **state)
{
  size_t len = 0;

  (void)state;
  assert_non_null (seccomp_embedded_profile ("default", &len));
  assert_true (len > 1000);
  assert_non_null (seccomp_embedded_profile ("strict", NULL));
  assert_null (seccomp_embedded_profile ("unconfined", &len));
  assert_null (seccomp_embedded_profile ("../default", &len));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_includes_caps),
    cmocka_unit_test (test_excludes_caps),
    cmocka_unit_test (test_arches),
    cmocka_unit_test (test_min_kernel),
    cmocka_unit_test (test_architectures),
    cmocka_unit_test (test_default_clone3),
    cmocka_unit_test (test_args_preserved),
    cmocka_unit_test (test_refused),
    cmocka_unit_test (test_check_shipped),
    cmocka_unit_test (test_check_unknown_name),
    cmocka_unit_test (test_check_newer_syscall_ok),
    cmocka_unit_test (test_check_broken),
    cmocka_unit_test (test_check_same_index_note),
    cmocka_unit_test (test_check_conflict_note),
    cmocka_unit_test (test_check_foreign_archmap),
    cmocka_unit_test (test_restrictive),
    cmocka_unit_test (test_shipped_restrictive),
    cmocka_unit_test (test_embedded),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
