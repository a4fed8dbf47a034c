/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Engine daemons by identity (see hostproc.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fsutil.h"
#include "hostfacts.h"
#include "hostproc.h"
#include "util.h"

/* A command line or an environment is a few KiB; this only bounds a hostile one.  */
#define PROC_LIST_MAX (1024u * 1024u)

void
hostproc_release (struct hostproc *p)
{
  free (p->exe);
  strv_free (p->argv);
  strv_free (p->env);
  memset (p, 0, sizeof (*p));
}

char **
hostproc_read_nul_list (const char *path, size_t max)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  cleanup_free char *buf = NULL;
  cleanup_error ocg_error_t err = NULL;
  size_t len = 0, n = 0;
  char **v;

  if (fd < 0 || (buf = fsutil_read_fd (fd, path, max, &len, &err)) == NULL)
    return NULL;
  for (size_t i = 0; i < len; i++)
    n += buf[i] == '\0';
  v = xzalloc ((n + 2) * sizeof (char *));
  n = 0;
  for (size_t i = 0; i < len; i += strlen (buf + i) + 1)
    v[n++] = xstrdup (buf + i);
  return v;
}

static unsigned long long
start_ticks_of (pid_t pid)
{
  cleanup_free char *path = xasprintf ("/proc/%d/stat", (int)pid);
  cleanup_file FILE *f = fopen (path, "re");
  char line[4096];
  const char *p;
  unsigned long long v = 0;

  if (f == NULL || fgets (line, sizeof (line), f) == NULL)
    return 0;
  /* The command name may hold spaces and parentheses: fields start after the last ')'.  */
  p = strrchr (line, ')');
  if (p == NULL)
    return 0;
  /* Field 3 is the state right after ") "; field 22 is the start time.  */
  p += 2;
  for (int field = 3; field < 22 && p != NULL; field++)
    p = strchr (p, ' ') ? strchr (p, ' ') + 1 : NULL;
  if (p == NULL || sscanf (p, "%llu", &v) != 1)
    return 0;
  return v;
}

bool
hostproc_read (pid_t pid, struct hostproc *p)
{
  cleanup_free char *exe = xasprintf ("/proc/%d/exe", (int)pid);
  cleanup_free char *cmd = xasprintf ("/proc/%d/cmdline", (int)pid);
  cleanup_free char *env = xasprintf ("/proc/%d/environ", (int)pid);
  char link[4096];
  ssize_t n;
  struct stat st;

  memset (p, 0, sizeof (*p));
  p->pid = pid;
  n = readlink (exe, link, sizeof (link) - 1);
  if (n > 0)
    p->exe = xstrndup (link, (size_t)n);
  if (stat (exe, &st) == 0)
    {
      p->exe_known = true;
      p->exe_dev = st.st_dev;
      p->exe_ino = st.st_ino;
    }
  p->argv = hostproc_read_nul_list (cmd, PROC_LIST_MAX);
  p->env = hostproc_read_nul_list (env, PROC_LIST_MAX);
  p->start_ticks = start_ticks_of (pid);
  if (p->argv == NULL && !p->exe_known)
    {
      hostproc_release (p);
      return false;
    }
  return true;
}

bool
hostproc_is_one_of (dev_t dev, ino_t ino, const char *const *binaries)
{
  struct stat st;

  for (size_t i = 0; binaries[i] != NULL; i++)
    if (stat (binaries[i], &st) == 0 && st.st_dev == dev && st.st_ino == ino)
      return true;
  return false;
}

const char *
hostproc_installed (const char *const *binaries)
{
  struct stat st;

  for (size_t i = 0; binaries[i] != NULL; i++)
    if (stat (binaries[i], &st) == 0 && S_ISREG (st.st_mode))
      return binaries[i];
  return NULL;
}

/* The holder that runs one of `binaries`, else the first one's executable in *other.  */
static bool
pick_holder (const struct host_listeners *ls, const char *const *binaries, pid_t *pid, char **other)
{
  for (size_t i = 0; i < ls->n; i++)
    for (size_t j = 0; j < ls->items[i].n_holders; j++)
      {
        const struct host_socket_holder *h = &ls->items[i].holders[j];

        if (h->exe_known && hostproc_is_one_of (h->exe_dev, h->exe_ino, binaries))
          return (*pid = h->pid), true;
        if (other != NULL && *other == NULL)
          *other = xstrdup (h->exe ? h->exe : "?");
      }
  return false;
}

int
hostproc_socket_owner (const char *path, const char *const *binaries, struct hostproc *p,
                       char **other)
{
  struct host_facts host;
  struct host_listeners ls = { 0 };
  cleanup_free char *canon = realpath (path, NULL);
  pid_t pid = 0;
  bool found;

  memset (p, 0, sizeof (*p));
  if (other != NULL)
    *other = NULL;
  if (canon == NULL)
    return 0;
  hostfacts_init_real (&host);
  if (!hostfacts_real_unix_listeners (&host, canon, false, &ls))
    return -1;
  found = pick_holder (&ls, binaries, &pid, other);
  hostfacts_listeners_release (&ls);
  if (!found || !hostproc_read (pid, p))
    return 0;
  return 1;
}

const char *
hostproc_getenv (char *const *env, const char *name)
{
  size_t n = strlen (name);

  for (size_t i = 0; env != NULL && env[i] != NULL; i++)
    if (strncmp (env[i], name, n) == 0 && env[i][n] == '=')
      return env[i] + n + 1;
  return NULL;
}

/* argv[i] is `--name`, `-name` (Go's flag package reads both) or the short form; *value gets
 * what follows `=`, or NULL.  */
