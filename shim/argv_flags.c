/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The flag tables (see argv_flags.h); argv.c explains the grammar they feed.  */
#include <config.h>

#include <limits.h>

#include "argv_flags.h"
#include "util.h"

/* runc treats an empty --bundle/--process/--resources/--user/... as not given (utils.go
 * setupSpec, exec.go getProcess, update.go: `!= ""`).  */
static const char *
nonempty (const char *s)
{
  return s[0] != '\0' ? s : NULL;
}

/* Append to one of the repeatable flags' lists.  Its room is every token after the subcommand
 * plus the terminating NULL (`room`), so it never needs to grow.  */
static void
list_append (size_t room, struct argv_list *list, const char *value)
{
  if (list->v == NULL)
    list->v = xmalloc (room * sizeof (*list->v));
  list->v[list->n++] = value;
  list->v[list->n] = NULL;
}

/* Global flags: what runc's main.go and crun's src/crun.c do with them.  */
static void
flag_apply_global (const struct argv_flag *f, const char *value, bool on,
                   struct runc_invocation *inv)
{
  switch (f->act)
    {
    case ACT_HELP:
      inv->help = on;
      break;
    case ACT_VERSION:
      inv->version = on;
      break;
    case ACT_DEBUG:
      inv->debug = on;
      break;
    case ACT_SYSTEMD_CGROUP:
      inv->systemd_cgroup = on;
      inv->cgroups_disabled = inv->cgroups_disabled && !on;
      break;
    case ACT_CGROUP_MANAGER:
      inv->systemd_cgroup = str_eq (value, "systemd");
      inv->cgroups_disabled = str_eq (value, "disabled");
      break;
    case ACT_LOG:
      inv->log_path = value;
      break;
    case ACT_LOG_FORMAT:
      inv->log_format = value;
      break;
    case ACT_ROOT:
      inv->root = value;
      break;
    default:
      break;
    }
}

/* The exec flags that shape the process runc or crun will start.  */
static void
flag_apply_exec (const struct argv_flag *f, const char *value, bool on, size_t room,
                 struct runc_invocation *inv)
{
  switch (f->act)
    {
    case ACT_CAP:
      list_append (room, &inv->caps, value);
      break;
    case ACT_ENV:
      list_append (room, &inv->env, value);
      break;
    case ACT_GIDS:
      list_append (room, &inv->gids, value);
      break;
    case ACT_CGROUP:
      list_append (room, &inv->cgroups, value);
      break;
    case ACT_USER:
      inv->user = nonempty (value);
      break;
    case ACT_CWD:
      inv->cwd = nonempty (value);
      break;
    case ACT_APPARMOR:
      inv->apparmor = nonempty (value);
      break;
    case ACT_PROCESS_LABEL:
      inv->process_label = nonempty (value);
      break;
    case ACT_NO_NEW_PRIVS:
      inv->no_new_privs = on;
      break;
    case ACT_TTY:
      inv->tty = on;
      break;
    default:
      flag_apply_global (f, value, on, inv);
      break;
    }
}

void
argv_flag_apply (const struct argv_flag *f, const char *value, bool on, size_t room,
                 struct runc_invocation *inv)
{
  if (f->crun_only)
    inv->crun_only = true;
  switch (f->act)
    {
    case ACT_BUNDLE:
      inv->bundle = nonempty (value);
      break;
    case ACT_CONFIG:
      inv->config = value;
      break;
    case ACT_PROCESS:
      inv->process_path = nonempty (value);
      break;
    case ACT_RESTORE_LSM:
      inv->restore_lsm |= value[0] != '\0';
      break;
    case ACT_RESOURCES:
      inv->resources_path = nonempty (value);
      break;
    case ACT_RESOURCE_FLAG:
      inv->update_has_flags = true;
      inv->update_values[f->slot] = value;
      if (inv->update_count[f->slot] < UCHAR_MAX)
        inv->update_count[f->slot]++;
      break;
    default:
      flag_apply_exec (f, value, on, room, inv);
      break;
    }
}

