/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for shim/argv.c: the real argv vectors Debian 12's Docker 20.10, containerd 1.6 (ctr
 * and CRI) and Podman 4.3 were recorded sending to a runtime, copied below as they came, then the
 * edge forms of runc's grammar.  Every case pins every field it could affect: a case that does not
 * mention `debug` asserts that debug is false.  The edge forms were checked against /usr/sbin/runc
 * (tests/integration/argv.bats does that for the bundle forms on every run).  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "argv.h"
#include "err.h"
#include "util.h"

enum
{
  F_HELP = 1 << 0,
  F_VERSION = 1 << 1,
  F_DEBUG = 1 << 2,
  F_SYSTEMD = 1 << 3,
  F_CRUN = 1 << 4,
  F_GO = 1 << 5,
  F_TTY = 1 << 6,
  F_UPD = 1 << 7,
  F_LSM = 1 << 8, /* restore --lsm-profile / --lsm-mount-context */
};

/* --no-new-privs as written: absent, false, true.  */
enum
{
  NNP_ABSENT,
  NNP_FALSE,
  NNP_TRUE,
};

struct argv_case
{
  const char *name;
  const char *argv[40]; /* argv[0] is "runc"; NULL-terminated */
  bool error;
  const char *error_has; /* a substring the error message must contain */
  enum runc_verb verb;
  const char *verb_name;
  const char *bundle, *id, *process, *resources, *config, *user;
  const char *caps[4];
  const char *env[3], *gids[3], *cgroups[3], *args[3];
  const char *cwd, *apparmor, *label;
  int nnp;
  const char *upd[ARGV_UPDATE_N];
  const char *root, *log, *log_format;
  unsigned bits;
};

#define A(...)                                                                                     \
  {                                                                                                \
    "runc", __VA_ARGS__, NULL                                                                      \
  }

/* Docker 20.10 -> containerd-shim-runc-v2 (section 2).  */
#define DROOT "/tmp/lab-docker/exec/runtime-runc/moby"
#define DB "/tmp/lab-docker/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/e4bafbef"
#define DID "e4bafbef4c1b8a3b2d7c5f0a9e8d6c4b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d"
#define DG "--root", DROOT, "--log", DB "/log.json", "--log-format", "json"
#define DGX .root = DROOT, .log = DB "/log.json", .log_format = "json"

static const struct argv_case docker_cases[] = {
  { "docker create", A (DG, "create", "--bundle", DB, "--pid-file", DB "/init.pid", DID),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = DB, .id = DID, DGX },
  { "docker create -t",
    A (DG, "create", "--bundle", DB, "--pid-file", DB "/init.pid", "--console-socket",
       "/tmp/pty123/pty.sock", DID),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = DB, .id = DID, DGX },
  { "docker start", A (DG, "start", DID), .verb = RUNC_VERB_OTHER, .verb_name = "start", .id = DID,
    DGX },
  { "docker delete", A (DG, "delete", DID), .verb = RUNC_VERB_OTHER, .verb_name = "delete",
    .id = DID, DGX },
  { "docker delete --force", A (DG, "delete", "--force", DID), .verb = RUNC_VERB_OTHER,
    .verb_name = "delete", .id = DID, DGX },
  { "docker exec",
    A (DG, "exec", "--process", "/tmp/runc-process812", "--detach", "--pid-file", DB "/5f1e.pid",
       DID),
    .verb = RUNC_VERB_EXEC, .verb_name = "exec", .id = DID, .process = "/tmp/runc-process812",
    DGX },
  { "docker exec -t",
    A (DG, "exec", "--process", "/tmp/runc-process813", "--console-socket", "/tmp/pty77/pty.sock",
       "--detach", "--pid-file", DB "/5f1f.pid", DID),
    .verb = RUNC_VERB_EXEC, .verb_name = "exec", .id = DID, .process = "/tmp/runc-process813",
    DGX },
  { "docker top", A (DG, "ps", "--format", "json", DID), .verb = RUNC_VERB_OTHER, .verb_name = "ps",
    .id = DID, DGX },
  { "docker pause", A (DG, "pause", DID), .verb = RUNC_VERB_OTHER, .verb_name = "pause", .id = DID,
    DGX },
  { "docker unpause", A (DG, "resume", DID), .verb = RUNC_VERB_OTHER, .verb_name = "resume",
    .id = DID, DGX },
  { "docker update", A (DG, "update", "--resources", "-", DID), .verb = RUNC_VERB_UPDATE,
    .verb_name = "update", .id = DID, .resources = "-", DGX },
  { "docker stop", A (DG, "kill", DID, "15"), .verb = RUNC_VERB_OTHER, .verb_name = "kill",
    .id = DID, DGX },
  { "docker kill", A (DG, "kill", DID, "9"), .verb = RUNC_VERB_OTHER, .verb_name = "kill",
    .id = DID, DGX },
  { "dockerd --version", A ("--version"), .verb = RUNC_VERB_NONE, .bits = F_VERSION },
  { "docker runtimeArgs --debug",
    A ("--debug", DG, "create", "--bundle", DB, "--pid-file", DB "/init.pid", DID),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = DB, .id = DID, DGX,
    .bits = F_DEBUG },
};

/* containerd 1.6 + ctr (section 3).  */
#define CROOT "/run/containerd/runc/lab"
#define CB "/tmp/lab-containerd/state/io.containerd.runtime.v2.task/lab/c1"
#define CG "--root", CROOT, "--log", CB "/log.json", "--log-format", "json"
#define CGX .root = CROOT, .log = CB "/log.json", .log_format = "json"

static const struct argv_case ctr_cases[] = {
  { "ctr run", A (CG, "create", "--bundle", CB, "--pid-file", CB "/init.pid", "c1"),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = CB, .id = "c1", CGX },
  { "ctr task exec",
    A (CG, "exec", "--process", "/tmp/runc-process99", "--detach", "--pid-file", CB "/e1.pid",
       "c1"),
    .verb = RUNC_VERB_EXEC, .verb_name = "exec", .id = "c1", .process = "/tmp/runc-process99",
    CGX },
  { "ctr task start", A (CG, "start", "c1"), .verb = RUNC_VERB_OTHER, .verb_name = "start",
    .id = "c1", CGX },
  { "ctr task rm", A (CG, "delete", "c1"), .verb = RUNC_VERB_OTHER, .verb_name = "delete",
    .id = "c1", CGX },
};

