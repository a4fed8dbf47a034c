/* SPDX-License-Identifier: GPL-2.0-or-later */
/* runc's command line -> struct runc_invocation (contract in argv.h).
 *
 * Owns: a model of how the installed runc 1.1.5 reads its argv, crun's extra flags, and
 * ocigate's own --ocigate-* flags.  Must not: open files, print, or allocate beyond the argv
 * copy, the --cap vector and one scratch array; it runs in front of every runtime call.
 *
 * The grammar, each rule checked against /usr/sbin/runc by tests/integration/argv.bats:
 *
 * - Debian's runc 1.1.5+ds1 is linked against Debian's urfave/cli 1.22.9, not the 1.22.1 that
 *   upstream vendors (the binary contains `argIsFlag`, which 1.22.1 lacks).  They differ in
 *   reorderArgs, so this file follows 1.22.9.
 * - Global flags: Go's flag package (go1.19 src/flag/flag.go, FlagSet.parseOne) over runc's
 *   app.Flags (main.go) plus urfave's "help, h" and "version, v" (app.go, Setup).  Parsing stops
 *   before the first token that is not a flag ("-" included) or just after "--".  The first
 *   remaining token is the subcommand.  Global help or version runs nothing else (app.go, Run).
 * - Subcommand flags: Command.Run (command.go) parses the tokens after the subcommand with a
 *   fresh FlagSet holding the command's flags plus "help, h".  Unless the command sets
 *   SkipArgReorder (runc: exec.go and ps.go), reorderArgs first moves every token naming one of
 *   the command's flags, plus the token after it when that token is not itself such a flag, in
 *   front of the rest.  So `create ID --bundle X` uses bundle X, but `create --no-pivot ID
 *   --bundle X` puts ID right after the flags: the Go parse stops there and runc fails.
 * - Each comma-separated name of a urfave flag ("bundle, b") is a separate Go flag.
 *   normalizeFlags (context.go) fails when two names of one flag were both used.  So
 *   `--bundle X --bundle Y` means Y, while `--bundle X -b Y` is an error.
 * - create, run and update need exactly one positional argument and exec at least one
 *   (utils.go, checkArgs).  Help on a subcommand is printed before that check, and nothing runs.
 * - runc treats an empty --bundle/--process/--resources/--user as not given (utils.go setupSpec,
 *   exec.go getProcess, update.go).
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "argv_flags.h"
#include "util.h"

/* One Go FlagSet being parsed.  */
struct flag_parse
{
  const struct argv_flag *flags;
  size_t n_flags;
  const char *where;                  /* "global" or the subcommand, for messages */
  bool global;                        /* an --ocigate-* token is never taken as a value here */
  unsigned char form[ARGV_MAX_FLAGS]; /* spelling used per flag: 0 none, 1 name, 2 alias */
  size_t list_room;                   /* capacity of each struct argv_list once allocated */
};

/* Tokens are user input: print at most one line and a bounded length of them.  */
static int
tok_len (const char *s)
{
  size_t n = strcspn (s, "\r\n");
  return n > 128 ? 128 : (int)n;
}

#define TOK(s) tok_len (s), (s)

/* The length of s up to end (a flag's name without its `=value`), bounded like tok_len.  */
static int
tok_upto (const char *s, const char *end)
{
  int n = tok_len (s);
  return end != NULL && end - s < n ? (int)(end - s) : n;
}

static bool
name_is (const char *name, size_t len, const char *want)
{
  return want != NULL && strlen (want) == len && memcmp (name, want, len) == 0;
}

static bool
is_ocigate_token (const char *s)
{
  return str_has_prefix (s, "--ocigate-") || str_has_prefix (s, "-ocigate-");
}

/* strconv.ParseBool (Go src/strconv/atob.go), which the flag package's boolValue.Set uses.  */
static int
go_parse_bool (const char *s, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

  for (size_t i = 0; i < ARRAY_SIZE (yes); i++)
    {
      if (str_eq (s, yes[i]) || str_eq (s, no[i]))
        {
          *out = str_eq (s, yes[i]);
          return 0;
        }
    }
  return -1;
}

