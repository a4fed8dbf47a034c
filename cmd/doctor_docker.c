/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: where Docker's routes lead.  dockerd 20.10 registers `runc`,
 * `io.containerd.runc.v2` and `io.containerd.runtime.v1.linux` itself, all with the path `runc`
 * (moby daemon/runtime_unix.go configureRuntimes), plus daemon.json's `runtimes` and
 * --add-runtime; each becomes the BinaryName of containerd's runc shim, which looks a bare name up
 * on the PATH it inherited from containerd (go-runc exec.Command).  */
#include <config.h>

#include <sys/stat.h>

#include "doctor.h"
#include "hostproc.h"
#include "route.h"
#include "util.h"

#define SUBJECT "docker"

static const char *const stock[]
    = { "runc", "io.containerd.runc.v2", "io.containerd.runtime.v1.linux" };

static bool
is_stock (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (stock); i++)
    if (str_eq (name, stock[i]))
      return true;
  return false;
}

/* name -> {"path": P[, "runtimeArgs": [...]]}: what the running daemon reports, else what its
 * files and flags say plus the stock runtimes.  */
static struct json_node *
runtimes_of (const struct docker_view *v)
{
  const struct json_node *info = json_obj_get (v->info, "Runtimes");
  const struct json_node *cfg = json_obj_get (v->config, "runtimes");
  cleanup_free const char **added = NULL;
  struct json_node *out;

  if (info != NULL && info->type == JSON_OBJECT)
    return json_clone (info);
  out = json_new_object ();
  for (size_t i = 0; i < ARRAY_SIZE (stock); i++)
    {
      struct json_node *rt = json_new_object ();
      json_obj_set (rt, "path", json_new_string ("runc"));
      json_obj_set (out, stock[i], rt);
    }
  for (size_t i = 0; cfg != NULL && cfg->type == JSON_OBJECT && i < cfg->n; i++)
    json_obj_set (out, cfg->keys[i], json_clone (cfg->items[i]));
  added = v->dockerd.pid ? hostproc_flag_all (v->dockerd.argv, "add-runtime", 0) : NULL;
  for (size_t i = 0; added != NULL && added[i] != NULL; i++)
    {
      const char *eq = strchr (added[i], '=');
      struct json_node *rt = json_new_object ();
      cleanup_free char *name = eq ? xstrndup (added[i], (size_t)(eq - added[i])) : NULL;

      json_obj_set (rt, "path", json_new_string (eq ? eq + 1 : ""));
      if (name != NULL)
        json_obj_set (out, name, rt);
      else
        json_free (rt);
    }
  return out;
}

static const char *
default_runtime (const struct docker_view *v)
{
  const struct json_node *n = json_obj_get (v->info, "DefaultRuntime");
  const char *s;

  if (n != NULL && n->type == JSON_STRING)
    return n->text;
  s = docker_setting (v, "default-runtime");
  return s ? s : "runc";
}

static const char *
path_of (const struct json_node *rt)
{
  const struct json_node *p = json_obj_get (rt, "path");

  return p != NULL && p->type == JSON_STRING ? p->text : "";
}

static void
runtime_args (struct doctor *d, const char *name, const struct json_node *rt)
{
  const struct json_node *args = json_obj_get (rt, "runtimeArgs");

  if (args == NULL || args->type != JSON_ARRAY || args->n == 0)
    return;
  findings_add (&d->findings, "docker.runtime-args", SEV_MEDIUM, SUBJECT, d->docker.config_path,
                "register one runtime per profile with an ocigate-<profile> symlink as its path",
                "Runtime `%s` has runtimeArgs: dockerd runs it through a /bin/sh wrapper that does "
                "not exec, so a kill from containerd orphans the runtime.",
                name);
}

/* The stock names share one route: `runc` on the shims' PATH.  */
static void
runc_route (struct doctor *d, pid_t pid, const char *path_env)
{
  struct route_target t;
  cleanup_free char *fix = doctor_fix (d, ENGINE_DOCKER, "--as-runc");
  cleanup_free char *where = doctor_path_owner ("containerd", pid, path_env);
  cleanup_free char *what = xasprintf ("`docker run --runtime=runc` (and io.containerd.runc.v2, "
                                       "io.containerd.runtime.v1.linux: `runc` on %s)",
                                       where);

  route_resolve (pid, path_env, "runc", &t);
  doctor_route_finding (d, "docker.runc-path", SUBJECT, what, "runc", &t, NULL, fix);
  route_release (&t);
}

static void
named_route (struct doctor *d, const char *name, const char *path, pid_t pid, const char *path_env)
{
  struct route_target t;
  cleanup_free char *what = xasprintf ("`docker run --runtime=%s`", name);
  cleanup_free char *subject = xasprintf ("docker runtime %s", name);

  route_resolve (pid, path_env, path, &t);
  doctor_route_finding (d, "docker.runtime", subject, what, path, &t, d->docker.config_path,
                        "remove this runtime from daemon.json, or point it at ocigate");
  route_release (&t);
}

