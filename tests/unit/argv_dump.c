/* SPDX-License-Identifier: GPL-2.0-or-later */
/* argv_dump ARGS...: print what argv_parse makes of `runc ARGS...` as one JSON line on stdout.
 *
 * Owns: nothing but this test aid.  tests/integration/argv.bats runs it next to the real runc
 * with the same argv and the same working directory, and checks that ocigate's idea of the
 * bundle is the one runc used.  On a parse error it prints {"error": MESSAGE} and exits 1.  */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "argv.h"
#include "err.h"
#include "util.h"

static const char *const verb_names[] = {
  [RUNC_VERB_NONE] = "none",   [RUNC_VERB_CREATE] = "create", [RUNC_VERB_RUN] = "run",
  [RUNC_VERB_EXEC] = "exec",   [RUNC_VERB_UPDATE] = "update", [RUNC_VERB_RESTORE] = "restore",
  [RUNC_VERB_OTHER] = "other",
};

static void
gen_key (yajl_gen g, const char *key)
{
  yajl_gen_string (g, (const unsigned char *)key, strlen (key));
}

static void
gen_str (yajl_gen g, const char *key, const char *value)
{
  gen_key (g, key);
  if (value == NULL)
    yajl_gen_null (g);
  else
    yajl_gen_string (g, (const unsigned char *)value, strlen (value));
}

static void
gen_bool (yajl_gen g, const char *key, bool value)
{
  gen_key (g, key);
  yajl_gen_bool (g, value);
}

static void
gen_strv (yajl_gen g, const char *key, const char *const *v, size_t n)
{
  gen_key (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    yajl_gen_string (g, (const unsigned char *)v[i], strlen (v[i]));
  yajl_gen_array_close (g);
}

static void
gen_invocation (yajl_gen g, const struct runc_invocation *inv)
{
  gen_str (g, "verb", verb_names[inv->verb]);
  gen_str (g, "verb_name", inv->verb_name);
  gen_key (g, "verb_index");
  yajl_gen_integer (g, inv->verb_index);
  gen_str (g, "bundle", inv->bundle);
  gen_str (g, "container_id", inv->container_id);
  gen_str (g, "config", inv->config);
  gen_str (g, "process", inv->process_path);
  gen_str (g, "resources", inv->resources_path);
  gen_str (g, "user", inv->user);
  gen_strv (g, "caps", inv->caps.v, inv->caps.n);
  gen_strv (g, "env", inv->env.v, inv->env.n);
  gen_strv (g, "gids", inv->gids.v, inv->gids.n);
  gen_strv (g, "cgroups", inv->cgroups.v, inv->cgroups.n);
  gen_strv (g, "args", inv->exec_args, inv->n_exec_args);
  gen_str (g, "cwd", inv->cwd);
  gen_str (g, "apparmor", inv->apparmor);
  gen_str (g, "process_label", inv->process_label);
  gen_key (g, "no_new_privs");
  yajl_gen_integer (g, inv->no_new_privs);
  gen_bool (g, "tty", inv->tty);
  gen_bool (g, "restore_lsm", inv->restore_lsm);
  gen_str (g, "root", inv->root);
  gen_str (g, "log", inv->log_path);
  gen_str (g, "log_format", inv->log_format);
  gen_bool (g, "debug", inv->debug);
  gen_bool (g, "systemd_cgroup", inv->systemd_cgroup);
  gen_bool (g, "help", inv->help);
  gen_bool (g, "version", inv->version);
  gen_bool (g, "crun_only", inv->crun_only);
  gen_bool (g, "go_only_syntax", inv->go_only_syntax);
  gen_bool (g, "update_has_flags", inv->update_has_flags);
  gen_bool (g, "policed", argv_is_policed (inv));
  gen_str (g, "ocigate_runtime", inv->ocg_runtime);
  gen_str (g, "ocigate_policy", inv->ocg_policy);
  gen_str (g, "ocigate_profile", inv->ocg_profile);
  gen_str (g, "ocigate_mode", inv->ocg_mode);
  gen_str (g, "ocigate_audit_log", inv->ocg_audit_log);
  gen_bool (g, "ocigate_version", inv->ocg_version);
  gen_strv (g, "argv", (const char *const *)inv->argv, (size_t)inv->argc);
}

int
main (int argc, char **argv)
{
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  int ret = 0;

  if (g == NULL)
    return 2;
  yajl_gen_map_open (g);
  if (argv_parse (argc, argv, &inv, &err) < 0)
    {
      gen_str (g, "error", err->msg);
      ret = 1;
    }
  else
    gen_invocation (g, &inv);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  printf ("%.*s\n", (int)len, (const char *)buf);
  yajl_gen_free (g);
  argv_invocation_free (&inv);
  return ret;
}