static const struct argv_flag *
flag_lookup (const struct flag_parse *fp, const char *name, size_t len, unsigned char *form)
{
  for (size_t i = 0; i < fp->n_flags; i++)
    {
      *form = name_is (name, len, fp->flags[i].name)    ? 1
              : name_is (name, len, fp->flags[i].alias) ? 2
                                                        : 0;
      if (*form != 0)
        return &fp->flags[i];
    }
  return NULL;
}

/* The value of flag `s` (already looked up as `f`): Go's parseOne takes the text after '=', or
 * for a non-boolean flag the next token whatever it looks like ("--", "-x", ...).  A boolean
 * never takes the next token.  */
static int
flag_value (struct flag_parse *fp, const struct argv_flag *f, const char *s, const char *eq,
            char **tok, size_t n, size_t *i, const char **value, bool *on, ocg_error_t *err)
{
  if (!f->value)
    {
      *value = eq != NULL ? eq + 1 : "true";
      if (go_parse_bool (*value, on) < 0)
        return ocg_error_set (err, 0, "invalid boolean value `%.*s` for %s flag `%.*s`",
                              TOK (*value), fp->where, tok_upto (s, eq), s);
      return 0;
    }
  if (eq != NULL)
    *value = eq + 1;
  else if (*i < n && !(fp->global && is_ocigate_token (tok[*i])))
    *value = tok[(*i)++];
  else
    return ocg_error_set (err, 0, "%s flag `%.*s` needs a value", fp->where, TOK (s));
  return 0;
}

/* One step of Go's FlagSet.parseOne over tok[*i]: 1 = a flag was parsed (and *i moved past it and
 * its value), 0 = flags end here (*i moved past a "--"), -1 = runc would fail with a usage error.
 * The spelling check is urfave's normalizeFlags, done as soon as the second form shows up.  */
static int
go_parse_one (struct flag_parse *fp, char **tok, size_t n, size_t *i, struct runc_invocation *inv,
              ocg_error_t *err)
{
  const char *s = tok[*i], *name, *eq, *value = NULL;
  const struct argv_flag *f;
  unsigned char form = 0;
  bool on = false;
  size_t len;

  if (s[0] != '-' || s[1] == '\0')
    return 0;
  if (str_eq (s, "--"))
    {
      (*i)++;
      return 0;
    }
  name = s + (s[1] == '-' ? 2 : 1);
  if (name[0] == '-' || name[0] == '=')
    return ocg_error_set (err, 0, "bad %s flag syntax `%.*s`", fp->where, TOK (s));
  eq = strchr (name + 1, '=');
  len = eq != NULL ? (size_t)(eq - name) : strlen (name);
  f = flag_lookup (fp, name, len, &form);
  if (f == NULL)
    return ocg_error_set (err, 0, "unknown %s flag `%.*s`", fp->where, tok_upto (s, name + len), s);
  (*i)++;
  if (flag_value (fp, f, s, eq, tok, n, i, &value, &on, err) < 0)
    return -1;
  if (fp->form[f - fp->flags] != 0 && fp->form[f - fp->flags] != form)
    return ocg_error_set (err, 0, "`%s` and `%s` are two forms of the same %s flag: use one",
                          f->name, f->alias, fp->where);
  fp->form[f - fp->flags] = form;
  if (s[1] != '-' && (len > 1 || eq != NULL))
    inv->go_only_syntax = true;
  argv_flag_apply (f, value, on, fp->list_room, inv);
  return 1;
}

/* urfave/cli 1.22.9 argIsFlag (command.go): strip "--" then "-" (or just "-"), cut at '=', and
 * compare with the command's flag names.  "-" and "--" are never flags; "---x" counts as "x".  */
static bool
urfave_arg_is_flag (const struct flag_parse *fp, const char *arg)
{
  unsigned char form;
  size_t len;

  if (arg[0] != '-' || str_eq (arg, "-") || str_eq (arg, "--"))
    return false;
  arg += str_has_prefix (arg, "--") ? 2 : 1;
  if (arg[0] == '-')
    arg++;
  len = strcspn (arg, "=");
  return flag_lookup (fp, arg, len, &form) != NULL;
}

