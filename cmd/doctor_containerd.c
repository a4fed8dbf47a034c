/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: where containerd's routes lead.  The CRI plugin's handlers
 * (plugins."io.containerd.grpc.v1.cri".containerd.runtimes) run the runc shim with their
 * options.BinaryName, or `runc` looked up on the PATH the shim inherits from containerd when it
 * is empty (containerd runtime/v2/runc/options, go-runc); `ctr run` and nerdctl use the shim
 * without options, so that same `runc`.  */
#include <config.h>

#include <sys/stat.h>

#include "doctor.h"
#include "route.h"
#include "toml.h"
#include "util.h"

#define SUBJECT "containerd"

static const char *
str_member (const struct json_node *obj, const char *key)
{
  const struct json_node *n = json_obj_get (obj, key);

  return n != NULL && n->type == JSON_STRING && n->text[0] != '\0' ? n->text : NULL;
}

/* The binary a runc-type handler runs, or NULL for a runtime type ocigate cannot front.  */
static const char *
handler_binary (const struct json_node *h, const char **type)
{
  const struct json_node *opts = json_obj_get (h, "options");
  const char *b;

  *type = str_member (h, "runtime_type");
  if (str_eq (*type, "io.containerd.runc.v2") || str_eq (*type, "io.containerd.runc.v1"))
    return (b = str_member (opts, "BinaryName")) ? b : "runc";
  if (str_eq (*type, "io.containerd.runtime.v1.linux"))
    {
      b = str_member (opts, "Runtime");
      b = b ? b : str_member (h, "runtime_engine");
      return b ? b : "runc";
    }
  return NULL;
}

static void
handler (struct doctor *d, const char *name, const struct json_node *h, bool is_default)
{
  const char *type = NULL, *binary = handler_binary (h, &type);
  cleanup_free char *subject = xasprintf ("containerd handler %s", name ? name : "?");
  cleanup_free char *fix = is_default ? doctor_fix (d, ENGINE_CONTAINERD, "--set-as-default")
                                      : xasprintf ("point handler `%s`'s BinaryName at ocigate, "
                                                   "or remove the handler",
                                                   name);
  cleanup_free char *what
      = xasprintf ("%s `%s`", is_default ? "The default handler" : "Handler", name);
  struct route_target t;
  pid_t pid;
  const char *path_env = containerd_runc_path_env (&d->containerd, &pid);

  if (binary == NULL)
    {
      findings_add (&d->findings, "containerd.handler", SEV_MEDIUM, subject,
                    d->containerd.config_path, NULL,
                    "Handler `%s` runs runtime_type `%s`, which ocigate cannot stand in front "
                    "of: a RuntimeClass naming it is not policed.",
                    name, type ? type : "(none)");
      return;
    }
  route_resolve (pid, path_env, binary, &t);
  doctor_route_finding (d, is_default ? "containerd.default-handler" : "containerd.handler",
                        subject, what, binary, &t, d->containerd.config_path, fix);
  route_release (&t);
}

static void
handlers (struct doctor *d)
{
  const struct json_node *cri = containerd_cri (&d->containerd);
  const struct json_node *ctd = toml_get (cri, "containerd", NULL);
  const struct json_node *rts = toml_get (ctd, "runtimes", NULL);
  const char *def = str_member (ctd, "default_runtime_name");

  def = def ? def : "runc";
  if (!containerd_cri_enabled (&d->containerd))
    {
      findings_add (&d->findings, "containerd.daemon", SEV_INFO, SUBJECT, d->containerd.config_path,
                    NULL, "The CRI plugin is disabled: no pod handler is in use.");
      return;
    }
  if (rts == NULL || json_obj_get (rts, def) == NULL)
    findings_add (&d->findings, "containerd.default-handler", SEV_MEDIUM, SUBJECT,
                  d->containerd.config_path, NULL,
                  "The default handler `%s` is not defined: the CRI plugin cannot run pods.", def);
  for (size_t i = 0; rts != NULL && i < rts->n; i++)
    handler (d, rts->keys[i], rts->items[i], str_eq (rts->keys[i], def));
}

