/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for seccomp_merge_oci (policy/seccomp/seccomp_merge.c).  What a filter answers is
 * decided by building it with libseccomp (seccomp_bpf_export) and running the BPF program
 * (bpf_emu.h) over every syscall number and over the argument values the programs compare with --
 * not by reading the JSON back.  Covered: runc's own seccomp test profiles (an allow-all profile
 * that denies mkdir with ERRNO, a chosen errno, or KILL) keep their denial under the policy's
 * profile; Podman's default gets the policy's answer for the host-global syscalls and nothing else;
 * Docker's default is left alone; two different clone masks intersect; what cannot be combined
 * or read is refused; and a few hundred generated profiles, merged with the shipped profiles:
 * the result is never weaker than either input, libseccomp builds it, and a second merge
 * changes nothing.  OCG_MERGE_ROUNDS (240) and OCG_MERGE_SEED run more or other generated
 * profiles; OCG_MERGE_VERBOSE prints why each refused merge was refused.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h> /* libseccomp: seccomp_arch_native, SCMP_SYS */

#include "bpf_emu.h"
#include "seccomp_gen.h"
#include "fsutil.h"
#include "json.h"
#include "seccomp.h"
#include "util.h"

static const char *const host_global[]
    = { "keyctl",      "add_key", "request_key", "bpf",    "perf_event_open",
        "userfaultfd", "unshare", "clone",       "clone3", NULL };

static const char *const podman_caps[]
    = { "CAP_CHOWN",     "CAP_DAC_OVERRIDE", "CAP_FOWNER",  "CAP_FSETID",           "CAP_KILL",
        "CAP_SETGID",    "CAP_SETUID",       "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP",
        "CAP_SYS_CHROOT" };

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

/* The shipped profile `name` specialised for caps on this host.  */
static struct json_node *
policy_oci (const char *name, const char *const *caps, size_t n)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *p = seccomp_load_embedded (name, &err);
  struct json_node *oci = NULL;
  unsigned kv[2] = { 6, 1 };

  assert_non_null (p);
  oci = seccomp_specialise (p, caps, n, seccomp_arch_native (), kv[0], kv[1], &err);
  if (oci == NULL)
    fail_msg ("specialise: %s", err->msg);
  return oci;
}

static struct json_node *
fixture_seccomp (const char *file)
{
  const char *dir = getenv ("OCG_FIXTURES");
  cleanup_free char *path
      = xasprintf ("%s/real-clients/%s", dir && *dir ? dir : "tests/fixtures", file);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *buf = NULL;
  cleanup_json struct json_node *root = NULL;
  struct json_parse_opts opts = { .source = path };
  size_t len = 0;

  buf = fsutil_read_at (AT_FDCWD, path, 4u << 20, &len, &err);
  assert_non_null (buf);
  root = json_parse (buf, len, &opts, &err);
  assert_non_null (root);
  return json_clone (json_obj_get (json_obj_get (root, "linux"), "seccomp"));
}

struct filter
{
  struct bpf_prog prog;
  void *bytes;
};

/* false when libseccomp refuses the object (the runtime would not start the container).  */
static bool
filter_build (const struct json_node *oci, struct filter *f)
{
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0;

  f->bytes = seccomp_bpf_export (oci, &len, &err);
  f->prog.insns = f->bytes;
  f->prog.n = len / sizeof (struct sock_filter);
  return f->bytes != NULL;
}

static void
filter_must_build (const struct json_node *oci, struct filter *f)
{
  if (!filter_build (oci, f))
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_free char *text = json_serialize (oci, NULL, &err);
      fail_msg ("libseccomp refuses %s", text);
    }
}

/* What the filter answers to (nr, args) on x86-64.  */
static uint32_t
answer (const struct filter *f, int nr, uint64_t a0)
{
  struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64, .args = { a0 } };
  bool read = false;
  return bpf_emu_run (&f->prog, &d, &read);
}

