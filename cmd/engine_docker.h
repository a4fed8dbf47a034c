/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Docker as `ocigate doctor` and `ocigate runtime configure` see it: the dockerd listening on the
 * API socket (by identity), the daemon.json it reads, the containerd that runs its shims, and
 * what the running daemon reports (GET /info).
 *
 * Owns: finding those and reading daemon.json the way dockerd 20.10 does.
 * Must not: judge or change anything.  */
#ifndef OCG_ENGINE_DOCKER_H
#define OCG_ENGINE_DOCKER_H

#include <stdbool.h>

#include "err.h"
#include "hostproc.h"
#include "json.h"

#define DOCKER_DEFAULT_SOCKET "/run/docker.sock"
#define DOCKER_DEFAULT_CONFIG "/etc/docker/daemon.json"
/* moby 20.10 daemon/config: defaultExecRoot.  */
#define DOCKER_DEFAULT_EXEC_ROOT "/var/run/docker"
#define CONTAINERD_DEFAULT_SOCKET "/run/containerd/containerd.sock"
/* daemon.json is a few KiB; dockerd reads it whole.  */
#define DOCKER_CONFIG_MAX_BYTES (1024u * 1024u)

extern const char *const docker_binaries[];
extern const char *const containerd_binaries[];

struct docker_view
{
  char *socket;            /* the API socket examined */
  const char *installed;   /* an installed dockerd, or NULL */
  struct hostproc dockerd; /* pid 0: nobody runs there */
  char *other_listener;    /* a process that is not dockerd holds the socket: its exe */
  char *config_path;       /* the daemon.json in effect */
  bool config_exists;
  struct json_node *config;   /* parsed; NULL when missing or unreadable */
  char *config_error;         /* why it could not be read */
  char *exec_root;            /* --exec-root, `exec-root`, or the default */
  char *containerd_socket;    /* the containerd dockerd uses */
  struct hostproc containerd; /* pid 0: not found */
  struct json_node *info;     /* GET /info of the running daemon, or NULL */
  char *info_error;
};

/* Look at Docker.  `socket` and `config` override the defaults (NULL: DOCKER_HOST or
 * /run/docker.sock; the running daemon's --config-file or /etc/docker/daemon.json).  Never fails:
 * what cannot be learned is left empty, with a reason where one is known.  */
void docker_view_load (const char *socket, const char *config, struct docker_view *v);
void docker_view_release (struct docker_view *v);

/* Parse daemon.json bytes as dockerd 20.10 does (moby daemon/config/config.go
 * getConflictFreeConfiguration: encoding/json, so no comments, no byte-order mark, no empty
 * file), and refuse what dockerd and ocigate could read differently (duplicate keys: Go keeps the
 * last).  The document must be an object.  */
OCG_MUST_CHECK
struct json_node *docker_config_parse (const char *buf, size_t len, const char *name,
                                       ocg_error_t *err);

/* A daemon.json key or dockerd flag value as the running daemon has it: the command line wins
 * (dockerd refuses a key set in both), then the file.  String values only; NULL when unset.  */
const char *docker_setting (const struct docker_view *v, const char *key);

/* The PATH the shims' `runc` lookup uses: the environment of dockerd's containerd (the shim
 * inherits it: containerd runtime/v2/shim/util.go Command), else dockerd's, else systemd's
 * default.  *pid gets the process whose root applies (0: ours).  */
const char *docker_runc_path_env (const struct docker_view *v, pid_t *pid);

#endif
