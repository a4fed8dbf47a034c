/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host facts: the ONLY way rules learn about the host.
 *
 * Rules are pure functions of (spec, policy, host facts).  Everything that needs a syscall --
 * stat'ing a namespace file, canonicalising a mount source, reading a hook's /proc/<pid>/exe,
 * asking the kernel which capabilities exist or whether an LSM is on -- goes through this one
 * small interface, so unit tests swap in fakes (tests/unit/fake_host.c) and the real
 * implementation (hostfacts.c) stays in one place.  */
#ifndef OCG_HOSTFACTS_H
#define OCG_HOSTFACTS_H

#include <stdbool.h>
#include <sys/types.h>

enum host_ns
{
  HOST_NS_MOUNT,
  HOST_NS_NETWORK,
  HOST_NS_PID,
  HOST_NS_IPC,
  HOST_NS_UTS,
  HOST_NS_USER,
  HOST_NS_CGROUP,
  HOST_NS_TIME,
  HOST_NS_COUNT,
};

struct host_ns_id
{
  bool known;
  dev_t dev;
  ino_t ino;
};

/* A namespace file as the kernel describes it.  */
struct host_ns_file
{
  struct host_ns_id id; /* the namespace (st_dev, st_ino of the file, symlinks followed) */
  bool nsfs;            /* statfs(2) says nsfs: the file IS a namespace */
  enum host_ns type;    /* ioctl NS_GET_NSTYPE; HOST_NS_COUNT when unknown */
  bool pinned;          /* statx(2) STATX_ATTR_MOUNT_ROOT: the root of a mount, i.e. a namespace
                           pinned by a bind mount (ip netns, CNI, dockerd, CRI-O's pinns), not a
                           /proc/<pid>/ns entry */
};

/* A live container of a runtime root: the init process recorded in runc's <root>/<id>/state.json
 * (init_process_pid, init_process_start) or crun's <root>/<id>/status (pid, process-start-time),
 * alive with that very start time (/proc/<pid>/stat field 22, so a reused pid is not it), and the
 * namespaces it is in.  */
struct host_container
{
  char *id;
  pid_t pid;
  struct host_ns_id ns[HOST_NS_COUNT]; /* .known false: could not be read */
};

struct host_facts
{
  /* Highest capability number the running kernel knows (CAP_LAST_CAP at run time:
   * /proc/sys/kernel/cap_last_cap, or libcap's cap_max_bits() - 1).  */
  unsigned cap_last_cap;
  /* ocigate's own namespaces, i.e. the host's as far as the engine is concerned.  */
  struct host_ns_id ns[HOST_NS_COUNT];
  bool selinux_enabled;
  bool apparmor_enabled;
  unsigned kernel_major;
  unsigned kernel_minor;

  /* stat(2) a namespace file (a `linux.namespaces[].path`): fills *id; false when it cannot be
   * resolved.  */
  bool (*ns_id_of) (const struct host_facts *host, const char *path, struct host_ns_id *id);
  /* Canonical host path (symlinks resolved, `.`/`..`/`//` removed), malloc'd; when the path does
   * not exist, the longest existing prefix is resolved and the rest appended lexically.  NULL only
   * for a path that is not absolute.  */
  char *(*canonical_path) (const struct host_facts *host, const char *path);
  /* Does `path` exist (stat(2), symlinks followed)?  A bind source that does not exist has no
   * canonical form worth judging: canonical_path would guess its tail lexically, and runc resolves
   * it only later, after the container's earlier mounts (review finding 2).  */
  bool (*path_exists) (const struct host_facts *host, const char *path);
  /* Do `a` and `b` name the same file (stat(2) of each: equal st_dev and st_ino)?  false when
   * either cannot be stat'd.  realpath(3) reads a /proc magic link such as /proc/<pid>/root as
   * text ("/"), while the kernel follows it into that process's mount namespace: comparing the
   * raw path with its canonical form catches the difference (review finding 3).  */
  bool (*same_file) (const struct host_facts *host, const char *a, const char *b);
  /* Can nobody but root (or our euid) make `path` name another file before the runtime uses it?
   * The path is walked as the kernel resolves it (symlinks followed, `..` after a symlink going
   * where the kernel goes); every directory a name is looked up in must be owned by root or our
   * euid and not writable by group or others, except that a sticky directory (/tmp) may be when
   * the entry looked up in it is owned by root or our euid.  The file itself may belong to anyone.
   * false (with *why, malloc'd, naming the directory and the reason) when untrusted or when the
   * walk fails (review finding 4: a symlink swapped into a user-writable directory between the
   * check and runc's mount).  */
  bool (*path_trusted) (const struct host_facts *host, const char *path, char **why);
  /* readlink(2) of a path such as /proc/<pid>/exe, malloc'd, or NULL.  */
  char *(*read_link) (const struct host_facts *host, const char *path);
  /* Is the named AppArmor profile loaded?  */
  bool (*apparmor_profile_loaded) (const struct host_facts *host, const char *name);
  /* Is `context` a valid SELinux context for the loaded policy (security_check_context)?  */
  bool (*selinux_context_valid) (const struct host_facts *host, const char *context);