static void
assert_no_weaker (const struct json_node *strict, const struct json_node *loose, const char *what)
{
  struct filter s, l;
  cleanup_free char *why = NULL;

  filter_must_build (strict, &s);
  filter_must_build (loose, &l);
  why = bpf_emu_compare (&s.prog, &l.prog);
  free (s.bytes);
  free (l.bytes);
  if (why != NULL)
    {
      cleanup_error ocg_error_t err = NULL;
      cleanup_free char *a = json_serialize (loose, NULL, &err);
      cleanup_free char *b = json_serialize (strict, NULL, &err);
      fail_msg ("%s: %s\nweaker than: %s\nresult: %s", what, why, a, b);
    }
}

/* The merged object; *tightened (when not NULL) gets the tightened names, *changed whether
 * the merge changed anything.  */
static struct json_node *
merge_ex (const struct json_node *own, const struct json_node *pol, const char *const *only,
          char ***tightened, bool *changed)
{
  cleanup_error ocg_error_t err = NULL;
  struct seccomp_merge_result res;
  struct json_node *out;

  if (seccomp_merge_oci (own, pol, only, seccomp_arch_native (), &res, &err) < 0)
    fail_msg ("merge refused: %s", err->msg);
  out = steal_pointer (&res.oci);
  if (tightened != NULL)
    *tightened = steal_pointer (&res.tightened);
  if (changed != NULL)
    *changed = res.changed;
  seccomp_merge_result_release (&res);
  return out;
}

static struct json_node *
merge (const struct json_node *own, const struct json_node *pol, const char *const *only,
       char ***tightened)
{
  return merge_ex (own, pol, only, tightened, NULL);
}

/* ---- runc's own test profiles ---- */

static void
check_runc_mkdir (const char *action, uint32_t want)
{
  cleanup_free char *text
      = xasprintf ("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\", "
                   "\"SCMP_ARCH_X32\"], \"syscalls\": [{\"names\": [\"mkdir\"], %s}]}",
                   action);
  cleanup_json struct json_node *own = parse (text);
  cleanup_json struct json_node *pol = policy_oci ("default", podman_caps, 0);
  cleanup_json struct json_node *m = merge (own, pol, NULL, NULL);
  cleanup_json struct json_node *again = merge (m, pol, NULL, NULL);
  struct filter f, p;

  assert_no_weaker (m, own, "merged vs runc's profile");
  assert_no_weaker (m, pol, "merged vs the policy's");
  filter_must_build (m, &f);
  filter_must_build (pol, &p);
  assert_int_equal (answer (&f, SCMP_SYS (mkdir), 0), want);
  /* The policy's profile alone lets mkdir through: the check above can fail.  */
  assert_int_equal (answer (&p, SCMP_SYS (mkdir), 0), SECCOMP_RET_ALLOW);
  {
    cleanup_free char *weaker = bpf_emu_compare (&p.prog, &f.prog);
    assert_non_null (weaker);
  }
  /* ...and the rest of the policy holds: unshare is shut.  */
  assert_int_equal (answer (&f, SCMP_SYS (unshare), 0x10000000), SECCOMP_RET_ERRNO | EPERM);
  assert_true (json_equal (m, again));
  free (f.bytes);
  free (p.bytes);
}

static void
test_runc_mkdir_errno (void **state)
{
  (void)state;
  check_runc_mkdir ("\"action\": \"SCMP_ACT_ERRNO\"", SECCOMP_RET_ERRNO | EPERM);
}

static void
test_runc_mkdir_errno_100 (void **state)
{
  (void)state;
  check_runc_mkdir ("\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 100", SECCOMP_RET_ERRNO | 100);
}

static void
test_runc_mkdir_kill (void **state)
{
  (void)state;
  check_runc_mkdir ("\"action\": \"SCMP_ACT_KILL\"", SECCOMP_RET_KILL_THREAD);
}

static void
test_runc_mkdir_kill_process (void **state)
{
  (void)state;
  check_runc_mkdir ("\"action\": \"SCMP_ACT_KILL_PROCESS\"", SECCOMP_RET_KILL_PROCESS);
}

