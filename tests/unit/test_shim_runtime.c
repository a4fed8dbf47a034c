/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/runtime.c, finding the real runtime: the order of the sources, what makes a
 * candidate unusable (not absolute, not an executable file, ocigate itself), the loop guard, the
 * built-in list as the README gives it, and the execve (argv[0] replaced, the guard added).  The
 * candidates are files in a temp scratch_dir; no root needed.  */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"
#include "runtime.h"
#include "scratch.h"
#include "util.h"

/* scratch_dir/NAME, a shell script with MODE; returns its path.  */
static char *
put (const char *name, mode_t mode)
{
  return scratch_put (scratch_dir, name, "#!/bin/sh\n", mode);
}

static void
test_flavor (void **state)
{
  (void)state;
  assert_int_equal (runtime_flavor_of ("/usr/sbin/runc"), RUNTIME_RUNC);
  assert_int_equal (runtime_flavor_of ("/usr/bin/crun"), RUNTIME_CRUN);
  assert_int_equal (runtime_flavor_of ("/opt/crun-1.8/bin/crun.real"), RUNTIME_CRUN);
  /* By the file name only: a directory named crun says nothing.  */
  assert_int_equal (runtime_flavor_of ("/opt/crun/runc"), RUNTIME_RUNC);
  assert_int_equal (runtime_flavor_of ("/usr/bin/kata-runtime"), RUNTIME_UNKNOWN);
  assert_int_equal (runtime_flavor_of ("runc"), RUNTIME_RUNC);
}

/* Resolve and return the path found (malloc'd) or NULL, *why the error's text.  */
static char *
resolve (const struct runtime_sources *from, char **why)
{
  cleanup_error ocg_error_t err = NULL;
  struct runtime rt = { 0 };

  *why = NULL;
  if (runtime_resolve (from, &rt, &err) < 0)
    {
      *why = ocg_error_text (err);
      return NULL;
    }
  return rt.path;
}

static void
assert_refused (const struct runtime_sources *from, const char *want)
{
  cleanup_free char *why = NULL;
  cleanup_free char *path = resolve (from, &why);

  assert_null (path);
  if (strstr (why, want) == NULL)
    fail_msg ("`%s` does not say `%s`", why, want);
}

static void
assert_resolves (const struct runtime_sources *from, const char *want)
{
  cleanup_free char *why = NULL;
  cleanup_free char *path = resolve (from, &why);

  if (path == NULL || !str_eq (path, want))
    fail_msg ("resolved `%s` (%s), expected `%s`", path ? path : "", why ? why : "", want);
}

static void
test_unusable_candidates (void **state)
{
  cleanup_free char *plain = put ("plain", 0644);
  cleanup_free char *sub = xasprintf ("%s/sub", scratch_dir);
  cleanup_free char *missing = xasprintf ("%s/missing", scratch_dir);
  struct runtime_sources from = { 0 };

  (void)state;
  assert_int_equal (mkdir (sub, 0755), 0);
  from.explicit_path = "runc";
  assert_refused (&from, "is not an absolute path");
  from.explicit_path = plain;
  assert_refused (&from, "is not an executable file");
  from.explicit_path = sub;
  assert_refused (&from, "is not an executable file");
  from.explicit_path = missing;
  assert_refused (&from, "No such file or directory");
  /* The running binary is "ocigate itself" by device and inode, whatever the name.  */
  from.explicit_path = "/proc/self/exe";
  assert_refused (&from, "is ocigate itself");
}

static void
test_order_of_sources (void **state)
{
  cleanup_free char *flag = put ("flag-runc", 0755);
  cleanup_free char *env = put ("env-crun", 0755);
  cleanup_free char *record = put ("record-runc", 0755);
  cleanup_free char *policy = put ("policy-crun", 0755);
  cleanup_free char *gone = xasprintf ("%s/gone", scratch_dir);
  struct runtime_sources from = { .explicit_path = flag, .record = record, .policy = policy };

  (void)state;
  setenv ("OCIGATE_RUNTIME", env, 1);
  assert_resolves (&from, flag);
  from.explicit_path = NULL;
  assert_resolves (&from, env);
  /* An empty OCIGATE_RUNTIME is no setting.  */
  setenv ("OCIGATE_RUNTIME", "", 1);
  assert_resolves (&from, record);
  unsetenv ("OCIGATE_RUNTIME");
  /* A record whose runtime is gone is passed over.  */
  from.record = gone;
  assert_resolves (&from, policy);
  /* The policy's runtime is binding for a judged verb...  */
  from.policy = gone;
  assert_refused (&from, "No such file or directory");
  /* ... and falls back to the built-in list for a pass-through one.  */
  from.policy_may_fail = true;
  {
    size_t n = 0;
    const char *const *list = runtime_builtin_candidates (&n);
    const char *first = NULL;
    for (size_t i = 0; i < n && first == NULL; i++)
      if (access (list[i], X_OK) == 0)
        first = list[i];
    if (first != NULL)
      assert_resolves (&from, first);
    else
      assert_refused (&from, "no runtime found (looked for /usr/local/sbin/runc, ");
  }
}

