/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: the state one run builds and the checks that fill its findings.
 *
 * doctor.c parses the command line and runs, in order: doctor_self.c (ocigate itself),
 * doctor_docker.c / doctor_containerd.c / doctor_podman.c (where each engine's routes lead),
 * doctor_baseline.c (CIS Docker Benchmark v1.6.0 sections 2 and 3), doctor_auditd.c (section
 * 1.1), doctor_drift.c (running containers without a create record), doctor_probe.c (--probe).
 *
 * Owns: the shared state.
 * Must not: change anything on the host (--probe starts and removes its own containers).  */
#ifndef OCG_DOCTOR_H
#define OCG_DOCTOR_H

#include <stdbool.h>

#include "argv.h"
#include "doctor_report.h"
#include "engine_containerd.h"
#include "engine_docker.h"
#include "engine_podman.h"
#include "findings.h"

enum doctor_engine
{
  ENGINE_DOCKER,
  ENGINE_CONTAINERD,
  ENGINE_PODMAN,
  ENGINE_COUNT,
};

struct doctor_opts
{
  enum out_format format;
  bool probe;
  bool engine[ENGINE_COUNT]; /* which engines to look at */
  bool engine_explicit;      /* --engine was given */
  const char *docker_socket, *docker_config;
  const char *containerd_socket, *containerd_config;
  const char *podman_config;
  char **audit_logs;    /* --audit-log (more trails to read) */
  char **runtime_roots; /* --runtime-root (more state directories) */
};

/* A runtime state directory and whose it is.  */
struct doctor_root
{
  char *path;
  char *engine; /* "docker", "containerd", "podman", "runc", ... */
};

struct doctor
{
  const struct runc_invocation *inv;
  struct doctor_opts o;
  struct findings_list findings;
  bool found[ENGINE_COUNT]; /* the engine is installed or running */
  struct docker_view docker;
  struct containerd_view containerd;
  struct podman_view podman;
  char **audit_logs; /* every trail to read, without duplicates */
  struct doctor_root *roots;
  size_t n_roots;
};

/* "docker", "containerd", "podman", by enum doctor_engine (doctor_common.c).  */
extern const char *const doctor_engine_names[ENGINE_COUNT];

/* Remember a trail / a state directory for the drift check (duplicates are dropped).  */
void doctor_add_audit_log (struct doctor *d, const char *path);
void doctor_add_root (struct doctor *d, const char *path, const char *engine);

/* `ocigate runtime configure --engine E FLAGS` plus what points it at this engine's files when
 * they are not the defaults, malloc'd: the fix of a routing finding.  */
char *doctor_fix (const struct doctor *d, enum doctor_engine e, const char *flags);

/* "the PATH of containerd pid 12 (/usr/local/sbin:...)", or systemd's default when pid is 0.  */
char *doctor_path_owner (const char *daemon, pid_t pid, const char *path_env);

void doctor_self (struct doctor *d);
void doctor_docker (struct doctor *d);
void doctor_containerd (struct doctor *d);
void doctor_podman (struct doctor *d);
void doctor_baseline (struct doctor *d);
void doctor_auditd (struct doctor *d);
void doctor_drift (struct doctor *d);
void doctor_probe (struct doctor *d);

/* A finding for a route: info when it reaches ocigate, routing.ocigate-copy when it reaches a
 * copy, else `id` at high severity.  `what` describes the route ("`docker run --runtime=runc`"),
 * `binary` the name or path it runs.  */
struct route_target;
void doctor_route_finding (struct doctor *d, const char *id, const char *subject, const char *what,
                           const char *binary, const struct route_target *t, const char *location,
                           const char *fix);

#endif
