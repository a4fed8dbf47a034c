/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's entry point: the only place that exits.
 *
 * Owns: wiring argv -> (own command | policed verb | pass-through) -> execve of the real runtime,
 * and mapping outcomes to exit codes: 0 (only ocigate's own commands: everything else becomes the
 * runtime), 1 denied by policy, 2 error.  Every failure path ends without exec (fail closed).
 * Must not: print to stdout on any runc verb -- stdout belongs to the runtime.  */
#include <config.h>

#include <stdio.h>

#include "argv.h"
#include "cmd.h"
#include "police.h"
#include "policy_load.h"
#include "report.h"
#include "runtime.h"
#include "seccomp.h"
#include "util.h"

static int
fail (const struct runc_invocation *inv, ocg_error_t *err)
{
  cleanup_free char *text = ocg_error_text (*err);

  report_error (inv->log_path, inv->log_format, text);
  return POLICE_ERROR;
}

/* ocigate's own commands are only recognised when it is invoked under its own name, so an
 * ocigate installed as `runc` never shadows a runtime subcommand.  */
static bool
invoked_as_ocigate (const char *argv0)
{
  const char *base = strrchr (argv0, '/');

  base = base ? base + 1 : argv0;
  return str_has_prefix (base, "ocigate");
}

static int
seccomp_command (int argc, char **argv)
{
  cleanup_error ocg_error_t err = NULL;

  if (argc != 2 || strcmp (argv[0], "check") != 0)
    {
      fprintf (stderr, "usage: ocigate seccomp check FILE\n");
      return 2;
    }
  if (seccomp_check_file (argv[1], stdout, &err) < 0)
    {
      cleanup_free char *text = ocg_error_text (err);
      fprintf (stderr, "ocigate: %s\n", text);
      return 1;
    }
  printf ("%s: ok\n", argv[1]);
  return 0;
}

/* Returns -1 when argv is not one of ocigate's own commands.  */
static int
own_command (const struct runc_invocation *inv, const struct police_settings *settings)
{
  int rest = inv->verb_index + 1;
  int n = inv->argc - rest;
  char **args = inv->argv + rest;

  if (inv->verb != RUNC_VERB_OTHER || !invoked_as_ocigate (inv->argv[0]))
    return -1;
  if (strcmp (inv->verb_name, "check") == 0)
    return police_check_command (inv, n, args, settings);
  if (strcmp (inv->verb_name, "seccomp") == 0)
    return seccomp_command (n, args);
  if (strcmp (inv->verb_name, "policy") == 0)
    return policy_load_command (inv, settings->profile, n, args);
  if (strcmp (inv->verb_name, "doctor") == 0)
    return cmd_doctor (inv, n, args);
  if (strcmp (inv->verb_name, "runtime") == 0)
    return cmd_runtime (inv, n, args);
  return -1;
}

int
main (int argc, char **argv)
{
  struct runc_invocation inv = { 0 };
  struct police_settings settings = { .profile = policy_profile_from_name (argv[0]) };
  struct runtime rt = { 0 };
  cleanup_free char *policy_runtime = NULL;
  cleanup_error ocg_error_t err = NULL;
  int status;

  if (argv_parse (argc, argv, &inv, &err) < 0)
    return fail (&inv, &err);
  if (inv.ocg_version)
    {
      printf ("ocigate version %s\n", PACKAGE_VERSION);
      return 0;
    }
  status = own_command (&inv, &settings);
  if (status >= 0)
    return status;
  /* The policy file's runtime applies to every verb: create and the later start/kill/delete must
   * reach the same runtime.  */
  if (policy_load_runtime (&inv, &policy_runtime, &err) < 0
      || runtime_resolve (inv.ocg_runtime, policy_runtime, &rt, &err) < 0)
    return fail (&inv, &err);
  if (argv_is_policed (&inv))
    {
      status = police_invocation (&inv, &settings, &rt);
      if (status != POLICE_EXEC)
        return status;
    }
  runtime_exec (&rt, inv.argv, &err);
  return fail (&inv, &err);
}
