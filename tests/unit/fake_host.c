/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fake host of the unit tests: see fake_host.h.  Tables only, no I/O.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "util.h"

#define FAKE_MAX 64

struct fake_ns_file
{
  char *path;
  enum host_ns ns;
  bool host;
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

static bool
fake_ns_id_of (const struct host_facts *host, const char *path, struct host_ns_id *id)
{
  cleanup_free char *canon = fake_canonical_path (host, path);

  memset (id, 0, sizeof (*id));
  for (size_t i = 0; canon != NULL && i < fake.n_ns_files; i++)
    {
      if (!str_eq (fake.ns_files[i].path, canon))
        continue;
      if (fake.ns_files[i].host)
        *id = fake_host_ns (fake.ns_files[i].ns);
      else
        *id = (struct host_ns_id){ .known = true, .dev = FAKE_HOST_NS_DEV, .ino = 4026532100 + i };
      return true;
    }
  return false;
}

static char *
fake_read_link (const struct host_facts *host, const char *path)
{
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
  return false;
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

void
fake_host_add_ns_file (const char *path, enum host_ns ns, bool host)
{
  if (fake.n_ns_files < FAKE_MAX)
    fake.ns_files[fake.n_ns_files++]
        = (struct fake_ns_file){ .path = xstrdup (path), .ns = ns, .host = host };
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
  /* Debian 12: /var/run is a symlink to /run, and /usr is merged.  */
  fake_host_add_symlink ("/var/run", "/run");
  fake_host_add_symlink ("/bin", "/usr/bin");
  fake_host_add_symlink ("/sbin", "/usr/sbin");
  fake_host_add_symlink ("/lib", "/usr/lib");
  fake_host_add_symlink ("/lib64", "/usr/lib64");
  fake_host_add_link ("/proc/7317/exe", "/usr/sbin/dockerd");
  fake_default_ns_files ();
}
