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
#include <stddef.h>
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

/* ---- Mount identity and listening sockets (sensitive-mounts, rootfs): the types.
 * What is really mounted at a host path and which daemon listens on a socket there, so that a
 * bind source is judged by the filesystem object the runtime will mount, not by its name.  */

/* One line of a mountinfo file (proc(5)): the mount's id and its parent's, the filesystem's
 * device (major:minor as the kernel reports it), the path inside that filesystem the mount shows
 * (`root`), where it is mounted (`point`, as the kernel prints it) and the filesystem type.  */
struct host_mount
{
  int id;
  int parent;
  dev_t dev;
  char *root;
  char *point;
  char *fstype;
};

struct host_mounts
{
  struct host_mount *items;
  size_t n;
};

/* What a path names: the mount the kernel resolved it on (its mountinfo id) and stat(2).  */
struct host_object
{
  int mnt_id;
  dev_t dev;
  ino_t ino;
  mode_t mode;
  nlink_t nlink;
};

/* A process holding a listening socket open, as the kernel knows it: the device and inode of its
 * executable (stat(2) of /proc/<pid>/exe, in whatever mount namespace it runs) and that
 * executable's path as its own mount namespace names it (readlink(2): reproducible by anyone who
 * can name a file, unlike the device and inode).  */
struct host_socket_holder
{
  pid_t pid;
  bool exe_known;
  dev_t exe_dev;
  ino_t exe_ino;
  char *exe;
};

/* A UNIX socket in the listening state that a bind of some path exposes: `path` is where its
 * file is (NULL: on a filesystem the bind shows, but ocigate could not tell where), `holders`
 * the processes that hold it open.  */
struct host_listener
{
  char *path;
  size_t n_holders;
  struct host_socket_holder *holders;
};

struct host_listeners
{
  struct host_listener *items;
  size_t n;
};