static void
runc_route (struct doctor *d)
{
  struct route_target t;
  pid_t pid;
  const char *path_env = containerd_runc_path_env (&d->containerd, &pid);
  cleanup_free char *fix = doctor_fix (d, ENGINE_CONTAINERD, "--as-runc");
  cleanup_free char *where = doctor_path_owner ("containerd", pid, path_env);
  cleanup_free char *what = xasprintf ("`ctr run` (`runc` on %s)", where);

  route_resolve (pid, path_env, "runc", &t);
  doctor_route_finding (d, "containerd.runc-path", SUBJECT, what, "runc", &t, NULL, fix);
  route_release (&t);
}

static void
daemon_finding (struct doctor *d)
{
  struct containerd_view *v = &d->containerd;

  if (v->proc.pid == 0)
    findings_add (&d->findings, "containerd.daemon", SEV_INFO, SUBJECT, v->config_path, NULL,
                  "No containerd listens on %s; the routes below are what %s gives.", v->socket,
                  v->config_path);
  else
    findings_add (&d->findings, "containerd.daemon", SEV_INFO, SUBJECT, v->config_path, NULL,
                  "containerd pid %d (%s) listens on %s and reads %s.", (int)v->proc.pid,
                  v->proc.exe ? v->proc.exe : "?", v->socket, v->config_path);
  if (v->config_error != NULL)
    findings_add (&d->findings, "containerd.config", SEV_MEDIUM, SUBJECT, v->config_path, NULL,
                  "The configuration cannot be read: %s", v->config_error);
  if (v->installed != NULL && v->dump == NULL)
    findings_add (&d->findings, "containerd.config", SEV_MEDIUM, SUBJECT, v->config_path, NULL,
                  "`containerd config dump` failed (%s): handlers are read from the files alone.",
                  v->dump_error ? v->dump_error : "?");
  if (v->merged != NULL && containerd_version (v->merged) < 2)
    findings_add (&d->findings, "containerd.config", SEV_LOW, SUBJECT, v->config_path, NULL,
                  "%s has no `version = 2`: containerd reads it as version 1 (deprecated), and "
                  "`ocigate runtime configure` will not add an import to it.",
                  v->config_path);
}

static void
pending (struct doctor *d)
{
  struct containerd_view *v = &d->containerd;
  long long started = hostproc_start_epoch (&v->proc);
  struct stat st;

  for (size_t i = 0; v->proc.pid && started && v->files && v->files[i]; i++)
    if (stat (v->files[i], &st) == 0 && st.st_mtime > started)
      {
        findings_add (&d->findings, "containerd.config-pending", SEV_MEDIUM, SUBJECT, v->files[i],
                      "systemctl restart containerd",
                      "%s changed after containerd (pid %d) started, which reads it only at "
                      "start.",
                      v->files[i], (int)v->proc.pid);
        return;
      }
}

static void
remember (struct doctor *d)
{
  const char *log = hostproc_getenv (d->containerd.proc.env, "OCIGATE_AUDIT_LOG");

  /* The runc shim's default root (containerd runtime/v2/runc: process.RuncRoot), one directory
   * per namespace below it.  */
  doctor_add_root (d, "/run/containerd/runc", SUBJECT);
  if (log != NULL && log[0] == '/')
    doctor_add_audit_log (d, log);
}

void
doctor_containerd (struct doctor *d)
{
  struct containerd_view *v = &d->containerd;

  containerd_view_load (d->o.containerd_socket, d->o.containerd_config, v);
  d->found[ENGINE_CONTAINERD] = v->installed != NULL || v->proc.pid != 0;
  if (!d->found[ENGINE_CONTAINERD])
    {
      if (d->o.engine_explicit)
        findings_add (&d->findings, "containerd.daemon", SEV_INFO, SUBJECT, NULL, NULL,
                      "containerd is not installed and nothing listens on %s.", v->socket);
      return;
    }
  daemon_finding (d);
  remember (d);
  handlers (d);
  runc_route (d);
  pending (d);
}