/* containerd CRI with a RuntimeClass handler (section 4).  */
#define KROOT "/run/containerd/runc/k8s.io"
#define KB "/run/containerd/io.containerd.runtime.v2.task/k8s.io/0a1b2c"
#define KG "--root", KROOT, "--log", KB "/log.json", "--log-format", "json"
#define KGX .root = KROOT, .log = KB "/log.json", .log_format = "json"

static const struct argv_case cri_cases[] = {
  { "cri create",
    A (KG, "create", "--bundle", KB, "--pid-file", KB "/init.pid", "--no-pivot", "--no-new-keyring",
       "0a1b2c"),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = KB, .id = "0a1b2c", KGX },
  { "cri SystemdCgroup",
    A (KG, "--systemd-cgroup", "create", "--bundle", KB, "--pid-file", KB "/init.pid", "0a1b2c"),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = KB, .id = "0a1b2c", KGX,
    .bits = F_SYSTEMD },
  { "cri kill --all", A (KG, "kill", "--all", "0a1b2c", "9"), .verb = RUNC_VERB_OTHER,
    .verb_name = "kill", .id = "0a1b2c", KGX },
  { "cri delete --force", A (KG, "delete", "--force", "0a1b2c"), .verb = RUNC_VERB_OTHER,
    .verb_name = "delete", .id = "0a1b2c", KGX },
  { "cri ExecSync",
    A (KG, "exec", "--process", "/tmp/runc-process5", "--detach", "--pid-file", KB "/x.pid",
       "0a1b2c"),
    .verb = RUNC_VERB_EXEC, .verb_name = "exec", .id = "0a1b2c", .process = "/tmp/runc-process5",
    KGX },
  { "cri UpdateContainerResources", A (KG, "update", "--resources", "-", "0a1b2c"),
    .verb = RUNC_VERB_UPDATE, .verb_name = "update", .id = "0a1b2c", .resources = "-", KGX },
};

/* Podman 4.3 + conmon (section 5): no global flags unless the runtime is called runc/crun.  */
#define PUD "/var/lib/containers/storage/overlay-containers/9f8e/userdata"
#define PRR "/run/containers/storage/overlay-containers/9f8e/userdata"

static const struct argv_case podman_cases[] = {
  { "podman create", A ("create", "--bundle", PUD, "--pid-file", PRR "/pidfile", "9f8e"),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = PUD, .id = "9f8e" },
  { "podman create -t",
    A ("create", "--bundle", PUD, "--pid-file", PRR "/pidfile", "--console-socket",
       "/tmp/conmon-term.Q2XK1Z", "9f8e"),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = PUD, .id = "9f8e" },
  { "podman as runc: --log-format=json --log X",
    A ("--log-format=json", "--log", PRR "/oci-log", "create", "--bundle", PUD, "--pid-file",
       PRR "/pidfile", "9f8e"),
    .verb = RUNC_VERB_CREATE, .verb_name = "create", .bundle = PUD, .id = "9f8e",
    .log = PRR "/oci-log", .log_format = "json" },
  { "podman start", A ("start", "9f8e"), .verb = RUNC_VERB_OTHER, .verb_name = "start",
    .id = "9f8e" },
  { "podman rm", A ("delete", "--force", "9f8e"), .verb = RUNC_VERB_OTHER, .verb_name = "delete",
    .id = "9f8e" },
  { "podman exec",
    A ("exec", "--pid-file", PUD "/e1/exec_pid", "--process", PUD "/e1/exec-process-1", "--detach",
       "9f8e"),
    .verb = RUNC_VERB_EXEC, .verb_name = "exec", .id = "9f8e",
    .process = PUD "/e1/exec-process-1" },
  { "podman exec -t",
    A ("exec", "--pid-file", PUD "/e2/exec_pid", "--process", PUD "/e2/exec-process-2", "--detach",
       "--tty", "--console-socket", "/tmp/conmon-term.A1", "9f8e"),
    .verb = RUNC_VERB_EXEC, .verb_name = "exec", .id = "9f8e", .process = PUD "/e2/exec-process-2",
    .bits = F_TTY },
  { "podman stop", A ("kill", "9f8e", "15"), .verb = RUNC_VERB_OTHER, .verb_name = "kill",
    .id = "9f8e" },
  { "podman pause", A ("pause", "9f8e"), .verb = RUNC_VERB_OTHER, .verb_name = "pause",
    .id = "9f8e" },
};

#define CR .verb = RUNC_VERB_CREATE, .verb_name = "create"
#define RN .verb = RUNC_VERB_RUN, .verb_name = "run"
#define ERR(s) .error = true, .error_has = s

