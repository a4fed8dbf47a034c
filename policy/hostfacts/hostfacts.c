/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real host facts: everything the rules may learn about the host, read from the running
 * kernel and filesystem; hostfacts.h has the contract.
 *
 * Owns: every syscall a rule's judgement depends on -- /proc/self/ns/<type>, cap_last_cap, uname,
 * LSM state, realpath of mount sources and the stat/lstat walks that tell whether a source exists,
 * is what realpath says and cannot be swapped, readlink of hook paths, AppArmor's profile list
 * and each profile's mode, SELinux's context check, whether unprivileged user namespaces are
 * allowed.
 * Must not: judge anything, write anything, or look inside the container's rootfs (a path is
 * canonicalised on the HOST, where the runtime resolves bind-mount sources).
 * Cheap by design: hostfacts_init_real runs only for create/run/exec/update and does a handful of
 * stats; the per-path callbacks run only when a rule asks.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <selinux/selinux.h>

#include "fsutil.h"
#include "hostfacts.h"
#include "hostfacts_walk.h"
#include "util.h"

static const char *const ns_types[HOST_NS_COUNT] = {
  [HOST_NS_MOUNT] = "mount",   [HOST_NS_NETWORK] = "network", [HOST_NS_PID] = "pid",
  [HOST_NS_IPC] = "ipc",       [HOST_NS_UTS] = "uts",         [HOST_NS_USER] = "user",
  [HOST_NS_CGROUP] = "cgroup", [HOST_NS_TIME] = "time",
};

/* The file names under /proc/<pid>/ns/ (the kernel's, not the runtime-spec's).  */
static const char *const ns_files[HOST_NS_COUNT] = {
  [HOST_NS_MOUNT] = "mnt",     [HOST_NS_NETWORK] = "net", [HOST_NS_PID] = "pid",
  [HOST_NS_IPC] = "ipc",       [HOST_NS_UTS] = "uts",     [HOST_NS_USER] = "user",
  [HOST_NS_CGROUP] = "cgroup", [HOST_NS_TIME] = "time",
};

enum host_ns
hostfacts_ns_from_type (const char *type)
{
  for (int i = 0; i < HOST_NS_COUNT; i++)
    if (str_eq (ns_types[i], type))
      return (enum host_ns)i;
  return HOST_NS_COUNT;
}

const char *
hostfacts_ns_file_name (enum host_ns ns)
{
  return ns >= 0 && ns < HOST_NS_COUNT ? ns_files[ns] : NULL;
}

/* A small file read whole (procfs / sysfs values), NUL-terminated; NULL when unreadable.  */
static char *
read_small (const char *path)
{
  char buf[64];
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return NULL;
  n = read (fd, buf, sizeof (buf) - 1);
  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return xstrdup (buf);
}

/* /proc/sys/kernel/cap_last_cap is what runc's gocapability and crun read; libcap's own count is
 * the fallback when /proc is not there (it may lag behind a newer kernel).  */
static unsigned
host_cap_last_cap (void)
{
  cleanup_free char *text = read_small ("/proc/sys/kernel/cap_last_cap");
  char *end = NULL;
  unsigned long v;

  if (text != NULL)
    {
      errno = 0;
      v = strtoul (text, &end, 10);
      if (errno == 0 && end != text && v < 64)
        return (unsigned)v;
    }
  return cap_max_bits () > 0 ? (unsigned)cap_max_bits () - 1 : 0;
}

static bool
real_ns_id_of (const struct host_facts *host, const char *path, struct host_ns_id *id)
{
  struct stat st;

  (void)host;
  memset (id, 0, sizeof (*id));
  if (path == NULL || stat (path, &st) < 0)
    return false;
  id->known = true;
  id->dev = st.st_dev;
  id->ino = st.st_ino;
  return true;
}

/* The kernel gives up after 40 symlinks in one path walk (fs/namei.c MAXSYMLINKS, ELOOP).  */
#define TRUST_MAX_LINKS HOSTFACTS_MAX_LINKS

static char *
real_read_link (const struct host_facts *host, const char *path)
{
  size_t size = 256;

  (void)host;
  for (;;)
    {
      cleanup_free char *buf = xmalloc (size);
      ssize_t n = readlink (path, buf, size);

      if (n < 0)
        return NULL;
      if ((size_t)n < size)
        {
          buf[n] = '\0';
          return steal_pointer (&buf);
        }
      if (size >= 65536)
        return NULL;
      size *= 2;
    }
}

static bool
real_path_exists (const struct host_facts *host, const char *path)
{
  struct stat st;

  (void)host;
  return path != NULL && stat (path, &st) == 0;
}

