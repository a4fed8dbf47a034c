/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policed verbs (see police.h).
 *
 * Owns: finding the document runc will read for this argv (config.json in the bundle runc
 * chdir()s into, crun's --config relative to the caller's cwd, an exec --process file, update's
 * --resources file or stdin), running the engine, writing back from the judged tree, the audit
 * record, and reporting a denial.
 * Must not: parse argv, hold rule logic, or print to stdout (except `ocigate check`).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "audit.h"
#include "engine.h"
#include "fsutil.h"
#include "police.h"
#include "policy_load.h"
#include "report.h"
#include "state.h"
#include "util.h"

/* Everything one judgement needs, released in one place.  */
struct judgement
{
  struct policy *policy;
  struct host_facts host;
  struct spec *spec;
  int dirfd;           /* where the document lives (AT_FDCWD or the bundle) */
  const char *name;    /* the document's name relative to dirfd; NULL for stdin / synthetic */
  const char *display; /* how the user named it, for messages and the audit record */
  char *stdin_bytes;   /* update --resources -: the bytes read once */
  size_t stdin_len;
  bool synthetic; /* exec without --process: a document built from the flags */
  char *audit_path;
  char **exemptions; /* names of the exemptions applied, for the audit record */
  struct decision decision;
};

static void
judgement_release (struct judgement *j)
{
  policy_free (j->policy);
  spec_free (j->spec);
  if (j->dirfd >= 0)
    close (j->dirfd);
  free (j->stdin_bytes);
  free (j->audit_path);
  strv_free (j->exemptions);
  decision_release (&j->decision);
}

/* A document named by a path (an exec --process file such as Docker's absolute
 * /tmp/runc-process<N>, an update --resources file, crun's --config): open its directory, so the
 * load and the atomic write-back both happen relative to the same directory fd.  */
static int
load_path (const char *path, enum spec_kind kind, struct judgement *j, ocg_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  const char *base = path;

  if (slash != NULL)
    {
      base = path + (slash - dir) + 1;
      if (slash == dir)
        slash[1] = '\0';
      else
        *slash = '\0';
    }
  if (*base == '\0')
    return ocg_error_set (err, 0, "`%s` does not name a file", path);
  j->dirfd = open (slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (j->dirfd < 0)
    return ocg_error_set (err, errno, "open directory of `%s`", path);
  j->name = base;
  j->display = path;
  j->spec = spec_load_at (j->dirfd, base, kind, err);
  return j->spec ? 0 : -1;
}

/* runc reads config.json again after we judged it (it chdir()s into the bundle by path).  If
 * anyone but root (or whoever runs us) may write the bundle directory or the file, the judged
 * document can be swapped for another before runc reads it: refuse.  Engines keep bundles in
 * root-only state directories, so this only stops hand-made bundles that others can write.  */
static int
check_writable_by_others (int dirfd, const char *name, const char *shown, ocg_error_t *err)
{
  struct stat st;

  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) < 0)
    return ocg_error_set (err, errno, "stat `%s`", shown);
  if (st.st_uid != 0 && st.st_uid != geteuid ())
    return ocg_error_set (err, 0,
                          "`%s` is owned by uid %u: it could be replaced after it was judged",
                          shown, (unsigned)st.st_uid);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return ocg_error_set (err, 0,
                          "`%s` is writable by group or others: it could be replaced after it "
                          "was judged",
                          shown);
  return 0;
}

/* The canonical bundle directory, for rules that resolve paths relative to it (root.path).
 * Read through the fd we loaded from, so it names the directory we judged.  */
static int
set_spec_dir (struct judgement *j, const char *shown, ocg_error_t *err)
{
  cleanup_free char *link = xasprintf ("/proc/self/fd/%d", j->dirfd);

  j->spec->dir = realpath (link, NULL);
  if (j->spec->dir == NULL)
    return ocg_error_set (err, errno, "resolve bundle `%s`", shown);
  return 0;
}

/* runc chdir()s into the bundle (or stays in the cwd) and reads "config.json" there; crun's
 * --config names a file relative to the caller's cwd (verified against crun 1.8.1).  */
