/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's own commands, in one table (see commands.h).  */
#include <config.h>

#include <stdio.h>

#include "commands.h"
#include "passthrough.h"
#include "policy_file.h"
#include "util.h"

struct command
{
  const char *name;
  const char *synopsis; /* its line in `ocigate --help`, left column ... */
  const char *summary;  /* ... and right column */
  const char *usage;    /* "usage: ..." lines: after a usage error, and first in its help */
  const char *details;  /* the rest of its help, after a blank line; may be NULL */
  cmd_handler run;      /* NULL for `help`, which the dispatcher answers */
};

static const struct command commands[] = {
  {
      .name = "check",
      .synopsis = "check PATH|-...",
      .summary = "explain the decision for configs, change nothing",
      .usage = "usage: ocigate check [--format text|json|sarif] [--portable] [--print-config] "
               "PATH|-...\n"
               "         [--policy FILE] [--profile P] [--id ID]\n",
      .details = "Judge each config (a config.json, a bundle directory, or - for stdin) as "
                 "`create`\n"
                 "would, and print the decisions: the verdict, then the findings (denied, "
                 "rewritten,\n"
                 "warned, notes) with their CIS and PSS ids, JSON Pointer and hint.  Nothing is "
                 "changed.\n"
                 "  --policy FILE    the policy file (as --ocigate-policy)\n"
                 "  --profile P      the profile (as --ocigate-profile)\n"
                 "  --format F       text (default), json (one decision record per path) or "
                 "sarif\n"
                 "  --portable       judge the spec alone, for a machine that is not the node: "
                 "what\n"
                 "                   needs the node's facts becomes a note\n"
                 "  --print-config   print the config that would run (the report goes to "
                 "stderr)\n"
                 "  --id ID          judge as the create of container ID (its own engine "
                 "files)\n"
                 "exit status: 0 allowed (maybe rewritten), 1 denied, 2 error; the worst of all "
                 "paths\n",
      .run = cmd_check,
  },
  {
      .name = "policy",
      .synopsis = "policy show|validate",
      .summary = "print or check the policy files",
      .usage = "usage: ocigate policy show [--profile PROFILE] [FILE]\n"
               "       ocigate policy validate [FILE]\n",
      .details = "show      print the effective policy of a profile as a policy file\n"
                 "validate  check a policy file, its drop-ins and every profile in them\n"
                 "FILE defaults to --ocigate-policy, then OCIGATE_POLICY, then the default "
                 "file.\n",
      .run = cmd_policy,
  },
  {
      .name = "seccomp",
      .synopsis = "seccomp check FILE",
      .summary = "validate a seccomp profile",
      .usage = "usage: ocigate seccomp check FILE\n",
      .details = "check     validate a seccomp profile as the policy would load it\n",
      .run = cmd_seccomp,
  },
  {
      .name = "doctor",
      .synopsis = "doctor",
      .summary = "is every route to a container through ocigate?",
      .usage = "usage: ocigate doctor [--format text|json|sarif] [--probe] [--engine "
               "ENGINE|none]...\n"
               "         [--docker-socket PATH] [--docker-config FILE]\n"
               "         [--containerd-socket PATH] [--containerd-config FILE]\n"
               "         [--podman-config FILE] [--audit-log FILE]... [--runtime-root DIR]...\n"
               "exit status: 0 no high-severity finding, 1 at least one, 2 error\n",
      .run = cmd_doctor,
  },
  {
      .name = "report",
      .synopsis = "report",
      .summary = "judge every running container under today's policy",
      .usage = "usage: ocigate report [--format text|json|sarif] [--root DIR]... "
               "[--no-default-roots]\n"
               "         [--policy FILE] [--profile PROFILE]\n"
               "exit status: 0 none would be denied, 1 some would, 2 the report is incomplete\n",
      .details = "Find every running container in the runtimes' state roots (/run/runc, "
                 "/run/crun,\n"
                 "/run/docker/runtime-runc/moby, /run/containerd/runc/<namespace>, the roots in\n"
                 "ocigate's own records, and each --root), judge the config it runs as its "
                 "create\n"
                 "would be judged now, and say allowed, would-rewrite or would-deny, and whether\n"
                 "ocigate judged it at create (the policy's audit trail).  --no-default-roots "
                 "scans\n"
                 "only the --root directories.  It only reads: nothing is changed.\n",
      .run = cmd_report,
  },
  {
      .name = "audit",
      .synopsis = "audit summary [FILE]",
      .summary = "sum up the audit trail; suggest exemptions",
      .usage = "usage: ocigate audit summary [--format text|json] [--suggest-exemptions] "
               "[FILE]\n",
      .details = "Sum up the audit trail (FILE, `-` for stdin, default the policy's audit log) "
                 "by\n"
                 "rule and by workload: what audit mode would have denied or rewritten, and "
                 "which\n"
                 "workloads trigger which rules.  --suggest-exemptions prints instead a "
                 "commented\n"
                 "policy drop-in with the narrowest exemptions that would let enforce mode run\n"
                 "those workloads, for a person to review; nothing is installed.\n",
      .run = cmd_audit,
  },
  {
      .name = "runtime",
      .synopsis = "runtime configure|unconfigure",
      .summary = "put ocigate in front of an engine, or take it away",
      .usage = "usage: ocigate runtime configure|unconfigure --engine docker|containerd|podman\n"
               "         [--profile PROFILE]... [--set-as-default] [--as-runc] [--dry-run]\n"
               "         [--restart] [--config PATH] [--socket PATH] [--runc-dir DIR]\n"
               "         [--state-dir DIR]\n",
      .run = cmd_runtime,
  },
  {
      .name = "help",
      .synopsis = "help [COMMAND]",
      .summary = "this text, or a command's (`ocigate COMMAND --help`)",
      .usage = "usage: ocigate help [COMMAND]\n",
  },
};

