/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real host facts of the "joined namespaces and dockerd's identity" group (hostfacts.h):
 * what a namespace file is, which live containers a runtime root records and which namespaces
 * their init processes are in, whether any process is in a namespace, and which UNIX sockets a
 * process listens on.
 *
 * Owns: every syscall those answers need -- stat/statfs/statx and NS_GET_NSTYPE on namespace
 * files, reading runc's and crun's per-container state files (only root's, only their head),
 * /proc/<pid>/stat start times, walking /proc for namespace holders, /proc/net/unix and
 * /proc/<pid>/fd.
 * Must not: judge anything, or trust a path string where the kernel can give an identity.
 * Bounded: a runtime root is read up to HOSTFACTS_MAX_CONTAINERS entries, a runc state file up
 * to HOSTFACTS_STATE_HEAD bytes, crun's up to HOSTFACTS_STATUS_MAX, whatever the documents and the
 * containers hold.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/nsfs.h>

#include "fsutil.h"
#include "hostfacts.h"
#include "json.h"
#include "util.h"

/* Far above the containers one engine runs on one node (Kubernetes: 110 pods by default, two
 * containers each), and what keeps one judgement bounded when a root holds more: past it the
 * root proves nothing (fail closed).  */
#define HOSTFACTS_MAX_CONTAINERS 16384u
/* runc's State (libcontainer/container_linux.go) embeds BaseState (libcontainer/container.go: id,
 * init_process_pid, init_process_start, created, config) first, and Go writes embedded fields in
 * order, so both numbers sit in the first few hundred bytes; the config that follows can be
 * megabytes.  */
#define HOSTFACTS_STATE_HEAD 8192u
/* crun's status file is read whole: a few hundred bytes, a bundle path and descriptor names.  */
#define HOSTFACTS_STATUS_MAX 65536u

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static bool
real_file_id (const struct host_facts *host, const char *path, struct host_ns_id *id)
{
  struct stat st;

  (void)host;
  memset (id, 0, sizeof (*id));
  if (path == NULL || stat (path, &st) < 0)
    return false;
  *id = (struct host_ns_id){ .known = true, .dev = st.st_dev, .ino = st.st_ino };
  return true;
}

static enum host_ns
ns_from_clone_flag (int flag)
{
  static const struct
  {
    int flag;
    enum host_ns ns;
  } table[] = {
    { CLONE_NEWNS, HOST_NS_MOUNT },      { CLONE_NEWNET, HOST_NS_NETWORK },
    { CLONE_NEWPID, HOST_NS_PID },       { CLONE_NEWIPC, HOST_NS_IPC },
    { CLONE_NEWUTS, HOST_NS_UTS },       { CLONE_NEWUSER, HOST_NS_USER },
    { CLONE_NEWCGROUP, HOST_NS_CGROUP }, { CLONE_NEWTIME, HOST_NS_TIME },
  };
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    if (table[i].flag == flag)
      return table[i].ns;
  return HOST_NS_COUNT;
}

/* Everything from one fd, so the identity, the type and the mount-root bit describe one file.
 * Only a file statfs(2) says is on nsfs is opened: anything else (a FIFO, a device) is stat'd.  */
static bool
real_ns_file (const struct host_facts *host, const char *path, struct host_ns_file *out)
{
  struct statfs sfs;
  struct statx stx;
  struct stat st;
  cleanup_close int fd = -1;

  memset (out, 0, sizeof (*out));
  out->type = HOST_NS_COUNT;
  if (path == NULL)
    return false;
  if (statfs (path, &sfs) < 0 || sfs.f_type != NSFS_MAGIC)
    return real_file_id (host, path, &out->id);
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 || fstatfs (fd, &sfs) < 0 || fstat (fd, &st) < 0)
    return false;
  out->id = (struct host_ns_id){ .known = true, .dev = st.st_dev, .ino = st.st_ino };
  out->nsfs = sfs.f_type == NSFS_MAGIC;
  if (out->nsfs)
    out->type = ns_from_clone_flag (ioctl (fd, NS_GET_NSTYPE));
  /* A /proc/<pid>/ns entry reaches the namespace's dentry inside nsfs's own internal mount, of
   * which it is not the root; a bind mount of it has that dentry as its root (fs/stat.c
   * STATX_ATTR_MOUNT_ROOT, Linux 5.8).  */
  if (statx (fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) == 0
      && (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0)
    out->pinned = (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
  return true;
}

/* ---- process start times and namespaces ---- */

/* Field 22 of /proc/<pid>/stat (starttime, clock ticks since boot): the value runc stores as
 * init_process_start (libcontainer/system/proc.go Stat) and crun as process-start-time
 * (libcrun_get_process_start_time).  The fields after the command name are counted from its
 * LAST `)`, since the name itself may hold spaces and parentheses.  */
static bool
proc_start_time (pid_t pid, unsigned long long *start)
{
  cleanup_free char *path = xasprintf ("/proc/%d/stat", (int)pid);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  char buf[1024];
  ssize_t n = fd >= 0 ? read (fd, buf, sizeof (buf) - 1) : -1;
  char *p;

  if (n <= 0)
    return false;
  buf[n] = '\0';
  p = strrchr (buf, ')');
  for (int field = 2; p != NULL && field < 22; field++)
    p = strchr (p + 1, ' ');
  return p != NULL && sscanf (p + 1, "%llu", start) == 1;
}

static bool
proc_ns_id (pid_t pid, enum host_ns ns, struct host_ns_id *id)
{
  cleanup_free char *path = xasprintf ("/proc/%d/ns/%s", (int)pid, hostfacts_ns_file_name (ns));
  return real_file_id (NULL, path, id);
}

/* The namespaces of `pid`, kept only if it still has the start time the runtime recorded after
 * they were read: a pid that died and was reused in between shows another start time.  */
static bool
container_namespaces (pid_t pid, unsigned long long start, struct host_container *c)
{
  unsigned long long now = 0;

  for (int ns = 0; ns < HOST_NS_COUNT; ns++)
    proc_ns_id (pid, (enum host_ns)ns, &c->ns[ns]);
  if (!proc_start_time (pid, &now) || now != start)
    return false;
  c->pid = pid;
  return true;
}

/* ---- runtime state files ---- */

/* Owned by root (or us: we run the runtime ourselves) and writable by nobody else: only then can
 * what it says be the runtime's.  */
static bool
fd_trusted (int fd, bool directory)
{
  const struct fs_trust trust = { .euid = true, .also = (uid_t)-1, .sticky = false };
  struct stat st;

  if (fstat (fd, &st) < 0 || fsutil_trust (&st, &trust) != FS_TRUSTED)
    return false;
  return directory ? S_ISDIR (st.st_mode) : S_ISREG (st.st_mode);
}

/* At most `max` bytes of `name` in dirfd, when it is a trusted regular file (never a symlink, a
 * FIFO or somebody else's), NUL-terminated; NULL otherwise.  */
static char *
read_head (int dirfd, const char *name, size_t max, size_t *len)
{
  cleanup_close int fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  cleanup_free char *buf = NULL;
  size_t got = 0;
  ssize_t n = 0;

  if (fd < 0 || !fd_trusted (fd, false))
    return NULL;
  buf = xmalloc (max + 1);
  while (got < max && (n = read (fd, buf + got, max - got)) > 0)
    got += (size_t)n;
  if (n < 0)
    return NULL;
  buf[got] = '\0';
  *len = got;
  return steal_pointer (&buf);
}

/* `"key":<digits>` in a JSON text.  A key can only be found as a key: inside a JSON string every
 * `"` is escaped, so `"key":` cannot occur there.  The FIRST occurrence is taken -- for runc's
 * state.json the top-level one, written before the nested config (see HOSTFACTS_STATE_HEAD).  */
static bool
json_head_number (const char *text, const char *key, unsigned long long *out)
{
  cleanup_free char *needle = xasprintf ("\"%s\":", key);
  const char *p = strstr (text, needle);
  char *end = NULL;

  if (p == NULL)
    return false;
  p += strlen (needle);
  if (*p < '0' || *p > '9')
    return false;
  errno = 0;
  *out = strtoull (p, &end, 10);
  return errno == 0 && end != p;
}

/* runc: <root>/<id>/state.json.  */
static bool
runc_init (int dirfd, unsigned long long *pid, unsigned long long *start)
{
  size_t len = 0;
  cleanup_free char *head = read_head (dirfd, "state.json", HOSTFACTS_STATE_HEAD, &len);

  return head != NULL && json_head_number (head, "init_process_pid", pid)
         && json_head_number (head, "init_process_start", start);
}

/* crun 1.8.1: <root>/<id>/status, a small JSON object (libcrun/status.c
 * libcrun_write_container_status: "pid", "process-start-time", ...; checked with crun 1.8.1),
 * parsed whole.  */
static bool
crun_init (int dirfd, unsigned long long *pid, unsigned long long *start)
{
  size_t len = 0;
  cleanup_free char *text = read_head (dirfd, "status", HOSTFACTS_STATUS_MAX, &len);
  struct json_parse_opts opts = { .source = "status", .max_bytes = HOSTFACTS_STATUS_MAX };
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *root = text ? json_parse (text, len, &opts, &err) : NULL;
  uint64_t p = 0, s = 0;

  if (!json_number_u64 (json_obj_get (root, "pid"), &p)
      || !json_number_u64 (json_obj_get (root, "process-start-time"), &s))
    return false;
  *pid = p;
  *start = s;
  return true;
}

/* One entry of the root: a live container, or false.  */
static bool
container_read (int rootfd, const char *name, struct host_container *c)
{
  cleanup_close int dirfd = openat (rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  unsigned long long pid = 0, start = 0;

  if (dirfd < 0 || !fd_trusted (dirfd, true))
    return false;
  if (!runc_init (dirfd, &pid, &start) && !crun_init (dirfd, &pid, &start))
    return false;
  if (pid == 0 || pid > INT32_MAX || !container_namespaces ((pid_t)pid, start, c))
    return false;
  c->id = xstrdup (name);
  return true;
}

void
hostfacts_containers_free (struct host_container *c, size_t n)
{
  for (size_t i = 0; c != NULL && i < n; i++)
    free (c[i].id);
  free (c);
}

static bool
root_open (const struct host_facts *host, const char *root, int *fd, char **why)
{
  cleanup_free char *walk_why = NULL;
  cleanup_close int dfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (dfd < 0)
    *why = xasprintf ("cannot open the runtime root `%s`: %s", root, strerror (errno));
  else if (host->path_trusted != NULL && !host->path_trusted (host, root, &walk_why))
    *why = xasprintf ("the runtime root `%s` could be changed by others: %s", root,
                      walk_why ? walk_why : "?");
  else if (!fd_trusted (dfd, true))
    *why = xasprintf ("the runtime root `%s` is not root's alone", root);
  else
    *fd = steal_fd (&dfd);
  return *fd >= 0;
}

static bool
real_runtime_containers (const struct host_facts *host, const char *root,
                         struct host_container **out, size_t *n, char **why)
{
  int fd = -1;
  DIR *dir = NULL;
  struct dirent *de;
  size_t seen = 0;

  *out = NULL;
  *n = 0;
  *why = NULL;
  if (root == NULL || root[0] != '/')
    return (*why = xstrdup ("the runtime root is not known")), false;
  if (!root_open (host, root, &fd, why))
    return false;
  dir = fdopendir (fd);
  if (dir == NULL)
    return close (fd), (*why = xasprintf ("cannot read `%s`", root)), false;
  while ((de = readdir (dir)) != NULL && seen <= HOSTFACTS_MAX_CONTAINERS)
    {
      struct host_container c = { 0 };

      if (str_eq (de->d_name, ".") || str_eq (de->d_name, "..") || ++seen > HOSTFACTS_MAX_CONTAINERS
          || !container_read (dirfd (dir), de->d_name, &c))
        continue;
      *out = xreallocarray (*out, *n + 1, sizeof (**out));
      (*out)[(*n)++] = c;
    }
  closedir (dir);
  if (seen <= HOSTFACTS_MAX_CONTAINERS)
    return true;
  hostfacts_containers_free (*out, *n);
  *out = NULL;
  *n = 0;
  *why = xasprintf ("the runtime root `%s` holds more than %u entries", root,
                    HOSTFACTS_MAX_CONTAINERS);
  return false;
}

/* ---- who is in a namespace ---- */

/* Thread-group leaders only: a thread that setns()es alone (an engine configuring a container's
 * network from one goroutine) is a transient visitor, not a holder.  A process root may not
 * inspect (EACCES from an LSM) cannot be counted.  */
static pid_t
real_ns_process (const struct host_facts *host, enum host_ns ns, const struct host_ns_id *id)
{
  DIR *dir = opendir ("/proc");
  struct dirent *de;
  pid_t found = 0;

  (void)host;
  while (dir != NULL && found == 0 && (de = readdir (dir)) != NULL)
    {
      char *end = NULL;
      long pid = strtol (de->d_name, &end, 10);
      struct host_ns_id got = { 0 };

      if (pid <= 0 || *end != '\0' || !proc_ns_id ((pid_t)pid, ns, &got))
        continue;
      if (got.dev == id->dev && got.ino == id->ino)
        found = (pid_t)pid;
    }
  if (dir != NULL)
    closedir (dir);
  return found;
}

/* ---- UNIX sockets ---- */

/* The inodes of the listening sockets bound at `path` in our network namespace.  /proc/net/unix:
 * "Num RefCount Protocol Flags Type St Inode Path"; a listening socket has __SO_ACCEPTCON
 * (0x10000) in Flags (net/unix/af_unix.c unix_seq_show).  */
static size_t
unix_listening_inodes (const char *path, unsigned long *inodes, size_t max)
{
  cleanup_file FILE *f = fopen ("/proc/net/unix", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0, n = 0;
  ssize_t len;

  while (f != NULL && n < max && (len = getline (&line, &cap, f)) > 0)
    {
      unsigned long flags = 0, inode = 0;
      int off = 0;

      if (line[len - 1] == '\n')
        line[len - 1] = '\0';
      if (sscanf (line, "%*s %*s %*s %lx %*s %*s %lu %n", &flags, &inode, &off) != 2 || off == 0)
        continue;
      if ((flags & 0x10000) != 0 && strcmp (line + off, path) == 0)
        inodes[n++] = inode;
    }
  return n;
}

static bool
real_unix_listener (const struct host_facts *host, pid_t pid, const char *path)
{
  unsigned long inodes[16];
  size_t n = path != NULL ? unix_listening_inodes (path, inodes, ARRAY_SIZE (inodes)) : 0;
  cleanup_free char *fds = xasprintf ("/proc/%d/fd", (int)pid);
  DIR *dir = n > 0 ? opendir (fds) : NULL;
  struct dirent *de;
  bool found = false;

  (void)host;
  while (dir != NULL && !found && (de = readdir (dir)) != NULL)
    {
      char target[64];
      unsigned long inode = 0;
      ssize_t len = readlinkat (dirfd (dir), de->d_name, target, sizeof (target) - 1);

      if (len <= 0)
        continue;
      target[len] = '\0';
      if (sscanf (target, "socket:[%lu]", &inode) != 1)
        continue;
      for (size_t i = 0; i < n && !found; i++)
        found = inodes[i] == inode;
    }
  if (dir != NULL)
    closedir (dir);
  return found;
}

void
hostfacts_init_real_ns (struct host_facts *host)
{
  host->file_id = real_file_id;
  host->ns_file = real_ns_file;
  host->runtime_containers = real_runtime_containers;
  host->ns_process = real_ns_process;
  host->unix_listener = real_unix_listener;
}
