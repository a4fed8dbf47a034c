/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fake host of the unit tests: see fake_host.h.  Tables only, no I/O.  */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fake_host.h"
#include "util.h"

#define FAKE_MAX 64

struct fake_ns_file
{
  char *path;
  enum host_ns ns;
  bool host;
  long same_as; /* index of the entry whose namespace this one is, or -1 */
};

struct fake_file
{
  char *path;
  struct host_ns_id id;
};

struct fake_container
{
  char *root;
  char *id;
  pid_t pid;
};

struct fake_listener
{
  pid_t pid;
  char *path;
};

struct fake_pair
{
  char *from;
  char *to;
};

static struct
{
  struct fake_ns_file ns_files[FAKE_MAX];
  size_t n_ns_files;
  struct fake_pair symlinks[FAKE_MAX];
  size_t n_symlinks;
  struct fake_pair links[FAKE_MAX];
  size_t n_links;
  char *profiles[FAKE_MAX];
  char *profile_modes[FAKE_MAX];
  size_t n_profiles;
  char *missing[FAKE_MAX];
  size_t n_missing;
  char *aliases[FAKE_MAX];
  size_t n_aliases;
  char *untrusted[FAKE_MAX];
  size_t n_untrusted;
  struct host_mount mounts[FAKE_MAX];
  size_t n_mounts;
  struct fake_pair modes[FAKE_MAX]; /* `to` holds the mode in decimal */
  size_t n_modes;
  struct fake_pair listeners[FAKE_MAX]; /* path (or NULL), "pid exe" */
  size_t n_listeners;
  struct host_mount pmounts[FAKE_MAX]; /* id = pid, point = dest */
  size_t n_pmounts;
  struct fake_file files[FAKE_MAX];
  size_t n_files;
  struct fake_container containers[FAKE_MAX];
  size_t n_containers;
  struct fake_listener bound[FAKE_MAX]; /* unix_listener: pid listens at path */
  size_t n_bound;
  bool selinux_refuse_all; /* fake_host_set_selinux_policy: the policy knows no types */
} fake;

static const char *const ns_files[HOST_NS_COUNT] = {
  [HOST_NS_MOUNT] = "mnt",     [HOST_NS_NETWORK] = "net", [HOST_NS_PID] = "pid",
  [HOST_NS_IPC] = "ipc",       [HOST_NS_UTS] = "uts",     [HOST_NS_USER] = "user",
  [HOST_NS_CGROUP] = "cgroup", [HOST_NS_TIME] = "time",
};

struct host_ns_id
fake_host_ns (enum host_ns ns)
{
  /* The inode numbers a freshly booted Linux gives its initial namespaces.  */
  static const ino_t inos[HOST_NS_COUNT] = {
    [HOST_NS_MOUNT] = 4026531841,  [HOST_NS_NETWORK] = 4026531840, [HOST_NS_PID] = 4026531836,
    [HOST_NS_IPC] = 4026531839,    [HOST_NS_UTS] = 4026531838,     [HOST_NS_USER] = 4026531837,
    [HOST_NS_CGROUP] = 4026531835, [HOST_NS_TIME] = 4026531834,
  };
  struct host_ns_id id = { .known = true, .dev = FAKE_HOST_NS_DEV, .ino = inos[ns] };
  return id;
}

char *
fake_host_clean_path (const char *path)
{
  char *out;
  size_t n = 0;

  if (path == NULL || path[0] != '/')
    return NULL;
  out = xmalloc (strlen (path) + 2);
  out[0] = '\0';
  for (const char *p = path; *p != '\0';)
    {
      size_t len;

      p += strspn (p, "/");
      len = strcspn (p, "/");
      if (len == 2 && p[0] == '.' && p[1] == '.')
        {
          while (n > 0 && out[n - 1] != '/')
            n--;
          if (n > 0)
            n--;
          out[n] = '\0';
        }
      else if (len > 0 && !(len == 1 && p[0] == '.'))
        {
          out[n++] = '/';
          memcpy (out + n, p, len);
          n += len;
          out[n] = '\0';
        }
      p += len;
    }
  if (n == 0)
    memcpy (out, "/", 2);
  return out;
}