  /* The hard limit the runtime will not be able to exceed for a `process.rlimits` type
   * ("RLIMIT_NOFILE"): the caller's own hard limit when the caller lacks CAP_SYS_RESOURCE (runc
   * applies rlimits from a process that inherited ours; above it setrlimit fails with EPERM and
   * the container does not start).  false when there is no such ceiling or the type is unknown.
   * May be NULL (no ceiling).  */
  bool (*rlimit_ceiling) (const struct host_facts *host, const char *type,
                          unsigned long long *hard);

  /* The container labels the host's SELinux policy ships in selinux_lxc_contexts_path()
   * (`process = "..."` and `file = "..."`), malloc'd; false when SELinux is off or the file says
   * nothing.  May be NULL.  */
  bool (*selinux_container_labels) (const struct host_facts *host, char **process, char **file);

  /* ---- Joined namespaces and dockerd's identity (rules/namespaces.c, rules/hooks.c) ----------
   * Implemented in hostfacts_ns.c.  Every answer is an identity the kernel gives (device and
   * inode, a process's start time, the socket inodes a process holds), never a path string.  */

  /* stat(2) of `path` (symlinks followed, so /proc/<pid>/exe is the file that process runs and
   * /proc/<pid>/ns/mnt its mount namespace): fills *id; false when it cannot be stat'd.  */
  bool (*file_id) (const struct host_facts *host, const char *path, struct host_ns_id *id);
  /* What the namespace file `path` is (see struct host_ns_file); false when it cannot be
   * stat'd.  */
  bool (*ns_file) (const struct host_facts *host, const char *path, struct host_ns_file *out);
  /* The live containers recorded in the runtime root `root` and the namespaces of each one's init
   * process (see struct host_container): malloc'd array in *out (hostfacts_containers_free), count
   * in *n.  false, with *why (malloc'd), when the root cannot be read or somebody but root could
   * have written it -- nothing it records can then prove anything.  */
  bool (*runtime_containers) (const struct host_facts *host, const char *root,
                              struct host_container **out, size_t *n, char **why);
  /* A process (a thread-group leader under /proc) that is in namespace `id` of kind `ns`, or 0
   * when there is none.  */
  pid_t (*ns_process) (const struct host_facts *host, enum host_ns ns, const struct host_ns_id *id);
  /* Does process `pid` hold a listening UNIX socket bound at `path`?  The kernel's table of our
   * network namespace (/proc/net/unix) gives the socket inodes bound there; /proc/<pid>/fd tells
   * whether the process holds one of them.  */
  bool (*unix_listener) (const struct host_facts *host, pid_t pid, const char *path);

  void *data; /* for fakes */
};

/* Fill *host from the running system (reads /proc/self/ns/<type>, cap_last_cap, LSM state).  Never
 * fails: an unknowable fact is left "unknown" and rules treat it conservatively.  */
void hostfacts_init_real (struct host_facts *host);

/* Which namespace a runtime-spec `linux.namespaces[].type` names; HOST_NS_COUNT when unknown.  */
enum host_ns hostfacts_ns_from_type (const char *type);

/* The name of namespace kind `ns` under /proc/<pid>/ns/ ("net" for HOST_NS_NETWORK).  */
const char *hostfacts_ns_file_name (enum host_ns ns);

/* Free what runtime_containers returned.  */
void hostfacts_containers_free (struct host_container *c, size_t n);

/* The real joined-namespace and dockerd facts (hostfacts_ns.c), called by hostfacts_init_real.  */
void hostfacts_init_real_ns (struct host_facts *host);

#endif
