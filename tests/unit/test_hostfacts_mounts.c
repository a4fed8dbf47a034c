/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the real mount and socket facts (policy/hostfacts/hostfacts_mounts.c,
 * hostfacts_sockets.c) against the running kernel, on a scratch tree: the mount table and a path's
 * mount, where a bind-mounted directory really lies (hostfacts_locate), another process's mounts,
 * glob, the listening UNIX sockets below a path -- found by their own file through a bind mount of
 * their directory, and through a hard link -- with the processes holding them, and
 * path_trusted_for. Needs root (mount(2), chown); skipped otherwise.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostfacts.h"
#include "util.h"

static struct host_facts host;
static char scratch[] = "/tmp/ocg-hostmounts-XXXXXX";
static bool scratch_ready;

static char *
at (const char *name)
{
  return xasprintf ("%s/%s", scratch, name);
}

static int
setup (void **state)
{
  static const char *const dirs[] = { "etcview", "sockdir", "sockview", "linkdir", "other", "uid" };

  (void)state;
  hostfacts_init_real (&host);
  if (geteuid () != 0 || mkdtemp (scratch) == NULL || chmod (scratch, 0755) < 0)
    return 0;
  for (size_t i = 0; i < ARRAY_SIZE (dirs); i++)
    {
      cleanup_free char *p = at (dirs[i]);
      if (mkdir (p, 0755) < 0)
        return -1;
    }
  scratch_ready = true;
  return 0;
}

static int
teardown (void **state)
{
  static const char *const mounts[] = { "etcview", "sockview" };
  static const char *const files[] = { "sockdir/s.sock", "linkdir/hard.sock" };
  static const char *const dirs[]
      = { "uid/rootfs", "etcview", "sockdir", "sockview", "linkdir", "other", "uid" };

  (void)state;
  if (!scratch_ready)
    return 0;
  for (size_t i = 0; i < ARRAY_SIZE (mounts); i++)
    {
      cleanup_free char *p = at (mounts[i]);
      umount2 (p, MNT_DETACH);
    }
  for (size_t i = 0; i < ARRAY_SIZE (files); i++)
    {
      cleanup_free char *p = at (files[i]);
      unlink (p);
    }
  for (size_t i = 0; i < ARRAY_SIZE (dirs); i++)
    {
      cleanup_free char *p = at (dirs[i]);
      rmdir (p);
    }
  rmdir (scratch);
  return 0;
}

static void
skip_unless_root (void)
{
  if (!scratch_ready)
    skip ();
}

static void
test_mount_table_and_locate (void **state)
{
  cleanup_free char *view = at ("etcview");
  cleanup_free char *inside = at ("etcview/passwd");
  struct host_mounts t = { 0 };
  struct host_object obj, etc;
  cleanup_free char *rel = NULL;
  cleanup_free char *etc_rel = NULL;
  dev_t dev = 0, etc_dev = 0;

  (void)state;
  skip_unless_root ();
  assert_int_equal (mount ("/etc", view, NULL, MS_BIND, NULL), 0);
  assert_true (host.mount_table (&host, &t));
  assert_true (t.n > 1);
  assert_true (host.path_object (&host, view, &obj));
  assert_true (S_ISDIR (obj.mode));
  assert_true (hostfacts_locate (&t, &obj, view, &dev, &rel));
  assert_true (host.path_object (&host, "/etc", &etc));
  assert_true (hostfacts_locate (&t, &etc, "/etc", &etc_dev, &etc_rel));
  print_message ("# %s: %u:%u %s; /etc: %u:%u %s\n", view, major (dev), minor (dev), rel,
                 major (etc_dev), minor (etc_dev), etc_rel);
  /* The view is /etc itself: same filesystem, same path inside it, same inode.  */
  assert_true (dev == etc_dev);
  assert_string_equal (rel, etc_rel);
  assert_true (obj.ino == etc.ino);
  free (rel);
  assert_true (host.path_object (&host, inside, &obj));
  assert_true (hostfacts_locate (&t, &obj, inside, &dev, &rel));
  assert_true (strcmp (rel, "/etc/passwd") == 0 || strstr (rel, "/etc/passwd") != NULL);
  hostfacts_mounts_release (&t);
  assert_int_equal (umount2 (view, MNT_DETACH), 0);
  assert_false (host.path_object (&host, "/nonexistent/ocigate", &obj));
}