/* Follow the symlink table (at most 40 rounds, like the kernel's ELOOP limit).  */
static char *
fake_canonical_path (const struct host_facts *host, const char *path)
{
  char *p = fake_host_clean_path (path);

  (void)host;
  for (int round = 0; p != NULL && round < 40; round++)
    {
      bool changed = false;

      for (size_t i = 0; i < fake.n_symlinks && !changed; i++)
        {
          const char *from = fake.symlinks[i].from;
          size_t n = strlen (from);
          char *joined, *next;

          if (strncmp (p, from, n) != 0 || (p[n] != '\0' && p[n] != '/'))
            continue;
          joined = xasprintf ("%s/%s", fake.symlinks[i].to, p + n);
          next = fake_host_clean_path (joined);
          free (joined);
          free (p);
          p = next;
          changed = true;
        }
      if (!changed)
        break;
    }
  return p;
}

/* The entry of the namespace-file table `canon` names, or -1.  */
static long
fake_ns_find (const char *canon)
{
  for (size_t i = 0; canon != NULL && i < fake.n_ns_files; i++)
    if (str_eq (fake.ns_files[i].path, canon))
      return (long)i;
  return -1;
}

static struct host_ns_id
fake_ns_entry_id (long i)
{
  while (fake.ns_files[i].same_as >= 0)
    i = fake.ns_files[i].same_as;
  if (fake.ns_files[i].host)
    return fake_host_ns (fake.ns_files[i].ns);
  return (struct host_ns_id){ .known = true, .dev = FAKE_HOST_NS_DEV, .ino = 4026532100 + i };
}

static bool
fake_ns_id_of (const struct host_facts *host, const char *path, struct host_ns_id *id)
{
  cleanup_free char *canon = fake_canonical_path (host, path);
  long i = fake_ns_find (canon);

  memset (id, 0, sizeof (*id));
  if (i < 0)
    return false;
  *id = fake_ns_entry_id (i);
  return true;
}

static char *
fake_read_link (const struct host_facts *host, const char *path)
{
  (void)host;
  for (size_t i = 0; i < fake.n_links; i++)
    if (str_eq (fake.links[i].from, path))
      return xstrdup (fake.links[i].to);
  return NULL;
}

static char *
fake_apparmor_profile_mode (const struct host_facts *host, const char *name)
{
  for (size_t i = 0; host->apparmor_enabled && i < fake.n_profiles; i++)
    if (str_eq (fake.profiles[i], name))
      return xstrdup (fake.profile_modes[i]);
  return NULL;
}

static bool
fake_apparmor_profile_loaded (const struct host_facts *host, const char *name)
{
  cleanup_free char *mode = fake_apparmor_profile_mode (host, name);
  return mode != NULL;
}

static bool
fake_selinux_context_valid (const struct host_facts *host, const char *context)
{
  (void)host;
  (void)context;
  return false;
}

/* A context is valid when it is system_u:<role>:<known type>:s0[...]: enough of a policy to tell
 * a made-up type from a real one.  */
static bool
fake_selinux_policy_valid (const struct host_facts *host, const char *context)
{
  static const char *const types[]
      = { ":system_r:container_t:s0",     ":object_r:container_file_t:s0",
          ":system_r:spc_t:s0",           ":system_r:container_init_t:s0",
          ":system_r:svirt_lxc_net_t:s0", ":object_r:svirt_sandbox_file_t:s0" };

  if (!host->selinux_enabled || fake.selinux_refuse_all || !str_has_prefix (context, "system_u:"))
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (types); i++)
    {
      const char *t = context + strlen ("system_u");
      if (str_has_prefix (t, types[i]))
        return t[strlen (types[i])] == '\0' || t[strlen (types[i])] == ':'
               || t[strlen (types[i])] == '-';
    }
  return false;
}

void
fake_host_set_machine (struct host_facts *host)
{
  host->memory_total = 24ULL * 1024 * 1024 * 1024;
  host->pid_max = 32768;
}

void
fake_host_set_selinux_policy (struct host_facts *host, bool refuse_all)
{
  host->selinux_context_valid = fake_selinux_policy_valid;
  fake.selinux_refuse_all = refuse_all;
}