/* The subcommands runc 1.1.5 (main.go) and crun 1.8.1 (src/crun.c commands[]) know.  */
static const char *const runtime_commands[] = {
  "checkpoint", "create", "delete", "events", "exec",  "features", "kill",   "list", "pause", "ps",
  "restore",    "resume", "run",    "spec",   "start", "state",    "update", "help", "h",
};

bool
commands_invoked_as_ocigate (const char *argv0)
{
  const char *base = strrchr (argv0, '/');

  base = base ? base + 1 : argv0;
  return str_has_prefix (base, "ocigate");
}

static const struct command *
command_named (const char *name)
{
  /* urfave/cli's alias of help, which runc's `h` keeps (app.go helpCommand).  */
  if (str_eq (name, "h"))
    name = "help";
  for (size_t i = 0; name != NULL && i < ARRAY_SIZE (commands); i++)
    if (str_eq (name, commands[i].name))
      return &commands[i];
  return NULL;
}

void
commands_usage (const struct command *cmd, FILE *out)
{
  fputs (cmd->usage, out);
}

static void
print_help (const struct command *cmd)
{
  fputs (cmd->usage, stdout);
  if (cmd->details != NULL)
    printf ("\n%s", cmd->details);
}

/* Two columns, as the flags below them: a synopsis too wide for the first puts its summary on
 * the next line.  */
static void
print_command_list (void)
{
  const int width = 26;

  for (size_t i = 0; i < ARRAY_SIZE (commands); i++)
    if ((int)strlen (commands[i].synopsis) <= width)
      printf ("  %-*s  %s\n", width, commands[i].synopsis, commands[i].summary);
    else
      printf ("  %s\n  %-*s  %s\n", commands[i].synopsis, width, "", commands[i].summary);
}

