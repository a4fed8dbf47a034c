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
  /* The host uid the judged container's root is mapped to when it asks for a user namespace
   * (Podman --uidmap, --userns=auto chown the container's own directories to it), trusted by
   * path_trusted like root; 0 when there is none.  Set by the caller for one document.  */
  uid_t container_root;

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
  /* Can nobody but root (or our euid, or container_root) make `path` name another file before
   * the runtime uses it?
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

  void *data; /* for fakes */
};

/* Fill *host from the running system (reads /proc/self/ns/<type>, cap_last_cap, LSM state).  Never
 * fails: an unknowable fact is left "unknown" and rules treat it conservatively.  */
void hostfacts_init_real (struct host_facts *host);

/* Which namespace a runtime-spec `linux.namespaces[].type` names; HOST_NS_COUNT when unknown.  */
enum host_ns hostfacts_ns_from_type (const char *type);

#endif
