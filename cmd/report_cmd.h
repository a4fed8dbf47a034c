/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate report`: every container running now, whichever engine started it, judged under the
 * current policy as its create would be judged today: `allowed`, `would-rewrite` or
 * `would-deny`, and whether ocigate judged it when it was created (the audit trail).
 *
 * The containers are found through the runtimes' state roots (report_scan.c): runc's and crun's
 * defaults (/run/runc, /run/crun: Podman's, which passes no --root, and CRI-O's), Docker's
 * /run/docker/runtime-runc/moby, containerd's /run/containerd/runc/<namespace>, the roots named in
 * ocigate's own records (/run/ocigate/containers, shim/record.c) and --root.  A live container is
 * one whose recorded init process is alive with its recorded start time (hostfacts_ns.c).  Its
 * config is the one the runtime ran: runc's <bundle>/config.json (the bundle from state.json's
 * "bundle=" label), crun's own copy <root>/<id>/config.json -- after ocigate's rewrite, when it
 * made one.
 *
 * It only reads: no container, state file or config is changed; the rewrite is judged in memory.
 *
 * Owns: the command and the per-container judgement (report_command.c), the roots and the
 * containers in them (report_scan.c), the three formats (report_out.c).
 * Must not: write anywhere but stdout.  */
#ifndef OCG_REPORT_CMD_H
#define OCG_REPORT_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "engine.h"
#include "err.h"
#include "outformat.h"
#include "json.h"

/* A runtime root to scan, and the engine that keeps its containers there.  */
struct report_root
{
  char *path;
  char *engine;     /* "docker", "containerd", "runc", "crun", "runtime root" (--root) */
  char *namespace_; /* containerd's namespace (the last part of the path), or NULL */
  bool explicit_;   /* the engine passes it as --root (not for runc's and crun's defaults) */
  char *error;      /* why it could not be read, or NULL (a root that does not exist is none) */
  bool present;     /* it exists: only such roots are listed */
  size_t live;
};

struct report_roots
{
  struct report_root *items;
  size_t n;
};

/* The roots: `defaults` (NULL-terminated "PATH" entries; containerd's parent directory is
 * scanned one level down), the ones ocigate's records name (when `records`), then `extra`
 * (--root).  The same path is kept once.  */
void report_roots_collect (struct report_roots *out, const char *const *defaults, bool records,
                           char *const *extra);
void report_roots_release (struct report_roots *r);

/* The engine a root path belongs to, by its place: "docker" (<exec-root>/runtime-runc/moby),
 * "containerd" (<...>/containerd/runc/<namespace>, *ns set), "runc" (/run/runc), "crun"
 * (/run/crun), else NULL.  */
const char *report_root_engine (const char *path, const char **ns);

/* The runtime roots ocigate's records (record_run_dir/containers) name: each record's state
 * directory's parent, once each (malloc'd, NULL-terminated; empty without records).  */
char **report_record_roots (void);

enum report_status
{
  REPORT_ALLOWED,
  REPORT_WOULD_REWRITE,
  REPORT_WOULD_DENY,
  REPORT_ERROR,
  REPORT_N_STATUS,
};

struct report_item
{
  char *id;
  const struct report_root *root;
  const char *engine; /* the root's, or the one the annotations name in a shared root */
  pid_t pid;
  char *bundle, *config; /* the bundle directory and the config file judged */
  struct spec *spec;     /* as loaded, then as enforce would rewrite it (in memory only) */
  enum report_status status;
  char *profile; /* the profile it was judged under */
  char *error;
  char **exemptions;
  struct decision decision;
  int judged; /* by ocigate at create: 1, 0, -1 unknown (no trail) */
  /* its create record, when judged: mode, verdict, time, and the profile it was judged under */
  char *create_mode, *create_verdict, *create_time, *create_profile;
};

struct report
{
  char *profile;
  char *trail;       /* the audit trail read, or NULL */
  char *trail_error; /* why it could not be read */
  struct report_roots roots;
  struct report_item *items;
  size_t n_items;
  size_t counts[REPORT_N_STATUS];
};

const char *report_status_name (enum report_status s);

/* Fill r->items with the live containers of every root (their config loaded, not judged).  */
void report_scan (struct report *r);

int report_write (FILE *out, enum out_format format, const struct report *r, ocg_error_t *err);

#endif
