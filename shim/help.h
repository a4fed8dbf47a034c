/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's own help and version, when it is invoked under its own name.
 *
 * Owns: the usage text of ocigate and of each of its own commands, the hint for a command that
 * is neither ocigate's nor a runtime's, and `--ocigate-version [--format text|json]`.
 * Must not: print anything when ocigate is invoked as `runc` (help and version are the
 * runtime's then), or touch stdout on a runtime verb.  */
#ifndef OCG_HELP_H
#define OCG_HELP_H

#include <stdbool.h>

#include "argv.h"

/* True when argv[0] names ocigate (its basename starts with "ocigate"): only then are its own
 * commands and help recognised, so an ocigate installed as `runc` never shadows the runtime.  */
bool help_invoked_as_ocigate (const char *argv0);

/* `ocigate --help`, `-h`, `help [OWN-COMMAND]`, and `OWN-COMMAND ... --help|-h`: prints the
 * usage on stdout and returns 0; -1 when inv is none of these (the call goes on).  */
int help_command (const struct runc_invocation *inv);

/* A command that is neither ocigate's nor one runc 1.1.5 or crun 1.8.1 knows: one line on stderr
 * naming ocigate's own commands.  The call still goes to the runtime, which may know it.  */
void help_hint_unknown (const struct runc_invocation *inv);

/* `ocigate --ocigate-version [--format text|json]`: the exit status.  */
int help_version (const struct runc_invocation *inv);

#endif