/* Every spelling of --bundle, checked against runc 1.1.5 (argv.bats runs the same forms).  */
static const struct argv_case bundle_cases[] = {
  { "--bundle X", A ("create", "--bundle", "/b1", "c"), CR, .bundle = "/b1", .id = "c" },
  { "--bundle=X", A ("create", "--bundle=/b1", "c"), CR, .bundle = "/b1", .id = "c" },
  { "-bundle X", A ("create", "-bundle", "/b1", "c"), CR, .bundle = "/b1", .id = "c",
    .bits = F_GO },
  { "-bundle=X", A ("run", "-bundle=/b1", "c"), RN, .bundle = "/b1", .id = "c", .bits = F_GO },
  { "-b X", A ("run", "-b", "/b1", "c"), RN, .bundle = "/b1", .id = "c" },
  { "--b X", A ("run", "--b", "/b1", "c"), RN, .bundle = "/b1", .id = "c" },
  { "-b=X", A ("run", "-b=/b1", "c"), RN, .bundle = "/b1", .id = "c", .bits = F_GO },
  { "repeated, last wins", A ("create", "--bundle", "/b1", "--bundle=/b2", "c"), CR,
    .bundle = "/b2", .id = "c" },
  { "repeated -b", A ("run", "-b", "/b2", "-b", "/b1", "c"), RN, .bundle = "/b1", .id = "c" },
  { "-bundle and --bundle are one form", A ("run", "-bundle", "/b1", "--bundle", "/b2", "c"), RN,
    .bundle = "/b2", .id = "c", .bits = F_GO },
  { "-b then --bundle, around the id", A ("run", "-b", "/b1", "c", "--bundle", "/b2"),
    ERR ("two forms of the same run flag") },
  { "--bundle then -b", A ("create", "--bundle", "/b1", "-b", "/b2", "c"),
    ERR ("two forms of the same create flag") },
  { "no bundle", A ("create", "c"), CR, .id = "c" },
  { "empty bundle means cwd", A ("run", "-b", "", "c"), RN, .id = "c" },
  { "--bundle= means cwd", A ("run", "--bundle=", "c"), RN, .id = "c" },
  { "relative bundle", A ("run", "--bundle", "../b1", "c"), RN, .bundle = "../b1", .id = "c" },
  { "-- before id", A ("run", "--", "c"), RN, .id = "c" },
  { "--bundle X -- id", A ("run", "--bundle", "/b1", "--", "c"), RN, .bundle = "/b1", .id = "c" },
  { "trailing --", A ("run", "--bundle", "/b1", "c", "--"), RN, .bundle = "/b1", .id = "c" },
  { "flag after id is reordered", A ("run", "c", "--bundle", "/b2"), RN, .bundle = "/b2",
    .id = "c" },
  { "flags on both sides of id", A ("run", "--bundle", "/b1", "c", "--bundle", "/b2"), RN,
    .bundle = "/b2", .id = "c" },
  { "bool before id stops reordered flags", A ("run", "--no-pivot", "c", "--bundle", "/b1"),
    ERR ("exactly one argument") },
  { "flag after -- is an argument", A ("run", "c", "--", "--bundle", "/b1"),
    ERR ("exactly one argument") },
  { "--x=v never takes the next token", A ("run", "--bundle=/b1", "c", "--no-pivot"), RN,
    .bundle = "/b1", .id = "c" },
  { "a flag taken as a value still takes one",
    A ("create", "--bundle", "--no-pivot", "c", "--pid-file", "p"), ERR ("not 3") },
  { "-- as the value", A ("run", "--bundle", "--", "c"), RN, .bundle = "--", .id = "c" },
  { "dash-looking value", A ("run", "--bundle", "--detach", "c"), RN, .bundle = "--detach",
    .id = "c" },
  { "value after bool flag", A ("run", "--detach", "--bundle", "/b1", "c"), RN, .bundle = "/b1",
    .id = "c" },
  { "--bool=true", A ("run", "--detach=true", "--keep=false", "-b", "/b1", "c"), RN,
    .bundle = "/b1", .id = "c" },
  { "-d=1 (Go syntax)", A ("run", "-d=1", "-b", "/b1", "c"), RN, .bundle = "/b1", .id = "c",
    .bits = F_GO },
  { "bool never takes the next token", A ("run", "--detach", "true", "c"),
    ERR ("exactly one argument") },
  { "invalid bool", A ("run", "--detach=maybe", "c"), ERR ("invalid boolean value `maybe`") },
  { "missing value", A ("create", "--bundle"), ERR ("`--bundle` needs a value") },
  { "missing value after id", A ("create", "c", "-b"), ERR ("needs a container id") },
  { "no container id", A ("run"), ERR ("needs a container id") },
  { "no id, only flags", A ("create", "--bundle", "/b1"), ERR ("needs a container id") },
  { "empty container id", A ("create", ""), ERR ("empty container id") },
  { "two ids", A ("create", "c", "d"), ERR ("exactly one argument") },
  { "unknown flag before id", A ("create", "--bogus", "c"), ERR ("unknown create flag `--bogus`") },
  { "unknown flag with value", A ("create", "--bogus=1", "c"), ERR ("`--bogus`") },
  { "unknown flag after id", A ("create", "c", "--bogus"), ERR ("exactly one argument") },
  { "run-only flag on create", A ("create", "--detach", "c"), ERR ("unknown create flag") },
  { "three dashes", A ("create", "---bundle", "/b1", "c"), ERR ("bad create flag syntax") },
  { "three dashes after id", A ("create", "c", "---bundle", "/b1"), ERR ("bad create flag") },
  { "-=x", A ("create", "-=x", "c"), ERR ("bad create flag syntax") },
  { "- is an argument", A ("create", "-"), CR, .id = "-" },
  { "create -h prints help", A ("create", "-h"), .verb = RUNC_VERB_OTHER, .verb_name = "create",
    .bits = F_HELP },
  { "create --help with flags", A ("create", "-b", "/b1", "--help", "c"), .verb = RUNC_VERB_OTHER,
    .verb_name = "create", .bundle = "/b1", .bits = F_HELP },
  { "run --help=false", A ("run", "--help=false", "-b", "/b1", "c"), RN, .bundle = "/b1",
    .id = "c" },
  { "-h and --help", A ("run", "-h", "--help", "c"), ERR ("two forms") },
  { "all create flags",
    A ("create", "--console-socket", "/s", "--pidfd-socket", "/p", "--pid-file", "/f", "--no-pivot",
       "--no-new-keyring", "--preserve-fds", "2", "-b", "/b1", "c"),
    CR, .bundle = "/b1", .id = "c" },
  { "all run flags",
    A ("run", "-d", "--keep", "--no-subreaper", "--no-pivot", "--no-new-keyring",
       "--preserve-fds=1", "--pid-file=/f", "--console-socket=/s", "--bundle=/b1", "c"),
    RN, .bundle = "/b1", .id = "c" },
};

