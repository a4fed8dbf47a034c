/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the checks of `ocigate doctor` (doctor_*.c) share, kept apart from the command
 * (doctor.c) so that the checks never include the command that runs them: the engines' names,
 * the trails and state directories the drift check reads, and a routing finding with its fix.  */
#include <config.h>

#include "audit.h"
#include "doctor.h"
#include "route.h"
#include "util.h"

const char *const doctor_engine_names[ENGINE_COUNT] = { "docker", "containerd", "podman" };

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
  return xasprintf ("ocigate runtime configure --engine %s %s%s%s%s%s", doctor_engine_names[e],
                    flags, socket ? " --socket " : "", socket ? socket : "",
                    config ? " --config " : "", config ? config : "");
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
