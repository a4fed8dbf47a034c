/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the real host facts of joined namespaces and dockerd's identity
 * (policy/hostfacts/hostfacts_ns.c) and for the walk budget (policy/hostfacts/hostfacts_walk.c), on
 * this machine: runc and crun state files naming this very process, a reused pid, a runtime root
 * others can write, nsfs files, a listening UNIX socket.  Needs root for the runtime-root tests
 * (skipped otherwise).  */
#include <config.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostfacts.h"
#include "util.h"

static char scratch[] = "/tmp/ocg-test-ns.XXXXXX";
/* Whether test_facts_runtime_containers made it (as root): mkdtemp's last character can be an
 * `X` too, so the name alone does not say.  */
static bool scratch_made;

/* A runc state file for `pid` with start time `start` in <root>/<id>/state.json.  */
static void
write_state (const char *root, const char *id, const char *file, const char *text)
{
  cleanup_free char *dir = xasprintf ("%s/%s", root, id);
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  FILE *f;

  assert_int_equal (mkdir (dir, 0711), 0);
  f = fopen (path, "w");
  assert_non_null (f);
  fputs (text, f);
  fclose (f);
  chmod (path, 0600);
}

static unsigned long long
own_start_time (void)
{
  char buf[1024];
  FILE *f = fopen ("/proc/self/stat", "r");
  char *p;
  unsigned long long v = 0;

  assert_non_null (fgets (buf, sizeof (buf), f));
  fclose (f);
  p = strrchr (buf, ')');
  for (int field = 2; p != NULL && field < 22; field++)
    p = strchr (p + 1, ' ');
  assert_int_equal (sscanf (p + 1, "%llu", &v), 1);
  return v;
}

static void
test_facts_runtime_containers (void **state)
{
  struct host_facts host;
  struct host_container *c = NULL;
  size_t n = 0;
  cleanup_free char *why = NULL;
  cleanup_free char *root = NULL;
  cleanup_free char *runc = NULL, *crun = NULL, *reused = NULL;
  unsigned long long start = own_start_time ();
  (void)state;

  if (geteuid () != 0)
    skip ();
  hostfacts_init_real (&host);
  assert_non_null (mkdtemp (scratch));
  scratch_made = true;
  root = xasprintf ("%s/root", scratch);
  assert_int_equal (mkdir (root, 0700), 0);
  runc = xasprintf ("{\"id\":\"a\",\"init_process_pid\":%d,\"init_process_start\":%llu,"
                    "\"config\":{\"init_process_pid\":1}}",
                    (int)getpid (), start);
  crun = xasprintf ("{\"pid\": %d, \"process-start-time\": %llu, \"bundle\": \"/b\"}",
                    (int)getpid (), start);
  reused = xasprintf ("{\"id\":\"c\",\"init_process_pid\":%d,\"init_process_start\":%llu}",
                      (int)getpid (), start + 1);
  write_state (root, "a-runc", "state.json", runc);
  write_state (root, "b-crun", "status", crun);
  write_state (root, "c-reused", "state.json", reused);
  assert_true (host.runtime_containers (&host, root, &c, &n, &why));
  /* runc's and crun's files name us with our start time; the third names a reused pid.  */
  assert_int_equal (n, 2);
  for (size_t i = 0; i < n; i++)
    {
      assert_int_equal (c[i].pid, getpid ());
      assert_true (c[i].ns[HOST_NS_NETWORK].known);
      assert_int_equal (c[i].ns[HOST_NS_NETWORK].ino,
                        hostfacts_own_ns (&host, HOST_NS_NETWORK)->ino);
    }
  hostfacts_containers_free (c, n);
  /* A root others can write proves nothing.  */
  chmod (root, 0777);
  assert_false (host.runtime_containers (&host, root, &c, &n, &why));
  assert_non_null (strstr (why, "is not root's alone"));
}

static void
test_facts_ns_file_and_listener (void **state)
{
  struct host_facts host;
  struct host_ns_file f;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_free char *sock = NULL;
  int fd;
  (void)state;

  hostfacts_init_real (&host);
  assert_true (host.ns_file (&host, "/proc/self/ns/net", &f));
  assert_true (f.nsfs);
  assert_int_equal (f.type, HOST_NS_NETWORK);
  assert_false (f.pinned);
  assert_int_equal (f.id.ino, hostfacts_own_ns (&host, HOST_NS_NETWORK)->ino);
  assert_true (host.ns_file (&host, "/proc/self/ns/ipc", &f));
  assert_int_equal (f.type, HOST_NS_IPC);
  assert_true (host.ns_file (&host, "/etc/passwd", &f));
  assert_false (f.nsfs);
  /* We are in the host's netns: some process is.  */
  assert_true (host.ns_process (&host, HOST_NS_NETWORK, hostfacts_own_ns (&host, HOST_NS_NETWORK))
               > 0);
  /* A socket we listen on, by the kernel's table; not one we do not.  */
  if (!scratch_made)
    skip ();
  sock = xasprintf ("%s/key.sock", scratch);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  snprintf (addr.sun_path, sizeof (addr.sun_path), "%s", sock);
  assert_true (fd >= 0);
  assert_int_equal (bind (fd, (struct sockaddr *)&addr, sizeof (addr)), 0);
  assert_false (host.unix_listener (&host, getpid (), sock));
  assert_int_equal (listen (fd, 1), 0);
  assert_true (host.unix_listener (&host, getpid (), sock));
  assert_false (host.unix_listener (&host, getppid (), sock));
  close (fd);
  unlink (sock);
}

/* The walks of one judgement stop after a fixed number of component lookups.  */
static void
test_facts_walk_budget (void **state)
{
  struct host_facts host;
  cleanup_free char *deep = NULL;
  size_t calls = 0;
  bool ok = true;
  (void)state;

  if (!scratch_made)
    skip ();
  deep = xasprintf ("%s", scratch);
  for (int i = 0; i < 200; i++)
    {
      char *next = xasprintf ("%s/d", deep);
      free (deep);
      deep = next;
      mkdir (deep, 0755);
    }
  hostfacts_init_real (&host);
  while (ok && calls < 10000)
    {
      cleanup_free char *why = NULL;
      ok = host.path_trusted (&host, deep, &why);
      if (!ok)
        assert_non_null (strstr (why, "more than 262144 path components to resolve"));
      calls++;
    }
  /* 262144 lookups, a little over 200 for each walk.  */
  assert_false (ok);
  assert_in_range (calls, 262144 / 210, 262144 / 200 + 1);
  hostfacts_init_real (&host);
  {
    cleanup_free char *why = NULL;
    assert_true (host.path_trusted (&host, deep, &why));
  }
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  return remove (path);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_facts_runtime_containers),
    cmocka_unit_test (test_facts_ns_file_and_listener),
    cmocka_unit_test (test_facts_walk_budget),
  };
  int ret = cmocka_run_group_tests (tests, NULL, NULL);

  if (scratch_made)
    nftw (scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return ret;
}