static const struct argv_case global_cases[] = {
  { "--root=R", A ("--root=/r", "run", "-b", "/b1", "c"), RN, .bundle = "/b1", .id = "c",
    .root = "/r" },
  { "--log X --log-format=json",
    A ("--log", "/l.json", "--log-format=json", "--root", "/r", "run", "--bundle=/b2", "c"), RN,
    .bundle = "/b2", .id = "c", .root = "/r", .log = "/l.json", .log_format = "json" },
  { "-root R", A ("-root", "/r", "create", "c"), CR, .id = "c", .root = "/r", .bits = F_GO },
  { "--debug=true --systemd-cgroup=false", A ("--debug=true", "--systemd-cgroup=false", "run", "c"),
    RN, .id = "c", .bits = F_DEBUG },
  { "--systemd-cgroup", A ("--systemd-cgroup", "create", "c"), CR, .id = "c", .bits = F_SYSTEMD },
  { "repeated --root", A ("--root", "/r1", "--root=/r2", "create", "c"), CR, .id = "c",
    .root = "/r2" },
  { "--criu and --rootless take values", A ("--criu", "/c", "--rootless", "true", "create", "c"),
    CR, .id = "c" },
  { "-- ends global flags", A ("--root", "/r", "--", "run", "-b", "/b1", "c"), RN, .bundle = "/b1",
    .id = "c", .root = "/r" },
  { "after --, a flag is the subcommand", A ("--", "--debug", "create", "c"),
    .verb = RUNC_VERB_OTHER, .verb_name = "--debug" },
  { "global value may look like a flag", A ("--root", "-x", "create", "c"), CR, .id = "c",
    .root = "-x" },
  { "bool global never takes a value", A ("--debug", "true", "create", "c"),
    .verb = RUNC_VERB_OTHER, .verb_name = "true", .bits = F_DEBUG },
  { "--help", A ("--help", "create", "-b", "/b1", "c"), .verb = RUNC_VERB_NONE, .bits = F_HELP },
  { "-h", A ("-h"), .verb = RUNC_VERB_NONE, .bits = F_HELP },
  { "-v before create", A ("-v", "create", "-b", "/b1", "c"), .verb = RUNC_VERB_NONE,
    .bits = F_VERSION },
  { "--version=false", A ("--version=false", "create", "-b", "/b1", "c"), CR, .bundle = "/b1",
    .id = "c" },
  { "no subcommand", A ("--root", "/r"), .verb = RUNC_VERB_NONE, .root = "/r" },
  { "nothing at all", A (NULL), .verb = RUNC_VERB_NONE },
  { "unknown global flag, create follows", A ("--bogus", "create", "c"),
    ERR ("unknown global flag `--bogus`") },
  { "unknown global flag, exec later", A ("--bogus", "x", "y", "exec", "c"), ERR ("--bogus") },
  { "unknown global flag, state", A ("--bogus", "state", "c"), .verb = RUNC_VERB_NONE },
  { "missing global value", A ("--root"), .verb = RUNC_VERB_NONE },
  { "invalid global bool, create follows", A ("--debug=maybe", "create", "c"),
    ERR ("invalid boolean value") },
  { "-h and -help", A ("-h", "-help", "list"), .verb = RUNC_VERB_NONE, .bits = F_HELP },
  { "two forms, create follows", A ("-v", "--version", "create", "c"), ERR ("two forms") },
  { "global bad syntax", A ("---root", "/r", "update", "c"), ERR ("bad global flag syntax") },
};

static const struct argv_case crun_cases[] = {
  { "--cgroup-manager=systemd", A ("--cgroup-manager=systemd", "create", "c"), CR, .id = "c",
    .bits = F_CRUN | F_SYSTEMD },
  { "--cgroup-manager cgroupfs", A ("--systemd-cgroup", "--cgroup-manager", "cgroupfs", "run", "c"),
    RN, .id = "c", .bits = F_CRUN },
  { "--log-level", A ("--log-level", "debug", "create", "c"), CR, .id = "c", .bits = F_CRUN },
  { "-V", A ("-V"), .verb = RUNC_VERB_NONE, .bits = F_CRUN | F_VERSION },
  { "-?", A ("-?", "create", "c"), .verb = RUNC_VERB_NONE, .bits = F_CRUN | F_HELP },
  { "create --config", A ("create", "--config", "/cfg.json", "-b", "/b1", "c"), CR, .bundle = "/b1",
    .id = "c", .config = "/cfg.json", .bits = F_CRUN },
  { "run -f", A ("run", "-f", "/cfg.json", "c"), RN, .id = "c", .config = "/cfg.json",
    .bits = F_CRUN },
  { "create -f=X (crun reads =X)", A ("create", "-f=/cfg.json", "c"), CR, .id = "c",
    .config = "/cfg.json", .bits = F_CRUN | F_GO },
  { "--config and -f", A ("create", "--config", "/a", "-f", "/b", "c"), ERR ("two forms") },
  { "create --no-subreaper", A ("create", "--no-subreaper", "c"), CR, .id = "c", .bits = F_CRUN },
  { "run --no-subreaper is runc's", A ("run", "--no-subreaper", "c"), RN, .id = "c" },
  { "exec --config is unknown", A ("exec", "--config", "/x", "c", "ls"), ERR ("unknown exec") },
};

#define EX .verb = RUNC_VERB_EXEC, .verb_name = "exec"

