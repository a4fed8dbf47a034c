/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure|unconfigure`: put ocigate in front of an engine, and take it away
 * again.  runtime_configure.c parses the command line, keeps the record of what was changed and
 * applies the plan; configure_docker.c, configure_containerd.c and configure_podman.c plan each
 * engine's edit; configure_runc.c plans --as-runc.
 *
 * Every change is planned into a changeset first (changeset.h): --dry-run prints it, otherwise it
 * is applied all or nothing.  The record (a JSON file per engine in the state directory) says what
 * was there before, so unconfigure restores exactly that, and only what configure added.
 *
 * Owns: the plans and the record.
 * Must not: restart anything unless --restart is given.  */
#ifndef OCG_CONFIGURE_H
#define OCG_CONFIGURE_H

#include <stdbool.h>
#include <stddef.h>

#include "argv.h"
#include "changeset.h"
#include "doctor.h"
#include "err.h"
#include "json.h"

#define CONFIGURE_STATE_DIR "/var/lib/ocigate"
/* The file name of the drop-ins ocigate writes (containerd conf.d, containers.conf.d, policy.d).
 * 99: read last, so ocigate's settings win over earlier drop-ins.  */
#define CONFIGURE_DROPIN_CONTAINERD "99-ocigate.toml"
#define CONFIGURE_DROPIN_PODMAN "99-ocigate.conf"
#define CONFIGURE_DROPIN_POLICY "99-ocigate-as-runc.json"
/* First line of every file ocigate writes whole: unconfigure removes only files that carry it.  */
#define CONFIGURE_MARK "Written by `ocigate runtime configure`"

/* The runtimes to register: "ocigate" and one "ocigate-<profile>" per --profile.  */
struct configure_runtimes
{
  char **names;
  char **paths;
  size_t n;
};

struct configure
{
  const struct runc_invocation *inv;
  enum doctor_engine engine;
  bool unconfigure;
  bool set_default;
  bool as_runc;
  bool dry_run;
  bool restart;
  char **profiles;
  const char *config;    /* --config */
  const char *socket;    /* --socket */
  const char *runc_dir;  /* --runc-dir */
  const char *state_dir; /* --state-dir */
  char *self;            /* this ocigate's path */
  struct configure_runtimes rts;
  struct changeset cs;
  struct json_node *record; /* what configure changed (read back by unconfigure) */
  char *notes;              /* what to tell the operator after applying, one per line */
  /* The engine as it is now.  */
  struct docker_view docker;
  struct containerd_view containerd;
  struct podman_view podman;
  pid_t daemon_pid; /* the running daemon to reload or restart, 0 none */
  /* containerd: the dump before the change, for the check after it.  */
  struct json_node *dump_before;
};

void configure_note (struct configure *c, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/* The record's object for `key`, created when missing.  */
struct json_node *configure_record_obj (struct configure *c, const char *key);

/* Plans.  Each returns 0, or -1 with a reason (nothing planned is applied).  */
OCG_MUST_CHECK
int configure_docker_plan (struct configure *c, ocg_error_t *err);
OCG_MUST_CHECK
int configure_containerd_plan (struct configure *c, ocg_error_t *err);
OCG_MUST_CHECK
int configure_podman_plan (struct configure *c, ocg_error_t *err);
OCG_MUST_CHECK
int configure_runc_plan (struct configure *c, ocg_error_t *err);

/* After applying: containerd checks its result with `containerd config dump`.  */
OCG_MUST_CHECK
int configure_containerd_verify (struct configure *c, ocg_error_t *err);

/* ---- the pure edits (unit-tested in tests/unit/test_configure.c) ---- */

/* daemon.json: set runtimes[names[i]] = {"path": paths[i]} and, with set_default,
 * default-runtime = names[0]; every other key keeps its place and value.  `rec` (an object) gets
 * what each key held before, unless it already says so (a second configure keeps the first's
 * "before").  Never writes runtimeArgs.  */
OCG_MUST_CHECK
int docker_config_apply (struct json_node *root, const struct configure_runtimes *rts,
                         bool set_default, struct json_node *rec, ocg_error_t *err);

/* Undo docker_config_apply as `rec` says, for the keys that still hold what it wrote.  */
void docker_config_revert (struct json_node *root, const struct json_node *rec);

/* daemon.json text as ocigate writes it: two-space indentation and a final newline.  */
OCG_MUST_CHECK
char *docker_config_text (const struct json_node *root, size_t *len, ocg_error_t *err);

/* containerd drop-in: the whole CRI plugin section (containerd 1.6 replaces a plugin's section
 * with the last file's, engine_containerd.h): `base` (the section the other files give, may be
 * NULL) with its handlers -- or, when it names none, `implicit` (the handlers containerd has by
 * default, may be NULL) -- plus one handler per runtime, shaped like the default handler with
 * options.BinaryName set, and default_runtime_name = names[0] with set_default.  */
struct json_node *containerd_dropin (const struct json_node *base, const struct json_node *implicit,
                                     const struct configure_runtimes *rts, bool set_default);

/* config.toml text with `import` added to its top-level `imports` (the line is created before the
 * first table when there is none), every other byte kept, in *out (NULL when it is there
 * already).  *line_added says whether the whole line is new.  -1 when the text does not parse.  */
OCG_MUST_CHECK
int containerd_import_add (const char *text, size_t len, const char *import, char **out,
                           size_t *out_len, bool *line_added, ocg_error_t *err);

/* config.toml text without `import` in `imports` (the whole line when it was the only element and
 * `drop_line`), in *out (NULL when it is not there).  -1 when the text does not parse.  */
OCG_MUST_CHECK
int containerd_import_remove (const char *text, size_t len, const char *import, bool drop_line,
                              char **out, size_t *out_len, ocg_error_t *err);

/* Podman drop-in: [engine] runtime = names[0] with set_default; [engine.runtimes] one list per
 * runtime, and runc = [paths[0]] with as_runc.  */
struct json_node *podman_dropin (const struct configure_runtimes *rts, bool set_default,
                                 bool as_runc);

#endif