static void
test_loop_guard (void **state)
{
  cleanup_free char *flag = put ("runc", 0755);
  struct runtime_sources from = { .explicit_path = flag };

  (void)state;
  setenv (OCG_LOOP_GUARD_ENV, "1", 1);
  assert_refused (&from, "runtime loop");
  unsetenv (OCG_LOOP_GUARD_ENV);
}

/* README "Finding the real runtime" names the same paths in the same order.  */
static void
test_builtin_list_is_the_readme_s (void **state)
{
  const char *src = getenv ("OCG_SRCDIR");
  cleanup_free char *readme = xasprintf ("%s/README.md", src ? src : "../..");
  cleanup_close int fd = open (readme, O_RDONLY | O_CLOEXEC);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *text = NULL;
  size_t len = 0, n = 0, k = 0;
  const char *const *list = runtime_builtin_candidates (&n);
  char *p, *end;

  (void)state;
  assert_true (fd >= 0);
  text = fsutil_read_fd (fd, readme, 1 << 22, &len, &err);
  assert_non_null (text);
  p = strstr (text, "\n### Finding the real runtime\n");
  assert_non_null (p);
  end = strstr (p, "`$PATH` is never consulted");
  assert_non_null (end);
  *end = '\0';
  p = strstr (p, "a fixed list of absolute paths");
  assert_non_null (p);
  /* Every `/...runc` or `/...crun` in backticks, in order.  */
  while ((p = strchr (p, '`')) != NULL && (end = strchr (p + 1, '`')) != NULL)
    {
      *end = '\0';
      if (p[1] == '/')
        {
          assert_true (k < n);
          assert_string_equal (p + 1, list[k]);
          k++;
        }
      p = end + 1;
    }
  assert_int_equal (k, n);
}

/* execve in a child: argv[0] becomes the runtime's path, the rest passes byte for byte, and the
 * environment gains only the loop guard.  */
static void
test_exec (void **state)
{
  struct runtime rt = { .path = (char *)"/bin/sh", .flavor = RUNTIME_UNKNOWN };
  static const char script[]
      = "tr '\\0' '|' </proc/$$/cmdline; printf '%s|%s' \"$OCIGATE_LOOP_GUARD\" \"$KEEP\"";
  char *argv[] = { (char *)"ocigate", (char *)"-c", (char *)script, (char *)" a\tb ", NULL };
  cleanup_free char *want = xasprintf ("/bin/sh|-c|%s| a\tb |1|kept", script);
  char out[512] = "";
  int fds[2];
  pid_t pid;
  ssize_t got;
  int status;

  (void)state;
  setenv ("KEEP", "kept", 1);
  assert_int_equal (pipe (fds), 0);
  pid = fork ();
  assert_true (pid >= 0);
  if (pid == 0)
    {
      cleanup_error ocg_error_t err = NULL;
      dup2 (fds[1], STDOUT_FILENO);
      runtime_exec (&rt, argv, &err);
      _exit (127);
    }
  close (fds[1]);
  for (size_t n = 0; (got = read (fds[0], out + n, sizeof (out) - 1 - n)) > 0;)
    n += (size_t)got;
  close (fds[0]);
  assert_int_equal (waitpid (pid, &status, 0), pid);
  assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  assert_string_equal (out, want);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_flavor),
    cmocka_unit_test_setup_teardown (test_unusable_candidates, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_order_of_sources, scratch_setup, scratch_teardown),
    cmocka_unit_test_setup_teardown (test_loop_guard, scratch_setup, scratch_teardown),
    cmocka_unit_test (test_builtin_list_is_the_readme_s),
    cmocka_unit_test_setup_teardown (test_exec, scratch_setup, scratch_teardown),
  };

  unsetenv ("OCIGATE_RUNTIME");
  unsetenv (OCG_LOOP_GUARD_ENV);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