static const struct argv_case exec_cases[] = {
  { "--cap collects all", A ("exec", "--cap", "CAP_SYS_ADMIN", "--cap=CAP_NET_ADMIN", "c", "sh"),
    EX, .id = "c", .caps = { "CAP_SYS_ADMIN", "CAP_NET_ADMIN" }, .args = { "sh" } },
  { "-c collects all", A ("exec", "-c", "CAP_A", "-c", "CAP_B", "-c", "CAP_C", "c", "sh"), EX,
    .id = "c", .caps = { "CAP_A", "CAP_B", "CAP_C" }, .args = { "sh" } },
  { "--cap and -c", A ("exec", "--cap", "CAP_A", "-c", "CAP_B", "c", "sh"),
    ERR ("`cap` and `c` are two forms") },
  { "no reordering on exec", A ("exec", "c", "--cap", "CAP_SYS_ADMIN", "sh"), EX, .id = "c",
    .args = { "--cap", "CAP_SYS_ADMIN", "sh" } },
  { "-p after id is the command", A ("exec", "c", "-p", "/p.json"), EX, .id = "c",
    .args = { "-p", "/p.json" } },
  { "--user", A ("exec", "--user", "0:0", "c", "sh"), EX, .id = "c", .user = "0:0",
    .args = { "sh" } },
  { "-u=0", A ("exec", "-u=0", "c", "sh"), EX, .id = "c", .user = "0", .bits = F_GO,
    .args = { "sh" } },
  { "--user= is unset", A ("exec", "--user=", "c", "sh"), EX, .id = "c", .args = { "sh" } },
  { "-p", A ("exec", "-p", "/p.json", "c"), EX, .id = "c", .process = "/p.json" },
  { "-process", A ("exec", "-process", "/p.json", "c"), EX, .id = "c", .process = "/p.json",
    .bits = F_GO },
  { "--process= is unset", A ("exec", "--process=", "c", "ls"), EX, .id = "c", .args = { "ls" } },
  { "--process twice", A ("exec", "--process", "/p1", "--process", "/p2", "c"), EX, .id = "c",
    .process = "/p2" },
  { "--no-new-privs=false", A ("exec", "--no-new-privs=false", "c", "sh"), EX, .id = "c",
    .nnp = NNP_FALSE, .args = { "sh" } },
  { "--no-new-privs", A ("exec", "--no-new-privs", "c", "sh"), EX, .id = "c", .nnp = NNP_TRUE,
    .args = { "sh" } },
  { "--no-new-privs, last wins", A ("exec", "--no-new-privs=0", "--no-new-privs=1", "c", "sh"), EX,
    .id = "c", .nnp = NNP_TRUE, .args = { "sh" } },
  { "--apparmor", A ("exec", "--apparmor", "unconfined", "c", "sh"), EX, .id = "c",
    .apparmor = "unconfined", .args = { "sh" } },
  { "--apparmor= is unset", A ("exec", "--apparmor=", "c", "sh"), EX, .id = "c", .args = { "sh" } },
  { "--process-label", A ("exec", "--process-label", "spc_t", "c", "sh"), EX, .id = "c",
    .label = "spc_t", .args = { "sh" } },
  { "--cgroup with --process", A ("exec", "--cgroup", "pids:/x", "--process", "/p", "c"), EX,
    .id = "c", .process = "/p", .cgroups = { "pids:/x" } },
  { "--cgroup collects all", A ("exec", "--cgroup", "a", "--cgroup=b:c", "c", "sh"), EX, .id = "c",
    .cgroups = { "a", "b:c" }, .args = { "sh" } },
  { "-g collects all, as written", A ("exec", "-g", "0", "-g", "4294967296", "c", "sh"), EX,
    .id = "c", .gids = { "0", "4294967296" }, .args = { "sh" } },
  { "benign exec flags",
    A ("exec", "--env", "A=1", "-e", "B=2", "--cwd", "/", "-t", "--ignore-paused", "--preserve-fds",
       "1", "--pidfd-socket", "/s", "c", "sh"),
    ERR ("`env` and `e` are two forms") },
  { "benign exec flags, one form",
    A ("exec", "--env", "A=1", "--env", "B=2", "--cwd", "/w", "-t", "--ignore-paused",
       "--preserve-fds", "1", "--pidfd-socket", "/s", "c", "sh", "-c", "x"),
    EX, .id = "c", .env = { "A=1", "B=2" }, .cwd = "/w", .bits = F_TTY,
    .args = { "sh", "-c", "x" } },
  { "--cwd= is unset", A ("exec", "--cwd=", "c", "sh"), EX, .id = "c", .args = { "sh" } },
  { "--tty=false", A ("exec", "--tty=false", "c", "sh"), EX, .id = "c", .args = { "sh" } },
  { "unknown exec flag", A ("exec", "--bogus", "c", "sh"), ERR ("unknown exec flag `--bogus`") },
  { "exec without id", A ("exec"), ERR ("exec needs a container id") },
  { "exec -p without value", A ("exec", "-p"), ERR ("needs a value") },
  { "exec -- id", A ("exec", "--", "c", "-p", "x"), EX, .id = "c", .args = { "-p", "x" } },
  { "exec -h", A ("exec", "-h", "c"), .verb = RUNC_VERB_OTHER, .verb_name = "exec",
    .bits = F_HELP },
};

#define UP .verb = RUNC_VERB_UPDATE, .verb_name = "update"

