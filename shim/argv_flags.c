/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The flag tables (see argv_flags.h); argv.c explains the grammar they feed.  */
#include <config.h>

#include "argv_flags.h"
#include "util.h"

// clang-format off
#define FLAG_B(n, a, act) { n, a, false, false, act }
#define FLAG_V(n, a, act) { n, a, true, false, act }
#define CRUN_B(n, a, act) { n, a, false, true, act }
#define CRUN_V(n, a, act) { n, a, true, true, act }
#define RES(n) FLAG_V (n, NULL, ACT_RESOURCE_FLAG)

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
 * container's config.json process and applies -c/--cap (bounding, effective, permitted and
 * ambient), -u/--user, -g/--additional-gids (extra groups such as disk or 0), --apparmor and
 * --process-label (can name an unconfined profile/label) and --no-new-privs=false (clears
 * noNewPrivileges): those are recorded, caps and user in their own fields and the rest in
 * exec_privileged_flags.  --cgroup moves the process into another sub-cgroup, with or without
 * --process, so it is recorded too.  --env, --cwd and --tty change nothing the container could
 * not do itself.  With --process, runc ignores all of these except --cgroup.  */
static const struct argv_flag exec_flags[] = {
  FLAG_V ("console-socket", NULL, ACT_NONE),
  FLAG_V ("pidfd-socket", NULL, ACT_NONE),
  FLAG_V ("cwd", NULL, ACT_NONE),
  FLAG_V ("env", "e", ACT_NONE),
  FLAG_B ("tty", "t", ACT_NONE),
  FLAG_V ("user", "u", ACT_USER),
  FLAG_V ("additional-gids", "g", ACT_LOOSENS),
  FLAG_V ("process", "p", ACT_PROCESS),
  FLAG_B ("detach", "d", ACT_NONE),
  FLAG_V ("pid-file", NULL, ACT_NONE),
  FLAG_V ("process-label", NULL, ACT_LOOSENS),
  FLAG_V ("apparmor", NULL, ACT_LOOSENS),
  FLAG_B ("no-new-privs", NULL, ACT_NO_NEW_PRIVS),
  FLAG_V ("cap", "c", ACT_CAP),
  FLAG_V ("preserve-fds", NULL, ACT_NONE),
  FLAG_V ("cgroup", NULL, ACT_LOOSENS),
  FLAG_B ("ignore-paused", NULL, ACT_NONE),
  FLAG_B ("help", "h", ACT_HELP),
};

/* runc update.go (--cpu-burst and --cpu-idle are runc >= 1.2).  With a non-empty --resources,
 * runc ignores the individual cgroup flags but still applies the two Intel RDT schemas.  */
static const struct argv_flag update_flags[] = {
  FLAG_V ("resources", "r", ACT_RESOURCES),
  RES ("blkio-weight"), RES ("cpu-period"), RES ("cpu-quota"), RES ("cpu-burst"),
  RES ("cpu-share"), RES ("cpu-rt-period"), RES ("cpu-rt-runtime"), RES ("cpu-idle"),
  RES ("cpuset-cpus"), RES ("cpuset-mems"), RES ("kernel-memory"), RES ("kernel-memory-tcp"),
  RES ("memory"), RES ("memory-reservation"), RES ("memory-swap"), RES ("pids-limit"),
  RES ("l3-cache-schema"), RES ("mem-bw-schema"),
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
  FLAG_V ("lsm-profile", NULL, ACT_LOOSENS),
  FLAG_V ("lsm-mount-context", NULL, ACT_LOOSENS),
  FLAG_B ("help", "h", ACT_HELP),
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
                   && ARRAY_SIZE (restore_flags) <= ARGV_MAX_FLAGS,
               "a flag table outgrew flag_parse.form");

const size_t argv_n_global_flags = ARRAY_SIZE (argv_global_flags);
const size_t argv_n_policed_commands = ARRAY_SIZE (argv_policed_commands);