/* Is the (clean) path `base` or below it?  */
static bool
fake_at_or_below (const char *path, const char *base)
{
  size_t n = strlen (base);

  if (str_eq (base, "/"))
    return true;
  return strncmp (path, base, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The table entry `path` is at or below, or NULL.  */
static const char *
fake_table_hit (char *const *table, size_t n, const char *path)
{
  for (size_t i = 0; path != NULL && i < n; i++)
    if (fake_at_or_below (path, table[i]))
      return table[i];
  return NULL;
}

static bool
fake_path_exists (const struct host_facts *host, const char *path)
{
  cleanup_free char *clean = fake_host_clean_path (path);

  (void)host;
  return clean != NULL && fake_table_hit (fake.missing, fake.n_missing, clean) == NULL;
}

static bool
fake_same_file (const struct host_facts *host, const char *a, const char *b)
{
  cleanup_free char *clean = fake_host_clean_path (a);

  return fake_path_exists (host, a) && fake_path_exists (host, b)
         && fake_table_hit (fake.aliases, fake.n_aliases, clean) == NULL;
}

static bool
fake_path_trusted (const struct host_facts *host, const char *path, char **why)
{
  cleanup_free char *canon = fake_canonical_path (host, path);
  const char *dir = fake_table_hit (fake.untrusted, fake.n_untrusted, canon);

  *why = NULL;
  if (canon != NULL && dir == NULL)
    return true;
  *why = xasprintf ("`%s` is writable by group or others", dir ? dir : "?");
  return false;
}

static bool
fake_path_trusted_for (const struct host_facts *host, const char *path, uid_t also, char **why)
{
  (void)also;
  return fake_path_trusted (host, path, why);
}

static bool
fake_file_id (const struct host_facts *host, const char *path, struct host_ns_id *id)
{
  for (size_t i = 0; i < fake.n_files; i++)
    if (str_eq (fake.files[i].path, path))
      {
        *id = fake.files[i].id;
        return true;
      }
  return fake_ns_id_of (host, path, id);
}

/* A namespace file of the table is on nsfs, of its kind, and pinned unless it is a /proc entry;
 * a file of the file table is not a namespace.  */
static bool
fake_ns_file (const struct host_facts *host, const char *path, struct host_ns_file *out)
{
  cleanup_free char *canon = fake_canonical_path (host, path);
  long i = fake_ns_find (canon);

  memset (out, 0, sizeof (*out));
  out->type = HOST_NS_COUNT;
  if (i < 0)
    return fake_file_id (host, path, &out->id);
  out->id = fake_ns_entry_id (i);
  out->nsfs = true;
  out->type = fake.ns_files[i].ns;
  out->pinned = !fake_at_or_below (canon, "/proc");
  return true;
}

static bool
fake_runtime_containers (const struct host_facts *host, const char *root,
                         struct host_container **out, size_t *n, char **why)
{
  *out = NULL;
  *n = 0;
  *why = NULL;
  for (size_t i = 0; i < fake.n_containers; i++)
    {
      struct host_container c
          = { .id = xstrdup (fake.containers[i].id), .pid = fake.containers[i].pid };

      if (!str_eq (fake.containers[i].root, root))
        {
          free (c.id);
          continue;
        }
      for (int ns = 0; ns < HOST_NS_COUNT; ns++)
        {
          cleanup_free char *p = xasprintf ("/proc/%d/ns/%s", (int)c.pid, ns_files[ns]);
          fake_ns_id_of (host, p, &c.ns[ns]);
        }
      *out = xreallocarray (*out, *n + 1, sizeof (**out));
      (*out)[(*n)++] = c;
    }
  return true;
}

/* Every /proc/<pid>/ns/<kind> entry of the table is a process in that namespace.  */
static pid_t
fake_ns_process (const struct host_facts *host, enum host_ns ns, const struct host_ns_id *id)
{
  (void)host;
  for (size_t i = 0; i < fake.n_ns_files; i++)
    {
      struct host_ns_id got = fake_ns_entry_id ((long)i);
      int pid = 0;
      char kind[16];

      if (sscanf (fake.ns_files[i].path, "/proc/%d/ns/%15s", &pid, kind) == 2 && pid > 0
          && str_eq (kind, ns_files[ns]) && got.dev == id->dev && got.ino == id->ino)
        return (pid_t)pid;
    }
  return 0;
}

static bool
fake_unix_listener (const struct host_facts *host, pid_t pid, const char *path)
{
  (void)host;
  for (size_t i = 0; i < fake.n_bound; i++)
    if (fake.bound[i].pid == pid && str_eq (fake.bound[i].path, path))
      return true;
  return false;
}

void
fake_host_add_ns_alias (const char *path, const char *same_as)
{
  cleanup_free char *canon = fake_host_clean_path (same_as);
  long i = fake_ns_find (canon);

  if (i >= 0 && fake.n_ns_files < FAKE_MAX)
    fake.ns_files[fake.n_ns_files++]
        = (struct fake_ns_file){ .path = xstrdup (path), .ns = fake.ns_files[i].ns, .same_as = i };
}

void
fake_host_add_file (const char *path, dev_t dev, ino_t ino)
{
  if (fake.n_files < FAKE_MAX)
    fake.files[fake.n_files++]
        = (struct fake_file){ .path = xstrdup (path),
                              .id = { .known = true, .dev = dev, .ino = ino } };
}

void
fake_host_add_container (const char *root, const char *id, pid_t pid)
{
  if (fake.n_containers < FAKE_MAX)
    fake.containers[fake.n_containers++]
        = (struct fake_container){ .root = xstrdup (root), .id = xstrdup (id), .pid = pid };
}

void
fake_host_add_bound_listener (pid_t pid, const char *path)
{
  if (fake.n_bound < FAKE_MAX)
    fake.bound[fake.n_bound++] = (struct fake_listener){ .pid = pid, .path = xstrdup (path) };
}

void
fake_host_add_ns_file (const char *path, enum host_ns ns, bool host)
{
  if (fake.n_ns_files < FAKE_MAX)
    fake.ns_files[fake.n_ns_files++]
        = (struct fake_ns_file){ .path = xstrdup (path), .ns = ns, .host = host, .same_as = -1 };
}

void
fake_host_add_symlink (const char *link, const char *target)
{
  if (fake.n_symlinks < FAKE_MAX)
    fake.symlinks[fake.n_symlinks++]
        = (struct fake_pair){ .from = xstrdup (link), .to = xstrdup (target) };
}

void
fake_host_add_link (const char *path, const char *target)
{
  if (fake.n_links < FAKE_MAX)
    fake.links[fake.n_links++]
        = (struct fake_pair){ .from = xstrdup (path), .to = xstrdup (target) };
}

void
fake_host_add_apparmor_profile_mode (struct host_facts *host, const char *name, const char *mode)
{
  host->apparmor_enabled = true;
  if (fake.n_profiles < FAKE_MAX)
    {
      fake.profiles[fake.n_profiles] = xstrdup (name);
      fake.profile_modes[fake.n_profiles++] = xstrdup (mode);
    }
}

void
fake_host_add_apparmor_profile (struct host_facts *host, const char *name)
{
  fake_host_add_apparmor_profile_mode (host, name, "enforce");
}

void
fake_host_add_missing (const char *path)
{
  if (fake.n_missing < FAKE_MAX)
    fake.missing[fake.n_missing++] = fake_host_clean_path (path);
}

void
fake_host_add_alias (const char *path)
{
  if (fake.n_aliases < FAKE_MAX)
    fake.aliases[fake.n_aliases++] = fake_host_clean_path (path);
}

void
fake_host_add_untrusted (const char *dir)
{
  if (fake.n_untrusted < FAKE_MAX)
    fake.untrusted[fake.n_untrusted++] = fake_host_clean_path (dir);
}

/* ---- mount identity and sockets ---- */

int
fake_host_add_mount (const char *point, unsigned long dev, const char *root, const char *fstype)
{
  if (fake.n_mounts >= FAKE_MAX)
    return -1;
  fake.mounts[fake.n_mounts] = (struct host_mount){
    (int)fake.n_mounts + 2, 1, (dev_t)dev, xstrdup (root), fake_host_clean_path (point),
    xstrdup (fstype)
  };
  return fake.mounts[fake.n_mounts++].id;
}

void
fake_host_set_mode (const char *path, unsigned mode)
{
  if (fake.n_modes < FAKE_MAX)
    fake.modes[fake.n_modes++]
        = (struct fake_pair){ fake_host_clean_path (path), xasprintf ("%u", mode) };
}

void
fake_host_add_listener (const char *path, int pid, const char *exe)
{
  if (fake.n_listeners < FAKE_MAX)
    fake.listeners[fake.n_listeners++]
        = (struct fake_pair){ path ? xstrdup (path) : NULL, xasprintf ("%d %s", pid, exe) };
}

void
fake_host_add_process_mount (int pid, const char *dest, unsigned long dev, const char *root)
{
  if (fake.n_pmounts < FAKE_MAX)
    fake.pmounts[fake.n_pmounts++]
        = (struct host_mount){ pid, 0, (dev_t)dev, xstrdup (root), xstrdup (dest), xstrdup ("x") };
}

static const struct host_mount fake_root_mount = { 1, 0, FAKE_ROOT_DEV, "/", "/", "ext4" };

static struct host_mount
mount_copy (const struct host_mount *m)
{
  return (struct host_mount){
    m->id, m->parent, m->dev, xstrdup (m->root), xstrdup (m->point), xstrdup (m->fstype)
  };
}

static bool
fake_mount_table (const struct host_facts *host, struct host_mounts *out)
{
  (void)host;
  out->n = fake.n_mounts + 1;
  out->items = xzalloc (out->n * sizeof (*out->items));
  out->items[0] = mount_copy (&fake_root_mount);
  for (size_t i = 0; i < fake.n_mounts; i++)
    out->items[i + 1] = mount_copy (&fake.mounts[i]);
  return true;
}

/* The mount `canon` resolves on: the longest point above it, the last added on a tie.  */
static const struct host_mount *
fake_mount_of (const char *canon)
{
  const struct host_mount *best = &fake_root_mount;

  for (size_t i = 0; i < fake.n_mounts; i++)
    if (hostfacts_path_rest (canon, fake.mounts[i].point) != NULL
        && strlen (fake.mounts[i].point) >= strlen (best->point))
      best = &fake.mounts[i];
  return best;
}

static bool
fake_path_object (const struct host_facts *host, const char *path, struct host_object *out)
{
  cleanup_free char *canon = fake_canonical_path (host, path);
  const struct host_mount *m = canon ? fake_mount_of (canon) : NULL;
  cleanup_free char *rel = NULL;
  unsigned long hash = 5381;

  memset (out, 0, sizeof (*out));
  if (m == NULL || !fake_path_exists (host, canon))
    return false;
  rel = xasprintf ("%s%s", strcmp (m->root, "/") == 0 ? "" : m->root,
                   hostfacts_path_rest (canon, m->point));
  for (const char *c = rel; *c != '\0'; c++)
    hash = hash * 33 + (unsigned char)*c;
  *out = (struct host_object){ m->id, m->dev, (ino_t)hash, S_IFDIR | 0755, 1 };
  for (size_t i = 0; i < fake.n_modes; i++)
    if (str_eq (fake.modes[i].from, canon))
      out->mode = (mode_t)strtoul (fake.modes[i].to, NULL, 10);
  return true;
}

static void
fake_listener_add (const struct host_facts *host, struct host_listeners *out, size_t i)
{
  struct host_listener *l;
  struct host_object o;
  char *exe = strchr (fake.listeners[i].to, ' ') + 1;

  out->items = xreallocarray (out->items, out->n + 1, sizeof (*out->items));
  l = &out->items[out->n++];
  l->path = fake.listeners[i].from ? xstrdup (fake.listeners[i].from) : NULL;
  l->n_holders = 1;
  l->holders = xzalloc (sizeof (*l->holders));
  l->holders[0].pid = atoi (fake.listeners[i].to);
  l->holders[0].exe = xstrdup (exe);
  l->holders[0].exe_known = fake_path_object (host, exe, &o);
  l->holders[0].exe_dev = o.dev;
  l->holders[0].exe_ino = o.ino;
}

static bool
fake_unix_listeners (const struct host_facts *host, const char *path, bool recursive,
                     struct host_listeners *out)
{
  (void)recursive;
  memset (out, 0, sizeof (*out));
  for (size_t i = 0; i < fake.n_listeners; i++)
    if (fake.listeners[i].from == NULL
        || hostfacts_path_rest (fake.listeners[i].from, path) != NULL)
      fake_listener_add (host, out, i);
  return true;
}

static bool
fake_process_mount (const struct host_facts *host, pid_t pid, const char *dest,
                    struct host_mount *out)
{
  (void)host;
  for (size_t i = fake.n_pmounts; i-- > 0;)
    if (fake.pmounts[i].id == (int)pid && str_eq (fake.pmounts[i].point, dest))
      {
        *out = mount_copy (&fake.pmounts[i]);
        return true;
      }
  return false;
}

static char **
fake_glob_paths (const struct host_facts *host, const char *pattern)
{
  char **out;

  (void)host;
  if (pattern == NULL || strpbrk (pattern, "*?[") != NULL)
    return NULL;
  out = xzalloc (2 * sizeof (char *));
  out[0] = xstrdup (pattern);
  return out;
}

static void
fake_reset (void)
{
  for (size_t i = 0; i < fake.n_ns_files; i++)
    free (fake.ns_files[i].path);
  for (size_t i = 0; i < fake.n_symlinks; i++)
    {
      free (fake.symlinks[i].from);
      free (fake.symlinks[i].to);
    }
  for (size_t i = 0; i < fake.n_links; i++)
    {
      free (fake.links[i].from);
      free (fake.links[i].to);
    }
  for (size_t i = 0; i < fake.n_profiles; i++)
    {
      free (fake.profiles[i]);
      free (fake.profile_modes[i]);
    }
  for (size_t i = 0; i < fake.n_missing; i++)
    free (fake.missing[i]);
  for (size_t i = 0; i < fake.n_aliases; i++)
    free (fake.aliases[i]);
  for (size_t i = 0; i < fake.n_untrusted; i++)
    free (fake.untrusted[i]);
  for (size_t i = 0; i < fake.n_mounts; i++)
    hostfacts_mount_release (&fake.mounts[i]);
  for (size_t i = 0; i < fake.n_pmounts; i++)
    hostfacts_mount_release (&fake.pmounts[i]);
  for (size_t i = 0; i < fake.n_modes; i++)
    {
      free (fake.modes[i].from);
      free (fake.modes[i].to);
    }
  for (size_t i = 0; i < fake.n_listeners; i++)
    {
      free (fake.listeners[i].from);
      free (fake.listeners[i].to);
    }
  for (size_t i = 0; i < fake.n_files; i++)
    free (fake.files[i].path);
  for (size_t i = 0; i < fake.n_containers; i++)
    {
      free (fake.containers[i].root);
      free (fake.containers[i].id);
    }
  for (size_t i = 0; i < fake.n_bound; i++)
    free (fake.bound[i].path);
  memset (&fake, 0, sizeof (fake));
}

/* The namespace files of the captured configs, as they resolved on the capture host.  */
static void
fake_default_ns_files (void)
{
  static const struct
  {
    const char *path;
    enum host_ns ns;
    bool host;
  } table[] = {
    { "/tmp/lab-docker/exec/netns/default", HOST_NS_NETWORK, true },
    { "/run/docker/netns/default", HOST_NS_NETWORK, true },
    { "/run/docker/netns/3f9e1c2a7b4d", HOST_NS_NETWORK, false },
    { "/run/docker/netns/5d2a9e0b1c77", HOST_NS_NETWORK, false },
    /* CRI hostnet pod: the pause (pid 6315) kept the host's network and UTS namespaces.  */
    { "/proc/6315/ns/net", HOST_NS_NETWORK, true },
    { "/proc/6315/ns/uts", HOST_NS_UTS, true },
    { "/proc/6315/ns/ipc", HOST_NS_IPC, false },
    { "/proc/7471/ns/net", HOST_NS_NETWORK, false },
    { "/proc/7471/ns/uts", HOST_NS_UTS, false },
    { "/proc/7471/ns/ipc", HOST_NS_IPC, false },
    { "/proc/6710/ns/net", HOST_NS_NETWORK, false },
    { "/proc/6710/ns/uts", HOST_NS_UTS, false },
    { "/proc/6710/ns/ipc", HOST_NS_IPC, false },
    { "/tmp/lab-containerd/state/io.containerd.grpc.v1.cri/netns/"
      "cni-1f477b80-7af3-81c8-13fe-1b541349e31f",
      HOST_NS_NETWORK, false },
    { "/run/containerd/io.containerd.grpc.v1.cri/netns/cni-1f477b80-7af3-81c8-13fe-1b541349e31f",
      HOST_NS_NETWORK, false },
    /* CRI-O's pinned pod namespaces (internal/config/nsmgr: <namespaces_dir>/<type>ns/<id>).  */
    { "/run/netns/2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f", HOST_NS_NETWORK, false },
    { "/run/ipcns/2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f", HOST_NS_IPC, false },
    { "/run/utsns/2c4e6f80-1a3b-4c5d-8e9f-0a1b2c3d4e5f", HOST_NS_UTS, false },
  };

  for (int ns = 0; ns < HOST_NS_COUNT; ns++)
    {
      cleanup_free char *self = xasprintf ("/proc/self/ns/%s", ns_files[ns]);
      cleanup_free char *init = xasprintf ("/proc/1/ns/%s", ns_files[ns]);
      fake_host_add_ns_file (self, (enum host_ns)ns, true);
      fake_host_add_ns_file (init, (enum host_ns)ns, true);
    }
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    fake_host_add_ns_file (table[i].path, table[i].ns, table[i].host);
}

/* The engines of the captures: the CRI pause containers 6315 (hostnet), 7471 and 6710 under
 * containerd's k8s.io runc root; the dockerd (pid 7317) of the Docker captures, the installed
 * /usr/sbin/dockerd in the host's mount namespace, listening on libnetwork's key socket under the
 * captured and the default exec-root.  */
static void
fake_default_engines (struct host_facts *host)
{
  static const pid_t pauses[] = { 6315, 7471, 6710 };

  for (size_t i = 0; i < ARRAY_SIZE (pauses); i++)
    {
      cleanup_free char *id = xasprintf ("pause-%d", (int)pauses[i]);
      fake_host_add_container (FAKE_CRI_ROOT, id, pauses[i]);
    }
  fake_host_add_file ("/usr/sbin/dockerd", FAKE_ROOTFS_DEV, 933920);
  fake_host_add_file ("/proc/7317/exe", FAKE_ROOTFS_DEV, 933920);
  fake_host_add_ns_file ("/proc/7317/ns/mnt", HOST_NS_MOUNT, true);
  fake_host_add_bound_listener (7317, "/tmp/lab-docker/exec/libnetwork/6236a7a5e2b4.sock");
  fake_host_add_bound_listener (7317, "/var/run/docker/libnetwork/6236a7a5e2b4.sock");
  host->file_id = fake_file_id;
  host->ns_file = fake_ns_file;
  host->runtime_containers = fake_runtime_containers;
  host->ns_process = fake_ns_process;
  host->unix_listener = fake_unix_listener;
}

void
fake_host_init (struct host_facts *host)
{
  fake_reset ();
  memset (host, 0, sizeof (*host));
  host->cap_last_cap = 40;
  for (int ns = 0; ns < HOST_NS_COUNT; ns++)
    host->ns[ns] = fake_host_ns ((enum host_ns)ns);
  host->kernel_major = 6;
  host->kernel_minor = 1;
  host->ns_id_of = fake_ns_id_of;
  host->canonical_path = fake_canonical_path;
  host->read_link = fake_read_link;
  host->apparmor_profile_loaded = fake_apparmor_profile_loaded;
  host->apparmor_profile_mode = fake_apparmor_profile_mode;
  host->userns_unprivileged = true;
  host->selinux_context_valid = fake_selinux_context_valid;
  host->path_exists = fake_path_exists;
  host->same_file = fake_same_file;
  host->path_trusted = fake_path_trusted;
  host->path_trusted_for = fake_path_trusted_for;
  host->mount_table = fake_mount_table;
  host->path_object = fake_path_object;
  host->unix_listeners = fake_unix_listeners;
  host->process_mount = fake_process_mount;
  host->glob_paths = fake_glob_paths;
  /* Debian 12: /var/run is a symlink to /run, and /usr is merged.  */
  fake_host_add_symlink ("/var/run", "/run");
  fake_host_add_symlink ("/bin", "/usr/bin");
  fake_host_add_symlink ("/sbin", "/usr/sbin");
  fake_host_add_symlink ("/lib", "/usr/lib");
  fake_host_add_symlink ("/lib64", "/usr/lib64");
  fake_host_add_link ("/proc/7317/exe", "/usr/sbin/dockerd");
  fake_default_ns_files ();
  fake_default_engines (host);
}