static int
open_config (const struct runc_invocation *inv, struct judgement *j, ocg_error_t *err)
{
  const char *bundle = inv->bundle ? inv->bundle : ".";

  if (inv->config != NULL)
    {
      /* crun reads --config from the cwd but still resolves root.path against the bundle.  */
      if (load_path (inv->config, SPEC_CONFIG, j, err) < 0)
        return -1;
      j->spec->dir = realpath (bundle, NULL);
      if (j->spec->dir == NULL)
        return ocg_error_set (err, errno, "resolve bundle `%s`", bundle);
      return 0;
    }
  j->dirfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (j->dirfd < 0)
    return ocg_error_set (err, errno, "open bundle `%s`", bundle);
  j->name = "config.json";
  j->display = "config.json";
  if (check_writable_by_others (j->dirfd, "", bundle, err) < 0
      || check_writable_by_others (j->dirfd, "config.json", "config.json", err) < 0)
    return -1;
  j->spec = spec_load_at (j->dirfd, "config.json", SPEC_CONFIG, err);
  if (j->spec == NULL)
    return -1;
  return set_spec_dir (j, bundle, err);
}

/* runc exec -u takes numeric "uid[:gid]" only and changes just those fields (exec.go
 * getProcess: the gid only when given, additionalGids kept); anything else makes runc fail, so
 * it changes nothing here.  */
static void
synthesize_user (struct json_node *process, const char *user)
{
  unsigned long uid = 0, gid = 0;
  bool has_gid = false;
  char *end = NULL;
  struct json_node *u;

  if (user == NULL || *user < '0' || *user > '9')
    return;
  uid = strtoul (user, &end, 10);
  if (*end == ':')
    {
      has_gid = true;
      gid = strtoul (end + 1, &end, 10);
    }
  if (*end != '\0' || uid > UINT32_MAX || gid > UINT32_MAX)
    return;
  u = json_obj_get (process, "user");
  if (u == NULL || u->type != JSON_OBJECT)
    {
      u = json_new_object ();
      json_obj_set (process, "user", u);
    }
  json_obj_set (u, "uid", json_new_uint (uid));
  if (has_gid)
    json_obj_set (u, "gid", json_new_uint (gid));
}

/* Append each --cap to one capability set of the process (created when missing).  */
static void
add_caps (struct json_node *process, const char *set, const struct runc_invocation *inv)
{
  struct json_node *caps = json_obj_get (process, "capabilities");
  struct json_node *arr;

  if (caps == NULL || caps->type != JSON_OBJECT)
    {
      caps = json_new_object ();
      json_obj_set (process, "capabilities", caps);
    }
  arr = json_obj_get (caps, set);
  if (arr == NULL || arr->type != JSON_ARRAY)
    {
      arr = json_new_array ();
      json_obj_set (caps, set, arr);
    }
  for (size_t i = 0; i < inv->n_caps; i++)
    json_arr_append (arr, json_new_string (inv->caps[i]));
}

/* `runc exec` without --process starts the container's own process as written in the bundle's
 * config.json AT EXEC TIME (runc exec.go getProcess reloads it; crun uses its saved copy), with
 * the flags applied on top: --cap appended to the bounding, effective, permitted and ambient
 * sets, -u replacing the user.  That whole process is judged, so an edit of config.json after
 * create gains nothing.  */
static int
synthesize_exec (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
                 ocg_error_t *err)
{
  static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
  cleanup_json struct json_node *root = NULL;
  cleanup_free char *text = NULL;
  size_t len = 0;

  /* --no-new-privs=false, --apparmor, --process-label, --additional-gids and --cgroup each
   * loosen the judged process in a way the rules cannot see from here: refuse them.  */
  if (inv->exec_privileged_flags)
    return ocg_error_set (err, 0,
                          "exec flags --no-new-privs=false, --apparmor, --process-label, "
                          "--additional-gids and --cgroup are not judged; pass a --process file");
  root = state_exec_process (inv, rt, err);
  if (root == NULL)
    return ocg_error_wrap (err, "exec without --process");
  if (inv->n_caps > 0)
    for (size_t s = 0; s < ARRAY_SIZE (sets); s++)
      add_caps (root, sets[s], inv);
  synthesize_user (root, inv->user);
  /* Through the same loader as every other document, so the schema checks apply to it too.  */
  text = json_serialize (root, &len, err);
  if (text == NULL)
    return -1;
  j->synthetic = true;
  j->spec = spec_load_buffer (text, len, "exec flags", SPEC_PROCESS, err);
  return j->spec ? 0 : -1;
}

