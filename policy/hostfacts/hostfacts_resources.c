/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host facts of the resource and device rules (see hostfacts.h, the group "Resources and
 * devices"): how much memory and how many pids the host has, whether the runtime will run in a
 * user namespace, what a host device path is, and whether a rootless runtime can create the
 * container's cgroup v1 directories.
 *
 * Owns: reading /proc/meminfo, kernel.pid_max, /proc/self/uid_map, /proc/self/cgroup and
 * /proc/self/mountinfo, and the stat/access calls behind the callbacks.  Must not: judge.  */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfacts.h"
#include "util.h"

/* proc_number over the start of the file, read with one read(2) (stdio adds an fstat): the
 * number, or -1 when the key's line is not whole in it.  */
static long long
proc_number_head (const char *path, const char *key)
{
  char buf[4096];
  size_t n = strlen (key);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t got = fd >= 0 ? read (fd, buf, sizeof (buf) - 1) : -1;
  unsigned long long v = 0;

  if (got <= 0)
    return -1;
  buf[got] = '\0';
  for (char *line = buf, *end; (end = strchr (line, '\n')) != NULL; line = end + 1)
    if (strncmp (line, key, n) == 0)
      {
        *end = '\0';
        if (sscanf (line + n, " %llu", &v) != 1)
          return 0;
        return v <= LLONG_MAX ? (long long)v : -1;
      }
  return -1;
}

/* The first unsigned number after `key` on the line of `path` that starts with it, or 0.  */
static unsigned long long
proc_number (const char *path, const char *key)
{
  long long head = proc_number_head (path, key);
  cleanup_file FILE *f = head >= 0 ? NULL : fopen (path, "re");
  char line[256];
  unsigned long long v = 0;
  size_t n = strlen (key);

  if (head >= 0)
    return (unsigned long long)head;
  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    if (strncmp (line, key, n) == 0)
      return sscanf (line + n, " %llu", &v) == 1 ? v : 0;
  return 0;
}

/* MemTotal is in kB (fs/proc/meminfo.c).  */
static unsigned long long
host_memory_total (void)
{
  unsigned long long kb = proc_number ("/proc/meminfo", "MemTotal:");

  return kb <= UINT64_MAX / 1024 ? kb * 1024 : 0;
}

/* runc's libcontainer/userns.runningInUserNS: the initial user namespace maps the whole uid
 * range onto itself, "0 0 4294967295"; an unreadable map is "not in a user namespace".  */
static bool
host_in_user_ns (void)
{
  cleanup_file FILE *f = fopen ("/proc/self/uid_map", "re");
  unsigned long long a = 0, b = 0, c = 0;

  if (f == NULL || fscanf (f, "%llu %llu %llu", &a, &b, &c) != 3)
    return false;
  return !(a == 0 && b == 0 && c == 4294967295ULL);
}

/* in_user_ns, read when first asked for (a document without devices never asks): 0 unknown,
 * 1 no, 2 yes.  For the life of these facts.  */
static int in_user_ns_known;

static bool
real_in_user_ns (const struct host_facts *host)
{
  (void)host;
  if (in_user_ns_known == 0)
    in_user_ns_known = host_in_user_ns () ? 2 : 1;
  return in_user_ns_known == 2;
}

static bool
real_device_at (const struct host_facts *host, const char *path, mode_t *type, dev_t *rdev)
{
  struct stat st;

  (void)host;
  if (path == NULL || stat (path, &st) < 0)
    return false;
  *type = st.st_mode & S_IFMT;
  *rdev = st.st_rdev;
  return true;
}

/* Is `controller` one of the comma-separated names in `list`?  */
static bool
list_has (const char *list, size_t len, const char *controller)
{
  size_t n = strlen (controller);

  for (const char *p = list; p < list + len;)
    {
      size_t k = strcspn (p, ",");
      if (k > (size_t)(list + len - p))
        k = (size_t)(list + len - p);
      if (k == n && memcmp (p, controller, n) == 0)
        return true;
      p += k + 1;
    }
  return false;
}

/* Our own cgroup in the v1 hierarchy of `controller` (/proc/self/cgroup `ID:LIST:PATH` with ID
 * not 0), malloc'd; NULL when the controller is not on cgroup v1.  */
static char *
own_v1_cgroup (const char *controller)
{
  cleanup_file FILE *f = fopen ("/proc/self/cgroup", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;

  while (f != NULL && getline (&line, &cap, f) > 0)
    {
      char *list = strchr (line, ':');
      char *path = list ? strchr (list + 1, ':') : NULL;

      if (path == NULL || strncmp (line, "0:", 2) == 0
          || !list_has (list + 1, (size_t)(path - list - 1), controller))
        continue;
      path[1 + strcspn (path + 1, "\n")] = '\0';
      return xstrdup (path + 1);
    }
  return NULL;
}

/* The directory of cgroup `cg` in the v1 hierarchy of `controller`, from the mount table as
 * runc's cgroups.FindCgroupMountpointAndRoot reads it: a `cgroup` mount whose super options
 * name the controller; its root (field 4) is cut from `cg`.  malloc'd, or NULL.  */
static char *
v1_cgroup_dir (const char *controller, const char *cg)
{
  cleanup_file FILE *f = fopen ("/proc/self/mountinfo", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;

  while (f != NULL && getline (&line, &cap, f) > 0)
    {
      char root[4096], point[4096], fstype[64], opts[1024];
      const char *sep = strstr (line, " - ");
      size_t n;

      if (sep == NULL || sscanf (line, "%*s %*s %*s %4095s %4095s", root, point) != 2
          || sscanf (sep + 3, "%63s %*s %1023s", fstype, opts) != 2 || !str_eq (fstype, "cgroup")
          || !list_has (opts, strlen (opts), controller))
        continue;
      n = str_eq (root, "/") ? 0 : strlen (root);
      if (strncmp (cg, root, n) != 0)
        continue;
      return xasprintf ("%s%s", point, cg + n);
    }
  return NULL;
}

/* runc (libcontainer/cgroups/fs/paths.go subsysPath) puts a container without cgroupsPath below
 * the caller's own cgroup and, when rootless, drops a controller whose directory it cannot
 * create (fs.go Apply); crun (cgroup.c can_ignore_cgroup_enter_errors) ignores the failure
 * altogether.  Either way the limit is not applied unless that directory is writable.  */
static char *
real_cgroup_unsettable (const struct host_facts *host, const char *controller)
{
  cleanup_free char *cg = NULL;
  cleanup_free char *dir = NULL;

  if (geteuid () == 0 && !hostfacts_in_user_ns (host))
    return NULL;
  cg = own_v1_cgroup (controller);
  if (cg == NULL)
    return NULL;
  dir = v1_cgroup_dir (controller, cg);
  if (dir == NULL)
    return xasprintf ("no cgroup v1 `%s` hierarchy is mounted here", controller);
  if (faccessat (AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0)
    return NULL;
  return xasprintf ("the runtime runs rootless (uid %u) and cannot create a cgroup below `%s`",
                    (unsigned)geteuid (), dir);
}

void
hostfacts_init_resources (struct host_facts *host)
{
  host->memory_total = host_memory_total ();
  host->pid_max = proc_number ("/proc/sys/kernel/pid_max", "");
  host->read_in_user_ns = real_in_user_ns;
  in_user_ns_known = 0;
  host->device_at = real_device_at;
  host->cgroup_unsettable = real_cgroup_unsettable;
}
