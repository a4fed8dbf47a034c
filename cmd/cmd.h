/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The contract of ocigate's own operator commands (cmd/), which cmd/commands.c's table
 * dispatches.
 *
 * A handler takes the call and the arguments after its own name (argv[0] is the first of them).
 * It returns the command's exit status -- 0 done, 1 the answer is no (denied, invalid, a
 * high-severity finding), 2 error -- or one of the two requests below, which the dispatcher
 * answers from the command's entry in the table.  A handler prints its output, never its error:
 * the reason stays in *err, and shim/main.c prints it, in the one place every error is printed,
 * as "ocigate: REASON" on stderr.  */
#ifndef OCG_CMD_H
#define OCG_CMD_H

#include "argv.h"
#include "err.h"

/* The arguments are wrong: the reason in *err (when set), then the command's usage on stderr;
 * exit status 2.  */
#define CMD_USAGE (-1)
/* The command was asked for help (`-h`, `--help`): its help on stdout; exit status 0.  */
#define CMD_HELP (-2)

struct cmd_call
{
  const struct runc_invocation *inv; /* ocigate's global --ocigate-* flags */
  const char *name_profile;          /* the profile the invoked name `ocigate-NAME` selects */
};

typedef OCG_MUST_CHECK int (*cmd_handler) (const struct cmd_call *call, int argc, char **argv,
                                           ocg_error_t *err);

/* `ocigate check [FLAG]... PATH|-...`: 0 allowed, 1 denied, 2 error, the worst of all paths
 * (check.c).  */
OCG_MUST_CHECK
int cmd_check (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate policy show|validate [...]`: 0 valid, 1 invalid (policy_command.c).  */
OCG_MUST_CHECK
int cmd_policy (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate seccomp check FILE`: 0 valid, 1 invalid (seccomp_command.c).  */
OCG_MUST_CHECK
int cmd_seccomp (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate doctor [...]`: 0 no high-severity finding, 1 at least one, 2 error.  */
OCG_MUST_CHECK
int cmd_doctor (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate report [...]`: 0 no running container would be denied, 1 at least one would, 2 the
 * report is incomplete (report_command.c).  */
OCG_MUST_CHECK
int cmd_report (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate audit summary [...]`: 0 done, 2 error (audit_command.c).  */
OCG_MUST_CHECK
int cmd_audit (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate runtime configure|unconfigure [...]`: 0 done, 2 error (nothing was changed).  */
OCG_MUST_CHECK
int cmd_runtime (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err);

/* `ocigate --ocigate-version [--format text|json]` (version.c): 0, or 2 after its usage.  */
int cmd_version (const struct runc_invocation *inv);

#endif