static const struct argv_case update_cases[] = {
  { "-r file", A ("update", "-r", "/res.json", "c"), UP, .id = "c", .resources = "/res.json" },
  { "--resources=-", A ("update", "--resources=-", "c"), UP, .id = "c", .resources = "-" },
  { "-r -", A ("update", "-r", "-", "c"), UP, .id = "c", .resources = "-" },
  { "--memory", A ("update", "--memory", "1g", "c"), UP, .id = "c", .bits = F_UPD,
    .upd = { [ARGV_UPDATE_MEMORY] = "1g" } },
  { "flag after id", A ("update", "c", "--pids-limit", "5"), UP, .id = "c", .bits = F_UPD,
    .upd = { [ARGV_UPDATE_PIDS_LIMIT] = "5" } },
  { "both", A ("update", "--resources", "-", "--cpu-quota=100", "c"), UP, .id = "c",
    .resources = "-", .bits = F_UPD, .upd = { [ARGV_UPDATE_CPU_QUOTA] = "100" } },
  { "rdt schema", A ("update", "--l3-cache-schema", "L3:0=f", "c"), UP, .id = "c", .bits = F_UPD,
    .upd = { [ARGV_UPDATE_L3_CACHE_SCHEMA] = "L3:0=f" } },
  { "--resources= is unset", A ("update", "--resources=", "--memory=1m", "c"), UP, .id = "c",
    .bits = F_UPD, .upd = { [ARGV_UPDATE_MEMORY] = "1m" } },
  { "every flag, the last of each wins",
    A ("update", "--blkio-weight", "10", "--cpu-period", "1", "--cpu-quota", "2", "--cpu-share",
       "3", "--cpu-rt-period", "4", "--cpu-rt-runtime", "5", "--cpuset-cpus", "0", "--cpuset-mems",
       "0", "--kernel-memory", "1m", "--kernel-memory-tcp", "2m", "--memory", "3m",
       "--memory-reservation", "4m", "--memory-swap", "5m", "--pids-limit", "6", "--memory", "7m",
       "c"),
    UP, .id = "c", .bits = F_UPD,
    .upd = { [ARGV_UPDATE_BLKIO_WEIGHT] = "10",
             [ARGV_UPDATE_CPU_PERIOD] = "1",
             [ARGV_UPDATE_CPU_QUOTA] = "2",
             [ARGV_UPDATE_CPU_SHARE] = "3",
             [ARGV_UPDATE_CPU_RT_PERIOD] = "4",
             [ARGV_UPDATE_CPU_RT_RUNTIME] = "5",
             [ARGV_UPDATE_CPUSET_CPUS] = "0",
             [ARGV_UPDATE_CPUSET_MEMS] = "0",
             [ARGV_UPDATE_KERNEL_MEMORY] = "1m",
             [ARGV_UPDATE_KERNEL_MEMORY_TCP] = "2m",
             [ARGV_UPDATE_MEMORY] = "7m",
             [ARGV_UPDATE_MEMORY_RESERVATION] = "4m",
             [ARGV_UPDATE_MEMORY_SWAP] = "5m",
             [ARGV_UPDATE_PIDS_LIMIT] = "6" } },
  { "--resources and -r", A ("update", "--resources", "-", "-r", "x", "c"), ERR ("two forms") },
  { "unknown update flag", A ("update", "--bogus", "1", "c"), ERR ("unknown update flag") },
  { "update two args", A ("update", "c", "d"), ERR ("exactly one argument") },
  { "update without id", A ("update", "--memory", "1m"), ERR ("update needs a container id") },
  /* restore loads <bundle>/config.json like create (runc restore.go), so it is policed.  */
  { "restore --bundle", A ("restore", "--image-path", "/i", "--bundle", "/b1", "c"),
    .verb = RUNC_VERB_RESTORE, .verb_name = "restore", .bundle = "/b1", .id = "c" },
  { "restore id first, flags reordered", A ("restore", "c", "-b", "/b2"), .verb = RUNC_VERB_RESTORE,
    .verb_name = "restore", .bundle = "/b2", .id = "c" },
  { "restore unknown flag", A ("restore", "--bundle", "/b1", "--nope", "c"),
    ERR ("unknown restore flag") },
  { "restore --lsm-profile", A ("restore", "--lsm-profile", "apparmor:x", "c"),
    .verb = RUNC_VERB_RESTORE, .verb_name = "restore", .id = "c", .bits = F_LSM },
  { "restore --lsm-mount-context=", A ("restore", "--lsm-mount-context=", "c"),
    .verb = RUNC_VERB_RESTORE, .verb_name = "restore", .id = "c" },
};

#define OT(v) .verb = RUNC_VERB_OTHER, .verb_name = v

/* runc reports its own errors for every other verb: never an error here.  */
static const struct argv_case other_cases[] = {
  { "state", A ("state", "c"), OT ("state"), .id = "c" },
  { "kill with a bogus flag: no id", A ("kill", "--bogus", "c"), OT ("kill") },
  { "kill id signal --all (reordered)", A ("kill", "c", "9", "--all"), OT ("kill"), .id = "c" },
  { "kill -a id", A ("kill", "-a", "c", "9"), OT ("kill"), .id = "c" },
  { "delete -f id", A ("delete", "-f", "c"), OT ("delete"), .id = "c" },
  { "features", A ("features"), OT ("features") },
  { "list -q", A ("list", "-q"), OT ("list") },
  { "events --stats", A ("events", "--stats", "c"), OT ("events"), .id = "c" },
  { "events --interval 5s", A ("events", "--interval", "5s", "c"), OT ("events"), .id = "c" },
  { "checkpoint", A ("checkpoint", "--image-path", "/i", "c"), OT ("checkpoint"), .id = "c" },
  { "checkpoint --bogus", A ("checkpoint", "--bogus", "c"), OT ("checkpoint") },
  { "spec", A ("spec", "--rootless", "--bogus"), OT ("spec") },
  { "ps", A ("ps", "c", "--", "-ef"), OT ("ps"), .id = "c" },
  { "ps -f json (no reordering)", A ("ps", "-f", "json", "c"), OT ("ps"), .id = "c" },
  { "pause/resume", A ("resume", "c"), OT ("resume"), .id = "c" },
  { "start -h", A ("start", "-h", "c"), OT ("start"), .bits = F_HELP },
  { "start without id", A ("start"), OT ("start") },
  { "help create", A ("help", "create"), OT ("help") },
  { "h", A ("h"), OT ("h") },
  { "unknown verb", A ("nosuchverb", "--x"), OT ("nosuchverb") },
  { "ocigate flag after the verb is not ours", A ("state", "--ocigate-mode", "x"), OT ("state") },
  { "--version as a verb", A ("--", "--version"), OT ("--version") },
};

static const struct argv_case ocigate_cases[] = {
  { "unknown ocigate flag", A ("--ocigate-bogus", "state", "c"), ERR ("unknown ocigate flag") },
  { "unknown ocigate flag with value", A ("--ocigate-bogus=1", "state"),
    ERR ("`--ocigate-bogus`") },
  { "single dash", A ("-ocigate-mode", "audit", "state", "c"), ERR ("two dashes") },
  { "missing value", A ("--ocigate-policy"), ERR ("`--ocigate-policy` needs a value") },
  { "value is an ocigate flag", A ("--ocigate-policy", "--ocigate-mode", "x", "create", "c"),
    ERR ("needs a value") },
  { "runtime flag value is an ocigate flag", A ("--root", "--ocigate-mode", "x", "create", "c"),
    ERR ("global flag `--root` needs a value") },
  { "invalid --ocigate-version", A ("--ocigate-version=nope"), ERR ("invalid boolean") },
  { "after a bad global flag", A ("--bogus", "--ocigate-mode", "x", "state", "c"),
    ERR ("--bogus") },
  { "after the verb: create sees an unknown flag", A ("create", "--ocigate-mode", "x", "c"),
    ERR ("unknown create flag `--ocigate-mode`") },
};

