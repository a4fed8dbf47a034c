/* SPDX-License-Identifier: GPL-2.0-or-later */
/* runc's command line -> struct runc_invocation.
 *
 * Owns: the grammar of runc 1.1.x (urfave/cli v1 over Go's flag package) and crun's extensions:
 * global flags, the subcommand, the create/run/exec/update flags, the bundle and container id
 * runc would use, and ocigate's own `--ocigate-*` global flags.
 * Must not: open files, print, or mutate argv.  The pointers in the result point into argv.  */
#ifndef OCG_ARGV_H
#define OCG_ARGV_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum runc_verb
{
  RUNC_VERB_NONE, /* no subcommand: --version, --help, or nothing */
  RUNC_VERB_CREATE,
  RUNC_VERB_RUN,
  RUNC_VERB_EXEC,
  RUNC_VERB_UPDATE,
  RUNC_VERB_RESTORE, /* loads <bundle>/config.json exactly like create: policed like it */
  RUNC_VERB_OTHER,   /* start, state, kill, delete, ps, features, ...: passed through */
};

/* runc update's individual resource flags (update.go), in the order of its flag list.  */
enum argv_update_flag
{
  ARGV_UPDATE_BLKIO_WEIGHT,
  ARGV_UPDATE_CPU_PERIOD,
  ARGV_UPDATE_CPU_QUOTA,
  ARGV_UPDATE_CPU_BURST,
  ARGV_UPDATE_CPU_SHARE,
  ARGV_UPDATE_CPU_RT_PERIOD,
  ARGV_UPDATE_CPU_RT_RUNTIME,
  ARGV_UPDATE_CPU_IDLE,
  ARGV_UPDATE_CPUSET_CPUS,
  ARGV_UPDATE_CPUSET_MEMS,
  ARGV_UPDATE_KERNEL_MEMORY,
  ARGV_UPDATE_KERNEL_MEMORY_TCP,
  ARGV_UPDATE_MEMORY,
  ARGV_UPDATE_MEMORY_RESERVATION,
  ARGV_UPDATE_MEMORY_SWAP,
  ARGV_UPDATE_PIDS_LIMIT,
  ARGV_UPDATE_L3_CACHE_SCHEMA,
  ARGV_UPDATE_MEM_BW_SCHEMA,
  ARGV_UPDATE_N,
};

/* A flag that may be given more than once (Go's StringSlice, Int64Slice): its values in order.
 * The vector is malloc'd (argv_invocation_free), the strings point into argv.  */
struct argv_list
{
  const char **v;
  size_t n;
};

struct runc_invocation
{
  /* The argv to hand to the runtime: the original argv minus the --ocigate-* flags (and their
   * values), NULL-terminated.  argv[0] is left as ocigate's argv[0]; the caller replaces it.  The
   * array is malloc'd (free it with argv_invocation_free); its strings point into the original.  */
  char **argv;
  int argc;

  enum runc_verb verb;
  const char *verb_name; /* the subcommand as written, NULL for RUNC_VERB_NONE */
  int verb_index;        /* index of the subcommand in ->argv, or -1 */

  /* runc global flags (last one wins, as with Go's flag package). */
  const char *log_path;   /* --log */
  const char *log_format; /* --log-format: "text" (default) or "json" */
  const char *root;       /* --root */
  bool debug;
  bool systemd_cgroup;
  /* crun's `--cgroup-manager=disabled` is in force (the last of --cgroup-manager and
   * --systemd-cgroup wins, src/crun.c parse_opt): the container would get no cgroup.  */
  bool cgroups_disabled;
  bool help;    /* -h/--help anywhere runc would honour it */
  bool version; /* -v/--version */
  /* A flag only crun knows was used: global --cgroup-manager, --log-level, -V, -?, --usage;
   * create/run -f/--config; create --no-subreaper.  runc 1.1.5 rejects each of them.  */
  bool crun_only;
  /* A flag was spelled in a form that only Go's flag package reads the way runc does: one dash
   * before a long name (`-bundle=X`) or `=` after a one-letter name (`-b=X`).  crun's getopt reads
   * those as `-b undle=X` and `-b =X` (checked with crun 1.8.1), so ocigate would judge another
   * bundle/config/process file than crun opens: main must refuse this when the runtime is crun.  */
  bool go_only_syntax;