static void
print_usage (void)
{
  cleanup_error ocg_error_t err = NULL;
  struct runtime rt = { 0 };
  struct runc_invocation none = { .verb = RUNC_VERB_NONE };
  const char *runtime = passthrough_runtime (&none, &rt, &err) == 0 ? rt.path : "runc";

  printf ("usage: ocigate [--ocigate-FLAG VALUE]... COMMAND [ARG]...\n"
          "\n"
          "ocigate is called exactly like runc.  It judges what create, run, restore, exec and\n"
          "update would start against a security policy, then execs the real runtime.\n"
          "\n"
          "ocigate's own commands:\n");
  print_command_list ();
  printf ("\n"
          "ocigate's flags (before the command; never passed to the runtime):\n"
          "  --ocigate-runtime PATH      the real runtime (or OCIGATE_RUNTIME)\n"
          "  --ocigate-policy FILE       the policy file (or OCIGATE_POLICY; default %s)\n"
          "  --ocigate-profile NAME      the profile (default: the invoked name ocigate-NAME,\n"
          "                              then the policy file's, then baseline)\n"
          "  --ocigate-mode MODE         enforce or audit\n"
          "  --ocigate-audit-log FILE    the audit trail (or OCIGATE_AUDIT_LOG)\n"
          "  --ocigate-version           version, commit, policy directory and runtime\n"
          "                              (--format json for an object)\n"
          "\n"
          "Every other command (create, run, exec, update, start, state, kill, delete, ...) and\n"
          "flag is the runtime's: see `%s --help`, or `ocigate help COMMAND`.\n",
          policy_file_default_path, runtime);
  runtime_release (&rt);
}

static bool
asks_help (const struct runc_invocation *inv)
{
  for (int i = inv->verb_index + 1; i < inv->argc; i++)
    if (str_eq (inv->argv[i], "--help") || str_eq (inv->argv[i], "-h"))
      return true;
  return false;
}

/* `help [TOPIC]`: ocigate's usage, an own command's help, or -- for a runtime command --
 * COMMANDS_NOT_OURS, so that the runtime answers `help create` itself.  */
static int
help (const struct runc_invocation *inv)
{
  const char *topic = inv->verb_index + 1 < inv->argc ? inv->argv[inv->verb_index + 1] : NULL;
  const struct command *cmd = topic != NULL ? command_named (topic) : NULL;

  if (topic == NULL)
    print_usage ();
  else if (str_eq (topic, "--help") || str_eq (topic, "-h"))
    print_help (command_named ("help"));
  else if (cmd != NULL)
    print_help (cmd);
  else
    return COMMANDS_NOT_OURS;
  return 0;
}

static void
hint_unknown (const struct runc_invocation *inv)
{
  cleanup_free char *names = xstrdup ("");

  for (size_t i = 0; i < ARRAY_SIZE (runtime_commands); i++)
    if (str_eq (inv->verb_name, runtime_commands[i]))
      return;
  for (size_t i = 0; i < ARRAY_SIZE (commands); i++)
    {
      char *more = xasprintf ("%s%s%s", names, i > 0 ? ", " : "", commands[i].name);
      free (names);
      names = more;
    }
  fprintf (stderr,
           "ocigate: `%.64s` is not one of ocigate's commands (%s); passing it to the runtime\n",
           inv->verb_name, names);
}

int
commands_run (const struct runc_invocation *inv, const char *name_profile,
              const struct command **ran, ocg_error_t *err)
{
  const struct cmd_call call = { .inv = inv, .name_profile = name_profile };
  const struct command *cmd = command_named (inv->verb_name);
  int status;

  if (!commands_invoked_as_ocigate (inv->argv[0]))
    return COMMANDS_NOT_OURS;
  /* `ocigate --help` alone; with runc's global flags, --help is the runtime's.  */
  if (inv->verb == RUNC_VERB_NONE && inv->help && inv->argc == 2)
    return print_usage (), 0;
  if (inv->verb != RUNC_VERB_OTHER)
    return COMMANDS_NOT_OURS;
  if (cmd == NULL)
    return hint_unknown (inv), COMMANDS_NOT_OURS;
  if (cmd->run == NULL)
    return help (inv);
  if (asks_help (inv))
    return print_help (cmd), 0;
  *ran = cmd;
  status = cmd->run (&call, inv->argc - inv->verb_index - 1, inv->argv + inv->verb_index + 1, err);
  if (status == CMD_HELP)
    return print_help (cmd), 0;
  return status;
}