enum reorder_class
{
  REORDER_FLAG,
  REORDER_REST,
  REORDER_END,
};

/* One step of urfave/cli 1.22.9 reorderArgs (command.go).  Bool flags also "may" take the next
 * token: reorderArgs does not know flag types.  */
static enum reorder_class
reorder_classify (const struct flag_parse *fp, const char *arg, bool *want_value)
{
  if (*want_value && !urfave_arg_is_flag (fp, arg))
    {
      *want_value = false;
      return REORDER_FLAG;
    }
  if (str_eq (arg, "--"))
    return REORDER_END;
  if (urfave_arg_is_flag (fp, arg))
    {
      *want_value = strchr (arg, '=') == NULL;
      return REORDER_FLAG;
    }
  return REORDER_REST;
}

/* reorderArgs: the command's flags (with the values it attaches to them) first, then "--" if one
 * ended the scan, then the other tokens before it, then everything after it.  out has room for
 * n pointers; the result is a permutation of args.  */
static void
urfave_reorder (const struct flag_parse *fp, char **args, size_t n, char **out)
{
  size_t k = 0, end = n;
  bool want_value = false;

  for (size_t i = 0; i < n && end == n; i++)
    switch (reorder_classify (fp, args[i], &want_value))
      {
      case REORDER_FLAG:
        out[k++] = args[i];
        break;
      case REORDER_END:
        end = i;
        out[k++] = args[i];
        break;
      case REORDER_REST:
        break;
      }
  want_value = false;
  for (size_t i = 0; i < end; i++)
    if (reorder_classify (fp, args[i], &want_value) == REORDER_REST)
      out[k++] = args[i];
  for (size_t i = end + 1; i < n; i++)
    out[k++] = args[i];
}

/* ocigate's own flags, removed from the runtime's argv: `--ocigate-NAME VALUE` or
 * `--ocigate-NAME=VALUE`, and the boolean `--ocigate-version[=BOOL]`.  Only the two-dash spelling
 * is accepted, and `-ocigate-*` is refused instead of passed on: crun's getopt would read it as a
 * cluster of short options, and silently handing our flag to the runtime helps nobody.  */
static const char **
ocigate_slot (struct runc_invocation *inv, const char *name, size_t len)
{
  if (name_is (name, len, "runtime"))
    return &inv->ocg_runtime;
  if (name_is (name, len, "policy"))
    return &inv->ocg_policy;
  if (name_is (name, len, "profile"))
    return &inv->ocg_profile;
  if (name_is (name, len, "mode"))
    return &inv->ocg_mode;
  if (name_is (name, len, "audit-log"))
    return &inv->ocg_audit_log;
  return NULL;
}

static int
ocigate_flag (struct runc_invocation *inv, char **argv, size_t n, size_t *i, ocg_error_t *err)
{
  const char *s = argv[(*i)++], *name, *eq;
  const char **slot;
  size_t len;

  if (s[1] != '-')
    return ocg_error_set (err, 0, "ocigate flags take two dashes: `%.*s`", TOK (s));
  name = s + strlen ("--ocigate-");
  eq = strchr (name, '=');
  len = eq != NULL ? (size_t)(eq - name) : strlen (name);
  if (name_is (name, len, "version"))
    {
      if (go_parse_bool (eq != NULL ? eq + 1 : "true", &inv->ocg_version) < 0)
        return ocg_error_set (err, 0, "invalid boolean value in `%.*s`", TOK (s));
      return 0;
    }
  slot = ocigate_slot (inv, name, len);
  if (slot == NULL)
    return ocg_error_set (err, 0, "unknown ocigate flag `%.*s`", tok_upto (s, name + len), s);
  if (eq != NULL)
    *slot = eq + 1;
  else if (*i < n && !is_ocigate_token (argv[*i]))
    *slot = argv[(*i)++];
  else
    return ocg_error_set (err, 0, "flag `%.*s` needs a value", TOK (s));
  return 0;
}