/* ---- Joined namespaces and dockerd's identity: the types.  */

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
  /* ocigate's own namespaces, i.e. the host's as far as the engine is concerned.  Read them
   * with hostfacts_own_ns: the real facts stat /proc/self/ns/<ns> only when a rule asks (a
   * document that joins no namespace by path needs none), through `own_ns`; a fake fills ns[]
   * and leaves own_ns NULL.  */
  struct host_ns_id ns[HOST_NS_COUNT];
  const struct host_ns_id *(*own_ns) (const struct host_facts *host, enum host_ns ns);
  bool selinux_enabled;
  bool apparmor_enabled;
  /* Can a process without CAP_SYS_ADMIN create a user namespace?  False only when the host says
   * no: Debian's kernel.unprivileged_userns_clone = 0 or user.max_user_namespaces = 0.  */
  bool userns_unprivileged;
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
  /* canonical_path of a path the POLICY names (its sensitive paths, engine sockets, engine-owned
   * paths and runtime roots: system paths that only root can change), walked once per path for
   * the life of these facts.  Every check of sensitive-mounts and rootfs -- check, then recheck
   * after the rewrites -- canonicalises the same ~60 entries, each walk a few system calls per
   * component; a path from the document (a bind source, root.path) is walked with
   * canonical_path instead, once per facts (hostfacts_docpaths.c).  NULL: canonical_path.  */
  char *(*canonical_policy_path) (const struct host_facts *host, const char *path);
  /* Does `path` exist (stat(2), symlinks followed)?  A bind source that does not exist has no
   * canonical form worth judging: canonical_path would guess its tail lexically, and runc resolves
   * it only later, after the container's earlier mounts, which can put anything there.  */
  bool (*path_exists) (const struct host_facts *host, const char *path);
  /* Do `a` and `b` name the same file (stat(2) of each: equal st_dev and st_ino)?  false when
   * either cannot be stat'd.  realpath(3) reads a /proc magic link such as /proc/<pid>/root as
   * text ("/"), while the kernel follows it into that process's mount namespace: comparing the
   * raw path with its canonical form catches the difference.  */
  bool (*same_file) (const struct host_facts *host, const char *a, const char *b);
  /* Can nobody but root (or our euid, or container_root) make `path` name another file before
   * the runtime uses it?
   * The path is walked as the kernel resolves it (symlinks followed, `..` after a symlink going
   * where the kernel goes); every directory a name is looked up in must be owned by root or our
   * euid and not writable by group or others, except that a sticky directory (/tmp) may be when
   * the entry looked up in it is owned by root or our euid.  The file itself may belong to anyone.
   * false (with *why, malloc'd, naming the directory and the reason) when untrusted or when the
   * walk fails: a symlink swapped into a user-writable directory between the check and runc's
   * mount would make the mount follow it.  */
  bool (*path_trusted) (const struct host_facts *host, const char *path, char **why);
  /* readlink(2) of a path such as /proc/<pid>/exe, malloc'd, or NULL.  */
  char *(*read_link) (const struct host_facts *host, const char *path);
  /* Is the named AppArmor profile loaded?  */
  bool (*apparmor_profile_loaded) (const struct host_facts *host, const char *name);
  /* The mode of the loaded AppArmor profile `name` as /sys/kernel/security/apparmor/profiles
   * shows it ("enforce", "complain", "kill", "unconfined", ...), malloc'd; NULL when AppArmor is
   * off or no profile has that name.  May be NULL (nothing known).  */
  char *(*apparmor_profile_mode) (const struct host_facts *host, const char *name);
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

  /* ---- Mount identity and listening sockets (sensitive-mounts, rootfs).  Any of these may be
   * NULL (a fake without them): the rules then refuse the binds that need them.  ---- */

  /* The mount table of our mount namespace (/proc/self/mountinfo), in the kernel's order; release
   * with hostfacts_mounts_release.  false when it cannot be read.  The real one is read once for
   * the life of the facts (one judgement): a mount made since then is not in it, and a path on
   * such a mount cannot be located (which refuses).  */
  bool (*mount_table) (const struct host_facts *host, struct host_mounts *out);
  /* Which mount the kernel resolves `path` on, following symlinks, and what it is: statx(2) with
   * STATX_MNT_ID (or open(2) O_PATH, the mnt_id of /proc/self/fdinfo/<fd> and fstat(2) of that
   * fd, before Linux 5.8).  false when it cannot be resolved.  The real one asks once per path
   * for the life of the facts, like canonical_path, path_exists, same_file and path_trusted(_for)
   * (hostfacts_docpaths.c): the checks of one judgement see one answer.  */
  bool (*path_object) (const struct host_facts *host, const char *path, struct host_object *out);
  /* path_object of the canonical form of a path the POLICY names (canonical_policy_path's
   * answer: a sensitive entry), asked once for the life of these facts -- and, with a store
   * (hostfacts_policy_store), kept across calls while what it depends on is unchanged.  Only
   * what places the object is filled: mnt_id, dev, ino and the file type bits of mode (no
   * permission bits, nlink 0).  NULL: use path_object.  */
  bool (*policy_path_object) (const struct host_facts *host, const char *canon,
                              struct host_object *out);
  /* The listening UNIX sockets a bind of the canonical directory or file `path` would show:
   * those whose file is at or below it -- through `path`'s own mount, and through the mounts
   * below it too when `recursive` (rbind) -- with the processes that hold each open.  A socket on
   * one of those filesystems whose place cannot be told (its bound name no longer names it, or it
   * has other hard links) is included with a NULL path.  Release with
   * hostfacts_listeners_release; false when the kernel cannot be asked (sock_diag).  The real one
   * asks sock_diag once for the life of the facts, like the mount table; the places and holders
   * are found afresh on every call.  */
  bool (*unix_listeners) (const struct host_facts *host, const char *path, bool recursive,
                          struct host_listeners *out);
  /* The mount process `pid` has at `dest` in its own mount namespace (/proc/<pid>/mountinfo,
   * the last mount at that point), or false.  Release with hostfacts_mount_release.  */
  bool (*process_mount) (const struct host_facts *host, pid_t pid, const char *dest,
                         struct host_mount *out);
  /* path_trusted, with `also` (unless (uid_t)-1) trusted as an owner too: the host uid a user
   * namespace maps the container's root to owns the directories of its own root filesystem
   * (Docker's userns-remap layers, moby daemon/graphdriver/overlay2 Create).  */
  bool (*path_trusted_for) (const struct host_facts *host, const char *path, uid_t also,
                            char **why);
  /* The paths matching a glob(3) pattern (sorted, NULL-terminated, strv_free), or NULL.  */
  char **(*glob_paths) (const struct host_facts *host, const char *pattern);
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
  /* ---- Resources and devices (hostfacts_resources.c; rules resource-limits and devices).
   * Zero / false / NULL means unknown, and each rule says what it does then.  */

  /* MemTotal of /proc/meminfo, in bytes: a memory limit above it limits nothing.  */
  unsigned long long memory_total;
  /* /proc/sys/kernel/pid_max: a pids limit above it limits nothing.  */
  unsigned long long pid_max;
  /* ocigate -- and so the runtime it execs -- runs in a user namespace other than the initial
   * one (/proc/self/uid_map is not `0 0 4294967295`): runc (libcontainer/rootfs_linux.go
   * createDevices, userns.RunningInUserNS) and crun (linux.c, check_running_in_user_namespace)
   * then bind-mount each `linux.devices` entry from the host instead of creating the node.  */
  bool in_user_ns;
  /* How the real facts read in_user_ns, on first use (hostfacts_in_user_ns); NULL: the field.  */
  bool (*read_in_user_ns) (const struct host_facts *host);
  /* stat(2) of a host path, symlinks followed: its file type (S_IFMT bits) and st_rdev; false
   * when it cannot be stat'd.  May be NULL (nothing can be).  */
  bool (*device_at) (const struct host_facts *host, const char *path, mode_t *type, dev_t *rdev);
  /* Why the runtime cannot create a container's cgroup of the cgroup v1 `controller` ("memory",
   * "pids") when the config names no cgroupsPath, malloc'd; NULL when it can: we are root in the
   * initial user namespace, the controller is not on a v1 hierarchy, or our own cgroup of it is
   * writable (a delegated one).  May be NULL (always can).  */
  char *(*cgroup_unsettable) (const struct host_facts *host, const char *controller);

  /* `ocigate check --portable`: these are not the node's facts but none at all (hostfacts_init_
   * portable), for a CI machine judging a config that will run elsewhere.  A rule that needs a
   * fact of the node adds a note saying what the node would check (node_note_add) instead of
   * asking.  Only `ocigate check` sets it: the shim always judges with the real facts.  */
  bool portable;

  void *data; /* for fakes */
};

