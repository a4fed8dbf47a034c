/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the bind-source facts of policy/hostfacts/hostfacts.c against the real system:
 * path_exists, same_file (/proc/<pid>/root of a process in another mount namespace is not what
 * realpath says), path_trusted (the kernel-order walk: owners, group/other-writable directories,
 * the sticky-bit exception, symlinks and `..` after them) on a scratch tree.  Needs root (chown);
 * skipped otherwise.  */
#include <config.h>

#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostfacts.h"
#include "util.h"

static struct host_facts host;
static char scratch[] = "/tmp/ocg-hostpaths-XXXXXX";

/* The scratch tree: name, mode (0 = symlink to `target`), owner uid.  */
static const struct
{
  const char *name;
  mode_t mode;
  uid_t uid;
  const char *target;
} tree[] = {
  { "ok", 0755, 0, NULL },
  { "ok/sub", 0755, 0, NULL },
  { "ww", 0777, 0, NULL },
  { "ww/sub", 0755, 0, NULL },
  { "gw", 0775, 0, NULL },
  { "gw/x", 0755, 0, NULL },
  { "user", 0755, 1000, NULL },
  { "user/sub", 0755, 0, NULL },
  { "sticky", 01777, 0, NULL },
  { "sticky/rootdir", 0755, 0, NULL },
  { "sticky/userdir", 0755, 1000, NULL },
  { "ok/volume", 0700, 1000, NULL },
  { "ok/volume/dir", 0755, 1000, NULL },
  { "ok/to-ww", 0, 0, "../ww/sub" },
  { "ok/to-ok", 0, 0, "sub" },
  { "ok/loop", 0, 0, "loop" },
  { "ok/to-sticky-root", 0, 0, "../sticky/rootdir" },
};

static int
setup (void **state)
{
  (void)state;
  hostfacts_init_real (&host);
  if (geteuid () != 0 || mkdtemp (scratch) == NULL || chmod (scratch, 0755) < 0)
    return 0;
  for (size_t i = 0; i < ARRAY_SIZE (tree); i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", scratch, tree[i].name);
      if (tree[i].mode == 0 ? symlink (tree[i].target, p) < 0
                            : (mkdir (p, 0700) < 0 || chmod (p, tree[i].mode) < 0
                               || chown (p, tree[i].uid, 0) < 0))
        return -1;
    }
  return 0;
}

static int
teardown (void **state)
{
  (void)state;
  for (size_t i = ARRAY_SIZE (tree); geteuid () == 0 && i-- > 0;)
    {
      cleanup_free char *p = xasprintf ("%s/%s", scratch, tree[i].name);
      if (unlink (p) < 0)
        rmdir (p);
    }
  rmdir (scratch);
  return 0;
}

static void
skip_unless_root (void)
{
  if (geteuid () != 0)
    skip ();
}

/* path_trusted on scratch/rel; want_why is a substring of the reason, NULL when trusted.  */
static void
assert_trusted (const char *rel, const char *want_why)
{
  cleanup_free char *p = xasprintf ("%s/%s", scratch, rel);
  cleanup_free char *why = NULL;
  bool ok = host.path_trusted (&host, p, &why);

  print_message ("# %s: %s\n", p, why ? why : "trusted");
  if (want_why == NULL)
    {
      assert_true (ok);
      assert_null (why);
      return;
    }
  assert_false (ok);
  assert_non_null (why);
  assert_non_null (strstr (why, want_why));
}

