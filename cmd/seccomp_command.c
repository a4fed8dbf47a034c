/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate seccomp check FILE`: validate a seccomp profile as the policy would load it.  */
#include <config.h>

#include <stdio.h>

#include "cmd.h"
#include "seccomp.h"
#include "util.h"

int
cmd_seccomp (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  (void)call;
  if (argc < 1 || !str_eq (argv[0], "check"))
    {
      ocg_error_set (err, 0, "unknown seccomp command `%s` (the only one is `check`)",
                     argc < 1 ? "" : argv[0]);
      return CMD_USAGE;
    }
  if (argc != 2)
    return CMD_USAGE;
  if (seccomp_check_file (argv[1], stdout, err) < 0)
    return 1;
  printf ("%s: ok\n", argv[1]);
  return 0;
}
