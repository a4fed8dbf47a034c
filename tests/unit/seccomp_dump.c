/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccomp_dump: a test aid around policy/seccomp/seccomp.h.
 *
 *   seccomp_dump [--arch SCMP_ARCH_X] [--kernel X.Y] PROFILE [CAP...]
 *       print seccomp_specialise's OCI object for PROFILE (`default`, `strict` = the embedded
 *       copies, or a file) and the capabilities CAP...; arch and kernel default to the host's
 *   seccomp_dump --check FILE         seccomp_check_file, report on stderr, exit 0 when valid
 *   seccomp_dump --restrictive FILE   print `yes` or `no` for an OCI seccomp object
 *   seccomp_dump --table ARCH         every syscall name libseccomp knows for ARCH (`x86_64`)
 *
 * Owns: nothing but this aid.  tests/integration/seccomp.bats puts its output into a bundle and
 * runs the real runc on it; seccomp-profiles/gen-check.sh uses --check and --table.  */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "fsutil.h"
#include "json.h"
#include "seccomp.h"
#include "util.h"

static int
fail (ocg_error_t *err)
{
  cleanup_free char *text = ocg_error_text (*err);
  fprintf (stderr, "seccomp_dump: %s\n", text);
  ocg_error_free (err);
  return 1;
}

static struct json_node *
load (const char *what, ocg_error_t *err)
{
  struct json_parse_opts opts = { .source = what };
  cleanup_free char *buf = NULL;
  size_t len = 0;

  if (seccomp_embedded_profile (what, NULL) != NULL)
    return seccomp_load_embedded (what, err);
  buf = fsutil_read_at (AT_FDCWD, what, 4u << 20, &len, err);
  return buf == NULL ? NULL : json_parse (buf, len, &opts, err);
}

static int
dump (int argc, char **argv)
{
  cleanup_error ocg_error_t err = NULL;
  uint32_t arch = seccomp_arch_native ();
  unsigned kv[2];
  int i = 1;

  if (seccomp_host_kernel (&kv[0], &kv[1], &err) < 0)
    return fail (&err);
  for (; i + 1 < argc && str_has_prefix (argv[i], "--"); i += 2)
    if (str_eq (argv[i], "--arch") && seccomp_arch_by_oci (argv[i + 1]) != NULL)
      arch = seccomp_arch_by_oci (argv[i + 1])->token;
    else if (!str_eq (argv[i], "--kernel") || sscanf (argv[i + 1], "%u.%u", &kv[0], &kv[1]) != 2)
      return fprintf (stderr, "seccomp_dump: bad option `%s`\n", argv[i]), 2;
  if (i >= argc)
    return fprintf (stderr, "seccomp_dump: no profile\n"), 2;

  cleanup_json struct json_node *profile = load (argv[i], &err);
  if (profile == NULL)
    return fail (&err);
  cleanup_json struct json_node *oci = seccomp_specialise (
      profile, (const char *const *)&argv[i + 1], (size_t)(argc - i - 1), arch, kv[0], kv[1], &err);
  if (oci == NULL)
    return fail (&err);
  cleanup_free char *text = json_serialize (oci, NULL, &err);
  if (text == NULL)
    return fail (&err);
  puts (text);
  return 0;
}

static int
table (const char *arch_name)
{
  uint32_t arch = seccomp_arch_resolve_name (arch_name);
  /* x32 numbers carry the __X32_SYSCALL_BIT; ARM private calls start at 0x0f0000.  */
  static const int bases[] = { 0, 0x40000000, 0x0f0000 };

  if (arch == 0)
    return fprintf (stderr, "seccomp_dump: unknown architecture `%s`\n", arch_name), 2;
  for (size_t b = 0; b < ARRAY_SIZE (bases); b++)
    for (int nr = bases[b]; nr < bases[b] + 1100; nr++)
      {
        cleanup_free char *name = seccomp_syscall_resolve_num_arch (arch, nr);
        if (name != NULL)
          puts (name);
      }
  return 0;
}

int
main (int argc, char **argv)
{
  cleanup_error ocg_error_t err = NULL;

  if (argc == 3 && str_eq (argv[1], "--check"))
    return seccomp_check_file (argv[2], stderr, &err) < 0 ? fail (&err) : 0;
  if (argc == 3 && str_eq (argv[1], "--table"))
    return table (argv[2]);
  if (argc == 3 && str_eq (argv[1], "--restrictive"))
    {
      cleanup_json struct json_node *oci = load (argv[2], &err);
      if (oci == NULL)
        return fail (&err);
      puts (seccomp_is_restrictive (oci) ? "yes" : "no");
      return 0;
    }
  return dump (argc, argv);
}