static bool
is_policed_name (const char *s)
{
  for (size_t i = 0; i < argv_n_policed_commands; i++)
    if (str_eq (s, argv_policed_commands[i].name))
      return true;
  return false;
}

/* runc stops at a global flag error and runs nothing (app.go Run returns the parse error), so
 * the call can go through untouched -- unless something after the bad flag could be a policed
 * subcommand or one of our flags: we cannot tell where the subcommand starts, and crun might
 * know the flag, so fail closed.  */
static int
global_error (char **argv, size_t n, size_t bad, ocg_error_t *local, ocg_error_t *err)
{
  for (size_t i = bad + 1; i < n; i++)
    if (is_policed_name (argv[i]) || is_ocigate_token (argv[i]))
      return ocg_error_set (err, 0, "%s", (*local)->msg);
  return 0;
}

/* The global section of argv[1..n): parse it, strip the --ocigate-* flags, copy the rest of it
 * to inv->argv.  *next is the index of the subcommand (n if none); *stopped is set when runc
 * would stop at a bad global flag (then *next is that flag).  */
static int
parse_globals (struct runc_invocation *inv, char **argv, size_t n, size_t *next, bool *stopped,
               ocg_error_t *err)
{
  struct flag_parse fp = { argv_global_flags, argv_n_global_flags, "global", true, { 0 }, 0 };
  cleanup_error ocg_error_t local = NULL;
  size_t i = 1;
  int r = 1;

  while (i < n && r > 0)
    {
      size_t start = i;

      if (is_ocigate_token (argv[i]))
        {
          if (ocigate_flag (inv, argv, n, &i, err) < 0)
            return -1;
          continue;
        }
      r = go_parse_one (&fp, argv, n, &i, inv, &local);
      if (r < 0)
        {
          *stopped = true;
          *next = start;
          return global_error (argv, n, start, &local, err);
        }
      while (start < i)
        inv->argv[inv->argc++] = argv[start++];
    }
  *next = i;
  return 0;
}

static int
check_positionals (const struct argv_command *cmd, char **args, size_t n,
                   struct runc_invocation *inv, ocg_error_t *err)
{
  if (n == 0)
    return ocg_error_set (err, 0, "%s needs a container id", cmd->name);
  if (cmd->exact && n != 1)
    return ocg_error_set (err, 0,
                          "%s takes exactly one argument, the container id, not %zu (next: `%.*s`)",
                          cmd->name, n, TOK (args[1]));
  if (args[0][0] == '\0')
    return ocg_error_set (err, 0, "%s: empty container id", cmd->name);
  inv->container_id = args[0];
  /* exec does not reorder, so these point into inv->argv and outlive the parse.  */
  inv->exec_args = (const char *const *)args + 1;
  inv->n_exec_args = n - 1;
  return 0;
}

/* The subcommand's flags and positional arguments, read from inv->argv (same pointers as the
 * caller's argv after the subcommand).  The positional arguments go to *rest and *n_rest.  */
static int
parse_flags (const struct argv_command *cmd, struct runc_invocation *inv, char **seq, char ***rest,
             size_t *n_rest, ocg_error_t *err)
{
  struct flag_parse fp = { cmd->flags, cmd->n_flags, cmd->name, false, { 0 }, 0 };
  char **args = inv->argv + inv->verb_index + 1;
  size_t n = (size_t)(inv->argc - inv->verb_index - 1), i = 0;
  int r = 1;

  fp.list_room = n + 1;
  if (cmd->reorder)
    {
      urfave_reorder (&fp, args, n, seq);
      args = seq;
    }
  while (r > 0 && i < n)
    r = go_parse_one (&fp, args, n, &i, inv, err);
  *rest = args + i;
  *n_rest = n - i;
  return r < 0 ? -1 : 0;
}

