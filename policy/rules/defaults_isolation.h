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
 * their state directories.  Each entry is `PATTERN [dest=CONTAINER-PATH] [ro]`: PATTERN matches the
 * canonical bind source at or below it (`*` = one component, `{ANNOTATION}` = that annotation's
 * value); `dest=` requires that destination, `ro` requires a read-only bind.  */
extern const char *const isolation_default_engine_owned_paths[];
extern const char *const isolation_default_cri_runtime_roots[];

/* devices, `device_allow`: container device paths allowed beyond the runtime defaults, as
 * `PATH-GLOB [TYPE MAJOR:MINOR]` (`*` allowed for MAJOR/MINOR).  Empty by default.  */
extern const char *const isolation_default_device_allow[];

/* host-namespaces: the namespace types a container must not share with the host.  "user" (CIS
 * 5.31) and "cgroup" are not in the default: every Docker container without userns-remap lacks a
 * user namespace, and cgroup v1 hosts have no cgroup namespace in any engine's config.  */
extern const char *const isolation_default_namespaces_required[];

#endif