/* ---- engine defaults ---- */

static size_t
strv_len (char **v)
{
  size_t n = 0;
  while (v != NULL && v[n] != NULL)
    n++;
  return n;
}

/* Podman allows keyctl, unshare, clone and clone3 outright: they get the policy's answer, and
 * nothing else changes.  */
static void
test_podman_host_global (void **state)
{
  cleanup_json struct json_node *own = fixture_seccomp ("podman-default.config.json");
  cleanup_json struct json_node *pol
      = policy_oci ("default", podman_caps, ARRAY_SIZE (podman_caps));
  cleanup_strv char **tight = NULL;
  cleanup_strv char **tight2 = NULL;
  cleanup_json struct json_node *m = merge (own, pol, host_global, &tight);
  cleanup_json struct json_node *again = merge (m, pol, host_global, &tight2);
  struct filter f, o;

  (void)state;
  assert_int_equal (strv_len (tight), 4);
  assert_string_equal (tight[0], "clone");
  assert_string_equal (tight[1], "clone3");
  assert_string_equal (tight[2], "keyctl");
  assert_string_equal (tight[3], "unshare");
  assert_null (tight2);
  assert_true (json_equal (m, again));
  assert_no_weaker (m, own, "merged vs podman's");
  filter_must_build (m, &f);
  filter_must_build (own, &o);
  assert_int_equal (answer (&o, SCMP_SYS (keyctl), 0), SECCOMP_RET_ALLOW);
  assert_int_equal (answer (&f, SCMP_SYS (keyctl), 0), SECCOMP_RET_ERRNO | EPERM);
  assert_int_equal (answer (&f, SCMP_SYS (unshare), CLONE_NEWUSER), SECCOMP_RET_ERRNO | EPERM);
  assert_int_equal (answer (&f, SCMP_SYS (clone), 0x11), SECCOMP_RET_ALLOW);
  /* clone with CLONE_NEWUSER falls through to podman's default, ENOSYS.  */
  assert_int_equal (answer (&f, SCMP_SYS (clone), CLONE_NEWUSER | 0x11),
                    SECCOMP_RET_ERRNO | ENOSYS);
  assert_int_equal (answer (&o, SCMP_SYS (clone), CLONE_NEWUSER | 0x11), SECCOMP_RET_ALLOW);
  assert_int_equal (answer (&f, SCMP_SYS (clone3), 0), SECCOMP_RET_ERRNO | ENOSYS);
  /* Everything else is podman's: mount and setns stay allowed, as podman says.  */
  assert_int_equal (answer (&f, SCMP_SYS (mount), 0), answer (&o, SCMP_SYS (mount), 0));
  assert_int_equal (answer (&f, SCMP_SYS (setns), 0), answer (&o, SCMP_SYS (setns), 0));
  free (f.bytes);
  free (o.bytes);
}

static void
test_docker_default_untouched (void **state)
{
  static const char *const docker_caps[]
      = { "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
          "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
          "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
          "CAP_KILL",    "CAP_AUDIT_WRITE" };
  cleanup_json struct json_node *own = fixture_seccomp ("docker-default.config.json");
  cleanup_json struct json_node *pol
      = policy_oci ("default", docker_caps, ARRAY_SIZE (docker_caps));
  cleanup_strv char **tight = NULL;
  cleanup_json struct json_node *m = merge (own, pol, host_global, &tight);

  (void)state;
  assert_null (tight);
  assert_true (json_equal (m, own));
}