static int
read_stdin_document (struct judgement *j, ocg_error_t *err)
{
  j->stdin_bytes = fsutil_read_fd (STDIN_FILENO, "stdin", SPEC_MAX_BYTES, &j->stdin_len, err);
  if (j->stdin_bytes == NULL)
    return ocg_error_wrap (err, "read update resources");
  j->spec
      = spec_load_buffer (j->stdin_bytes, j->stdin_len, "resources (stdin)", SPEC_RESOURCES, err);
  return j->spec ? 0 : -1;
}

static int
load_document (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
               ocg_error_t *err)
{
  j->dirfd = -1;
  switch (inv->verb)
    {
    case RUNC_VERB_CREATE:
    case RUNC_VERB_RUN:
      return open_config (inv, j, err);
    case RUNC_VERB_RESTORE:
      /* The restored process would get these labels instead of the judged config's.  */
      if (inv->exec_privileged_flags)
        return ocg_error_set (err, 0,
                              "restore --lsm-profile/--lsm-mount-context would replace "
                              "the judged AppArmor/SELinux labels; set them in config.json");
      if (open_config (inv, j, err) < 0)
        return -1;
      j->spec->restore = true; /* the `restore` rule judges what the image brings */
      return 0;
    case RUNC_VERB_EXEC:
      if (inv->process_path == NULL)
        return synthesize_exec (inv, rt, j, err);
      return load_path (inv->process_path, SPEC_PROCESS, j, err);
    case RUNC_VERB_UPDATE:
      if (inv->resources_path == NULL && inv->update_has_flags)
        /* `runc update --pids-limit -1 ID` loosens a running container as surely as a
         * resources document does.  Engines always send --resources (Docker, containerd, CRI:
         * `update --resources -`); the per-flag form (with go-units sizes such as `512m`) is
         * not judged, so it is refused rather than passed unseen.  */
        return ocg_error_set (err, 0,
                              "`update` with individual limit flags is not judged by ocigate; "
                              "pass the new limits as a --resources document");
      if (inv->resources_path == NULL)
        return 0; /* nothing to change: runc only prints the usage */
      if (strcmp (inv->resources_path, "-") == 0)
        return read_stdin_document (j, err);
      return load_path (inv->resources_path, SPEC_RESOURCES, j, err);
    default:
      return ocg_error_set (err, 0, "internal error: verb `%s` is not policed", inv->verb_name);
    }
}

/* Hand the runtime the bytes we judged: the original stdin bytes, or the serialised tree when a
 * rewrite changed it.  A memfd stands in for the pipe we consumed.  */
static int
replace_stdin (const struct judgement *j, ocg_error_t *err)
{
  cleanup_free char *rewritten = NULL;
  const char *buf = j->stdin_bytes;
  size_t len = j->stdin_len;
  cleanup_close int fd = -1;

  if (spec_changed (j->spec))
    {
      rewritten = json_serialize (j->spec->root, &len, err);
      if (rewritten == NULL)
        return -1;
      buf = rewritten;
    }
  fd = memfd_create ("ocigate-stdin", MFD_CLOEXEC);
  if (fd < 0)
    return ocg_error_set (err, errno, "memfd_create");
  if (fsutil_write_all (fd, buf, len) < 0)
    return ocg_error_set (err, errno, "write judged stdin to memfd");
  if (lseek (fd, 0, SEEK_SET) < 0 || dup2 (fd, STDIN_FILENO) < 0)
    return ocg_error_set (err, errno, "replace stdin");
  return 0;
}