/* stat(2), not realpath(3): the kernel follows /proc/<pid>/root into that process's root, while
 * realpath reads the link's text ("/").  So a bind of /proc/<pid>/root/<symlink to /> would
 * canonicalise to a harmless-looking path while runc mounts another container's view of /.  */
static bool
real_same_file (const struct host_facts *host, const char *a, const char *b)
{
  struct stat sa, sb;

  (void)host;
  if (a == NULL || b == NULL || stat (a, &sa) < 0 || stat (b, &sb) < 0)
    return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Where a trust walk stands: `dir` is the directory reached so far (reached without symlinks, so
 * its lexical parent is its real parent) and `dfd` that directory (O_PATH), so each lookup is one
 * step from it rather than a walk of the whole prefix again; `rest` is what is left to resolve,
 * from `pos` on.  */
struct trust_walk
{
  char *dir;
  int dfd;
  char *rest;
  size_t pos;
  unsigned links;
  uid_t also; /* another owner to trust besides root and us, or (uid_t)-1 */
};

/* Could anyone but root change which file `entry` (looked up in directory `dir`) is?  The owner
 * of a directory can always chmod it; others need write permission; in a sticky directory
 * (/tmp) only the owner of the entry can rename or remove it (fs/namei.c may_delete).  Root,
 * ocigate itself and the container's own mapped root (`also`) are trusted: see struct fs_trust.  */
static bool
lookup_trusted (const char *dir, const struct stat *d, const char *entry, const struct stat *e,
                uid_t also, char **why)
{
  const struct fs_trust trust = { .euid = true, .also = also, .sticky = true };

  switch (fsutil_trust (d, &trust))
    {
    case FS_OTHER_OWNER:
      *why = xasprintf ("`%s` is owned by uid %u", dir, (unsigned)d->st_uid);
      return false;
    case FS_SHARED:
      *why = xasprintf ("`%s` is writable by group or others", dir);
      return false;
    case FS_TRUSTED:
      return true;
    case FS_STICKY:
      break;
    }
  if (fsutil_owner_trusted (e->st_uid, &trust))
    return true;
  *why = xasprintf ("`%s` belongs to uid %u in the shared directory `%s`", entry,
                    (unsigned)e->st_uid, dir);
  return false;
}

/* The next component of what is left to resolve, or NULL at the end; *len gets its length.  */
static const char *
walk_next (struct trust_walk *w, size_t *len)
{
  const char *p = w->rest + w->pos;

  p += strspn (p, "/");
  if (*p == '\0')
    return NULL;
  *len = strcspn (p, "/");
  w->pos = (size_t)(p - w->rest) + *len;
  return p;
}

/* Replace the walk's directory fd (-1 stays -1: the next lookup then fails).  */
static void
walk_set_fd (struct trust_walk *w, int fd)
{
  if (w->dfd >= 0)
    close (w->dfd);
  w->dfd = fd;
}

static void
walk_up (struct trust_walk *w)
{
  char *slash = strrchr (w->dir, '/');
  int fd = openat (w->dfd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (slash != NULL)
    slash[slash == w->dir ? 1 : 0] = '\0';
  /* `..` of a file: the lexical parent, as this walk has always taken it.  */
  walk_set_fd (w, fd >= 0 ? fd : open (w->dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
}

/* Continue with the symlink's target in front of what is left, from "/" when it is absolute and
 * from the symlink's directory otherwise: the kernel's order.  */
static bool
walk_follow (struct trust_walk *w, const char *link, const char *name, char **why)
{
  char target[PATH_MAX];
  ssize_t n = readlinkat (w->dfd, name, target, sizeof (target) - 1);
  char *rest;

  if (n <= 0 || ++w->links > TRUST_MAX_LINKS)
    {
      *why = xasprintf ("cannot follow the symlink `%s`", link);
      return false;
    }
  target[n] = '\0';
  rest = xasprintf ("%s/%s", target, w->rest + w->pos);
  free (w->rest);
  w->rest = rest;
  w->pos = 0;
  if (target[0] == '/')
    {
      free (w->dir);
      w->dir = xstrdup ("/");
      walk_set_fd (w, open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    }
  return true;
}

/* dir "/" comp[0..len): the path of the next component, without vasprintf's cost (every
 * component of every bind source, several times per document).  */
static char *
walk_join (const char *dir, const char *comp, size_t len)
{
  size_t n = str_eq (dir, "/") ? 0 : strlen (dir);
  char *out = xmalloc (n + 1 + len + 1);

  memcpy (out, dir, n);
  out[n] = '/';
  memcpy (out + n + 1, comp, len);
  out[n + 1 + len] = '\0';
  return out;
}

/* Look one component up in w->dir, as the kernel would, after checking who could change it.  */
static bool
walk_step (struct trust_walk *w, const char *comp, size_t len, char **why)
{
  cleanup_free char *next = NULL;
  cleanup_free char *name = xstrndup (comp, len);
  struct stat d, e;

  if (len == 1 && comp[0] == '.')
    return true;
  if (len == 2 && comp[0] == '.' && comp[1] == '.')
    {
      walk_up (w);
      return true;
    }
  next = walk_join (w->dir, comp, len);
  if (!hostfacts_walk_spend ())
    {
      *why = xasprintf ("more than %u path components to resolve for one document",
                        HOSTFACTS_WALK_BUDGET);
      return false;
    }
  if (w->dfd < 0 || fstat (w->dfd, &d) < 0 || fstatat (w->dfd, name, &e, AT_SYMLINK_NOFOLLOW) < 0)
    {
      *why = xasprintf ("cannot stat `%s`: %s", next, strerror (w->dfd < 0 ? ENOENT : errno));
      return false;
    }
  if (!lookup_trusted (w->dir, &d, next, &e, w->also, why))
    return false;
  if (S_ISLNK (e.st_mode))
    return walk_follow (w, next, name, why);
  walk_set_fd (w, openat (w->dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
  free (w->dir);
  w->dir = steal_pointer (&next);
  return true;
}

/* See hostfacts.h.  Walks the path runc will hand to mount(2), not only its canonical form, so a
 * symlink on the way (whose own directory the canonical path never names) is checked too.  */
static bool
real_path_trusted_for (const struct host_facts *host, const char *path, uid_t also, char **why)
{
  struct trust_walk w = { .also = also };
  const char *comp;
  size_t len = 0;
  bool ok = true;

  (void)host;
  *why = NULL;
  if (path == NULL || path[0] != '/')
    {
      *why = xasprintf ("`%s` is not an absolute path", path ? path : "");
      return false;
    }
  /* "/" names no directory to look a name up in: nothing to walk, nothing to open.  */
  if (path[strspn (path, "/")] == '\0')
    return true;
  w.dir = xstrdup ("/");
  w.dfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  w.rest = xstrdup (path);
  while (ok && (comp = walk_next (&w, &len)) != NULL)
    ok = walk_step (&w, comp, len, why);
  walk_set_fd (&w, -1);
  free (w.dir);
  free (w.rest);
  return ok;
}

/* The judged container's own mapped root (host_facts.container_root) is trusted too.  */
static bool
real_path_trusted (const struct host_facts *host, const char *path, char **why)
{
  return real_path_trusted_for (host, path,
                                host->container_root != 0 ? host->container_root : (uid_t)-1, why);
}

char *
hostfacts_apparmor_mode_in (const char *line, const char *name)
{
  const char *open = strrchr (line, '(');
  const char *close = strrchr (line, ')');
  size_t len = strlen (name);

  if (open == NULL || close == NULL || close < open || (size_t)(open - line) != len + 1
      || strncmp (line, name, len) != 0 || line[len] != ' ')
    return NULL;
  return xstrndup (open + 1, (size_t)(close - open - 1));
}

/* /sys/kernel/security/apparmor/profiles: one "NAME (MODE)" per line.  */
static char *
real_apparmor_profile_mode (const struct host_facts *host, const char *name)
{
  cleanup_file FILE *f = NULL;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  char *mode = NULL;

  if (name == NULL || !host->apparmor_enabled)
    return NULL;
  f = fopen ("/sys/kernel/security/apparmor/profiles", "re");
  while (f != NULL && mode == NULL && getline (&line, &cap, f) > 0)
    mode = hostfacts_apparmor_mode_in (line, name);
  return mode;
}

static bool
real_apparmor_profile_loaded (const struct host_facts *host, const char *name)
{
  cleanup_free char *mode = real_apparmor_profile_mode (host, name);
  return mode != NULL;
}

static bool
real_selinux_context_valid (const struct host_facts *host, const char *context)
{
  return host->selinux_enabled && context != NULL && security_check_context (context) == 0;
}

/* One `key = "value"` line of an lxc_contexts file (libselinux ships the path, not a parser;
 * the format is the one container-selinux writes and go-selinux reads).  */
static char *
lxc_context_value (const char *line, const char *key)
{
  size_t n = strlen (key);
  const char *p = line + strspn (line, " \t");
  const char *end;

  if (strncmp (p, key, n) != 0)
    return NULL;
  p += n;
  p += strspn (p, " \t");
  if (*p++ != '=')
    return NULL;
  p += strspn (p, " \t\"");
  end = p + strcspn (p, "\"\n");
  return end > p ? xstrndup (p, (size_t)(end - p)) : NULL;
}

static bool
real_selinux_container_labels (const struct host_facts *host, char **process, char **file)
{
  const char *path = host->selinux_enabled ? selinux_lxc_contexts_path () : NULL;
  cleanup_file FILE *f = path ? fopen (path, "re") : NULL;
  char line[512];

  *process = *file = NULL;
  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    {
      if (*process == NULL)
        *process = lxc_context_value (line, "process");
      if (*file == NULL)
        *file = lxc_context_value (line, "file");
    }
  if (*process != NULL && *file != NULL)
    return true;
  free (*process);
  free (*file);
  *process = *file = NULL;
  return false;
}

static void
host_kernel_version (struct host_facts *host)
{
  struct utsname u;

  if (uname (&u) < 0 || sscanf (u.release, "%u.%u", &host->kernel_major, &host->kernel_minor) != 2)
    host->kernel_major = host->kernel_minor = 0;
}

/* Debian's kernel.unprivileged_userns_clone (absent upstream) and user.max_user_namespaces;
 * unreadable means allowed, the case that adds restrictions.  */
static bool
host_userns_unprivileged (void)
{
  cleanup_free char *clone = read_small ("/proc/sys/kernel/unprivileged_userns_clone");
  cleanup_free char *max = read_small ("/proc/sys/user/max_user_namespaces");

  return !(clone != NULL && strtol (clone, NULL, 10) == 0)
         && !(max != NULL && strtol (max, NULL, 10) == 0);
}

static bool
host_apparmor_enabled (void)
{
  cleanup_free char *text = read_small ("/sys/module/apparmor/parameters/enabled");

  return text != NULL && text[0] == 'Y';
}

static const struct
{
  const char *name;
  int resource;
} rlimit_names[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

/* Asked once for the life of these facts (check and recheck both ask): 0 unknown, 1 no, 2 yes.  */
static int have_sys_resource;

static bool
have_cap_sys_resource (void)
{
  cap_t caps;
  cap_flag_value_t v = CAP_CLEAR;

  if (have_sys_resource != 0)
    return have_sys_resource == 2;
  caps = cap_get_proc ();
  if (caps == NULL)
    return false;
  if (cap_get_flag (caps, CAP_SYS_RESOURCE, CAP_EFFECTIVE, &v) < 0)
    v = CAP_CLEAR;
  cap_free (caps);
  have_sys_resource = v == CAP_SET ? 2 : 1;
  return v == CAP_SET;
}

static bool
real_rlimit_ceiling (const struct host_facts *host, const char *type, unsigned long long *hard)
{
  struct rlimit rl;

  (void)host;
  if (have_cap_sys_resource ())
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (rlimit_names); i++)
    if (strcmp (rlimit_names[i].name, type) == 0)
      {
        if (getrlimit (rlimit_names[i].resource, &rl) < 0 || rl.rlim_max == RLIM_INFINITY)
          return false;
        *hard = (unsigned long long)rl.rlim_max;
        return true;
      }
  return false;
}

/* Our own namespaces, each stat'd when first asked for (hostfacts_own_ns): eight stats that a
 * document joining no namespace by path never needed.  For the life of these facts.  */
static struct
{
  bool read[HOST_NS_COUNT];
  struct host_ns_id id[HOST_NS_COUNT];
} own_ns;

static const struct host_ns_id *
real_own_ns (const struct host_facts *host, enum host_ns ns)
{
  if (ns < 0 || ns >= HOST_NS_COUNT)
    return &host->ns[0];
  if (!own_ns.read[ns])
    {
      cleanup_free char *path = xasprintf ("/proc/self/ns/%s", ns_files[ns]);
      own_ns.read[ns] = true;
      real_ns_id_of (host, path, &own_ns.id[ns]);
    }
  return &own_ns.id[ns];
}

void
hostfacts_init_base (struct host_facts *host)
{
  memset (host, 0, sizeof (*host));
  memset (&own_ns, 0, sizeof (own_ns));
  have_sys_resource = 0;
  hostfacts_walk_reset ();
  host->cap_last_cap = host_cap_last_cap ();
  host->own_ns = real_own_ns;
  host->selinux_enabled = is_selinux_enabled () > 0;
  host->apparmor_enabled = host_apparmor_enabled ();
  host->userns_unprivileged = host_userns_unprivileged ();
  host_kernel_version (host);
  host->ns_id_of = real_ns_id_of;
  host->rlimit_ceiling = real_rlimit_ceiling;
  host->selinux_container_labels = real_selinux_container_labels;
  host->canonical_path = hostfacts_canonical_path;
  host->canonical_policy_path = hostfacts_canonical_policy_path;
  host->read_link = real_read_link;
  host->path_exists = real_path_exists;
  host->same_file = real_same_file;
  host->path_trusted = real_path_trusted;
  host->apparmor_profile_loaded = real_apparmor_profile_loaded;
  host->apparmor_profile_mode = real_apparmor_profile_mode;
  host->selinux_context_valid = real_selinux_context_valid;
  host->path_trusted_for = real_path_trusted_for;
}
