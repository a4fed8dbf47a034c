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
#include "util.h"

static int
parse_engine (const char *name, struct doctor_opts *o, ocg_error_t *err)
{
  /* `none`: ocigate itself, the state directories and trails given, nothing of the engines.  */
  if (str_eq (name, "none"))
    return (o->engine_explicit = true), 0;
  for (int e = 0; e < ENGINE_COUNT; e++)
    if (str_eq (name, doctor_engine_names[e]))
      {
        o->engine[e] = true;
        o->engine_explicit = true;
        return 0;
      }
  return ocg_error_set (err, 0, "unknown engine `%s` (expected docker, containerd, podman or none)",
                        name);
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
      return out_format_parse (arg, &o->format, err);
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
