/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate check BUNDLE|CONFIG [ID]`: judge as `create` would, print the decision record, change
 * nothing (shim/police.c judges).  */
#include <config.h>

#include "cmd.h"
#include "police.h"

int
cmd_check (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  const struct police_settings settings = { .profile = call->name_profile };

  if (argc != 1 && argc != 2)
    return CMD_USAGE;
  return police_check_command (call->inv, argv[0], argc == 2 ? argv[1] : NULL, &settings, err);
}
