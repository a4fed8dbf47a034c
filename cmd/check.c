/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate check [--policy FILE] [--profile P] [--format text|json|sarif] [--portable]
 * [--print-config] [--id ID] PATH|- ...`: judge each config as `create` would, print the
 * decisions, change nothing (shim/police_check.c judges, check_report.c prints).  */
#include <config.h>

#include <errno.h>

#include "check_report.h"
#include "cmd.h"
#include "police_check.h"
#include "policy_file_path.h"
#include "util.h"

struct check_args
{
  struct runc_invocation inv; /* the caller's, with --policy and --profile applied */
  enum out_format format;
  bool portable;
  bool print_config;
  const char *id;
  char **paths; /* borrowed from argv */
  int n_paths;
};

/* `--name VALUE` or `--name=VALUE`: the value, advancing *i past it; NULL when argv[*i] is not
 * that flag.  *missing is set when it is, but without a value.  */
static const char *
flag_value (char **argv, int argc, int *i, const char *name, bool *missing)
{
  size_t n = strlen (name);

  if (strncmp (argv[*i], name, n) != 0)
    return NULL;
  if (argv[*i][n] == '=')
    return argv[*i] + n + 1;
  if (argv[*i][n] != '\0')
    return NULL;
  if (*i + 1 >= argc)
    return *missing = true, NULL;
  return argv[++*i];
}

static int
check_option (struct check_args *a, char **argv, int argc, int *i, ocg_error_t *err)
{
  bool missing = false;
  const char *v;

  if (str_eq (argv[*i], "--portable"))
    a->portable = true;
  else if (str_eq (argv[*i], "--print-config"))
    a->print_config = true;
  else if ((v = flag_value (argv, argc, i, "--policy", &missing)) != NULL)
    a->inv.ocg_policy = v;
  else if ((v = flag_value (argv, argc, i, "--profile", &missing)) != NULL)
    a->inv.ocg_profile = v;
  else if ((v = flag_value (argv, argc, i, "--id", &missing)) != NULL)
    a->id = v;
  else if ((v = flag_value (argv, argc, i, "--format", &missing)) != NULL)
    {
      if (out_format_parse (v, &a->format, err) < 0)
        return -1;
    }
  else if (missing)
    return ocg_error_set (err, 0, "`%.64s` needs a value", argv[*i]);
  else
    return ocg_error_set (err, 0, "unknown flag `%.64s`", argv[*i]);
  return 0;
}

/* Flags and paths mix freely; `--` ends the flags, and `-` is a path (stdin).  */
static int
check_parse (struct check_args *a, int argc, char **argv, ocg_error_t *err)
{
  bool flags = true;

  a->paths = xreallocarray (NULL, (size_t)argc + 1, sizeof (char *));
  for (int i = 0; i < argc; i++)
    if (flags && str_eq (argv[i], "--"))
      flags = false;
    else if (flags && argv[i][0] == '-' && argv[i][1] != '\0')
      {
        if (check_option (a, argv, argc, &i, err) < 0)
          return -1;
      }
    else
      a->paths[a->n_paths++] = argv[i];
  if (a->n_paths == 0)
    return ocg_error_set (err, 0, "no config to check");
  return 0;
}

/* The file a config's findings point into: the bundle's config.json, the file itself, nothing
 * for stdin.  malloc'd or NULL.  */
static bool
ends_with (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);

  return n >= m && strcmp (s + n - m, suffix) == 0;
}

static char *
check_file_of (const char *path, const struct police_check *c)
{
  if (str_eq (path, "-"))
    return NULL;
  /* A bundle directory: its config.json (document_load_check opened the directory).  */
  if (c->doc.dirfd >= 0 && str_eq (c->doc.name, "config.json") && c->doc.display == path
      && !ends_with (path, "config.json"))
    return xasprintf ("%s%sconfig.json", path, ends_with (path, "/") ? "" : "/");
  return xstrdup (path);
}

/* The config that would run, on stdout: the rewrite in enforce mode, the document as given in
 * audit mode; none when it is denied.  */
static int
print_config (const struct police_check *c, ocg_error_t *err)
{
  size_t len = 0;
  cleanup_free char *text = NULL;

  if (police_check_status (c) != 0)
    return 0;
  text = json_serialize (c->doc.spec->root, &len, err);
  if (text == NULL)
    return -1;
  if (fwrite (text, 1, len, stdout) != len || fputc ('\n', stdout) == EOF)
    return ocg_error_set (err, errno, "write the config");
  return 0;
}

/* Why each path that could not be judged could not, for the caller to print once (cmd.h).  */
static void
check_errors (ocg_error_t *err, const struct check_item *items, size_t n)
{
  cleanup_free char *all = NULL;

  for (size_t i = 0; i < n; i++)
    if (items[i].error != NULL)
      {
        char *more = all == NULL ? xasprintf ("%s: %s", items[i].display, items[i].error)
                                 : xasprintf ("%s; %s: %s", all, items[i].display, items[i].error);
        free (all);
        all = more;
      }
  if (all != NULL)
    ocg_error_set (err, 0, "%s", all);
}

struct check_run
{
  struct police_check *checks;
  struct check_item *items;
  char **files;
  char **errors;
  size_t n;
};

static void
check_run_release (struct check_run *r)
{
  for (size_t i = 0; i < r->n; i++)
    {
      police_check_release (&r->checks[i]);
      free (r->files[i]);
      free (r->errors[i]);
    }
  free (r->checks);
  free (r->items);
  free (r->files);
  free (r->errors);
}

static int
check_one (const struct check_args *a, const struct police_check_options *opts, const char *path,
           struct check_run *r, size_t i)
{
  struct police_check *c = &r->checks[i];
  cleanup_error ocg_error_t why = NULL;

  *c = (struct police_check)POLICE_CHECK_INIT;
  if (police_check_judge (&a->inv, path, opts, c, &why) < 0)
    r->errors[i] = ocg_error_text (why);
  r->files[i] = check_file_of (path, c);
  r->items[i] = (struct check_item){
    .display = path,
    .file = r->files[i],
    .original = c->original,
    .policy = r->errors[i] ? NULL : c->policy,
    .decision = r->errors[i] ? NULL : &c->decision,
    .record = r->errors[i] ? NULL : c->record,
    .error = r->errors[i],
    .status = r->errors[i] ? 2 : police_check_status (c),
  };
  return r->items[i].status;
}

/* Judge every path (in order; each its own result), printing the configs that would run.  The
 * worst status.  */
static int
check_all (const struct check_args *a, const struct police_check_options *opts, struct check_run *r,
           ocg_error_t *err)
{
  int worst = 0;

  r->n = (size_t)a->n_paths;
  r->checks = xreallocarray (NULL, r->n, sizeof (*r->checks));
  r->items = xreallocarray (NULL, r->n, sizeof (*r->items));
  r->files = xzalloc (r->n * sizeof (char *));
  r->errors = xzalloc (r->n * sizeof (char *));
  for (size_t i = 0; i < r->n; i++)
    {
      int status = check_one (a, opts, a->paths[i], r, i);
      worst = status > worst ? status : worst;
      if (a->print_config && r->errors[i] == NULL && *err == NULL
          && print_config (&r->checks[i], err) < 0)
        worst = 2;
    }
  return worst;
}

int
cmd_check (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  struct check_args a = { .inv = *call->inv, .format = OUT_TEXT };
  struct police_check_options opts = { .profile = call->name_profile };
  struct check_run r = { 0 };
  /* With --print-config, stdout is the configs' and the report goes to stderr.  */
  FILE *out = NULL;
  int worst;

  if (check_parse (&a, argc, argv, err) < 0)
    return free (a.paths), CMD_USAGE;
  opts.container_id = a.id;
  opts.portable = a.portable;
  /* check only explains, with the caller's own rights: a policy file the caller owns is theirs
   * to judge with (policy_file.h).  */
  policy_file_trust_caller ();
  out = a.print_config ? stderr : stdout;
  worst = check_all (&a, &opts, &r, err);
  if (*err == NULL)
    {
      const struct check_report_options ropts
          = { .tool = "ocigate check", .color = a.format == OUT_TEXT && check_report_color (out) };
      if (check_report_write (out, a.format, r.items, r.n, &ropts, err) < 0)
        worst = 2;
    }
  if (*err == NULL)
    check_errors (err, r.items, r.n);
  check_run_release (&r);
  free (a.paths);
  return worst;
}
