/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate policy show [--profile P] [FILE]` and `ocigate policy validate [FILE]`.
 *
 * FILE defaults to --ocigate-policy, then OCIGATE_POLICY, then the default file; show's profile
 * to --ocigate-profile, then the invoked name, then the file's.  */
#include <config.h>

#include <stdio.h>

#include "cmd.h"
#include "policy_file.h"
#include "policy_load.h"
#include "util.h"

/* show's arguments: [--profile P | --profile=P] [FILE], in any order.  */
static int
parse_show_args (int argc, char **argv, const char **profile, const char **file)
{
  for (int i = 0; i < argc; i++)
    {
      if (str_eq (argv[i], "--profile") && i + 1 < argc)
        *profile = argv[++i];
      else if (str_has_prefix (argv[i], "--profile="))
        *profile = argv[i] + strlen ("--profile=");
      else if (argv[i][0] == '-' || *file != NULL)
        return -1;
      else
        *file = argv[i];
    }
  return 0;
}

int
cmd_policy (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  const struct runc_invocation *inv = call->inv;
  const char *profile = inv->ocg_profile ? inv->ocg_profile : call->name_profile;
  const char *file = NULL;
  int r;

  if (argc >= 1 && str_eq (argv[0], "show"))
    {
      if (parse_show_args (argc - 1, argv + 1, &profile, &file) < 0)
        return CMD_USAGE;
      r = policy_command_show (file ? file : inv->ocg_policy, profile, stdout, stderr, err);
    }
  else if (argc >= 1 && str_eq (argv[0], "validate") && argc <= 2)
    r = policy_load_validate (inv, call->name_profile, argc == 2 ? argv[1] : NULL, stdout, stderr,
                              err);
  else
    return CMD_USAGE;
  return r < 0 ? 1 : 0;
}
