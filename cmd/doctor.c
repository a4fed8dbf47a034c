/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: one report that says whether every route to a container on this host goes
 * through ocigate, and how to close the ones that do not (see doctor.h for the order of the
 * checks, README "ocigate doctor" for the output formats and exit status).  */
#include <config.h>

#include <getopt.h>
#include <stdio.h>

#include "audit.h"
#include "cmd.h"
#include "doctor.h"
#include "route.h"
#include "util.h"

static const char *const engine_names[ENGINE_COUNT] = { "docker", "containerd", "podman" };

void
doctor_add_audit_log (struct doctor *d, const char *path)
{
  /* Drift reads the trails that are files; what went to syslog it cannot read back.  */
  if (audit_syslog_socket (path) != NULL)
    return;
  if (!strv_contains ((const char *const *)d->audit_logs, path))
    strv_add (&d->audit_logs, path);
}

void
doctor_add_root (struct doctor *d, const char *path, const char *engine)
{
  for (size_t i = 0; i < d->n_roots; i++)
    if (str_eq (d->roots[i].path, path))
      return;
  d->roots = xreallocarray (d->roots, d->n_roots + 1, sizeof (*d->roots));
  d->roots[d->n_roots].path = xstrdup (path);
  d->roots[d->n_roots].engine = xstrdup (engine);
  d->n_roots++;
}

static int
parse_engine (const char *name, struct doctor_opts *o, ocg_error_t *err)
{
  /* `none`: ocigate itself, the state directories and trails given, nothing of the engines.  */
  if (str_eq (name, "none"))
    return (o->engine_explicit = true), 0;
  for (int e = 0; e < ENGINE_COUNT; e++)
    if (str_eq (name, engine_names[e]))
      {
        o->engine[e] = true;
        o->engine_explicit = true;
        return 0;
      }
  return ocg_error_set (err, 0, "unknown engine `%s` (expected docker, containerd, podman or none)",
                        name);
}

static int
parse_format (const char *s, struct doctor_opts *o, ocg_error_t *err)
{
  if (str_eq (s, "text"))
    o->format = DOCTOR_TEXT;
  else if (str_eq (s, "json"))
    o->format = DOCTOR_JSON;
  else if (str_eq (s, "sarif"))
    o->format = DOCTOR_SARIF;
  else
    return ocg_error_set (err, 0, "unknown format `%s` (expected text, json or sarif)", s);
  return 0;
}

enum
{
  OPT_FORMAT = 256,
  OPT_PROBE,
  OPT_ENGINE,
  OPT_DOCKER_SOCKET,
  OPT_DOCKER_CONFIG,
  OPT_CONTAINERD_SOCKET,
  OPT_CONTAINERD_CONFIG,
  OPT_PODMAN_CONFIG,
  OPT_AUDIT_LOG,
  OPT_RUNTIME_ROOT,
};

