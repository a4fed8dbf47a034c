/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Default parameter lists of the isolation rules (host-namespaces, sensitive-mounts, devices).
 *
 * Each is a NULL-terminated array.  A rule whose policy parameter is NULL (not set by the profile
 * or the policy file) uses these, so policy.c may reference them or leave the parameter NULL; an
 * explicitly empty list means "none".  The lists are written in canonical form (/run, not
 * /var/run) but the rules canonicalise them through host facts anyway, so a host where
 * /var/lib/docker is a symlink still matches.  */
#ifndef OCG_DEFAULTS_ISOLATION_H
#define OCG_DEFAULTS_ISOLATION_H

/* sensitive-mounts, `sensitive_paths`: a bind of one of these, of anything below one, or of a
 * parent of one is denied.  "/" means "/" itself (binding it exposes everything).  */
extern const char *const isolation_default_sensitive_paths[];

/* sensitive-mounts, `engine_sockets`: an entry without a `/` is a basename (a bind of any file so
 * named is denied); an entry with a `/` is a socket path (a bind of it or of any parent
 * directory is denied).  Always checked first: no engine-owned pattern can allow a socket.  */
extern const char *const isolation_default_engine_sockets[];

/* sensitive-mounts, `engine_owned_paths`: per-container files the engines themselves bind from
 * their state directories.  Each entry is `PATTERN [dest=CONTAINER-PATH] [ro] [shared]`: PATTERN
 * matches the canonical bind source at or below it (`*` = one component, `{ANNOTATION}` = that
 * annotation's value when the engine that sets it is the caller, `{ocigate.container-id}` = the
 * id of the container being created); `dest=` requires that destination, `ro` a read-only bind,
 * `shared` a joined namespace whose process has the same file mounted at the same destination.  */
extern const char *const isolation_default_engine_owned_paths[];
/* sensitive-mounts, `cri_runtime_roots` / `crio_runtime_roots`: the runtime --root values under
 * which containerd's CRI plugin (io.kubernetes.cri.*) or CRI-O (io.kubernetes.cri-o.*,
 * io.kubernetes.pod.*; only when passed explicitly) is the caller.  */
extern const char *const isolation_default_cri_runtime_roots[];
extern const char *const isolation_default_crio_runtime_roots[];
/* sensitive-mounts, `engine_binaries`: executables (glob patterns) of engine and node daemons; a
 * UNIX socket a process running one of them (same device and inode, or same name) listens on is
 * never bound into a container.  */
extern const char *const isolation_default_engine_binaries[];

/* devices, `device_allow`: container device paths allowed beyond the runtime defaults, as
 * `PATH-GLOB [TYPE MAJOR:MINOR]` (`*` allowed for MAJOR/MINOR).  Empty by default.  */
extern const char *const isolation_default_device_allow[];

/* host-namespaces: the namespace types a container must not share with the host.  "user" (CIS
 * 5.31) and "cgroup" are not in the default: every Docker container without userns-remap lacks a
 * user namespace, and cgroup v1 hosts have no cgroup namespace in any engine's config.  */
extern const char *const isolation_default_namespaces_required[];

#endif