static int
apply_rewrite (const struct judgement *j, ocg_error_t *err)
{
  if (j->stdin_bytes != NULL)
    return replace_stdin (j, err);
  if (!spec_changed (j->spec))
    return 0;
  if (j->synthetic)
    return ocg_error_set (err, 0, "internal error: a rewrite of exec flags cannot be applied");
  return spec_write_at (j->dirfd, j->name, j->spec, err);
}

static int
record (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
        bool executed, ocg_error_t *err)
{
  struct audit_subject subject = {
    .verb = inv->verb_name,
    .container_id = inv->container_id,
    .document = j->display ? j->display : (j->stdin_bytes ? "-" : "exec flags"),
    .runtime = rt ? rt->path : NULL,
    .exemptions = (const char *const *)j->exemptions,
  };
  cleanup_free char *line = audit_record (&subject, j->policy, j->spec, &j->decision, executed);

  return audit_append (j->audit_path, line, err);
}

/* The denial line users see in `docker run` and kubelet events.  */
static void
report_denial (const struct runc_invocation *inv, const struct judgement *j)
{
  cleanup_free char *msg = decision_denial_message (j->policy, &j->decision);

  report_error (inv->log_path, inv->log_format, msg);
}

static void
report_failure (const struct runc_invocation *inv, ocg_error_t *err)
{
  cleanup_free char *text = ocg_error_text (*err);

  report_error (inv->log_path, inv->log_format, text);
}

/* Exec flags cannot be rewritten (argv is passed byte for byte), so anything a rewrite would fix
 * denies instead.  */
static void
synthetic_rewrite_denies (struct judgement *j)
{
  struct findings *fixed = &j->decision.fixed;

  if (!j->synthetic || fixed->n == 0)
    return;
  for (size_t i = 0; i < fixed->n; i++)
    {
      struct rule_ctx ctx = { .rule = fixed->items[i].rule };
      finding_add (&j->decision.denied, &ctx, fixed->items[i].path, false, "%s",
                   fixed->items[i].message);
    }
  j->decision.verdict = VERDICT_DENY;
}

static enum police_status
judge (const struct runc_invocation *inv, const struct runtime *rt, struct judgement *j,
       ocg_error_t *err)
{
  bool enforce;

  if (j->spec == NULL)
    return POLICE_EXEC; /* update with neither flags nor --resources: runc changes nothing */
  if (engine_evaluate (j->policy, &j->host, j->spec, &j->decision, err) < 0)
    return POLICE_ERROR;
  synthetic_rewrite_denies (j);
  enforce = j->policy->mode == MODE_ENFORCE;
  if (enforce && j->decision.verdict == VERDICT_DENY)
    {
      if (record (inv, rt, j, false, err) < 0)
        return POLICE_ERROR;
      report_denial (inv, j);
      return POLICE_DENIED;
    }
  if (enforce && apply_rewrite (j, err) < 0)
    return POLICE_ERROR;
  if (record (inv, rt, j, true, err) < 0)
    return POLICE_ERROR;
  return POLICE_EXEC;
}

static int
check_runtime_flags (const struct runc_invocation *inv, const struct runtime *rt, ocg_error_t *err)
{
  /* crun's --config moves the document out of the bundle; runc has no such flag and would reject
   * it, but only after we had judged the wrong file (anchors.md §11.10, containers/crun#461).  */
  if (inv->config != NULL && rt->flavor != RUNTIME_CRUN)
    return ocg_error_set (err, 0, "`--config` is only understood by crun, and the runtime is `%s`",
                          rt->path);
  if (inv->crun_only && rt->flavor != RUNTIME_CRUN)
    return ocg_error_set (err, 0, "a flag only crun understands was given, and the runtime is `%s`",
                          rt->path);
  /* `-b=X` and `-bundle=X` mean bundle X to Go's flag package but `=X` and `undle=X` to crun's
   * getopt (checked with crun 1.8.1): we would judge one bundle and crun would run another.  */
  if (inv->go_only_syntax && rt->flavor == RUNTIME_CRUN)
    return ocg_error_set (err, 0,
                          "flag spelling `-x=value` / `-long` is read differently by crun; use "
                          "`--long value`");
  return 0;
}

