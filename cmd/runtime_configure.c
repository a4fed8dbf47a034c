/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure|unconfigure --engine docker|containerd|podman [--profile P]...
 * [--set-as-default] [--as-runc] [--dry-run] [--restart] [--config PATH] [--socket PATH]
 * [--runc-dir DIR] [--state-dir DIR]` (see configure.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>

#include "binid.h"
#include "cmd.h"
#include "configure.h"
#include "fsutil.h"
#include "hostproc.h"
#include "policy_file.h"
#include "spawn.h"
#include "util.h"

static const char *const engine_names[ENGINE_COUNT] = { "docker", "containerd", "podman" };

enum
{
  OPT_ENGINE = 256,
  OPT_PROFILE,
  OPT_DEFAULT,
  OPT_AS_RUNC,
  OPT_DRY_RUN,
  OPT_RESTART,
  OPT_CONFIG,
  OPT_SOCKET,
  OPT_RUNC_DIR,
  OPT_STATE_DIR,
};

static const struct option options[] = {
  { "engine", required_argument, NULL, OPT_ENGINE },
  { "profile", required_argument, NULL, OPT_PROFILE },
  { "set-as-default", no_argument, NULL, OPT_DEFAULT },
  { "as-runc", no_argument, NULL, OPT_AS_RUNC },
  { "dry-run", no_argument, NULL, OPT_DRY_RUN },
  { "restart", no_argument, NULL, OPT_RESTART },
  { "config", required_argument, NULL, OPT_CONFIG },
  { "socket", required_argument, NULL, OPT_SOCKET },
  { "runc-dir", required_argument, NULL, OPT_RUNC_DIR },
  { "state-dir", required_argument, NULL, OPT_STATE_DIR },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

static int
set_engine (struct configure *c, const char *name, bool *seen, ocg_error_t *err)
{
  for (int e = 0; e < ENGINE_COUNT; e++)
    if (str_eq (name, engine_names[e]))
      {
        c->engine = (enum doctor_engine)e;
        *seen = true;
        return 0;
      }
  return ocg_error_set (err, 0,
                        "unknown engine `%s` (expected docker, containerd or podman); nothing was "
                        "changed",
                        name);
}

static int
apply_option (struct configure *c, int opt, const char *arg, bool *seen, ocg_error_t *err)
{
  switch (opt)
    {
    case OPT_ENGINE:
      return set_engine (c, arg, seen, err);
    case OPT_PROFILE:
      strv_add (&c->profiles, arg);
      return 0;
    case OPT_DEFAULT:
      return (c->set_default = true), 0;
    case OPT_AS_RUNC:
      return (c->as_runc = true), 0;
    case OPT_DRY_RUN:
      return (c->dry_run = true), 0;
    case OPT_RESTART:
      return (c->restart = true), 0;
    case OPT_CONFIG:
      return (c->config = arg), 0;
    case OPT_SOCKET:
      return (c->socket = arg), 0;
    case OPT_RUNC_DIR:
      return (c->runc_dir = arg), 0;
    case OPT_STATE_DIR:
      return (c->state_dir = arg), 0;
    case 'h':
      return 1;
    default:
      return -1;
    }
}

/* argv[0] is the action ("configure" / "unconfigure").  */
static int
parse (struct configure *c, int argc, char **argv, ocg_error_t *err)
{
  bool seen = false;
  int opt, r;

  optind = 0;
  opterr = 1;
  while ((opt = getopt_long (argc, argv, "+h", options, NULL)) != -1)
    if ((r = apply_option (c, opt, optarg, &seen, err)) != 0)
      return r;
  if (optind < argc)
    return ocg_error_set (err, 0, "unexpected argument `%s`", argv[optind]);
  if (!seen)
    return ocg_error_set (err, 0, "--engine is required");
  if ((c->config && c->config[0] != '/') || (c->socket && c->socket[0] != '/'))
    return ocg_error_set (err, 0, "--config and --socket take absolute paths");
  if (c->state_dir == NULL)
    c->state_dir = CONFIGURE_STATE_DIR;
  return 0;
}

/* ocigate and one ocigate-<profile> link per --profile, each proven to be this ocigate and to
 * name a profile the policy can build.  */
static int
runtimes (struct configure *c, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = NULL;
  cleanup_free char *dir = xstrdup (c->self);
  size_t n = 1;

  *strrchr (dir, '/') = '\0';
  while (c->profiles != NULL && c->profiles[n - 1] != NULL)
    n++;
  c->rts.names = xzalloc ((n + 1) * sizeof (char *));
  c->rts.paths = xzalloc ((n + 1) * sizeof (char *));
  c->rts.names[0] = xstrdup ("ocigate");
  c->rts.paths[0] = xstrdup (c->self);
  c->rts.n = 1;
  if (n > 1 && (pf = policy_file_load (c->inv->ocg_policy, err)) == NULL)
    return ocg_error_wrap (err, "load the policy");
  for (size_t i = 0; i + 1 < n; i++)
    {
      cleanup_free char *path = xasprintf ("%s/ocigate-%s", dir, c->profiles[i]);
      struct policy *p = policy_file_build (pf, c->profiles[i], err);
      struct binid id;

      if (p == NULL)
        return ocg_error_wrap (err, "profile `%s`", c->profiles[i]);
      policy_free (p);
      binid_classify_path (path, &id);
      binid_release (&id);
      if (id.kind != BINID_SELF)
        return ocg_error_set (err, 0, "%s is not a link to ocigate: `ln -s ocigate %s`", path,
                              path);
      c->rts.names[c->rts.n] = xasprintf ("ocigate-%s", c->profiles[i]);
      c->rts.paths[c->rts.n++] = steal_pointer (&path);
    }
  return 0;
}

static char *
record_path (const struct configure *c)
{
  return xasprintf ("%s/runtime-%s.json", c->state_dir, engine_names[c->engine]);
}

static int
record_load (struct configure *c, ocg_error_t *err)
{
  cleanup_free char *path = record_path (c);
  cleanup_free char *buf = NULL;
  struct json_parse_opts o = { .source = "the configure record" };
  size_t len = 0;
  bool exists = false;

  buf = changeset_read (path, &len, &exists, err);
  if (buf == NULL && exists)
    return -1;
  c->record = buf ? json_parse (buf, len, &o, err) : json_new_object ();
  if (c->record == NULL || c->record->type != JSON_OBJECT)
    return ocg_error_set (err, 0, "%s is not a configure record; move it away", path);
  return 0;
}

static int
plan_record (struct configure *c, ocg_error_t *err)
{
  cleanup_free char *path = record_path (c);
  cleanup_free char *text = NULL;
  struct stat st;
  size_t len = 0;

  if (c->unconfigure)
    {
      if (stat (path, &st) == 0)
        changeset_remove (&c->cs, path, "removed the configure record");
      return 0;
    }
  json_obj_set (c->record, "engine", json_new_string (engine_names[c->engine]));
  json_obj_set (c->record, "ocigate", json_new_string (c->self));
  text = json_serialize (c->record, &len, err);
  if (text == NULL)
    return -1;
  if (stat (c->state_dir, &st) < 0)
    changeset_mkdir (&c->cs, c->state_dir, "created the state directory");
  changeset_write (&c->cs, path, text, len, 0600, "recorded what was changed, for unconfigure");
  return 0;
}

static const char *
daemon_name (const struct configure *c)
{
  return c->engine == ENGINE_DOCKER ? "dockerd" : "containerd";
}

static const char *const systemctl_paths[] = { "/usr/bin/systemctl", "/bin/systemctl", NULL };

/* Is `pid` the main process of `unit` (systemctl show MainPID)?  A daemon started by hand inside
 * some other service's cgroup must not get that service restarted.  */
static bool
main_pid_of (const char *unit, pid_t pid)
{
  const char *argv[] = {
    hostproc_installed (systemctl_paths), "show", "--property", "MainPID", "--value", unit, NULL
  };
  cleanup_error ocg_error_t err = NULL;
  struct spawn_result r;
  bool same;

  if (argv[0] == NULL || spawn_run (argv, NULL, NULL, 0, 4096, 30, &r, &err) < 0)
    return false;
  same = r.status == 0 && strtol (r.out, NULL, 10) == (long)pid;
  spawn_result_release (&r);
  return same;
}

/* --restart: only a daemon that is a systemd service's main process, checked before anything
 * changes.  */
static int
restart_unit (struct configure *c, char **unit, ocg_error_t *err)
{
  *unit = NULL;
  if (!c->restart || c->engine == ENGINE_PODMAN || c->daemon_pid == 0)
    return 0;
  *unit = hostproc_systemd_unit (c->daemon_pid);
  if (*unit == NULL || !main_pid_of (*unit, c->daemon_pid))
    return ocg_error_set (err, 0,
                          "%s (pid %d) is not a systemd service's main process: --restart cannot "
                          "restart it; restart it yourself",
                          daemon_name (c), (int)c->daemon_pid);
  return 0;
}

static bool
config_changed (const struct configure *c)
{
  const char *cfg = c->engine == ENGINE_DOCKER       ? c->docker.config_path
                    : c->engine == ENGINE_CONTAINERD ? c->containerd.config_path
                                                     : NULL;

  for (size_t i = 0; cfg != NULL && i < c->cs.n; i++)
    if (c->cs.v[i].kind != CHANGE_MKDIR && c->cs.v[i].kind != CHANGE_SYMLINK
        && (str_eq (c->cs.v[i].path, cfg) || strstr (c->cs.v[i].path, ".toml") != NULL))
      return true;
  return false;
}

static int
restart (struct configure *c, const char *unit, ocg_error_t *err)
{
  const char *argv[] = { hostproc_installed (systemctl_paths), "restart", unit, NULL };
  struct spawn_result r;
  cleanup_free char *line = NULL;

  (void)c;
  if (argv[0] == NULL)
    return ocg_error_set (err, ENOENT, "no systemctl to restart %s", unit);
  if (spawn_run (argv, NULL, NULL, 0, 65536, 300, &r, err) < 0)
    return -1;
  line = spawn_first_line (&r);
  spawn_result_release (&r);
  if (r.status != 0)
    return ocg_error_set (err, 0, "`systemctl restart %s` failed: %s", unit, line);
  printf ("restarted %s\n", unit);
  return 0;
}

static void
hint (const struct configure *c)
{
  pid_t pid = c->daemon_pid;

  if (c->engine == ENGINE_PODMAN || !config_changed (c))
    return;
  if (pid == 0)
    printf ("%s is not running: it reads the change when it starts.\n", daemon_name (c));
  else if (c->engine == ENGINE_DOCKER && !c->unconfigure)
    printf ("dockerd (pid %d) must reload its configuration for the change to take effect: "
            "`systemctl reload docker` or `kill -HUP %d` (dockerd reloads runtimes and "
            "default-runtime), or restart it.\n",
            (int)pid, (int)pid);
  else
    printf ("%s (pid %d) must be restarted for the change to take effect "
            "(`systemctl restart %s`; a reload does not take a default runtime back).\n",
            daemon_name (c), (int)pid, c->engine == ENGINE_DOCKER ? "docker" : "containerd");
}

/* After applying: the engine's own check, and a policy that still loads.  */
static int
verify (struct configure *c, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = NULL;

  if (c->engine == ENGINE_CONTAINERD && configure_containerd_verify (c, err) < 0)
    return -1;
  if (c->engine != ENGINE_PODMAN && (c->as_runc || c->unconfigure))
    {
      pf = policy_file_load (c->inv->ocg_policy, err);
      if (pf == NULL)
        return ocg_error_wrap (err, "the policy no longer loads");
    }
  return 0;
}

static int
plan (struct configure *c, ocg_error_t *err)
{
  int r;

  if (!c->unconfigure && runtimes (c, err) < 0)
    return -1;
  if (record_load (c, err) < 0)
    return -1;
  r = c->engine == ENGINE_DOCKER       ? configure_docker_plan (c, err)
      : c->engine == ENGINE_CONTAINERD ? configure_containerd_plan (c, err)
                                       : configure_podman_plan (c, err);
  if (r < 0)
    return -1;
  if ((c->as_runc || c->unconfigure) && configure_runc_plan (c, err) < 0)
    return -1;
  return plan_record (c, err);
}

static int
execute (struct configure *c, const char *unit, ocg_error_t *err)
{
  if (changeset_apply (&c->cs, err) < 0)
    return -1;
  if (verify (c, err) < 0)
    {
      changeset_undo (&c->cs);
      return -1;
    }
  printf ("ocigate runtime %s --engine %s:\n", c->unconfigure ? "unconfigure" : "configure",
          engine_names[c->engine]);
  changeset_summary (&c->cs, stdout);
  if (c->notes != NULL)
    fputs (c->notes, stdout);
  if (unit != NULL && config_changed (c))
    return restart (c, unit, err);
  hint (c);
  return 0;
}

static void
release (struct configure *c)
{
  strv_free (c->profiles);
  free (c->self);
  strv_free (c->rts.names);
  strv_free (c->rts.paths);
  changeset_release (&c->cs);
  json_free (c->record);
  free (c->notes);
  docker_view_release (&c->docker);
  containerd_view_release (&c->containerd);
  podman_view_release (&c->podman);
  json_free (c->dump_before);
}

/* The reason a plan or its execution failed, as the operator reads it.  */
static int
nothing_changed (ocg_error_t *err)
{
  cleanup_free char *why = ocg_error_text (*err);

  ocg_error_set (err, 0, "%s; nothing was changed", why);
  return 2;
}

static int
run (struct configure *c, ocg_error_t *err)
{
  cleanup_free char *unit = NULL;

  c->self = binid_self_path ();
  if (c->self == NULL || strrchr (c->self, '/') == NULL)
    return ocg_error_set (err, 0, "cannot tell where ocigate itself is"), 2;
  if (plan (c, err) < 0 || restart_unit (c, &unit, err) < 0)
    return nothing_changed (err);
  if (c->dry_run)
    {
      changeset_print (&c->cs, stdout);
      printf ("(dry run: nothing was changed)\n");
      return 0;
    }
  if (c->cs.n == 0)
    return printf ("nothing to change\n"), 0;
  if (execute (c, unit, err) != 0)
    return nothing_changed (err);
  return 0;
}

int
cmd_runtime (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  struct configure c = { .inv = call->inv };
  int r;

  if (argc < 1 || (!str_eq (argv[0], "configure") && !str_eq (argv[0], "unconfigure")))
    return CMD_USAGE;
  c.unconfigure = str_eq (argv[0], "unconfigure");
  r = parse (&c, argc, argv, err);
  if (r != 0)
    {
      release (&c);
      return r > 0 ? CMD_HELP : CMD_USAGE;
    }
  r = run (&c, err);
  release (&c);
  return r;
}
