/* SPDX-License-Identifier: GPL-2.0-or-later */
/* containerd as `ocigate doctor` and `ocigate runtime configure` see it: the daemon listening on
 * its socket (by identity), the configuration files it reads (config.toml and its imports,
 * merged the way containerd 1.6 merges them) and `containerd config dump`.
 *
 * containerd 1.6 services/server/config/config.go LoadConfig reads config.toml, then each import
 * (relative paths against the importing file's directory, `*` patterns with filepath.Glob),
 * breadth first, each merged with mergeConfig: mergo with override (a non-zero value replaces)
 * and appended slices, except that a file's `plugins."X"` section (and proxy_plugins,
 * stream_processors, timeouts entries) REPLACES the whole section the files before it had.
 * Checked against `containerd config dump` of containerd 1.6.20.
 *
 * Owns: that replica and the view.
 * Must not: judge or change anything.  */
#ifndef OCG_ENGINE_CONTAINERD_H
#define OCG_ENGINE_CONTAINERD_H

#include <stdbool.h>

#include "err.h"
#include "hostproc.h"
#include "json.h"

#define CONTAINERD_DEFAULT_CONFIG "/etc/containerd/config.toml"
#define CRI_PLUGIN "io.containerd.grpc.v1.cri"

struct containerd_view
{
  char *socket;
  const char *installed; /* an installed containerd, or NULL */
  struct hostproc proc;  /* pid 0: nobody listens on the socket */
  char *other_listener;  /* a process that is not containerd holds the socket: its exe */
  char *config_path;     /* config.toml in effect */
  bool config_exists;
  char **files;             /* the files merged, in containerd's order (NULL-terminated) */
  struct json_node *merged; /* the files merged; NULL when unreadable */
  char *config_error;
  struct json_node *dump; /* `containerd config dump`; NULL when unavailable */
  char *dump_error;
};

/* Look at containerd.  `socket` and `config` override the defaults (NULL: CONTAINERD_ADDRESS or
 * /run/containerd/containerd.sock; the running daemon's --config or
 * /etc/containerd/config.toml).  Never fails.  */
void containerd_view_load (const char *socket, const char *config, struct containerd_view *v);
void containerd_view_release (struct containerd_view *v);

/* containerd 1.6's merge of `from` into `to` (both config trees; `from` is copied).  */
void containerd_merge (struct json_node *to, const struct json_node *from);

/* Read `main` and its imports as containerd does, skipping the file `skip` (NULL: none) and what
 * only it imports.  *files gets the files read (NULL-terminated).  A missing main file is an
 * empty configuration.  */
OCG_MUST_CHECK
struct json_node *containerd_load_files (const char *main, const char *skip, char ***files,
                                         ocg_error_t *err);

/* `containerd --config CONFIG config dump`, parsed.  */
OCG_MUST_CHECK
struct json_node *containerd_dump (const char *binary, const char *config, ocg_error_t *err);

/* The effective CRI plugin section: the dump's when there is one, else the merged files' (NULL
 * when they have none: the plugin's defaults apply).  */
const struct json_node *containerd_cri (const struct containerd_view *v);

/* Is the CRI plugin enabled (not in disabled_plugins)?  */
bool containerd_cri_enabled (const struct containerd_view *v);

/* The configured `version` (1 when unset, as GetVersion says).  */
long containerd_version (const struct json_node *config);

/* The PATH the runc shim's `runc` lookup uses (containerd's environment, else systemd's default);
 * *pid the process whose root applies (0: ours).  */
const char *containerd_runc_path_env (const struct containerd_view *v, pid_t *pid);

#endif