/* Where the real facts keep the policy paths' answers from one call to the next
 * (hostfacts_cache.c): canonical_policy_path and policy_path_object are then answered from the
 * last call's, once every directory those walks looked names up in is the same (device, inode,
 * ctime), and so are the mounts over them and our mount namespace; otherwise walked afresh.
 * `load` returns the text last saved (malloc'd, its length in *len, a NUL after it; it holds
 * NULs) or NULL; `save` replaces it with text[0..len), errors ignored.  The shim sets it
 * (shim/hostfacts_store.c: a root-only file); NULL (tests, `ocigate check`): nothing is kept beyond
 * the life of the facts.  */
struct hostfacts_store
{
  char *(*load) (size_t *len);
  void (*save) (const char *text, size_t len);
};
extern const struct hostfacts_store *hostfacts_policy_store;
/* Hand the answers of this judgement to the store, when they are new and can be checked next
 * time (see hostfacts_cache.c).  */
void hostfacts_policy_cache_save (const struct host_facts *host);
/* FOR TESTS ONLY: answers are not kept while a directory they depend on changed less than this
 * many seconds ago (2: the clock tick of ctime); and the count of policy paths walked afresh.  */
extern long hostfacts_cache_settle_seconds;
extern unsigned long hostfacts_policy_walks;

/* host->ns[ns], read on first use by the real facts.  */
static inline const struct host_ns_id *
hostfacts_own_ns (const struct host_facts *host, enum host_ns ns)
{
  return host->own_ns != NULL ? host->own_ns (host, ns) : &host->ns[ns];
}

/* host->in_user_ns, read on first use by the real facts.  */
static inline bool
hostfacts_in_user_ns (const struct host_facts *host)
{
  return host->read_in_user_ns != NULL ? host->read_in_user_ns (host) : host->in_user_ns;
}