static void
expect_str (const struct argv_case *c, const char *field, const char *got, const char *want)
{
  if (want == NULL && got == NULL)
    return;
  if (want == NULL || got == NULL || strcmp (want, got) != 0)
    fail_msg ("%s: %s is `%s`, expected `%s`", c->name, field, got ? got : "(null)",
              want ? want : "(null)");
}

static unsigned
bits_of (const struct runc_invocation *inv)
{
  return (inv->help ? F_HELP : 0) | (inv->version ? F_VERSION : 0) | (inv->debug ? F_DEBUG : 0)
         | (inv->systemd_cgroup ? F_SYSTEMD : 0) | (inv->crun_only ? F_CRUN : 0)
         | (inv->go_only_syntax ? F_GO : 0) | (inv->tty ? F_TTY : 0)
         | (inv->update_has_flags ? F_UPD : 0) | (inv->restore_lsm ? F_LSM : 0);
}

static void
expect_list (const struct argv_case *c, const char *field, const char *const *want, size_t room,
             const char *const *got, size_t n_got)
{
  size_t n = 0;

  while (n < room && want[n] != NULL)
    n++;
  if (n_got != n)
    fail_msg ("%s: %zu %s, expected %zu", c->name, n_got, field, n);
  for (size_t i = 0; i < n; i++)
    expect_str (c, field, got[i], want[i]);
}

static void
expect_lists (const struct argv_case *c, const struct runc_invocation *inv)
{
  expect_list (c, "caps", c->caps, ARRAY_SIZE (c->caps), inv->caps.v, inv->caps.n);
  expect_list (c, "env", c->env, ARRAY_SIZE (c->env), inv->env.v, inv->env.n);
  expect_list (c, "gids", c->gids, ARRAY_SIZE (c->gids), inv->gids.v, inv->gids.n);
  expect_list (c, "cgroups", c->cgroups, ARRAY_SIZE (c->cgroups), inv->cgroups.v, inv->cgroups.n);
  expect_list (c, "args", c->args, ARRAY_SIZE (c->args), inv->exec_args, inv->n_exec_args);
  if (inv->caps.n > 0 && inv->caps.v[inv->caps.n] != NULL)
    fail_msg ("%s: caps vector not NULL-terminated", c->name);
  if (inv->no_new_privs != c->nnp - 1)
    fail_msg ("%s: no_new_privs %d, expected %d", c->name, inv->no_new_privs, c->nnp - 1);
  for (size_t i = 0; i < ARGV_UPDATE_N; i++)
    expect_str (c, "update value", inv->update_values[i], c->upd[i]);
}

/* Without --ocigate-* flags, the runtime's argv is the caller's, pointer for pointer.  */
static void
expect_same_argv (const struct argv_case *c, char **argv, int argc,
                  const struct runc_invocation *inv)
{
  if (inv->argc != argc)
    fail_msg ("%s: argc %d, expected %d", c->name, inv->argc, argc);
  for (int i = 0; i <= argc; i++)
    if (inv->argv[i] != argv[i])
      fail_msg ("%s: argv[%d] is not the caller's pointer", c->name, i);
  if (inv->verb_name != NULL && inv->argv[inv->verb_index] != inv->verb_name)
    fail_msg ("%s: verb_index %d does not point at the verb", c->name, inv->verb_index);
}

static void
expect_fields (const struct argv_case *c, const struct runc_invocation *inv)
{
  if (inv->verb != c->verb)
    fail_msg ("%s: verb %d, expected %d", c->name, inv->verb, c->verb);
  expect_str (c, "verb_name", inv->verb_name, c->verb_name);
  expect_str (c, "bundle", inv->bundle, c->bundle);
  expect_str (c, "container id", inv->container_id, c->id);
  expect_str (c, "process", inv->process_path, c->process);
  expect_str (c, "resources", inv->resources_path, c->resources);
  expect_str (c, "config", inv->config, c->config);
  expect_str (c, "user", inv->user, c->user);
  expect_str (c, "cwd", inv->cwd, c->cwd);
  expect_str (c, "apparmor", inv->apparmor, c->apparmor);
  expect_str (c, "process label", inv->process_label, c->label);
  expect_str (c, "root", inv->root, c->root);
  expect_str (c, "log", inv->log_path, c->log);
  expect_str (c, "log-format", inv->log_format, c->log_format);
  if (bits_of (inv) != c->bits)
    fail_msg ("%s: flags %#x, expected %#x", c->name, bits_of (inv), c->bits);
  if (argv_is_policed (inv)
      != (c->verb == RUNC_VERB_CREATE || c->verb == RUNC_VERB_RUN || c->verb == RUNC_VERB_EXEC
          || c->verb == RUNC_VERB_UPDATE || c->verb == RUNC_VERB_RESTORE))
    fail_msg ("%s: argv_is_policed is wrong", c->name);
  expect_lists (c, inv);
}

static void
expect_error (const struct argv_case *c, int ret, const ocg_error_t err,
              const struct runc_invocation *inv)
{
  if (ret != -1 || err == NULL)
    fail_msg ("%s: expected an error, got verb %d", c->name, inv->verb);
  if (strchr (err->msg, '\n') != NULL || strstr (err->msg, c->error_has) == NULL)
    fail_msg ("%s: error `%s` does not mention `%s`", c->name, err->msg, c->error_has);
  if (inv->argv != NULL || inv->caps.v != NULL || inv->verb != RUNC_VERB_NONE)
    fail_msg ("%s: invocation not cleared after an error", c->name);
}

static void
check_case (const struct argv_case *c)
{
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;
  char *argv[ARRAY_SIZE (c->argv)];
  int argc = 0, ret;

  while (c->argv[argc] != NULL)
    {
      argv[argc] = (char *)c->argv[argc];
      argc++;
    }
  argv[argc] = NULL;
  ret = argv_parse (argc, argv, &inv, &err);
  if (c->error)
    {
      expect_error (c, ret, err, &inv);
      return;
    }
  if (ret != 0)
    fail_msg ("%s: unexpected error `%s`", c->name, err->msg);
  expect_fields (c, &inv);
  expect_same_argv (c, argv, argc, &inv);
  argv_invocation_free (&inv);
}