static int
parse_command (const struct argv_command *cmd, struct runc_invocation *inv, ocg_error_t *err)
{
  cleanup_free char **seq = xmalloc ((size_t)(inv->argc - inv->verb_index) * sizeof (*seq));
  char **rest = NULL;
  size_t n_rest = 0;

  if (parse_flags (cmd, inv, seq, &rest, &n_rest, err) < 0)
    return -1;
  if (inv->help)
    {
      /* urfave checkCommandHelp: the help text is all that happens.  */
      inv->verb = RUNC_VERB_OTHER;
      return 0;
    }
  return check_positionals (cmd, rest, n_rest, inv, err);
}

/* A pass-through verb that names a container: its id as runc would read it, or none.  Nothing
 * here can fail the call -- the runtime reports its own usage errors.  */
static void
parse_other (const struct argv_command *cmd, struct runc_invocation *inv)
{
  cleanup_free char **seq = xmalloc ((size_t)(inv->argc - inv->verb_index) * sizeof (*seq));
  cleanup_error ocg_error_t ignored = NULL;
  char **rest = NULL;
  size_t n_rest = 0;

  if (parse_flags (cmd, inv, seq, &rest, &n_rest, &ignored) < 0 || inv->help || n_rest == 0
      || rest[0][0] == '\0')
    return;
  inv->container_id = rest[0];
}

static int
parse_all (int argc, char **argv, struct runc_invocation *inv, ocg_error_t *err)
{
  size_t n = (size_t)argc, i = n;
  bool stopped = false;

  if (parse_globals (inv, argv, n, &i, &stopped, err) < 0)
    return -1;
  if (!stopped && !inv->help && !inv->version && i < n)
    {
      inv->verb = RUNC_VERB_OTHER;
      inv->verb_name = argv[i];
      inv->verb_index = inv->argc;
    }
  while (i < n)
    inv->argv[inv->argc++] = argv[i++];
  inv->argv[inv->argc] = NULL;
  for (size_t c = 0; inv->verb_name != NULL && c < argv_n_policed_commands; c++)
    if (str_eq (inv->verb_name, argv_policed_commands[c].name))
      {
        inv->verb = argv_policed_commands[c].verb;
        return parse_command (&argv_policed_commands[c], inv, err);
      }
  for (size_t c = 0; inv->verb == RUNC_VERB_OTHER && c < argv_n_other_commands; c++)
    if (str_eq (inv->verb_name, argv_other_commands[c].name))
      parse_other (&argv_other_commands[c], inv);
  return 0;
}

int
argv_parse (int argc, char **argv, struct runc_invocation *out, ocg_error_t *err)
{
  memset (out, 0, sizeof (*out));
  out->verb_index = -1;
  out->no_new_privs = -1;
  if (argc < 1 || argv == NULL || argv[0] == NULL)
    return ocg_error_set (err, 0, "empty argument vector");
  out->argv = xmalloc (((size_t)argc + 1) * sizeof (*out->argv));
  out->argv[out->argc++] = argv[0];
  if (parse_all (argc, argv, out, err) < 0)
    {
      /* Keep where the engine wants errors (--log/--log-format point into argv): containerd
       * shows the last error line of that file, and without it the user only gets "unable to
       * retrieve OCI runtime error".  */
      const char *log_path = out->log_path, *log_format = out->log_format;

      argv_invocation_free (out);
      out->log_path = log_path;
      out->log_format = log_format;
      return -1;
    }
  return 0;
}

void
argv_invocation_free (struct runc_invocation *inv)
{
  if (inv == NULL)
    return;
  free (inv->argv);
  free (inv->caps.v);
  free (inv->env.v);
  free (inv->gids.v);
  free (inv->cgroups.v);
  memset (inv, 0, sizeof (*inv));
  inv->verb_index = -1;
  inv->no_new_privs = -1;
}

bool
argv_is_policed (const struct runc_invocation *inv)
{
  switch (inv->verb)
    {
    case RUNC_VERB_CREATE:
    case RUNC_VERB_RUN:
    case RUNC_VERB_EXEC:
    case RUNC_VERB_UPDATE:
    case RUNC_VERB_RESTORE:
      return true;
    case RUNC_VERB_NONE:
    case RUNC_VERB_OTHER:
      break;
    }
  return false;
}
