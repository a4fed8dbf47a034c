/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The flag tables argv.c parses with: runc 1.1.5's and crun 1.8.1's global and subcommand flags.
 *
 * Owns: which flags exist, their aliases, whether they take a value, and what each one means
 * for the judged invocation.  Must not: parse anything (argv.c does).  */
#ifndef OCG_ARGV_FLAGS_H
#define OCG_ARGV_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "argv.h"

/* What a flag does to the invocation.  */
enum argv_act
{
  ACT_NONE, /* known, but has no bearing on what ocigate judges */
  ACT_HELP,
  ACT_VERSION,
  ACT_DEBUG,
  ACT_SYSTEMD_CGROUP,
  ACT_CGROUP_MANAGER,
  ACT_LOG,
  ACT_LOG_FORMAT,
  ACT_ROOT,
  ACT_BUNDLE,
  ACT_CONFIG,
  ACT_PROCESS,
  ACT_CAP,
  ACT_ENV,
  ACT_GIDS,
  ACT_CGROUP,
  ACT_USER,
  ACT_CWD,
  ACT_APPARMOR,
  ACT_PROCESS_LABEL,
  ACT_NO_NEW_PRIVS,
  ACT_TTY,
  ACT_RESTORE_LSM, /* restore: a non-empty value replaces the judged labels */
  ACT_RESOURCES,
  ACT_RESOURCE_FLAG, /* update: one of enum argv_update_flag, in `slot` */
};

/* One urfave/cli flag.  "name, alias" registers two independent Go flags.  */
struct argv_flag
{
  const char *name;
  const char *alias;
  bool value;     /* takes a value (not a Go boolFlag) */
  bool crun_only; /* crun accepts it, runc 1.1.5 does not */
  enum argv_act act;
  unsigned char slot; /* ACT_RESOURCE_FLAG: its enum argv_update_flag */
};

#define ARGV_MAX_FLAGS 24

/* A subcommand ocigate parses.  */
struct argv_command
{
  const char *name;
  enum runc_verb verb;
  const struct argv_flag *flags;
  size_t n_flags;
  bool reorder; /* urfave reorderArgs runs (no SkipArgReorder) */
  bool exact;   /* exactly one positional argument; otherwise at least one */
};

/* Record one parsed flag in inv: `value` as written ("true"/"false" for a boolean, whose value
 * is `on`).  `room` is the capacity a repeatable flag's list gets: every token after the
 * subcommand plus the terminating NULL.  */
void argv_flag_apply (const struct argv_flag *f, const char *value, bool on, size_t room,
                      struct runc_invocation *inv);

extern const struct argv_flag argv_global_flags[];
extern const size_t argv_n_global_flags;
extern const struct argv_command argv_policed_commands[];
extern const size_t argv_n_policed_commands;
/* The pass-through subcommands that name a container (start, state, kill, ...): parsed only to
 * find its id, never to refuse anything.  */
extern const struct argv_command argv_other_commands[];
extern const size_t argv_n_other_commands;

#endif
