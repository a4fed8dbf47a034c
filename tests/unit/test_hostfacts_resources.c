/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for policy/hostfacts/hostfacts_resources.c against the real system: MemTotal and
 * pid_max as the kernel reports them, the user-namespace test, host device files, and whether a
 * rootless runtime could create its cgroup v1 directories (checked in a child that drops to uid
 * 65534).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostfacts.h"
#include "util.h"

static unsigned long long
read_number (const char *path, const char *key)
{
  cleanup_file FILE *f = fopen (path, "re");
  char line[256];
  unsigned long long v = 0;

  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, key, strlen (key)) == 0 && sscanf (line + strlen (key), " %llu", &v) == 1)
      return v;
  return 0;
}

static void
test_amounts (void **state)
{
  struct host_facts host;

  (void)state;
  hostfacts_init_real (&host);
  assert_true (host.memory_total > 0);
  assert_int_equal (host.memory_total, read_number ("/proc/meminfo", "MemTotal:") * 1024);
  assert_true (host.pid_max > 0);
  assert_int_equal (host.pid_max, read_number ("/proc/sys/kernel/pid_max", ""));
}

static void
test_user_ns (void **state)
{
  struct host_facts host;
  cleanup_file FILE *f = fopen ("/proc/self/uid_map", "re");
  unsigned long long a = 1, b = 1, c = 0;

  (void)state;
  hostfacts_init_real (&host);
  assert_non_null (f);
  assert_int_equal (fscanf (f, "%llu %llu %llu", &a, &b, &c), 3);
  assert_int_equal (hostfacts_in_user_ns (&host), !(a == 0 && b == 0 && c == 4294967295ULL));
}

static void
test_device_at (void **state)
{
  struct host_facts host;
  mode_t type = 0;
  dev_t rdev = 0;

  (void)state;
  hostfacts_init_real (&host);
  assert_true (host.device_at (&host, "/dev/null", &type, &rdev));
  assert_int_equal (type, S_IFCHR);
  assert_int_equal (major (rdev), 1);
  assert_int_equal (minor (rdev), 3);
  assert_true (host.device_at (&host, "/", &type, &rdev));
  assert_int_equal (type, S_IFDIR);
  assert_false (host.device_at (&host, "/dev/ocg-no-such-device", &type, &rdev));
}

/* The memory controller on a cgroup v1 hierarchy?  */
static bool
memory_on_v1 (void)
{
  cleanup_file FILE *f = fopen ("/proc/self/cgroup", "re");
  char line[512];

  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, "0:", 2) != 0 && strstr (line, ":memory:") != NULL)
      return true;
  return false;
}

/* In a child as uid 65534: 0 when the fact says the memory cgroup cannot be created, 1 when it
 * says it can, 2 when the child could not drop.  */
static int
unsettable_as_nobody (void)
{
  pid_t pid = fork ();
  int status = 0;

  if (pid == 0)
    {
      struct host_facts host;
      char *why;

      if (setgid (65534) < 0 || setuid (65534) < 0)
        _exit (2);
      hostfacts_init_real (&host);
      why = host.cgroup_unsettable (&host, "memory");
      if (why != NULL)
        printf ("# %s\n", why);
      fflush (stdout);
      _exit (why != NULL ? 0 : 1);
    }
  assert_true (pid > 0);
  assert_int_equal (waitpid (pid, &status, 0), pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 3;
}

static void
test_cgroup_unsettable (void **state)
{
  struct host_facts host;

  (void)state;
  hostfacts_init_real (&host);
  /* Real root in the initial user namespace can always create it.  */
  if (geteuid () != 0 || hostfacts_in_user_ns (&host))
    skip ();
  assert_null (host.cgroup_unsettable (&host, "memory"));
  assert_null (host.cgroup_unsettable (&host, "no-such-controller"));
  if (!memory_on_v1 ())
    {
      print_message ("# memory is not on cgroup v1 here: the rootless case is not checked\n");
      return;
    }
  fflush (stdout);
  assert_int_equal (unsettable_as_nobody (), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_amounts),
    cmocka_unit_test (test_user_ns),
    cmocka_unit_test (test_device_at),
    cmocka_unit_test (test_cgroup_unsettable),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