static void
test_path_trusted (void **state)
{
  (void)state;
  skip_unless_root ();
  assert_trusted ("ok/sub", NULL);
  /* The source itself may belong to anyone (a volume's _data chowned to the container)...  */
  assert_trusted ("ok/volume", NULL);
  /* ...but what is looked up in it can be swapped by its owner.  */
  assert_trusted ("ok/volume/dir", "is owned by uid 1000");
  assert_trusted ("ww/sub", "/ww` is writable by group or others");
  assert_trusted ("gw/x", "/gw` is writable by group or others");
  assert_trusted ("user/sub", "/user` is owned by uid 1000");
  /* Sticky and writable by all, like /tmp: fine when the entry is root's.  */
  assert_trusted ("sticky/rootdir", NULL);
  assert_trusted ("sticky/userdir", "/sticky/userdir` belongs to uid 1000 in the shared directory");
  /* Symlinks are followed as the kernel does: into ww, and `..` after one goes where it points.  */
  assert_trusted ("ok/to-ww", "/ww` is writable by group or others");
  assert_trusted ("ok/to-ok/../to-ok", NULL);
  /* Lexically ok/userdir (missing); the kernel goes sticky/rootdir/.. = sticky, then userdir.  */
  assert_trusted ("ok/to-sticky-root/../userdir", "/sticky/userdir` belongs to uid 1000");
  assert_trusted ("ok/loop", "cannot follow the symlink");
  assert_trusted ("ok/missing", "cannot stat");
}

/* What the engines and the tests bind from: root's directories, below sticky /tmp too.  */
static void
test_path_trusted_system (void **state)
{
  static const char *const paths[] = { "/var/run", "/tmp", "/etc/hostname", "/" };

  (void)state;
  for (size_t i = 0; i < ARRAY_SIZE (paths); i++)
    {
      cleanup_free char *why = NULL;
      if (!host.path_trusted (&host, paths[i], &why))
        fail_msg ("`%s`: %s", paths[i], why);
    }
}

static void
test_path_trusted_relative (void **state)
{
  cleanup_free char *why = NULL;

  (void)state;
  assert_false (host.path_trusted (&host, "tmp/x", &why));
  assert_non_null (strstr (why, "not an absolute path"));
}

static void
test_exists_and_same_file (void **state)
{
  cleanup_free char *dir = xasprintf ("%s/ok/sub", scratch);
  cleanup_free char *link = xasprintf ("%s/ok/to-ok", scratch);

  (void)state;
  skip_unless_root ();
  assert_true (host.path_exists (&host, dir));
  assert_true (host.path_exists (&host, link));
  assert_false (host.path_exists (&host, "/nonexistent/ocg"));
  assert_true (host.same_file (&host, link, dir));
  assert_false (host.same_file (&host, "/", "/nonexistent/ocg"));
  assert_false (host.same_file (&host, "/", "/tmp"));
}

/* A child in its own mount namespace with a tmpfs on scratch/ok/sub; returns its pid once the
 * tmpfs is there.  */
static pid_t
start_mount_ns_child (const char *dir)
{
  int p[2];
  char c = 0;
  pid_t pid;

  if (pipe (p) < 0)
    return -1;
  pid = fork ();
  if (pid == 0)
    {
      /* On failure exit at once: the parent's read then sees EOF instead of waiting forever.  */
      if (unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0
          && mount ("tmpfs", dir, "tmpfs", 0, NULL) == 0 && write (p[1], "x", 1) == 1)
        pause ();
      _exit (1);
    }
  close (p[1]);
  if (pid > 0 && read (p[0], &c, 1) != 1)
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      pid = -1;
    }
  close (p[0]);
  return pid;
}

/* realpath reads /proc/<pid>/root as "/", so the canonical form of
 * /proc/<pid>/root<dir> is our <dir>, while the kernel follows the link into the child's mount
 * namespace and finds its tmpfs there.  */
static void
test_same_file_magic_link (void **state)
{
  cleanup_free char *dir = xasprintf ("%s/ok/sub", scratch);
  cleanup_free char *magic = NULL;
  cleanup_free char *canon = NULL;
  pid_t pid;

  (void)state;
  skip_unless_root ();
  pid = start_mount_ns_child (dir);
  assert_true (pid > 0);
  magic = xasprintf ("/proc/%d/root%s", (int)pid, dir);
  canon = host.canonical_path (&host, magic);
  print_message ("# %s -> %s\n", magic, canon);
  assert_string_equal (canon, dir);
  assert_true (host.path_exists (&host, magic));
  assert_false (host.same_file (&host, magic, canon));
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_path_trusted),         cmocka_unit_test (test_path_trusted_relative),
    cmocka_unit_test (test_path_trusted_system),  cmocka_unit_test (test_exists_and_same_file),
    cmocka_unit_test (test_same_file_magic_link),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
