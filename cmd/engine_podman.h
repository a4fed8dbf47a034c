/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Podman as `ocigate doctor` and `ocigate runtime configure` see it: the containers.conf files
 * Podman 4.3 reads, merged in its order, and where each runtime name leads.
 *
 * containers/common v0.50.1 (Podman 4.3.1's) pkg/config/config.go systemConfigs: when
 * CONTAINERS_CONF is set, that one file and nothing else; otherwise
 * /usr/share/containers/containers.conf, /etc/containers/containers.conf, then
 * the `*.conf` files of /etc/containers/containers.conf.d in sorted order (checked with
 * podman 4.3.1: a drop-in there sets the runtime).  Each is decoded over the previous result
 * (BurntSushi/toml): a key replaces, a table merges key by key, an array replaces.  The default
 * runtime, when none is configured, is the first of crun, runc, runj, kata, runsc whose built-in
 * paths hold a file (pkg/config/default.go findRuntime); a name resolves to the first existing
 * regular file of its [engine.runtimes] list, else to the name on PATH (libpod oci_conmon_common.go
 * newConmonOCIRuntime).
 *
 * Owns: that replica.
 * Must not: run podman (it would initialise storage) or change anything.  */
#ifndef OCG_ENGINE_PODMAN_H
#define OCG_ENGINE_PODMAN_H

#include <stdbool.h>

#include "json.h"

#define PODMAN_SYSTEM_CONFIG "/usr/share/containers/containers.conf"
#define PODMAN_OVERRIDE_CONFIG "/etc/containers/containers.conf"

extern const char *const podman_binaries[];

struct podman_view
{
  const char *installed;      /* an installed podman, or NULL */
  const char *env_conf;       /* CONTAINERS_CONF, when set: the only file Podman reads */
  char *override_path;        /* the containers.conf whose `.d` directory holds drop-ins */
  char **files;               /* files read, in order (NULL-terminated) */
  struct json_node *runtimes; /* [engine.runtimes]: built-ins with the files' entries over them */
  char *runtime;              /* [engine] runtime: configured, else Podman's default choice */
  bool runtime_configured;
  const char *audit_log;    /* OCIGATE_AUDIT_LOG in [engine] conmon_env_vars (borrowed), or NULL */
  struct json_node *merged; /* the files merged */
  char *error;
};

/* Look at Podman.  `config` names the override containers.conf (NULL:
 * /etc/containers/containers.conf; its drop-ins are in `<config>.d`).  Never fails.  */
void podman_view_load (const char *config, struct podman_view *v);
void podman_view_release (struct podman_view *v);

/* The paths configured for runtime `name` (borrowed array node), or NULL.  */
const struct json_node *podman_runtime_paths (const struct podman_view *v, const char *name);

/* Where `podman --runtime NAME` leads: the first existing regular file of its list, else NAME on
 * our PATH; an absolute NAME is itself.  malloc'd, or NULL.  */
char *podman_runtime_path (const struct podman_view *v, const char *name);

/* BurntSushi/toml's decode of `from` over `to`: tables merge, everything else replaces.  */
void podman_merge (struct json_node *to, const struct json_node *from);

#endif