/* moby before 20.10 masked clone without CLONE_NEWCGROUP: the intersection masks both.  */
static void
test_clone_masks_intersect (void **state)
{
  cleanup_json struct json_node *own = parse (
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": "
      "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
      "[{\"index\": 0, \"value\": 2080505856, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}");
  cleanup_json struct json_node *pol = parse (
      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": "
      "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
      "[{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0, \"op\": "
      "\"SCMP_CMP_MASKED_EQ\"}]}]}");
  cleanup_json struct json_node *m = merge (own, pol, NULL, NULL);
  struct filter f;

  (void)state;
  assert_no_weaker (m, own, "vs own");
  assert_no_weaker (m, pol, "vs policy");
  filter_must_build (m, &f);
  assert_int_equal (answer (&f, SCMP_SYS (clone), 0x11), SECCOMP_RET_ALLOW);
  assert_int_equal (answer (&f, SCMP_SYS (clone), CLONE_NEWCGROUP), SECCOMP_RET_ERRNO | EPERM);
  assert_int_equal (answer (&f, SCMP_SYS (clone), CLONE_NEWNS), SECCOMP_RET_ERRNO | EPERM);
  free (f.bytes);
}

/* ---- refusals ---- */

static void
assert_refused (const char *own_text, const char *want)
{
  cleanup_json struct json_node *own = parse (own_text);
  cleanup_json struct json_node *pol = policy_oci ("default", NULL, 0);
  cleanup_error ocg_error_t err = NULL;
  struct seccomp_merge_result res;

  assert_int_equal (seccomp_merge_oci (own, pol, NULL, seccomp_arch_native (), &res, &err), -1);
  assert_null (res.oci);
  if (strstr (err->msg, want) == NULL)
    fail_msg ("`%s` does not say `%s`", err->msg, want);
}

static void
test_refused (void **state)
{
  (void)state;
  /* A conditional deny on socket meets the policy's conditional allow list for it.  */
  assert_refused (
      "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"socket\"], "
      "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 16, "
      "\"op\": \"SCMP_CMP_EQ\"}]}]}",
      "`socket`");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_PERMIT\"}", "SCMP_ACT_PERMIT");
  assert_refused ("{}", "no `defaultAction`");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\"], "
                  "\"action\": \"SCMP_ACT_ERRNO\"}]}",
                  "is empty");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], "
                  "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, "
                  "\"op\": \"SCMP_CMP_EQ\"}]}]}",
                  "index 0-5");
  assert_refused ("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], "
                  "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, "
                  "\"op\": \"SCMP_CMP_LIKE\"}]}]}",
                  "known operator");
}

/* A profile with tens of thousands of groups merges in linear-log time; one that names a syscall
 * conditionally in thousands of groups is refused before pairing them with the policy's.  */
static void
test_bounded (void **state)
{
  cleanup_json struct json_node *wide = json_new_object ();
  cleanup_json struct json_node *deep = json_new_object ();
  cleanup_json struct json_node *pol = policy_oci ("default", NULL, 0);
  struct json_node *gw = json_new_array (), *gd = json_new_array ();
  cleanup_error ocg_error_t err = NULL;
  struct seccomp_merge_result res;

  (void)state;
  json_obj_set (wide, "defaultAction", json_new_string ("SCMP_ACT_ALLOW"));
  json_obj_set (deep, "defaultAction", json_new_string ("SCMP_ACT_ALLOW"));
  for (unsigned i = 0; i < 40000; i++)
    {
      cleanup_free char *name = xasprintf ("nosuchcall%u", i);
      cleanup_free char *deny = xasprintf ("{\"names\": [\"%s\", \"mkdir\"], \"action\": "
                                           "\"SCMP_ACT_ERRNO\"}",
                                           name);
      cleanup_free char *arg = xasprintf (
          "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, "
          "\"value\": %u, \"op\": \"SCMP_CMP_EQ\"}]}",
          i);
      json_arr_append (gw, parse (deny));
      if (i < 4000)
        json_arr_append (gd, parse (arg));
    }
  json_obj_set (wide, "syscalls", gw);
  json_obj_set (deep, "syscalls", gd);
  assert_int_equal (seccomp_merge_oci (wide, pol, NULL, seccomp_arch_native (), &res, &err), 0);
  assert_true (res.changed);
  seccomp_merge_result_release (&res);
  json_obj_set (deep, "defaultAction", json_new_string ("SCMP_ACT_ERRNO"));
  json_obj_set (deep, "defaultErrnoRet", json_new_uint (1));
  assert_int_equal (seccomp_merge_oci (deep, pol, NULL, seccomp_arch_native (), &res, &err), -1);
  assert_non_null (strstr (err->msg, "`socket`"));
}

