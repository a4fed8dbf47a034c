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

/* The bundle directory the fixture driver says every config.json was read from (police.c sets
 * spec->dir the same way): a containerd bundle, so `root.path: "rootfs"` is the captured CRI and
 * ctr configs' own root filesystem, and `../..` climbs into /run/containerd.  */
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
/* path_exists: `path` and everything below it do not exist (compared after lexical clean-up).  */
void fake_host_add_missing (const char *path);
/* same_file: a path at or below `path` (lexically) is not the file its canonical path names, as
 * with a /proc/<pid>/root magic link.  */
void fake_host_add_alias (const char *path);
/* path_trusted: a path whose canonical form is at or below `dir` is untrusted, because `dir` is
 * writable by others.  */
void fake_host_add_untrusted (const char *dir);

/* Lexically clean an absolute path: "//" and "." removed, ".." applied (never above "/").
 * malloc'd; NULL when path is not absolute.  */
char *fake_host_clean_path (const char *path);

#endif