static void
test_path_rest (void **state)
{
  (void)state;
  assert_string_equal (hostfacts_path_rest ("/a/b/c", "/a"), "/b/c");
  assert_string_equal (hostfacts_path_rest ("/a", "/a"), "");
  assert_string_equal (hostfacts_path_rest ("/a/b", "/"), "/a/b");
  assert_string_equal (hostfacts_path_rest ("/", "/"), "");
  assert_null (hostfacts_path_rest ("/ab", "/a"));
  assert_null (hostfacts_path_rest ("/a", "/a/b"));
  assert_null (hostfacts_path_rest ("a", "/"));
}

static void
test_process_mount_and_glob (void **state)
{
  struct host_mount m = { 0 };
  cleanup_strv char **g = NULL;

  (void)state;
  assert_true (host.process_mount (&host, getpid (), "/", &m));
  assert_string_equal (m.point, "/");
  hostfacts_mount_release (&m);
  assert_false (host.process_mount (&host, getpid (), "/no/mount/here", &m));
  g = host.glob_paths (&host, "/proc/self/n?");
  assert_non_null (g);
  assert_string_equal (g[0], "/proc/self/ns");
  assert_null (host.glob_paths (&host, "/nonexistent/*/ocigate"));
}

/* A socket this test listens on: `path` bound and listening.  Returns the fd.  */
static int
listen_at (const char *path)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  snprintf (sa.sun_path, sizeof (sa.sun_path), "%s", path);
  if (fd < 0 || bind (fd, (struct sockaddr *)&sa, sizeof (sa)) < 0 || listen (fd, 1) < 0)
    return -1;
  return fd;
}

static const struct host_listener *
listener_at (const struct host_listeners *ls, const char *path)
{
  for (size_t i = 0; i < ls->n; i++)
    if (str_eq (ls->items[i].path, path))
      return &ls->items[i];
  return NULL;
}

/* Below the directory, by its own name, held by this process; the socket file itself; nothing
 * below an unrelated directory.  */
static void
test_unix_listeners (void **state)
{
  cleanup_free char *dir = at ("sockdir");
  cleanup_free char *sock = at ("sockdir/s.sock");
  cleanup_free char *other = at ("other");
  cleanup_close int fd = -1;
  struct host_listeners ls = { 0 };
  const struct host_listener *l;
  struct stat self;

  (void)state;
  skip_unless_root ();
  fd = listen_at (sock);
  assert_true (fd >= 0);
  hostfacts_init_real (&host);
  assert_int_equal (stat ("/proc/self/exe", &self), 0);
  assert_true (host.unix_listeners (&host, dir, false, &ls));
  l = listener_at (&ls, sock);
  assert_non_null (l);
  assert_true (l->n_holders >= 1);
  assert_int_equal (l->holders[0].pid, getpid ());
  assert_true (l->holders[0].exe_known && l->holders[0].exe_dev == self.st_dev
               && l->holders[0].exe_ino == self.st_ino);
  hostfacts_listeners_release (&ls);
  assert_true (host.unix_listeners (&host, sock, false, &ls));
  assert_non_null (listener_at (&ls, sock));
  hostfacts_listeners_release (&ls);
  assert_true (host.unix_listeners (&host, other, true, &ls));
  assert_null (listener_at (&ls, sock));
  hostfacts_listeners_release (&ls);
  unlink (sock);
}

/* Through a bind mount of its directory: found where the bind shows it.  Through a hard link:
 * its bound name says nothing about the link, the search finds it.  */
