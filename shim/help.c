/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ocigate's own help and version (see help.h).  */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include <yajl/yajl_gen.h>

#include "help.h"
#include "ocg-commit.h"
#include "passthrough.h"
#include "policy_file.h"
#include "util.h"

/* One of ocigate's own commands and its usage.  */
struct own_command
{
  const char *name;
  const char *usage;
};

static const struct own_command own_commands[] = {
  { "check",
    "usage: ocigate [--ocigate-profile P] [--ocigate-policy FILE] check BUNDLE|CONFIG [ID]\n"
    "\n"
    "Judge a bundle (its config.json) or a config file as `create` would, and print the\n"
    "decision record: verdict, findings with their CIS and PSS ids, and the JSON Patch a\n"
    "run would apply.  Nothing is changed.  Exit 0 allowed, 1 denied, 2 error.\n" },
  { "policy", "usage: ocigate policy show [--profile PROFILE] [FILE]\n"
              "       ocigate policy validate [FILE]\n"
              "\n"
              "show      print the effective policy of a profile as a policy file\n"
              "validate  check a policy file, its drop-ins and every profile in them\n"
              "FILE defaults to --ocigate-policy, then OCIGATE_POLICY, then the default file.\n" },
  { "seccomp", "usage: ocigate seccomp check FILE\n"
               "\n"
               "check     validate a seccomp profile as the policy would load it\n" },
  { "help", "usage: ocigate help [COMMAND]\n" },
};

/* The subcommands runc 1.1.5 (main.go) and crun 1.8.1 (src/crun.c commands[]) know.  */
static const char *const runtime_commands[] = {
  "checkpoint", "create", "delete", "events", "exec",  "features", "kill",   "list", "pause", "ps",
  "restore",    "resume", "run",    "spec",   "start", "state",    "update", "help", "h",
};

bool
help_invoked_as_ocigate (const char *argv0)
{
  const char *base = strrchr (argv0, '/');

  base = base ? base + 1 : argv0;
  return str_has_prefix (base, "ocigate");
}

static const struct own_command *
own_command_named (const char *name)
{
  for (size_t i = 0; name != NULL && i < ARRAY_SIZE (own_commands); i++)
    if (str_eq (name, own_commands[i].name))
      return &own_commands[i];
  return NULL;
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
          "ocigate's own commands:\n"
          "  check BUNDLE|CONFIG         explain the decision for a bundle, change nothing\n"
          "  policy show|validate        print or check the policy files\n"
          "  seccomp check FILE          validate a seccomp profile\n"
          "  help [COMMAND]              this text, or a command's (`ocigate COMMAND --help`)\n"
          "\n"
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

int
help_command (const struct runc_invocation *inv)
{
  const struct own_command *cmd = own_command_named (inv->verb_name);
  const char *topic = inv->verb_index + 1 < inv->argc ? inv->argv[inv->verb_index + 1] : NULL;

  if (!help_invoked_as_ocigate (inv->argv[0]))
    return -1;
  if ((inv->verb == RUNC_VERB_NONE && inv->help && inv->argc == 2)
      || ((str_eq (inv->verb_name, "help") || str_eq (inv->verb_name, "h")) && topic == NULL))
    {
      print_usage ();
      return 0;
    }
  if (str_eq (inv->verb_name, "help") || str_eq (inv->verb_name, "h"))
    cmd = own_command_named (topic);
  else if (cmd == NULL || !asks_help (inv))
    return -1;
  if (cmd == NULL)
    return -1; /* `help create`: the runtime's help */
  fputs (cmd->usage, stdout);
  return 0;
}

void
help_hint_unknown (const struct runc_invocation *inv)
{
  if (inv->verb != RUNC_VERB_OTHER || !help_invoked_as_ocigate (inv->argv[0])
      || own_command_named (inv->verb_name) != NULL)
    return;
  for (size_t i = 0; i < ARRAY_SIZE (runtime_commands); i++)
    if (str_eq (inv->verb_name, runtime_commands[i]))
      return;
  fprintf (stderr,
           "ocigate: `%.64s` is not one of ocigate's commands (check, policy, seccomp, help); "
           "passing it to the runtime\n",
           inv->verb_name);
}

/* ---- --ocigate-version ---- */

struct version_facts
{
  const char *commit;
  char *policy_dir;
  char *policy_file;
  struct runtime rt;
  char *runtime_error;
};

static void
version_facts (const struct runc_invocation *inv, struct version_facts *v)
{
  const char *slash = strrchr (policy_file_default_path, '/');
  const char *env = getenv (POLICY_FILE_ENV);
  cleanup_error ocg_error_t err = NULL;

  v->commit = OCG_COMMIT;
  v->policy_dir
      = slash ? xstrndup (policy_file_default_path, (size_t)(slash - policy_file_default_path))
              : xstrdup (".");
  v->policy_file = xstrdup (inv->ocg_policy                 ? inv->ocg_policy
                            : env != NULL && env[0] != '\0' ? env
                                                            : policy_file_default_path);
  if (passthrough_runtime (inv, &v->rt, &err) < 0)
    v->runtime_error = ocg_error_text (err);
}

static void
gen_kv (yajl_gen g, const char *key, const char *value)
{
  yajl_gen_string (g, (const unsigned char *)key, strlen (key));
  if (value == NULL)
    yajl_gen_null (g);
  else
    yajl_gen_string (g, (const unsigned char *)value, strlen (value));
}

static void
print_json (const struct version_facts *v)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf = NULL;
  size_t len = 0;

  if (g == NULL)
    ocg_oom ();
  yajl_gen_map_open (g);
  gen_kv (g, "version", PACKAGE_VERSION);
  gen_kv (g, "commit", v->commit);
  gen_kv (g, "policy_directory", v->policy_dir);
  gen_kv (g, "policy_file", v->policy_file);
  gen_kv (g, "runtime", v->rt.path);
  if (v->runtime_error != NULL)
    gen_kv (g, "runtime_error", v->runtime_error);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  printf ("%.*s\n", (int)len, (const char *)buf);
  yajl_gen_free (g);
}

/* The words after --ocigate-version: nothing, `--format F` or `--format=F`.  */
static const char *
version_format (const struct runc_invocation *inv)
{
  if (inv->argc == 1)
    return "text";
  if (inv->argc == 3 && str_eq (inv->argv[1], "--format"))
    return inv->argv[2];
  if (inv->argc == 2 && str_has_prefix (inv->argv[1], "--format="))
    return inv->argv[1] + strlen ("--format=");
  return NULL;
}

int
help_version (const struct runc_invocation *inv)
{
  const char *format = version_format (inv);
  struct version_facts v = { 0 };

  if (!str_eq (format, "text") && !str_eq (format, "json"))
    {
      fprintf (stderr, "usage: ocigate --ocigate-version [--format text|json]\n");
      return 2;
    }
  version_facts (inv, &v);
  if (str_eq (format, "json"))
    print_json (&v);
  else
    printf ("ocigate version %s\ncommit: %s\npolicy directory: %s\npolicy file: %s\n"
            "runtime: %s\n",
            PACKAGE_VERSION, v.commit, v.policy_dir, v.policy_file,
            v.rt.path != NULL ? v.rt.path : v.runtime_error);
  free (v.policy_dir);
  free (v.policy_file);
  free (v.runtime_error);
  runtime_release (&v.rt);
  return 0;
}