/* ---- generated profiles ---- */

struct tally
{
  unsigned merged, refused, unbuildable;
};

static void
check_random (const struct json_node *own, const struct json_node *pol, const char *const *only,
              struct tally *t)
{
  cleanup_error ocg_error_t err = NULL;
  struct seccomp_merge_result res;
  cleanup_json struct json_node *again = NULL;
  bool changed = true;
  struct filter fo, fm, fa;
  cleanup_free char *why = NULL;

  if (!filter_build (own, &fo))
    {
      t->unbuildable++;
      return;
    }
  free (fo.bytes);
  if (seccomp_merge_oci (own, pol, only, seccomp_arch_native (), &res, &err) < 0)
    {
      if (getenv ("OCG_MERGE_VERBOSE"))
        print_message ("# refused: %s\n", err->msg);
      t->refused++;
      return;
    }
  t->merged++;
  assert_no_weaker (res.oci, own, "generated: merged vs own");
  if (only == NULL)
    assert_no_weaker (res.oci, pol, "generated: merged vs policy");
  /* A second merge changes nothing, in effect and in the filter libseccomp builds.  */
  again = merge_ex (res.oci, pol, only, NULL, &changed);
  assert_false (changed);
  filter_must_build (res.oci, &fm);
  filter_must_build (again, &fa);
  why = bpf_emu_compare (&fm.prog, &fa.prog);
  if (why == NULL)
    why = bpf_emu_compare (&fa.prog, &fm.prog);
  free (fm.bytes);
  free (fa.bytes);
  seccomp_merge_result_release (&res);
  if (why != NULL)
    fail_msg ("a second merge changed the filter: %s", why);
}

static void
test_generated (void **state)
{
  static const char *const admin[] = { "CAP_SYS_ADMIN", "CAP_BPF", "CAP_PERFMON" };
  struct json_node *pols[3]
      = { policy_oci ("default", podman_caps, ARRAY_SIZE (podman_caps)),
          policy_oci ("default", admin, ARRAY_SIZE (admin)), policy_oci ("strict", NULL, 0) };
  struct tally t = { 0 };

  int rounds = getenv ("OCG_MERGE_ROUNDS") ? atoi (getenv ("OCG_MERGE_ROUNDS")) : 240;
  uint64_t seed = getenv ("OCG_MERGE_SEED") ? strtoull (getenv ("OCG_MERGE_SEED"), NULL, 0)
                                            : 0x243f6a8885a308d3ULL;

  (void)state;
  for (int i = 0; i < rounds; i++)
    {
      cleanup_json struct json_node *own = seccomp_gen_profile (&seed);
      check_random (own, pols[i % 3], NULL, &t);
      check_random (own, pols[i % 3], host_global, &t);
    }
  for (size_t i = 0; i < ARRAY_SIZE (pols); i++)
    json_free (pols[i]);
  print_message ("# generated: %u merged, %u refused, %u not buildable by libseccomp\n", t.merged,
                 t.refused, t.unbuildable);
  assert_true (t.merged > 200);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_runc_mkdir_errno),
    cmocka_unit_test (test_runc_mkdir_errno_100),
    cmocka_unit_test (test_runc_mkdir_kill),
    cmocka_unit_test (test_runc_mkdir_kill_process),
    cmocka_unit_test (test_podman_host_global),
    cmocka_unit_test (test_docker_default_untouched),
    cmocka_unit_test (test_clone_masks_intersect),
    cmocka_unit_test (test_refused),
    cmocka_unit_test (test_bounded),
    cmocka_unit_test (test_generated),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