static const struct option options[] = {
  { "format", required_argument, NULL, OPT_FORMAT },
  { "probe", no_argument, NULL, OPT_PROBE },
  { "engine", required_argument, NULL, OPT_ENGINE },
  { "docker-socket", required_argument, NULL, OPT_DOCKER_SOCKET },
  { "docker-config", required_argument, NULL, OPT_DOCKER_CONFIG },
  { "containerd-socket", required_argument, NULL, OPT_CONTAINERD_SOCKET },
  { "containerd-config", required_argument, NULL, OPT_CONTAINERD_CONFIG },
  { "podman-config", required_argument, NULL, OPT_PODMAN_CONFIG },
  { "audit-log", required_argument, NULL, OPT_AUDIT_LOG },
  { "runtime-root", required_argument, NULL, OPT_RUNTIME_ROOT },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* One option into *o; -1 bad value, 1 help.  */
static int
apply_option (int c, const char *arg, struct doctor_opts *o, ocg_error_t *err)
{
  switch (c)
    {
    case OPT_FORMAT:
      return parse_format (arg, o, err);
    case OPT_PROBE:
      o->probe = true;
      return 0;
    case OPT_ENGINE:
      return parse_engine (arg, o, err);
    case OPT_DOCKER_SOCKET:
      o->docker_socket = arg;
      return 0;
    case OPT_DOCKER_CONFIG:
      o->docker_config = arg;
      return 0;
    case OPT_CONTAINERD_SOCKET:
      o->containerd_socket = arg;
      return 0;
    case OPT_CONTAINERD_CONFIG:
      o->containerd_config = arg;
      return 0;
    case OPT_PODMAN_CONFIG:
      o->podman_config = arg;
      return 0;
    case OPT_AUDIT_LOG:
      strv_add (&o->audit_logs, arg);
      return 0;
    case OPT_RUNTIME_ROOT:
      strv_add (&o->runtime_roots, arg);
      return 0;
    case 'h':
      return 1;
    default:
      return -1;
    }
}

/* argv[0] is "doctor" (getopt's program name).  */
static int
parse (int argc, char **argv, struct doctor_opts *o, ocg_error_t *err)
{
  int c, r;

  optind = 0;
  opterr = 1;
  while ((c = getopt_long (argc, argv, "+h", options, NULL)) != -1)
    if ((r = apply_option (c, optarg, o, err)) != 0)
      return r;
  if (optind < argc)
    return ocg_error_set (err, 0, "unexpected argument `%s`", argv[optind]);
  if (!o->engine_explicit)
    for (int e = 0; e < ENGINE_COUNT; e++)
      o->engine[e] = true;
  return 0;
}

char *
doctor_fix (const struct doctor *d, enum doctor_engine e, const char *flags)
{
  const char *socket = NULL, *config = NULL;

  if (e == ENGINE_DOCKER && !str_eq (d->docker.socket, DOCKER_DEFAULT_SOCKET))
    socket = d->docker.socket;
  if (e == ENGINE_DOCKER && d->docker.dockerd.pid == 0
      && !str_eq (d->docker.config_path, DOCKER_DEFAULT_CONFIG))
    config = d->docker.config_path;
  if (e == ENGINE_CONTAINERD && !str_eq (d->containerd.socket, CONTAINERD_DEFAULT_SOCKET))
    socket = d->containerd.socket;
  if (e == ENGINE_CONTAINERD && d->containerd.proc.pid == 0
      && !str_eq (d->containerd.config_path, CONTAINERD_DEFAULT_CONFIG))
    config = d->containerd.config_path;
  if (e == ENGINE_PODMAN && !str_eq (d->podman.override_path, PODMAN_OVERRIDE_CONFIG))
    config = d->podman.override_path;
  return xasprintf ("ocigate runtime configure --engine %s %s%s%s%s%s", engine_names[e], flags,
                    socket ? " --socket " : "", socket ? socket : "", config ? " --config " : "",
                    config ? config : "");
}

char *
doctor_path_owner (const char *daemon, pid_t pid, const char *path_env)
{
  if (pid == 0)
    return xasprintf ("the PATH %s would have as a systemd service (%s: it does not run, or its "
                      "environment cannot be read)",
                      daemon, path_env);
  return xasprintf ("the PATH of %s pid %d (%s)", daemon, (int)pid, path_env);
}

void
doctor_route_finding (struct doctor *d, const char *id, const char *subject, const char *what,
                      const char *binary, const struct route_target *t, const char *location,
                      const char *fix)
{
  cleanup_free char *where = route_describe (t, binary);

  if (route_is_ocigate (t))
    findings_add (&d->findings, id, SEV_INFO, subject, location, NULL, "%s reaches %s.", what,
                  where);
  else if (t->path != NULL && t->id.kind == BINID_COPY_SAME)
    findings_add (&d->findings, "routing.ocigate-copy", SEV_MEDIUM, subject, t->path, fix,
                  "%s reaches %s: it will not follow ocigate's upgrades.", what, where);
  else if (t->path != NULL && t->id.kind == BINID_COPY_OTHER)
    findings_add (&d->findings, "routing.ocigate-copy", SEV_HIGH, subject, t->path, fix,
                  "%s reaches %s, not the installed ocigate.", what, where);
  else
    findings_add (&d->findings, id, SEV_HIGH, subject, location, fix,
                  "%s reaches %s: it bypasses ocigate.", what, where);
}

static void
run_checks (struct doctor *d)
{
  for (size_t i = 0; d->o.audit_logs != NULL && d->o.audit_logs[i] != NULL; i++)
    doctor_add_audit_log (d, d->o.audit_logs[i]);
  for (size_t i = 0; d->o.runtime_roots != NULL && d->o.runtime_roots[i] != NULL; i++)
    doctor_add_root (d, d->o.runtime_roots[i], "runtime root");
  doctor_self (d);
  if (d->o.engine[ENGINE_DOCKER])
    doctor_docker (d);
  if (d->o.engine[ENGINE_CONTAINERD])
    doctor_containerd (d);
  if (d->o.engine[ENGINE_PODMAN])
    doctor_podman (d);
  doctor_baseline (d);
  doctor_auditd (d);
  doctor_drift (d);
  if (d->o.probe)
    doctor_probe (d);
}

static void
doctor_release (struct doctor *d)
{
  findings_release (&d->findings);
  docker_view_release (&d->docker);
  containerd_view_release (&d->containerd);
  podman_view_release (&d->podman);
  strv_free (d->audit_logs);
  for (size_t i = 0; i < d->n_roots; i++)
    {
      free (d->roots[i].path);
      free (d->roots[i].engine);
    }
  free (d->roots);
  strv_free (d->o.audit_logs);
  strv_free (d->o.runtime_roots);
}

int
cmd_doctor (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  struct doctor d = { .inv = call->inv };
  int r = parse (argc + 1, argv - 1, &d.o, err);
  int status;

  if (r != 0)
    {
      doctor_release (&d);
      return r > 0 ? CMD_HELP : CMD_USAGE;
    }
  if (geteuid () != 0)
    fprintf (stderr, "ocigate: doctor is not running as root: daemons' environments, sockets "
                     "and state directories may be unreadable\n");
  run_checks (&d);
  findings_sort (&d.findings);
  status = findings_count (&d.findings, SEV_HIGH) > 0 ? 1 : 0;
  if (doctor_report_write (stdout, d.o.format, &d.findings, err) < 0)
    status = 2;
  doctor_release (&d);
  return status;
}
