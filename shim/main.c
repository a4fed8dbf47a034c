/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's entry point: the only place that exits.
 *
 * Owns: wiring argv -> (own command | policed verb | pass-through) -> execve of the real runtime,
 * and mapping outcomes to exit codes: 0 (only ocigate's own commands: everything else becomes the
 * runtime), 1 denied by policy, 2 error.  A policed verb fails closed on every error; a
 * pass-through verb reaches the runtime whatever the policy files say (passthrough.h).
 * Must not: print to stdout on any runc verb -- stdout belongs to the runtime.  */
#include <config.h>

#include <stdio.h>

#include "argv.h"
#include "cmd.h"
#include "help.h"
#include "passthrough.h"
#include "police.h"
#include "policy_load.h"
#include "policy_peek.h"
#include "record.h"
#include "report.h"
#include "runtime.h"
#include "seccomp.h"
#include "util.h"

/* A record whose container never appeared (a create that failed) is kept this long.  */
#define RECORD_GRACE_SECONDS 600

static int
fail (const struct runc_invocation *inv, ocg_error_t *err)
{
  cleanup_free char *text = ocg_error_text (*err);

  report_error (inv->log_path, inv->log_format, text);
  return POLICE_ERROR;
}

static int
seccomp_command (int argc, char **argv)
{
  cleanup_error ocg_error_t err = NULL;

  if (argc < 1 || strcmp (argv[0], "check") != 0)
    {
      fprintf (stderr,
               "ocigate: unknown seccomp command `%s` (the only one is `check`)\n"
               "usage: ocigate seccomp check FILE\n",
               argc < 1 ? "" : argv[0]);
      return 2;
    }
  if (argc != 2)
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
  int status = help_command (inv);

  if (status >= 0)
    return status;
  if (inv->verb != RUNC_VERB_OTHER || !help_invoked_as_ocigate (inv->argv[0]))
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
  help_hint_unknown (inv);
  return -1;
}

/* create, run and restore start a container with the runtime of the policy; exec and update go
 * to the runtime that created theirs.  */
static int
policed_runtime (const struct runc_invocation *inv, const struct policy *policy, struct runtime *rt,
                 ocg_error_t *err)
{
  struct runtime_sources from = { .explicit_path = inv->ocg_runtime, .policy = policy->runtime };
  bool gone = false;
  cleanup_free char *recorded = NULL;

  if (inv->verb == RUNC_VERB_EXEC || inv->verb == RUNC_VERB_UPDATE)
    from.record = recorded = record_read (inv, &gone);
  return runtime_resolve (&from, rt, err);
}

/* The policy is loaded once, strictly: any error stops the call (fail closed).  */
static int
policed (const struct runc_invocation *inv, struct police_settings *settings)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_policy_file struct policy_file *pf = policy_load_file (inv, &err);
  cleanup_policy struct policy *policy = NULL;
  cleanup_free char *audit_path = NULL;
  struct runtime rt = { 0 };
  int status;

  if (pf == NULL || policy_load_profile (inv, settings->profile, pf, &policy, &audit_path, &err) < 0
      || policed_runtime (inv, policy, &rt, &err) < 0)
    return fail (inv, &err);
  settings->pf = pf;
  settings->policy = policy;
  settings->audit_path = audit_path;
  status = police_invocation (inv, settings, &rt);
  if (status == POLICE_EXEC && inv->verb != RUNC_VERB_EXEC && inv->verb != RUNC_VERB_UPDATE)
    {
      /* Best effort: without a record, later verbs fall back to the policy's runtime.  */
      cleanup_error ocg_error_t ignored = NULL;
      record_write (inv, &rt, &ignored);
      if (record_sweep (RECORD_GRACE_SECONDS))
        policy_peek_sweep ();
    }
  if (status == POLICE_EXEC)
    {
      runtime_exec (&rt, inv->argv, &err);
      status = fail (inv, &err);
    }
  runtime_release (&rt);
  return status;
}

static int
dispatch (struct runc_invocation *inv, struct police_settings *settings)
{
  cleanup_error ocg_error_t err = NULL;
  int status;

  if (inv->ocg_version)
    return help_version (inv);
  status = own_command (inv, settings);
  if (status >= 0)
    return status;
  if (argv_is_policed (inv))
    return policed (inv, settings);
  passthrough_exec (inv, &err);
  return fail (inv, &err);
}

int
main (int argc, char **argv)
{
  struct runc_invocation inv = { 0 };
  struct police_settings settings = { .profile = policy_profile_from_name (argv[0]) };
  cleanup_error ocg_error_t err = NULL;
  int status;

  if (argv_parse (argc, argv, &inv, &err) < 0)
    return fail (&inv, &err);
  status = dispatch (&inv, &settings);
  argv_invocation_free (&inv);
  return status;
}
