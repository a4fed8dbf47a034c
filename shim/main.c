/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's entry point: the only place that exits.
 *
 * Owns: wiring argv -> (own command | policed verb | pass-through) -> execve of the real runtime,
 * printing every error and denial (tell), and mapping outcomes to exit codes: 0 (only ocigate's
 * own commands: everything else becomes the runtime), 1 denied by policy, 2 error.  A policed
 * verb fails closed on every error; a pass-through verb reaches the runtime whatever the policy
 * files say (passthrough.h).
 * Must not: print to stdout on any runc verb -- stdout belongs to the runtime.  */
#include <config.h>

#include <stdio.h>

#include "argv.h"
#include "cmd.h"
#include "commands.h"
#include "passthrough.h"
#include "police.h"
#include "policy_load.h"
#include "policy_peek.h"
#include "record.h"
#include "report.h"
#include "runtime.h"
#include "util.h"

/* A record whose container never appeared (a create that failed) is kept this long.  */
#define RECORD_GRACE_SECONDS 600

/* The one place an error or a denial is printed: every module returns it here.  A runc verb's
 * reason is also the line the engine shows (docker run, kubelet events), so it goes to the
 * engine's --log too, in runc's format (report.h); an own command's is the operator's alone.  */
static void
tell (const struct runc_invocation *inv, bool own_command, ocg_error_t *err)
{
  cleanup_free char *text = NULL;

  if (*err == NULL)
    return;
  text = ocg_error_text (*err);
  report_error (own_command ? NULL : inv->log_path, inv->log_format, text);
}

/* Returns -1 when argv is not one of ocigate's own commands.  */
static int
own_command (const struct runc_invocation *inv, const char *name_profile)
{
  cleanup_error ocg_error_t err = NULL;
  const struct command *cmd = NULL;
  int status = commands_run (inv, name_profile, &cmd, &err);

  if (status == COMMANDS_NOT_OURS)
    return -1;
  tell (inv, true, &err);
  if (status != CMD_USAGE)
    return status;
  commands_usage (cmd, stderr);
  return 2;
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

/* The policy files are loaded once, strictly, and the one policy built from them chooses the
 * runtime and judges the call: any error stops it (fail closed).  */
static int
policed (const struct runc_invocation *inv, struct police_settings *settings, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_load_file (inv, err);
  cleanup_policy struct policy *policy = NULL;
  cleanup_free char *audit_path = NULL;
  struct runtime rt = { 0 };
  int status;

  if (pf == NULL || policy_load_profile (inv, settings->profile, pf, &policy, &audit_path, err) < 0
      || policed_runtime (inv, policy, &rt, err) < 0)
    return POLICE_ERROR;
  settings->pf = pf;
  settings->policy = policy;
  settings->audit_path = audit_path;
  status = police_invocation (inv, settings, &rt, err);
  if (status == POLICE_EXEC && inv->verb != RUNC_VERB_EXEC && inv->verb != RUNC_VERB_UPDATE)
    {
      /* Best effort: without a record, later verbs fall back to the policy's runtime.  */
      if (record_keep (inv, &rt, RECORD_GRACE_SECONDS))
        policy_peek_sweep ();
    }
  if (status == POLICE_EXEC)
    {
      runtime_exec (&rt, inv->argv, err);
      status = POLICE_ERROR;
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
    return cmd_version (inv);
  status = own_command (inv, settings->profile);
  if (status >= 0)
    return status;
  if (argv_is_policed (inv))
    status = policed (inv, settings, &err);
  else
    {
      passthrough_exec (inv, &err);
      status = POLICE_ERROR;
    }
  tell (inv, false, &err);
  return status;
}

int
main (int argc, char **argv)
{
  struct runc_invocation inv = { 0 };
  struct police_settings settings = { .profile = policy_profile_from_name (argv[0]) };
  cleanup_error ocg_error_t err = NULL;
  int status;

  if (argv_parse (argc, argv, &inv, &err) < 0)
    {
      tell (&inv, false, &err);
      return POLICE_ERROR;
    }
  status = dispatch (&inv, &settings);
  argv_invocation_free (&inv);
  return status;
}