// clang-format off
#define FLAG_B(n, a, act) { n, a, false, false, act, 0 }
#define FLAG_V(n, a, act) { n, a, true, false, act, 0 }
#define CRUN_B(n, a, act) { n, a, false, true, act, 0 }
#define CRUN_V(n, a, act) { n, a, true, true, act, 0 }
#define RES(n, slot) { n, NULL, true, false, ACT_RESOURCE_FLAG, ARGV_UPDATE_##slot }

/* runc main.go app.Flags, urfave's help and version, and crun's extras (src/crun.c options[],
 * 1.8.1 and HEAD; argp also adds -? and --usage, and crun aliases -V to --version).  Note that
 * crun 1.8.1 maps --rootless to its --root option.  */
const struct argv_flag argv_global_flags[] = {
  FLAG_B ("debug", NULL, ACT_DEBUG),
  FLAG_V ("log", NULL, ACT_LOG),
  FLAG_V ("log-format", NULL, ACT_LOG_FORMAT),
  FLAG_V ("root", NULL, ACT_ROOT),
  FLAG_V ("criu", NULL, ACT_NONE),
  FLAG_B ("systemd-cgroup", NULL, ACT_SYSTEMD_CGROUP),
  FLAG_V ("rootless", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
  FLAG_B ("version", "v", ACT_VERSION),
  CRUN_V ("cgroup-manager", NULL, ACT_CGROUP_MANAGER),
  CRUN_V ("log-level", NULL, ACT_NONE),
  CRUN_B ("V", NULL, ACT_VERSION),
  CRUN_B ("usage", NULL, ACT_HELP),
  CRUN_B ("?", NULL, ACT_HELP),
};

/* runc create.go; --pidfd-socket is runc >= 1.2; crun src/create.c adds -f/--config and
 * --no-subreaper.  */
static const struct argv_flag create_flags[] = {
  FLAG_V ("bundle", "b", ACT_BUNDLE),
  FLAG_V ("console-socket", NULL, ACT_NONE),
  FLAG_V ("pidfd-socket", NULL, ACT_NONE),
  FLAG_V ("pid-file", NULL, ACT_NONE),
  FLAG_B ("no-pivot", NULL, ACT_NONE),
  FLAG_B ("no-new-keyring", NULL, ACT_NONE),
  FLAG_V ("preserve-fds", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
  CRUN_V ("config", "f", ACT_CONFIG),
  CRUN_B ("no-subreaper", NULL, ACT_NONE),
};

/* runc run.go (+ --pidfd-socket); crun src/run.c adds -f/--config.  */
static const struct argv_flag run_flags[] = {
  FLAG_V ("bundle", "b", ACT_BUNDLE),
  FLAG_V ("console-socket", NULL, ACT_NONE),
  FLAG_V ("pidfd-socket", NULL, ACT_NONE),
  FLAG_B ("detach", "d", ACT_NONE),
  FLAG_B ("keep", NULL, ACT_NONE),
  FLAG_V ("pid-file", NULL, ACT_NONE),
  FLAG_B ("no-subreaper", NULL, ACT_NONE),
  FLAG_B ("no-pivot", NULL, ACT_NONE),
  FLAG_B ("no-new-keyring", NULL, ACT_NONE),
  FLAG_V ("preserve-fds", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
  CRUN_V ("config", "f", ACT_CONFIG),
};

/* runc exec.go (+ --pidfd-socket).  Without --process, runc (exec.go getProcess) starts from the
 * container's config.json process and applies the flags on top; crun 1.8.1 (src/exec.c) builds a
 * new process from them.  Every flag that shapes that process is recorded (shim/exec_synth.c
 * builds it the way each runtime does); --cgroup applies with or without --process.  */
static const struct argv_flag exec_flags[] = {
  FLAG_V ("console-socket", NULL, ACT_NONE),
  FLAG_V ("pidfd-socket", NULL, ACT_NONE),
  FLAG_V ("cwd", NULL, ACT_CWD),
  FLAG_V ("env", "e", ACT_ENV),
  FLAG_B ("tty", "t", ACT_TTY),
  FLAG_V ("user", "u", ACT_USER),
  FLAG_V ("additional-gids", "g", ACT_GIDS),
  FLAG_V ("process", "p", ACT_PROCESS),
  FLAG_B ("detach", "d", ACT_NONE),
  FLAG_V ("pid-file", NULL, ACT_NONE),
  FLAG_V ("process-label", NULL, ACT_PROCESS_LABEL),
  FLAG_V ("apparmor", NULL, ACT_APPARMOR),
  FLAG_B ("no-new-privs", NULL, ACT_NO_NEW_PRIVS),
  FLAG_V ("cap", "c", ACT_CAP),
  FLAG_V ("preserve-fds", NULL, ACT_NONE),
  FLAG_V ("cgroup", NULL, ACT_CGROUP),
  FLAG_B ("ignore-paused", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

/* runc update.go (--cpu-burst and --cpu-idle are runc >= 1.2).  With a non-empty --resources,
 * runc ignores the individual cgroup flags but still applies the two Intel RDT schemas.  */
static const struct argv_flag update_flags[] = {
  FLAG_V ("resources", "r", ACT_RESOURCES),
  RES ("blkio-weight", BLKIO_WEIGHT), RES ("cpu-period", CPU_PERIOD),
  RES ("cpu-quota", CPU_QUOTA), RES ("cpu-burst", CPU_BURST), RES ("cpu-share", CPU_SHARE),
  RES ("cpu-rt-period", CPU_RT_PERIOD), RES ("cpu-rt-runtime", CPU_RT_RUNTIME),
  RES ("cpu-idle", CPU_IDLE), RES ("cpuset-cpus", CPUSET_CPUS), RES ("cpuset-mems", CPUSET_MEMS),
  RES ("kernel-memory", KERNEL_MEMORY), RES ("kernel-memory-tcp", KERNEL_MEMORY_TCP),
  RES ("memory", MEMORY), RES ("memory-reservation", MEMORY_RESERVATION),
  RES ("memory-swap", MEMORY_SWAP), RES ("pids-limit", PIDS_LIMIT),
  RES ("l3-cache-schema", L3_CACHE_SCHEMA), RES ("mem-bw-schema", MEM_BW_SCHEMA),
  FLAG_B ("help", "h", ACT_HELP),
};

/* runc restore.go (checked against `runc restore --help` of 1.1.5): it chdir()s into --bundle
 * and loads config.json exactly like create, so the same document is judged.  --lsm-profile and
 * --lsm-mount-context replace the config's AppArmor/SELinux labels for the restored process.  */
static const struct argv_flag restore_flags[] = {
  FLAG_V ("console-socket", NULL, ACT_NONE),
  FLAG_V ("image-path", NULL, ACT_NONE),
  FLAG_V ("work-path", NULL, ACT_NONE),
  FLAG_B ("tcp-established", NULL, ACT_NONE),
  FLAG_B ("ext-unix-sk", NULL, ACT_NONE),
  FLAG_B ("shell-job", NULL, ACT_NONE),
  FLAG_B ("file-locks", NULL, ACT_NONE),
  FLAG_V ("manage-cgroups-mode", NULL, ACT_NONE),
  FLAG_V ("bundle", "b", ACT_BUNDLE),
  FLAG_B ("detach", "d", ACT_NONE),
  FLAG_V ("pid-file", NULL, ACT_NONE),
  FLAG_B ("no-subreaper", NULL, ACT_NONE),
  FLAG_B ("no-pivot", NULL, ACT_NONE),
  FLAG_V ("empty-ns", NULL, ACT_NONE),
  FLAG_B ("auto-dedup", NULL, ACT_NONE),
  FLAG_B ("lazy-pages", NULL, ACT_NONE),
  FLAG_V ("lsm-profile", NULL, ACT_RESTORE_LSM),
  FLAG_V ("lsm-mount-context", NULL, ACT_RESTORE_LSM),
  FLAG_B ("help", "h", ACT_HELP),
};

/* The pass-through verbs that name a container (runc 1.1.5 kill.go, delete.go, ps.go, events.go,
 * checkpoint.go; start, state, pause and resume have no flags of their own).  */
static const struct argv_flag help_only_flags[] = {
  FLAG_B ("help", "h", ACT_HELP),
};

static const struct argv_flag kill_flags[] = {
  FLAG_B ("all", "a", ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

static const struct argv_flag delete_flags[] = {
  FLAG_B ("force", "f", ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

static const struct argv_flag ps_flags[] = {
  FLAG_V ("format", "f", ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

static const struct argv_flag events_flags[] = {
  FLAG_V ("interval", NULL, ACT_NONE),
  FLAG_B ("stats", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

static const struct argv_flag checkpoint_flags[] = {
  FLAG_V ("image-path", NULL, ACT_NONE),
  FLAG_V ("work-path", NULL, ACT_NONE),
  FLAG_V ("parent-path", NULL, ACT_NONE),
  FLAG_B ("leave-running", NULL, ACT_NONE),
  FLAG_B ("tcp-established", NULL, ACT_NONE),
  FLAG_B ("ext-unix-sk", NULL, ACT_NONE),
  FLAG_B ("shell-job", NULL, ACT_NONE),
  FLAG_B ("lazy-pages", NULL, ACT_NONE),
  FLAG_V ("status-fd", NULL, ACT_NONE),
  FLAG_V ("page-server", NULL, ACT_NONE),
  FLAG_B ("file-locks", NULL, ACT_NONE),
  FLAG_B ("pre-dump", NULL, ACT_NONE),
  FLAG_V ("manage-cgroups-mode", NULL, ACT_NONE),
  FLAG_V ("empty-ns", NULL, ACT_NONE),
  FLAG_B ("auto-dedup", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

#define OTHER(name, flags, reorder) { name, RUNC_VERB_OTHER, flags, ARRAY_SIZE (flags), reorder, false }

const struct argv_command argv_other_commands[] = {
  OTHER ("start", help_only_flags, true), OTHER ("state", help_only_flags, true),
  OTHER ("kill", kill_flags, true), OTHER ("delete", delete_flags, true),
  OTHER ("pause", help_only_flags, true), OTHER ("resume", help_only_flags, true),
  OTHER ("ps", ps_flags, false), OTHER ("events", events_flags, true),
  OTHER ("checkpoint", checkpoint_flags, true),
};

const struct argv_command argv_policed_commands[] = {
  { "create", RUNC_VERB_CREATE, create_flags, ARRAY_SIZE (create_flags), true, true },
  { "run", RUNC_VERB_RUN, run_flags, ARRAY_SIZE (run_flags), true, true },
  { "exec", RUNC_VERB_EXEC, exec_flags, ARRAY_SIZE (exec_flags), false, false },
  { "update", RUNC_VERB_UPDATE, update_flags, ARRAY_SIZE (update_flags), true, true },
  { "restore", RUNC_VERB_RESTORE, restore_flags, ARRAY_SIZE (restore_flags), true, true },
};
// clang-format on

_Static_assert(ARRAY_SIZE (argv_global_flags) <= ARGV_MAX_FLAGS
                   && ARRAY_SIZE (create_flags) <= ARGV_MAX_FLAGS
                   && ARRAY_SIZE (run_flags) <= ARGV_MAX_FLAGS
                   && ARRAY_SIZE (exec_flags) <= ARGV_MAX_FLAGS
                   && ARRAY_SIZE (update_flags) <= ARGV_MAX_FLAGS
                   && ARRAY_SIZE (restore_flags) <= ARGV_MAX_FLAGS
                   && ARRAY_SIZE (checkpoint_flags) <= ARGV_MAX_FLAGS,
               "a flag table outgrew flag_parse.form");

const size_t argv_n_global_flags = ARRAY_SIZE (argv_global_flags);
const size_t argv_n_policed_commands = ARRAY_SIZE (argv_policed_commands);
const size_t argv_n_other_commands = ARRAY_SIZE (argv_other_commands);
