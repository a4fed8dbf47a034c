/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PLACEHOLDER: replaced by the argv module.  */
#include <config.h>

#include "argv.h"

int
argv_parse (int argc, char **argv, struct runc_invocation *out, ocg_error_t *err)
{
  return ocg_error_set (err, 0, "argv parser not built yet");
}

void
argv_invocation_free (struct runc_invocation *inv)
{
}

bool
argv_is_policed (const struct runc_invocation *inv)
{
  return false;
}