  /* create / run */
  const char *bundle; /* -b/--bundle; NULL means the working directory */
  const char *config; /* crun's -f/--config FILE (create and run); NULL when absent */
  /* The first positional argument after the subcommand's flags: for create/run/exec/update/restore
   * as runc requires it; for start, state, kill, delete, pause, resume, ps, events and
   * checkpoint as far as runc's grammar for them gives one (NULL otherwise: the call still goes
   * to the runtime, which reports its own usage error).  */
  const char *container_id;

  /* exec.  Without --process, runc starts the config's process with these applied on top (exec.go
   * getProcess) and crun builds a new process from them (src/exec.c); with --process both ignore
   * them except --cgroup.  Values runc treats as "not given" when empty are NULL then.  */
  const char *process_path;     /* -p/--process FILE */
  struct argv_list caps;        /* -c/--cap, in order */
  struct argv_list env;         /* -e/--env */
  struct argv_list gids;        /* -g/--additional-gids, as written (Go Int64Slice) */
  struct argv_list cgroups;     /* --cgroup, as written (runc: a StringSlice; crun: the last) */
  const char *user;             /* -u/--user */
  const char *cwd;              /* --cwd */
  const char *apparmor;         /* --apparmor */
  const char *process_label;    /* --process-label */
  int no_new_privs;             /* --no-new-privs: -1 absent, else its value */
  bool tty;                     /* -t/--tty given true */
  const char *const *exec_args; /* the command after the container id (n_exec_args of them) */
  size_t n_exec_args;
  /* restore --lsm-profile / --lsm-mount-context: they replace the judged config's labels.  */
  bool restore_lsm;

  /* update */
  const char *resources_path; /* -r/--resources FILE, or "-" for stdin */
  bool update_has_flags;      /* individual resource flags (--memory, --pids-limit, ...) used */
  /* The individual flags' values (last one wins, as Go's flag package does) and how often each
   * was given (crun adds every occurrence to its document), by enum argv_update_flag.  */
  const char *update_values[ARGV_UPDATE_N];
  unsigned char update_count[ARGV_UPDATE_N];

  /* ocigate's own global flags (removed from ->argv). */
  const char *ocg_runtime;
  const char *ocg_policy;
  const char *ocg_profile;
  const char *ocg_mode;
  const char *ocg_audit_log;
  bool ocg_version; /* --ocigate-version */
};

/* Parse argv.  Fails (fail closed) only where ocigate could not tell what runc will do:
 * for create/run an unknown flag before the container id, a flag missing its value, or no
 * container id; for exec/update an unknown flag before the container id; an unknown --ocigate-*
 * flag anywhere.  For every other subcommand, a parse problem is runc's to report: the
 * invocation is marked RUNC_VERB_OTHER and passed through.
 *
 * In detail (argv.c explains each rule with its source): every flag error runc itself would
 * report on create/run/exec/update is an error here too (unknown or malformed flag, missing
 * value, invalid boolean, both spellings of one flag, wrong number of positional arguments,
 * empty container id).  A global-flag error is passed through as RUNC_VERB_NONE (runc stops
 * there and runs nothing) unless a later token is create/run/exec/update or an --ocigate-* flag.
 * Help honoured on create/run/exec/update (`create -h`) makes the verb RUNC_VERB_OTHER with
 * ->help set: runc only prints help.  Empty --bundle/--process/--resources/--user values are
 * reported as NULL, because runc treats "" as "not given".  ->log_format is NULL when absent.
 * On failure *out is zeroed except log_path/log_format as far as they were parsed, so the
 * error can still reach the engine's --log file (argv_invocation_free on it is a no-op).  */
OCG_MUST_CHECK
int argv_parse (int argc, char **argv, struct runc_invocation *out, ocg_error_t *err);

void argv_invocation_free (struct runc_invocation *inv);

/* True for the verbs ocigate judges (create, run, exec, update).  */
bool argv_is_policed (const struct runc_invocation *inv);

#endif
