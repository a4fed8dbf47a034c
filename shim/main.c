/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TEMPORARY pass-through-only entry point while the policy modules are being built.  */
#include <config.h>

#include "argv.h"
#include "report.h"
#include "runtime.h"
#include "util.h"

int
main (int argc, char **argv)
{
  struct runc_invocation inv = { 0 };
  struct runtime rt = { 0 };
  ocg_error_t err = NULL;
  char *text;

  if (argv_parse (argc, argv, &inv, &err) == 0
      && runtime_resolve (inv.ocg_runtime, NULL, &rt, &err) == 0)
    runtime_exec (&rt, inv.argv, &err);
  text = ocg_error_text (err);
  report_error (inv.log_path, inv.log_format, text);
  free (text);
  return 2;
}
