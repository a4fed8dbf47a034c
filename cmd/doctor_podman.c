/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: where Podman's routes lead (engine_podman.h says how Podman 4.3 resolves a
 * runtime).  Podman runs the runtime itself (through conmon), with no daemon in between, so the
 * routes are its default runtime and every name `podman --runtime NAME` accepts.  */
#include <config.h>

#include "doctor.h"
#include "route.h"
#include "util.h"

#define SUBJECT "podman"

static void
target_of (const struct podman_view *v, const char *name, struct route_target *t)
{
  cleanup_free char *path = podman_runtime_path (v, name);

  if (path == NULL)
    {
      memset (t, 0, sizeof (*t));
      t->id.kind = BINID_MISSING;
      return;
    }
  route_resolve (0, NULL, path, t);
}

static void
default_route (struct doctor *d)
{
  struct podman_view *v = &d->podman;
  struct route_target t;
  cleanup_free char *fix = doctor_fix (d, ENGINE_PODMAN, "--set-as-default");
  cleanup_free char *what
      = xasprintf ("`podman run` without --runtime (runtime `%s`%s)", v->runtime,
                   v->runtime_configured ? "" : ", Podman's choice");

  target_of (v, v->runtime, &t);
  doctor_route_finding (d, "podman.default-runtime", SUBJECT, what, v->runtime, &t, NULL, fix);
  route_release (&t);
}

static void
runc_route (struct doctor *d)
{
  struct route_target t;
  cleanup_free char *fix = doctor_fix (d, ENGINE_PODMAN, "--as-runc");

  target_of (&d->podman, "runc", &t);
  if (t.path != NULL)
    doctor_route_finding (d, "podman.runtime-runc", SUBJECT, "`podman --runtime runc`", "runc", &t,
                          NULL, fix);
  route_release (&t);
}

/* The other names: reported when they lead somewhere that is not ocigate.  */
static void
other_routes (struct doctor *d)
{
  const struct json_node *rts = d->podman.runtimes;

  for (size_t i = 0; i < rts->n; i++)
    {
      const char *name = rts->keys[i];
      struct route_target t;
      cleanup_free char *desc = NULL;

      if (str_eq (name, "runc") || str_eq (name, d->podman.runtime))
        continue;
      target_of (&d->podman, name, &t);
      desc = route_describe (&t, name);
      if (t.path != NULL && t.id.kind != BINID_SELF)
        findings_add (&d->findings, "podman.runtime", SEV_MEDIUM, SUBJECT, NULL, NULL,
                      "`podman --runtime %s` reaches %s.", name, desc);
      route_release (&t);
    }
}

static void
config_findings (struct doctor *d)
{
  struct podman_view *v = &d->podman;
  size_t n = strv_length ((const char *const *)v->files);

  if (v->env_conf != NULL)
    findings_add (&d->findings, "podman.config", SEV_INFO, SUBJECT, v->env_conf, NULL,
                  "CONTAINERS_CONF=%s: Podman reads that file only, and no drop-in.", v->env_conf);
  else
    findings_add (&d->findings, "podman.config", SEV_INFO, SUBJECT, v->override_path, NULL,
                  "Podman reads %zu configuration file%s; its drop-ins are in %s.d.", n,
                  n == 1 ? "" : "s", v->override_path);
  if (v->error != NULL)
    findings_add (&d->findings, "podman.config", SEV_MEDIUM, SUBJECT, NULL, NULL,
                  "A configuration file cannot be read: %s", v->error);
}

void
doctor_podman (struct doctor *d)
{
  struct podman_view *v = &d->podman;

  podman_view_load (d->o.podman_config, v);
  d->found[ENGINE_PODMAN] = v->installed != NULL;
  if (!d->found[ENGINE_PODMAN])
    {
      if (d->o.engine_explicit)
        findings_add (&d->findings, "podman.config", SEV_INFO, SUBJECT, NULL, NULL,
                      "Podman is not installed.");
      return;
    }
  config_findings (d);
  /* Podman gives runc and crun no --root: their default state directories.  */
  doctor_add_root (d, "/run/runc", SUBJECT);
  doctor_add_root (d, "/run/crun", SUBJECT);
  if (v->audit_log != NULL && v->audit_log[0] == '/')
    doctor_add_audit_log (d, v->audit_log);
  default_route (d);
  runc_route (d);
  other_routes (d);
}
