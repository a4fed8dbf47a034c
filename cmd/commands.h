/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's own commands, in one table (as crun's src/crun.c commands[]): each entry has the
 * command's name, its line in `ocigate --help`, its usage and help text, and its handler.
 *
 * Owns: recognising an own command (only when ocigate is invoked under its own name, so an
 * ocigate installed as `runc` never shadows the runtime), `ocigate --help`, `ocigate help
 * [COMMAND]`, `COMMAND --help`, and the hint for a command that is neither ocigate's nor a
 * runtime's -- all of them generated from the table.
 * Must not: print an error (the caller does, see cmd.h), or anything when invoked as `runc`.  */
#ifndef OCG_COMMANDS_H
#define OCG_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "argv.h"
#include "cmd.h"

/* commands_run's answer when argv is not one of ocigate's commands: the call goes on.  */
#define COMMANDS_NOT_OURS (-3)

struct command;

/* True when argv[0] names ocigate (its basename starts with "ocigate"): only then are its own
 * commands and help recognised.  */
bool commands_invoked_as_ocigate (const char *argv0);

/* Run inv when it is one of ocigate's own commands or asks for ocigate's help: the handler's
 * answer (an exit status, or CMD_USAGE with *ran set to the command whose usage the caller
 * prints after the error, see commands_usage).  COMMANDS_NOT_OURS otherwise, after the hint
 * for a command that neither ocigate nor runc 1.1.5 nor crun 1.8.1 knows.  */
OCG_MUST_CHECK
int commands_run (const struct runc_invocation *inv, const char *name_profile,
                  const struct command **ran, ocg_error_t *err);

/* The command's usage lines, as printed after a usage error.  */
void commands_usage (const struct command *cmd, FILE *out);

#endif