/* Fill *host from the running system (reads /proc/self/ns/<type>, cap_last_cap, LSM state).  Never
 * fails: an unknowable fact is left "unknown" and rules treat it conservatively.  Each group of
 * facts is filled by its own file (hostfacts_real.c wires them).  */
void hostfacts_init_real (struct host_facts *host);

/* Fill *host for `ocigate check --portable` (hostfacts_portable.c): `portable` set, no fact of
 * this machine, canonical_path lexical with the links every distribution has (/var/run -> /run),
 * cap_last_cap the highest capability Linux knows.  */
void hostfacts_init_portable (struct host_facts *host);

/* Which life of the real facts `host` is (hostfacts_docpaths.c): a number that changes every
 * time real facts are filled, so what was learnt from them can be told apart from what was learnt
 * from earlier ones; 0 for facts that are not the real ones (fakes, --portable).  */
unsigned long hostfacts_docpaths_generation (const struct host_facts *host);

/* Fill the base group of *host: namespaces, capabilities, LSMs, paths (hostfacts.c).  */
void hostfacts_init_base (struct host_facts *host);

/* Fill the resources-and-devices group of *host (hostfacts_resources.c); called by
 * hostfacts_init_real.  */
void hostfacts_init_resources (struct host_facts *host);
/* The mode of profile `name` if `line` of /sys/kernel/security/apparmor/profiles lists it
 * ("NAME (MODE)", the name possibly holding spaces or parentheses: security/apparmor/apparmorfs.c
 * seq_show_profile), malloc'd; NULL otherwise.  */
char *hostfacts_apparmor_mode_in (const char *line, const char *name);

/* Which namespace a runtime-spec `linux.namespaces[].type` names; HOST_NS_COUNT when unknown.  */
enum host_ns hostfacts_ns_from_type (const char *type);

/* ---- Mount identity and listening sockets: the real facts (hostfacts_mounts.c,
 * hostfacts_sockets.c), set by hostfacts_init_real, and the release helpers (fakes use them too).
 */
void hostfacts_init_mounts (struct host_facts *host);
bool hostfacts_real_unix_listeners (const struct host_facts *host, const char *path, bool recursive,
                                    struct host_listeners *out);
/* Where the object `obj` (path_object of the canonical `path`) lies inside its filesystem: the
 * device of the mount it was resolved on and its path inside that filesystem (the mount's root
 * joined with the rest of `path` below the mount point), malloc'd in *rel.  false when the mount
 * is not in the table or `path` is not below its mount point.  */
bool hostfacts_locate (const struct host_mounts *table, const struct host_object *obj,
                       const char *path, dev_t *dev, char **rel);
/* The same without an allocation: the mount of the table `obj` was resolved on, with *rest the
 * rest of `path` below its mount point (borrowed from path), or NULL where hostfacts_locate
 * answers false.  hostfacts_mount_rel makes the path inside the filesystem from them, malloc'd.  */
const struct host_mount *hostfacts_locate_mount (const struct host_mounts *table,
                                                 const struct host_object *obj, const char *path,
                                                 const char **rest);
char *hostfacts_mount_rel (const struct host_mount *m, const char *rest);
/* The rest of `path` below `base` ("" for base itself, "/x/y" below it), compared by whole
 * components, or NULL when path is not at or below base.  Borrowed from path.  */
const char *hostfacts_path_rest (const char *path, const char *base);
void hostfacts_mount_release (struct host_mount *m);
void hostfacts_mounts_release (struct host_mounts *m);
void hostfacts_listeners_release (struct host_listeners *l);
/* The name of namespace kind `ns` under /proc/<pid>/ns/ ("net" for HOST_NS_NETWORK).  */
const char *hostfacts_ns_file_name (enum host_ns ns);

/* Free what runtime_containers returned.  */
void hostfacts_containers_free (struct host_container *c, size_t n);

/* The real joined-namespace and dockerd facts (hostfacts_ns.c), called by hostfacts_init_real.  */
void hostfacts_init_real_ns (struct host_facts *host);

#endif
