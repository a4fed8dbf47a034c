/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate audit summary [--format text|json] [--suggest-exemptions] [FILE]`: the audit trail
 * (FILE, `-` for stdin, or the audit log the policy names) summed up by rule and by workload, or
 * the drop-in of exemptions that would let enforce mode run what it would deny (audit_summary.h).
 * It reads only; the suggestion is printed, never installed.  */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "audit_summary.h"
#include "cmd.h"
#include "policy_load.h"
#include "util.h"

struct summary_opts
{
  bool json;
  bool suggest;
  const char *file;
};

enum
{
  OPT_FORMAT = 256,
  OPT_SUGGEST,
};

static const struct option options[] = {
  { "format", required_argument, NULL, OPT_FORMAT },
  { "suggest-exemptions", no_argument, NULL, OPT_SUGGEST },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* argv[0] is "summary".  0, 1 for help, -1 with *err.  */
static int
parse (int argc, char **argv, struct summary_opts *o, ocg_error_t *err)
{
  int c;

  optind = 0;
  opterr = 1;
  while ((c = getopt_long (argc, argv, "+h", options, NULL)) != -1)
    if (c == 'h')
      return 1;
    else if (c == OPT_SUGGEST)
      o->suggest = true;
    else if (c == OPT_FORMAT && (str_eq (optarg, "text") || str_eq (optarg, "json")))
      o->json = str_eq (optarg, "json");
    else if (c == OPT_FORMAT)
      return ocg_error_set (err, 0, "unknown format `%s` (expected text or json)", optarg);
    else
      return -1;
  if (optind < argc)
    o->file = argv[optind++];
  if (optind < argc)
    return ocg_error_set (err, 0, "unexpected argument `%s`", argv[optind]);
  return 0;
}

/* The policy files and the audit log they name: the default FILE, and the exemptions a
 * suggestion must not collide with.  */
static struct policy_file *
load_policy (const struct cmd_call *call, char **audit_path, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_load_file (call->inv, err);
  cleanup_policy struct policy *policy = NULL;

  if (pf == NULL
      || policy_load_profile (call->inv, call->name_profile, pf, &policy, audit_path, err) < 0)
    return NULL;
  return steal_pointer (&pf);
}

static int
read_source (const char *path, struct summary *s, ocg_error_t *err)
{
  cleanup_file FILE *f = NULL;

  if (str_eq (path, "-"))
    return trail_read (stdin, "stdin", summary_add, s, &s->skipped, err);
  f = fopen (path, "re");
  if (f == NULL)
    return ocg_error_set (err, errno, "open the audit trail `%s`", path);
  return trail_read (f, path, summary_add, s, &s->skipped, err);
}

/* The drop-in directory of the policy file in use: policy.json -> policy.d (policy_file.c).  */
static char *
dropin_dir (const struct cmd_call *call)
{
  const char *env = getenv ("OCIGATE_POLICY");
  const char *file = call->inv->ocg_policy != NULL   ? call->inv->ocg_policy
                     : env != NULL && env[0] != '\0' ? env
                                                     : policy_file_default_path;
  size_t n = strlen (file);

  if (n > 5 && str_eq (file + n - 5, ".json"))
    n -= 5;
  return xasprintf ("%.*s.d", (int)n, file);
}

static int
summarise (const struct cmd_call *call, const struct summary_opts *o, const char *path,
           const struct policy_file *pf, ocg_error_t *err)
{
  cleanup_free char *dir = dropin_dir (call);
  struct summary s = { 0 };
  const char *name = str_eq (path, "-") ? "stdin" : path;
  int r = read_source (path, &s, err);

  summary_finish (&s);
  if (r == 0 && o->suggest)
    r = summary_write_suggestion (stdout, &s, name, pf ? policy_file_exemptions (pf) : NULL, dir,
                                  err);
  else if (r == 0 && o->json)
    r = summary_write_json (stdout, &s, name, err);
  else if (r == 0)
    r = summary_write_text (stdout, &s, name, err);
  summary_release (&s);
  return r;
}

int
cmd_audit (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  struct summary_opts o = { 0 };
  cleanup_policy_file struct policy_file *pf = NULL;
  cleanup_free char *audit_path = NULL;
  int r;

  if (argc < 1 || !str_eq (argv[0], "summary"))
    return CMD_USAGE;
  r = parse (argc, argv, &o, err);
  if (r != 0)
    return r > 0 ? CMD_HELP : CMD_USAGE;
  /* The policy only when it is needed: a trail copied from another node is summed up anywhere.  */
  if ((o.file == NULL || o.suggest) && (pf = load_policy (call, &audit_path, err)) == NULL)
    return 2;
  return summarise (call, &o, o.file ? o.file : audit_path, pf, err) < 0 ? 2 : 0;
}