static void
test_unix_listeners_other_names (void **state)
{
  cleanup_free char *dir = at ("sockdir");
  cleanup_free char *sock = at ("sockdir/s.sock");
  cleanup_free char *view = at ("sockview");
  cleanup_free char *seen = at ("sockview/s.sock");
  cleanup_free char *hard = at ("linkdir/hard.sock");
  cleanup_free char *linkdir = at ("linkdir");
  cleanup_close int fd = -1;
  struct host_listeners ls = { 0 };

  (void)state;
  skip_unless_root ();
  fd = listen_at (sock);
  assert_true (fd >= 0);
  assert_int_equal (mount (dir, view, NULL, MS_BIND, NULL), 0);
  /* The mount table and the listening sockets are read once for the life of the facts (one
   * judgement): facts made before this mount and this socket would not know them.  */
  hostfacts_init_real (&host);
  assert_true (host.unix_listeners (&host, view, false, &ls));
  assert_non_null (listener_at (&ls, seen));
  hostfacts_listeners_release (&ls);
  assert_int_equal (umount2 (view, MNT_DETACH), 0);
  assert_int_equal (link (sock, hard), 0);
  assert_true (host.unix_listeners (&host, linkdir, false, &ls));
  assert_non_null (listener_at (&ls, hard));
  hostfacts_listeners_release (&ls);
  unlink (hard);
  unlink (sock);
}

/* Filesystems without a listening socket are answered without the scan: a directory on a
 * fresh tmpfs shows none, and an rbind of it still shows the socket on another tmpfs mounted
 * below it (a plain bind does not).  */
static void
test_unix_listeners_below_rbind (void **state)
{
  cleanup_free char *top = at ("rbindtop");
  cleanup_free char *sub = at ("rbindtop/sub");
  cleanup_free char *sock = at ("rbindtop/sub/s.sock");
  cleanup_close int fd = -1;
  struct host_listeners ls = { 0 };

  (void)state;
  skip_unless_root ();
  assert_int_equal (mkdir (top, 0755), 0);
  assert_int_equal (mount ("ocg-test", top, "tmpfs", 0, "mode=0755"), 0);
  assert_int_equal (mkdir (sub, 0755), 0);
  assert_int_equal (mount ("ocg-test", sub, "tmpfs", 0, "mode=0755"), 0);
  fd = listen_at (sock);
  assert_true (fd >= 0);
  hostfacts_init_real (&host);
  assert_true (host.unix_listeners (&host, top, false, &ls));
  assert_int_equal (ls.n, 0);
  hostfacts_listeners_release (&ls);
  assert_true (host.unix_listeners (&host, top, true, &ls));
  assert_non_null (listener_at (&ls, sock));
  hostfacts_listeners_release (&ls);
  assert_true (host.unix_listeners (&host, sub, false, &ls));
  assert_non_null (listener_at (&ls, sock));
  hostfacts_listeners_release (&ls);
  unlink (sock);
  assert_int_equal (umount2 (sub, MNT_DETACH), 0);
  assert_int_equal (umount2 (top, MNT_DETACH), 0);
  rmdir (top);
}

static void
test_path_trusted_for (void **state)
{
  cleanup_free char *dir = at ("uid");
  cleanup_free char *sub = at ("uid/rootfs");
  cleanup_free char *why = NULL;

  (void)state;
  skip_unless_root ();
  assert_int_equal (mkdir (sub, 0755), 0);
  assert_int_equal (chown (dir, 100000, 100000), 0);
  assert_false (host.path_trusted_for (&host, sub, (uid_t)-1, &why));
  print_message ("# %s\n", why);
  assert_non_null (strstr (why, "is owned by uid 100000"));
  free (why);
  why = NULL;
  assert_true (host.path_trusted_for (&host, sub, 100000, &why));
  assert_false (host.path_trusted_for (&host, sub, 100001, &why));
  rmdir (sub);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_path_rest),
    cmocka_unit_test (test_mount_table_and_locate),
    cmocka_unit_test (test_process_mount_and_glob),
    cmocka_unit_test (test_unix_listeners),
    cmocka_unit_test (test_unix_listeners_other_names),
    cmocka_unit_test (test_unix_listeners_below_rbind),
    cmocka_unit_test (test_path_trusted_for),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
