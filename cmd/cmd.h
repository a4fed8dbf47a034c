/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's own operator commands (cmd/), as shim/main.c dispatches them.
 *
 * Each takes the parsed invocation (for ocigate's global --ocigate-* flags) and the arguments
 * after its own name, and returns the exit status.  */
#ifndef OCG_CMD_H
#define OCG_CMD_H

#include "argv.h"

/* `ocigate doctor [...]`: 0 no high-severity finding, 1 at least one, 2 error.  */
int cmd_doctor (const struct runc_invocation *inv, int argc, char **argv);

/* `ocigate runtime configure|unconfigure [...]`: 0 done, 1 refused, 2 error.  */
int cmd_runtime (const struct runc_invocation *inv, int argc, char **argv);

#endif