static bool
flag_matches (const char *arg, const char *name, char short_name, const char **value)
{
  const char *p = arg;
  size_t n = strlen (name);

  *value = NULL;
  if (p[0] != '-')
    return false;
  p += p[1] == '-' ? 2 : 1;
  if (strncmp (p, name, n) == 0 && (p[n] == '\0' || p[n] == '='))
    return (*value = p[n] == '=' ? p + n + 1 : NULL), true;
  if (short_name != 0 && arg[1] == short_name && (arg[2] == '\0' || arg[2] == '='))
    return (*value = arg[2] == '=' ? arg + 3 : NULL), true;
  return false;
}

const char *
hostproc_flag (char *const *argv, const char *name, char short_name, bool boolean)
{
  const char *found = NULL;

  for (size_t i = 1; argv != NULL && argv[i] != NULL; i++)
    {
      const char *v;

      if (str_eq (argv[i], "--"))
        break;
      if (!flag_matches (argv[i], name, short_name, &v))
        continue;
      if (v != NULL)
        found = v;
      else if (boolean)
        found = "true";
      else if (argv[i + 1] != NULL)
        found = argv[++i];
    }
  return found;
}

const char **
hostproc_flag_all (char *const *argv, const char *name, char short_name)
{
  const char **out = xzalloc (sizeof (char *));
  size_t n = 0;

  for (size_t i = 1; argv != NULL && argv[i] != NULL; i++)
    {
      const char *v;

      if (str_eq (argv[i], "--"))
        break;
      if (!flag_matches (argv[i], name, short_name, &v))
        continue;
      if (v == NULL && argv[i + 1] != NULL)
        v = argv[++i];
      if (v == NULL)
        continue;
      out = xreallocarray (out, n + 2, sizeof (char *));
      out[n++] = v;
      out[n] = NULL;
    }
  return out;
}

/* openat2 RESOLVE_IN_ROOT is Linux 5.6.  */
int
hostproc_open_in_root (pid_t pid, const char *path)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
  cleanup_free char *root = NULL;
  cleanup_close int rootfd = -1;
  int fd;

  if (pid == 0)
    return open (path, O_PATH | O_CLOEXEC);
  root = xasprintf ("/proc/%d/root", (int)pid);
  rootfd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return -1;
  fd = (int)syscall (SYS_openat2, rootfd, path, &how, sizeof (how));
  if (fd < 0 && errno == ENOSYS)
    {
      /* Without openat2, only a process that shares our root can be answered for.  */
      struct stat a, b;
      if (fstat (rootfd, &a) < 0 || stat ("/", &b) < 0 || a.st_dev != b.st_dev
          || a.st_ino != b.st_ino)
        return -1;
      return open (path, O_PATH | O_CLOEXEC);
    }
  return fd;
}

bool
hostproc_stat_in_root (pid_t pid, const char *path, dev_t *dev, ino_t *ino)
{
  cleanup_close int fd = hostproc_open_in_root (pid, path);
  struct stat st;

  /* os/exec findExecutable: not a directory, some execute bit.  */
  if (fd < 0 || fstat (fd, &st) < 0 || S_ISDIR (st.st_mode) || (st.st_mode & 0111) == 0)
    return false;
  *dev = st.st_dev;
  *ino = st.st_ino;
  return true;
}

bool
hostproc_lookpath (pid_t pid, const char *path_env, const char *name, char **found, dev_t *dev,
                   ino_t *ino)
{
  const char *p = path_env;

  *found = NULL;
  while (p != NULL && *p != '\0')
    {
      const char *colon = strchr (p, ':');
      size_t len = colon ? (size_t)(colon - p) : strlen (p);
      cleanup_free char *dir = xstrndup (p, len);

      p = colon ? colon + 1 : NULL;
      if (dir[0] != '/')
        continue;
      free (*found);
      *found = xasprintf ("%s%s%s", dir, dir[len - 1] == '/' ? "" : "/", name);
      if (hostproc_stat_in_root (pid, *found, dev, ino))
        return true;
    }
  free (*found);
  *found = NULL;
  return false;
}

/* "0::/system.slice/docker.service" or "1:name=systemd:/system.slice/docker.service".  */
static char *
unit_of_line (const char *line)
{
  const char *path = strrchr (line, ':');
  const char *base;
  size_t n;

  if (path == NULL || (!str_has_prefix (line, "0::") && strstr (line, ":name=systemd:") == NULL))
    return NULL;
  base = strrchr (path, '/');
  base = base ? base + 1 : path + 1;
  n = strcspn (base, "\n");
  if (n < 9 || strncmp (base + n - 8, ".service", 8) != 0)
    return NULL;
  return xstrndup (base, n);
}

char *
hostproc_systemd_unit (pid_t pid)
{
  cleanup_free char *path = xasprintf ("/proc/%d/cgroup", (int)pid);
  cleanup_file FILE *f = fopen (path, "re");
  char line[4096];

  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    {
      char *unit = unit_of_line (line);
      if (unit != NULL)
        return unit;
    }
  return NULL;
}

long long
hostproc_start_epoch (const struct hostproc *p)
{
  cleanup_file FILE *f = fopen ("/proc/stat", "re");
  char line[256];
  long long btime = 0;
  long hz = sysconf (_SC_CLK_TCK);

  if (p->start_ticks == 0 || hz <= 0)
    return 0;
  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    if (sscanf (line, "btime %lld", &btime) == 1)
      return btime + (long long)(p->start_ticks / (unsigned long long)hz);
  return 0;
}