static void
default_route (struct doctor *d, const char *name, const char *path, pid_t pid,
               const char *path_env)
{
  struct route_target t;
  cleanup_free char *fix = doctor_fix (d, ENGINE_DOCKER, "--set-as-default");
  cleanup_free char *what
      = xasprintf ("`docker run` without --runtime (default-runtime `%s`)", name);

  route_resolve (pid, path_env, path, &t);
  doctor_route_finding (d, "docker.default-runtime", SUBJECT, what, path, &t, d->docker.config_path,
                        fix);
  route_release (&t);
}

static void
routes (struct doctor *d)
{
  struct docker_view *v = &d->docker;
  struct json_node *rts = runtimes_of (v);
  const char *def = default_runtime (v);
  const struct json_node *def_rt = json_obj_get (rts, def);
  pid_t pid;
  const char *path_env = docker_runc_path_env (v, &pid);

  default_route (d, def, def_rt ? path_of (def_rt) : "", pid, path_env);
  runc_route (d, pid, path_env);
  for (size_t i = 0; i < rts->n; i++)
    {
      runtime_args (d, rts->keys[i], rts->items[i]);
      if (!is_stock (rts->keys[i]) && !str_eq (rts->keys[i], def))
        named_route (d, rts->keys[i], path_of (rts->items[i]), pid, path_env);
    }
  json_free (rts);
}

/* daemon.json changed after dockerd started: runtimes and default-runtime are reloaded on SIGHUP
 * (moby daemon/reload_unix.go reloadPlatform), the rest needs a restart.  */
static void
pending (struct doctor *d)
{
  struct docker_view *v = &d->docker;
  long long started = hostproc_start_epoch (&v->dockerd);
  struct stat st;

  if (v->dockerd.pid == 0 || started == 0 || stat (v->config_path, &st) < 0
      || st.st_mtime <= started)
    return;
  findings_add (&d->findings, "docker.config-pending", SEV_MEDIUM, SUBJECT, v->config_path,
                "systemctl reload docker (dockerd reloads runtimes and default-runtime on SIGHUP), "
                "or restart it",
                "%s changed after dockerd (pid %d) started: the running daemon may not use it "
                "yet.",
                v->config_path, (int)v->dockerd.pid);
}

static void
daemon_finding (struct doctor *d)
{
  struct docker_view *v = &d->docker;

  if (v->dockerd.pid == 0)
    findings_add (&d->findings, "docker.daemon", SEV_INFO, SUBJECT, v->config_path, NULL,
                  "No dockerd listens on %s%s%s; the routes below are what %s would give a "
                  "daemon started now.",
                  v->socket, v->other_listener ? " (it is held by " : "",
                  v->other_listener ? v->other_listener : "", v->config_path);
  else
    findings_add (&d->findings, "docker.daemon", SEV_INFO, SUBJECT, v->config_path, NULL,
                  "dockerd pid %d (%s) listens on %s, reads %s, uses containerd at %s (pid %d).",
                  (int)v->dockerd.pid, v->dockerd.exe ? v->dockerd.exe : "?", v->socket,
                  v->config_path, v->containerd_socket, (int)v->containerd.pid);
  if (v->config_error != NULL)
    findings_add (&d->findings, "docker.daemon", SEV_MEDIUM, SUBJECT, v->config_path,
                  "fix the file: dockerd does not start with it either",
                  "daemon.json cannot be read: %s", v->config_error);
  if (v->dockerd.pid != 0 && v->dockerd.env == NULL)
    findings_add (&d->findings, "docker.daemon", SEV_MEDIUM, SUBJECT, NULL, "run as root",
                  "The environment of dockerd cannot be read: its PATH is assumed to be "
                  "systemd's default.");
}

/* The trails and state the daemons' own ocigate calls use.  */
static void
remember (struct doctor *d)
{
  struct docker_view *v = &d->docker;
  cleanup_free char *root = xasprintf ("%s/runtime-runc/moby", v->exec_root);
  const char *log = hostproc_getenv (v->containerd.env, "OCIGATE_AUDIT_LOG");

  /* moby daemon/runtime_unix.go defaultV2ShimConfig: Root <exec-root>/runtime-runc for every
   * runtime; the shim adds the namespace (moby).  */
  doctor_add_root (d, root, SUBJECT);
  if (log == NULL)
    log = hostproc_getenv (v->dockerd.env, "OCIGATE_AUDIT_LOG");
  if (log != NULL && log[0] == '/')
    doctor_add_audit_log (d, log);
}

void
doctor_docker (struct doctor *d)
{
  struct docker_view *v = &d->docker;

  docker_view_load (d->o.docker_socket, d->o.docker_config, v);
  d->found[ENGINE_DOCKER] = v->installed != NULL || v->dockerd.pid != 0;
  if (!d->found[ENGINE_DOCKER])
    {
      if (d->o.engine_explicit)
        findings_add (&d->findings, "docker.daemon", SEV_INFO, SUBJECT, NULL, NULL,
                      "Docker is not installed and no dockerd listens on %s.", v->socket);
      return;
    }
  daemon_finding (d);
  remember (d);
  routes (d);
  pending (d);
}
