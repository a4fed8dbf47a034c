/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A fake host for unit tests: the host facts of a Debian 12 machine that ran the captured
 * real-client configs (tests/fixtures/real-clients/), without touching the real system.
 *
 *   cap_last_cap 40 (CAP_CHECKPOINT_RESTORE), kernel 6.1, SELinux and AppArmor off, unprivileged
 *     user namespaces allowed (Debian 12's kernel.unprivileged_userns_clone = 1);
 *   namespaces: dev 4 (nsfs), host inodes 4026531834..4026531841 (FAKE_HOST_INO_*);
 *   ns_id_of: /proc/self/ns/<kind> and /proc/1/ns/<kind> are the host's; the namespace files named
 *     by the captured configs are resolved as they were on the capture host (docker's
 *     netns/default and the CRI hostnet pause pid 6315's net/uts are the host's, everything else
 *     is a private namespace); anything else cannot be resolved;
 *   canonical_path: lexical clean-up plus Debian 12's symlinks (/var/run -> /run, merged /usr);
 *   read_link: /proc/7317/exe (the dockerd of the Docker captures) -> /usr/sbin/dockerd;
 *   joined namespaces: the CRI pause containers 6315, 7471 and 6710 are live containers of the
 *     runc root FAKE_CRI_ROOT; a namespace file outside /proc is pinned (a bind mount); every
 *     /proc/<pid>/ns/<kind> of the table is a process in that namespace;
 *   dockerd: /proc/7317/exe is /usr/sbin/dockerd (same dev/ino), /proc/7317/ns/mnt the host's, and
 *     7317 listens on <exec-root>/libnetwork/6236a7a5e2b4.sock for the captured and the default
 *     exec-root;
 *   path_exists, same_file, path_trusted: permissive (every path exists, is the file its canonical
 *     path names, and only root could change it), so the captured configs' bind sources judge as
 *     they did on the capture host.
 * Tests may add namespace files, symlinks, links, AppArmor profiles, and missing, aliased
 * (magic-link-like) or untrusted paths; fake_host_init() resets everything to the defaults
 * above.  */
#ifndef OCG_FAKE_HOST_H
#define OCG_FAKE_HOST_H

#include <stdbool.h>

#include "hostfacts.h"

#define FAKE_HOST_NS_DEV 4
/* The device of the host's root filesystem (st_dev of /usr/sbin/dockerd).  */
#define FAKE_ROOTFS_DEV 65024
/* containerd's CRI runc root, where the captured pause containers live.  */
#define FAKE_CRI_ROOT "/run/containerd/runc/k8s.io"

/* The bundle directory the fixture driver says every config.json was read from (police.c fills
 * the call's bundle directory the same way): a containerd bundle, so `root.path: "rootfs"` is the
 * captured CRI and ctr configs' own root filesystem, and `../..` climbs into /run/containerd.  */
#define FAKE_BUNDLE_DIR "/run/containerd/io.containerd.runtime.v2.task/k8s.io/4d1c7e8a9b0f"

void fake_host_init (struct host_facts *host);

/* The host's id of one namespace kind.  */
struct host_ns_id fake_host_ns (enum host_ns ns);

/* Namespace file `path` resolves to the host's namespace of `ns` (host = true) or to a private
 * namespace of its own (host = false).  */
void fake_host_add_ns_file (const char *path, enum host_ns ns, bool host);
/* canonical_path: `link` (absolute) is a symlink to `target` (absolute).  */
void fake_host_add_symlink (const char *link, const char *target);
/* read_link: `path` -> `target`.  */
void fake_host_add_link (const char *path, const char *target);
/* apparmor_profile_loaded / _mode: `name` is loaded in enforce mode (also turns
 * host->apparmor_enabled on).  */
void fake_host_add_apparmor_profile (struct host_facts *host, const char *name);
/* The same with another mode ("complain", "unconfined", "kill", ...).  */
void fake_host_add_apparmor_profile_mode (struct host_facts *host, const char *name,
                                          const char *mode);
/* memory_total and pid_max of this project's CI VM: 24 GiB, 32768 (kernel.pid_max).  */
void fake_host_set_machine (struct host_facts *host);
/* selinux_context_valid: a small SELinux policy that knows the container types under system_u
 * (container_t, container_file_t, spc_t, container_init_t, and the older svirt_lxc_net_t and
 * svirt_sandbox_file_t) -- enough to tell a made-up type from a real one; with `refuse_all` it
 * knows none.  Contexts are valid only while host->selinux_enabled.  */
void fake_host_set_selinux_policy (struct host_facts *host, bool refuse_all);
/* path_exists: `path` and everything below it do not exist (compared after lexical clean-up).  */
void fake_host_add_missing (const char *path);
/* same_file: a path at or below `path` (lexically) is not the file its canonical path names, as
 * with a /proc/<pid>/root magic link.  */
void fake_host_add_alias (const char *path);
/* path_trusted: a path whose canonical form is at or below `dir` is untrusted, because `dir` is
 * writable by others.  */
void fake_host_add_untrusted (const char *dir);

/* ---- Mount identity and listening sockets.  The mount table starts with one mount: the root
 * filesystem (id 1, device FAKE_ROOT_DEV, "/" at "/", ext4).  path_object resolves a path on
 * the mount whose point is its longest prefix (the last added wins), with a device of that
 * mount's and an inode that is a hash of the path inside the filesystem (so the same object
 * reached under two names has one identity), a directory unless fake_host_set_mode says so.
 * unix_listeners reports the listeners added below whose path is at or below the bind source.
 * glob_paths returns the pattern itself when it has no wildcard.  */
#define FAKE_ROOT_DEV 0xfe00 /* 254:0 */

/* A mount of `fstype` with `dev` showing `root` of that filesystem at `point`.  Returns its id. */
int fake_host_add_mount (const char *point, unsigned long dev, const char *root,
                         const char *fstype);
/* path_object: `path` is of file type `mode` (S_IFREG, S_IFSOCK...).  */
void fake_host_set_mode (const char *path, unsigned mode);
/* unix_listeners: a socket listening at `path`, held by `pid` running the executable `exe`
 * (identity: path_object of exe; NULL `path` means "somewhere ocigate cannot tell" and is
 * reported for every bind).  */
void fake_host_add_listener (const char *path, int pid, const char *exe);
/* process_mount: `pid` has a mount at `dest` showing `root` of filesystem `dev` (the last added
 * for a pid and dest wins).  */
void fake_host_add_process_mount (int pid, const char *dest, unsigned long dev, const char *root);
/* ns_file / ns_id_of: `path` is another name of the namespace of table entry `same_as` (a bind
 * mount of it, or a process in it).  */
void fake_host_add_ns_alias (const char *path, const char *same_as);
/* file_id: `path` is the file (dev, ino); also makes ns_file say it is not a namespace.  */
void fake_host_add_file (const char *path, dev_t dev, ino_t ino);
/* runtime_containers: a live container `id` of runtime root `root` whose init is `pid` (its
 * namespaces are the table's /proc/<pid>/ns/<kind> entries).  */
void fake_host_add_container (const char *root, const char *id, pid_t pid);
/* unix_listener: `pid` listens on the UNIX socket bound at `path`.  */
void fake_host_add_bound_listener (pid_t pid, const char *path);

/* Lexically clean an absolute path: "//" and "." removed, ".." applied (never above "/").
 * malloc'd; NULL when path is not absolute.  */
char *fake_host_clean_path (const char *path);

#endif