#define CHECK_TABLE(t)                                                                             \
  for (size_t i_ = 0; i_ < ARRAY_SIZE (t); i_++)                                                   \
  check_case (&(t)[i_])

static void
test_docker (void **state)
{
  (void)state;
  CHECK_TABLE (docker_cases);
}

static void
test_ctr (void **state)
{
  (void)state;
  CHECK_TABLE (ctr_cases);
}

static void
test_cri (void **state)
{
  (void)state;
  CHECK_TABLE (cri_cases);
}

static void
test_podman (void **state)
{
  (void)state;
  CHECK_TABLE (podman_cases);
}

static void
test_bundle_forms (void **state)
{
  (void)state;
  CHECK_TABLE (bundle_cases);
}

static void
test_globals (void **state)
{
  (void)state;
  CHECK_TABLE (global_cases);
}

static void
test_crun (void **state)
{
  (void)state;
  CHECK_TABLE (crun_cases);
}

static void
test_exec (void **state)
{
  (void)state;
  CHECK_TABLE (exec_cases);
}

static void
test_update (void **state)
{
  (void)state;
  CHECK_TABLE (update_cases);
}

static void
test_other_verbs (void **state)
{
  (void)state;
  CHECK_TABLE (other_cases);
}

static void
test_ocigate_errors (void **state)
{
  (void)state;
  CHECK_TABLE (ocigate_cases);
}

/* --ocigate-* flags go, everything else stays: same pointers, same order.  */
static void
test_ocigate_strip (void **state)
{
  char *argv[] = { "/usr/local/bin/ocigate",
                   "--ocigate-policy",
                   "/etc/ocigate/p.json",
                   "--root",
                   "/r",
                   "--ocigate-mode=audit",
                   "--ocigate-version",
                   "--ocigate-runtime",
                   "/usr/bin/crun",
                   "--ocigate-profile=k8s",
                   "--ocigate-audit-log",
                   "/var/log/a",
                   "create",
                   "--bundle",
                   "/b1",
                   "c",
                   NULL };
  const int keep[] = { 0, 3, 4, 12, 13, 14, 15 };
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (argv_parse (ARRAY_SIZE (argv) - 1, argv, &inv, &err), 0);
  assert_int_equal (inv.argc, ARRAY_SIZE (keep));
  for (size_t i = 0; i < ARRAY_SIZE (keep); i++)
    assert_ptr_equal (inv.argv[i], argv[keep[i]]);
  assert_null (inv.argv[inv.argc]);
  assert_string_equal (inv.ocg_policy, "/etc/ocigate/p.json");
  assert_string_equal (inv.ocg_mode, "audit");
  assert_string_equal (inv.ocg_runtime, "/usr/bin/crun");
  assert_string_equal (inv.ocg_profile, "k8s");
  assert_string_equal (inv.ocg_audit_log, "/var/log/a");
  assert_true (inv.ocg_version);
  assert_int_equal (inv.verb, RUNC_VERB_CREATE);
  assert_int_equal (inv.verb_index, 3);
  assert_ptr_equal (inv.verb_name, argv[12]);
  assert_ptr_equal (inv.bundle, argv[14]);
  assert_ptr_equal (inv.container_id, argv[15]);
  assert_string_equal (inv.root, "/r");
  argv_invocation_free (&inv);
}

/* Only the global position is ours; repeated flags: the last one wins.  */
static void
test_ocigate_position (void **state)
{
  char *argv[] = { "ocigate",
                   "--ocigate-mode",
                   "deny",
                   "--ocigate-mode=audit",
                   "--ocigate-version=false",
                   "--",
                   "state",
                   "--ocigate-mode",
                   "x",
                   NULL };
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (argv_parse (ARRAY_SIZE (argv) - 1, argv, &inv, &err), 0);
  assert_string_equal (inv.ocg_mode, "audit");
  assert_false (inv.ocg_version);
  assert_int_equal (inv.argc, 5);
  assert_ptr_equal (inv.argv[1], argv[5]);
  assert_ptr_equal (inv.argv[2], argv[6]);
  assert_ptr_equal (inv.argv[3], argv[7]);
  assert_ptr_equal (inv.argv[4], argv[8]);
  assert_null (inv.argv[5]);
  assert_int_equal (inv.verb, RUNC_VERB_OTHER);
  assert_int_equal (inv.verb_index, 2);
  argv_invocation_free (&inv);
}

static void
test_empty_argv (void **state)
{
  char *argv[] = { NULL };
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;

  (void)state;
  assert_int_equal (argv_parse (0, argv, &inv, &err), -1);
  assert_non_null (err);
  assert_null (inv.argv);
  argv_invocation_free (&inv);
  assert_null (inv.argv);
}

/* An earlier error in *err is replaced, a success leaves *err alone.  */
static void
test_err_contract (void **state)
{
  char *good[] = { "runc", "state", "c", NULL };
  char *bad[] = { "runc", "create", NULL };
  struct runc_invocation inv;
  cleanup_error ocg_error_t err = NULL;
  ocg_error_t before;

  (void)state;
  assert_int_equal (ocg_error_set (&err, 0, "earlier"), -1);
  before = err;
  assert_int_equal (argv_parse (2, good, &inv, &err), 0);
  assert_ptr_equal (err, before);
  argv_invocation_free (&inv);
  assert_int_equal (argv_parse (2, bad, &inv, &err), -1);
  assert_string_equal (err->msg, "create needs a container id");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_docker),
    cmocka_unit_test (test_ctr),
    cmocka_unit_test (test_cri),
    cmocka_unit_test (test_podman),
    cmocka_unit_test (test_bundle_forms),
    cmocka_unit_test (test_globals),
    cmocka_unit_test (test_crun),
    cmocka_unit_test (test_exec),
    cmocka_unit_test (test_update),
    cmocka_unit_test (test_other_verbs),
    cmocka_unit_test (test_ocigate_errors),
    cmocka_unit_test (test_ocigate_strip),
    cmocka_unit_test (test_ocigate_position),
    cmocka_unit_test (test_empty_argv),
    cmocka_unit_test (test_err_contract),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