enum police_status
police_invocation (const struct runc_invocation *inv, const struct police_settings *settings,
                   const struct runtime *rt)
{
  struct judgement j = { .dirfd = -1 };
  cleanup_error ocg_error_t err = NULL;
  enum police_status status = POLICE_ERROR;

  /* The document first: which exemptions apply depends on its annotations.  */
  if (check_runtime_flags (inv, rt, &err) == 0 && load_document (inv, rt, &j, &err) == 0
      && policy_load_for (inv, settings->profile, j.spec, rt, &j.policy, &j.audit_path,
                          &j.exemptions, &err)
             == 0)
    {
      /* runc's and crun's own defaults when the engine passes no --root (Podman).  */
      if (j.spec != NULL)
        {
          j.spec->runtime_root = xstrdup (inv->root                    ? inv->root
                                          : rt->flavor == RUNTIME_CRUN ? "/run/crun"
                                                                       : "/run/runc");
          j.spec->runtime_root_explicit = inv->root != NULL;
          j.spec->container_id = inv->container_id ? xstrdup (inv->container_id) : NULL;
          j.spec->cgroups_disabled = inv->cgroups_disabled;
        }
      hostfacts_init_real (&j.host);
      status = judge (inv, rt, &j, &err);
    }
  if (status == POLICE_ERROR)
    report_failure (inv, &err);
  judgement_release (&j);
  return status;
}

/* A directory is a bundle (its config.json); anything else is the document itself.  */
static int
check_load (const char *target, struct judgement *j, ocg_error_t *err)
{
  struct stat st;

  if (stat (target, &st) < 0)
    return ocg_error_set (err, errno, "stat `%s`", target);
  if (S_ISDIR (st.st_mode))
    {
      j->dirfd = open (target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (j->dirfd < 0)
        return ocg_error_set (err, errno, "open bundle `%s`", target);
      j->name = "config.json";
      j->spec = spec_load_at (j->dirfd, "config.json", SPEC_CONFIG, err);
    }
  else if (load_path (target, SPEC_CONFIG, j, err) < 0)
    return -1;
  /* A config file given directly is judged as if its directory were the bundle.  */
  return j->spec ? set_spec_dir (j, target, err) : -1;
}

int
police_check_command (const struct runc_invocation *inv, int argc, char **argv,
                      const struct police_settings *settings)
{
  struct judgement j = { .dirfd = -1 };
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *line = NULL;
  struct audit_subject subject = { .verb = "check" };
  int status = 2;

  if (argc != 1 && argc != 2)
    ocg_error_set (&err, 0, "usage: ocigate [--ocigate-profile P] check BUNDLE|CONFIG [ID]");
  else if (check_load (argv[0], &j, &err) == 0
           && policy_load_for (inv, settings->profile, j.spec, NULL, &j.policy, &j.audit_path,
                               &j.exemptions, &err)
                  == 0)
    {
      /* `ocigate --root R check` judges as a call with that runtime root would be judged.  */
      j.spec->runtime_root = inv->root ? xstrdup (inv->root) : NULL;
      j.spec->runtime_root_explicit = inv->root != NULL;
      /* ... and as the container ID would be: its own engine state directories are its own.  */
      j.spec->container_id = argc == 2 ? xstrdup (argv[1]) : NULL;
      hostfacts_init_real (&j.host);
      /* Judge as enforce would, but never write: check only explains.  */
      j.policy->mode = MODE_ENFORCE;
      if (engine_evaluate (j.policy, &j.host, j.spec, &j.decision, &err) == 0)
        {
          subject.document = argv[0];
          subject.exemptions = (const char *const *)j.exemptions;
          line = audit_record (&subject, j.policy, j.spec, &j.decision, false);
          printf ("%s\n", line);
          status = j.decision.verdict == VERDICT_DENY ? 1 : 0;
        }
    }
  if (status == 2)
    {
      cleanup_free char *text = ocg_error_text (err);
      fprintf (stderr, "ocigate: %s\n", text);
    }
  judgement_release (&j);
  return status;
}
