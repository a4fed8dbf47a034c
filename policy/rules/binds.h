/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bind mounts as the sensitive-mounts rule judges them, shared by its files, each standing on the
 * ones before it: binds.c (a mounts[] entry as the runtimes read it, the lists one check
 * prepares), binds_identity.c (what is really mounted there, and which daemon listens on a
 * socket there), binds_owned.c (the engines' own per-container files) and mounts.c (the rule:
 * where a source is, by path; its parameters).  All I/O goes through host facts.  */
#ifndef OCG_BINDS_H
#define OCG_BINDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "engine.h"
#include "hostpath.h"
#include "json.h"

/* The rule's parameters (policy file `rules.sensitive-mounts`; declared in mounts.c).  */
struct sensitive_mounts_params
{
  char **paths;              /* host paths; a bind of one of these or of anything below */
  char **engine_sockets;     /* basenames of engine sockets: denied even via a parent dir */
  char **engine_owned_paths; /* patterns of per-container engine paths that are allowed */
  char **cri_runtime_roots;  /* runtime --root values of containerd's CRI plugin: only then are
                                io.kubernetes.cri.* annotations trusted in engine_owned_paths */
  char **crio_runtime_roots; /* runtime --root values CRI-O passes: only then are its
                                io.kubernetes.cri-o.* and io.kubernetes.pod.* annotations trusted */
  char **engine_binaries;    /* executables (glob patterns) of engine and node daemons: a socket
                                they listen on is never bound into a container */
};

/* Where a host path's object lies: inside which filesystem (`dev`), at which path there (`rel`),
 * what it is (`obj`).  */
struct bind_place
{
  bool known;
  struct host_object obj;
  dev_t dev;
  char *rel;
  /* binds_identity.c: the mount it lies on and the rest of its path below that mount's point,
   * from which rel is made when it is needed (both borrowed; NULL otherwise).  */
  const struct host_mount *mount;
  const char *rest;
};

/* An engine daemon's executable, from the engine_binaries parameter.  */
struct bind_engine
{
  dev_t dev;
  ino_t ino;
};

/* What an engine_sockets entry is: a socket path (it holds a `/`), a basename compared as a
 * string (no fnmatch(3) byte), or a basename pattern.  */
enum bind_socket_kind
{
  BIND_SOCKET_PATH,
  BIND_SOCKET_NAME,
  BIND_SOCKET_PATTERN,
};

/* Everything one check of the rule prepares once, on the first bind that needs it.  */
struct bind_lists
{
  bool ready;
  struct hostpath_list sensitive, sockets, owned;
  unsigned char *socket_kind; /* enum bind_socket_kind of each sockets entry */
  char *rootfs;
  char *config;     /* the bundle's config.json, or NULL when the bundle is unknown */
  char *state_root; /* the runtime's state directory, canonical, or NULL */
  size_t rootfs_n, config_n, state_root_n; /* their lengths when plain (hostpath_plain), or 0 */
  /* binds_identity.c */
  bool ids_ready;
  bool table_ok;
  struct host_mounts table;
  struct bind_place *places; /* one per sensitive entry */
  bool *kernel_fs;           /* one per mount of the table: a host kernel interface's */
  size_t *places_on;         /* binds_identity.c places_on: the entries on places_dev */
  size_t n_places_on;
  dev_t places_dev;
  bool engines_ready;
  struct bind_engine *engines;
  size_t n_engines;
};

void bind_lists_prepare (struct bind_lists *lists, const struct rule_ctx *ctx);
void bind_lists_release (struct bind_lists *lists);

/* binds.c: a mounts[] entry's string member, or NULL.  */
const char *bind_mount_string (const struct json_node *mount, const char *key);
bool bind_mount_has_option (const struct json_node *mount, const char *option);
/* runc (libcontainer/specconv createLibcontainerMount) and crun both treat a mount as a bind when
 * its type is "bind" or when any option is bind/rbind, whatever the type says.  */
bool bind_mount_is_bind (const struct json_node *mount);
/* runc and crun mount recursively ("rbind"), carrying the mounts below the source along.  */
bool bind_mount_is_recursive (const struct json_node *mount);
bool bind_mount_is_read_only (const struct json_node *mount);
/* The destination as runc resolves it inside the rootfs (relative ones against "/"), cleaned;
 * malloc'd, NULL when there is none.  */
char *bind_mount_dest (const struct json_node *mount);

/* binds_owned.c: is the canonical source one of the engines' own files for THIS container?
 * Without the node (--portable), also when only the node can tell (the container's id when none
 * was given, the engine calling, the namespace it shares): then *on_node is set.  */
bool bind_engine_owned (const struct rule_ctx *ctx, struct bind_lists *lists,
                        const struct json_node *mount, const char *canon, bool *on_node);

void bind_place_release (struct bind_place *place);

/* binds_identity.c: where the canonical path's object lies (place->known false when unknown).  */
void bind_locate (const struct rule_ctx *ctx, struct bind_lists *lists, const char *canon,
                  struct bind_place *place);
/* The words of a bind's messages, taken once per bind: "bind" or "read-only bind", the source
 * described, the destination ("" when there is none).  */
struct bind_words
{
  const char *how;
  const char *what;
  const char *dest;
};

/* What is really mounted at the (existing, verified) canonical source: a host kernel filesystem,
 * a sensitive path under another name, a listening engine socket.  The message, or NULL.  */
char *bind_identity_problem (const struct rule_ctx *ctx, struct bind_lists *lists,
                             const struct json_node *mount, const struct bind_words *w,
                             const char *canon);

#endif
