/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate runtime configure --as-runc` for Docker and containerd: ocigate as the `runc` their
 * shims find first on the PATH they inherit from containerd (go-runc runs `runc` through Go's
 * exec.LookPath), as a symlink so that an upgrade of ocigate cannot leave a stale copy behind.
 * The directory is the first one on that PATH that exists and that only root can write
 * (--runc-dir chooses another).  The runtime that lookup found until now is recorded as the
 * policy's `runtime` (a policy.d drop-in), so ocigate installed as runc keeps exec'ing exactly it
 * -- unless the policy already names one.  */
#include <config.h>

#include <sys/stat.h>

#include "binid.h"
#include "configure.h"
#include "fsutil.h"
#include "hostproc.h"
#include "policy_file.h"
#include "route.h"
#include "runtime.h"
#include "util.h"

static const char *
daemon_path_env (struct configure *c, pid_t *pid)
{
  if (c->engine == ENGINE_DOCKER)
    return docker_runc_path_env (&c->docker, pid);
  return containerd_runc_path_env (&c->containerd, pid);
}

static bool
trusted_dir (const char *dir)
{
  struct stat st;

  return stat (dir, &st) == 0 && S_ISDIR (st.st_mode) && st.st_uid == 0
         && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/* The first directory of the daemon's PATH ocigate may put the link in.  */
static char *
choose_dir (const char *path_env, ocg_error_t *err)
{
  for (const char *p = path_env; p != NULL && *p != '\0';)
    {
      const char *colon = strchr (p, ':');
      cleanup_free char *dir = xstrndup (p, colon ? (size_t)(colon - p) : strlen (p));

      p = colon ? colon + 1 : NULL;
      if (dir[0] == '/' && trusted_dir (dir))
        return steal_pointer (&dir);
    }
  ocg_error_set (err, 0,
                 "no directory on the daemon's PATH (%s) exists and is writable by root "
                 "only; choose one with --runc-dir",
                 path_env);
  return NULL;
}

static char *
policy_dropin_dir (const struct configure *c)
{
  const char *env = getenv (POLICY_FILE_ENV);
  const char *main = c->inv->ocg_policy ? c->inv->ocg_policy
                     : env && env[0]    ? env
                                        : POLICY_FILE_DEFAULT;
  size_t n = strlen (main);

  if (n > 5 && strcmp (main + n - 5, ".json") == 0)
    n -= 5;
  return xasprintf ("%.*s.d", (int)n, main);
}

/* Another engine's record whose as_runc has `key` equal to `value` (Docker and containerd share
 * the PATH of one containerd, or the host default): a clone of that as_runc, or NULL.  */
static struct json_node *
other_record (const struct configure *c, const char *key, const char *value)
{
  static const char *const engines[] = { "docker", "containerd" };

  for (size_t i = 0; i < ARRAY_SIZE (engines); i++)
    {
      cleanup_free char *path = xasprintf ("%s/runtime-%s.json", c->state_dir, engines[i]);
      cleanup_free char *buf = NULL;
      cleanup_error ocg_error_t err = NULL;
      cleanup_json struct json_node *rec = NULL;
      struct json_parse_opts o = { .source = "record" };
      const struct json_node *as, *v;
      size_t len = 0;
      bool exists;

      if (i == (size_t)c->engine)
        continue;
      buf = changeset_read (path, &len, &exists, &err);
      rec = buf ? json_parse (buf, len, &o, &err) : NULL;
      as = json_obj_get (rec, "as_runc");
      v = json_obj_get (as, key);
      if (v != NULL && v->type == JSON_STRING && str_eq (v->text, value))
        return json_clone (as);
    }
  return NULL;
}

/* The runtime the engines' lookup found before: the route's target when it is not ocigate, else
 * what ocigate itself resolves.  */
static char *
real_runtime (const struct route_target *before, ocg_error_t *err)
{
  struct runtime_sources builtin = { 0 };
  struct runtime rt = { 0 };
  char *path;

  if (before->path != NULL && before->id.kind == BINID_OTHER)
    return xstrdup (before->path);
  if (runtime_resolve (&builtin, &rt, err) < 0)
    return NULL;
  path = steal_pointer (&rt.path);
  runtime_release (&rt);
  return path;
}

static void
plan_mkdirs (struct configure *c, const char *dir, const char *key)
{
  cleanup_free char *parent = xstrdup (dir);
  char *slash = strrchr (parent, '/');
  struct stat st;

  if (slash != NULL && slash != parent)
    *slash = '\0';
  if (slash != NULL && slash != parent && stat (parent, &st) < 0)
    {
      changeset_mkdir (&c->cs, parent, "created the policy directory");
      json_obj_set (configure_record_obj (c, "as_runc"), "created_policy_parent",
                    json_new_string (parent));
    }
  if (stat (dir, &st) < 0)
    {
      changeset_mkdir (&c->cs, dir, "created the policy drop-in directory");
      json_obj_set (configure_record_obj (c, "as_runc"), key, json_new_string (dir));
    }
}

static int
plan_policy (struct configure *c, const struct route_target *before, ocg_error_t *err)
{
  cleanup_free char *pinned = NULL, *real = NULL, *text = NULL, *dropin = NULL;
  cleanup_free char *dir = policy_dropin_dir (c);

  if (policy_file_runtime (c->inv->ocg_policy, &pinned, err) < 0)
    return ocg_error_wrap (err, "load the policy");
  dropin = xasprintf ("%s/%s", dir, CONFIGURE_DROPIN_POLICY);
  if (pinned != NULL)
    {
      /* Pinned by the other engine's configure: this one owns it too, until the last undo.  */
      cleanup_json struct json_node *other = other_record (c, "policy_dropin", dropin);
      struct json_node *mine = configure_record_obj (c, "as_runc");
      for (size_t i = 0; other != NULL && i < other->n; i++)
        if (str_has_prefix (other->keys[i], "created_policy")
            || str_eq (other->keys[i], "policy_dropin"))
          json_obj_set (mine, other->keys[i], json_clone (other->items[i]));
      configure_note (c, "the policy already names the runtime ocigate execs: %s", pinned);
      return 0;
    }
  real = real_runtime (before, err);
  if (real == NULL)
    return -1;
  text = xasprintf ("// %s: the runtime `runc` was before ocigate took its place.\n"
                    "{ \"runtime\": \"%s\" }\n",
                    CONFIGURE_MARK, real);
  plan_mkdirs (c, dir, "created_policy_dir");
  changeset_write (&c->cs, dropin, text, strlen (text), 0644,
                   "recorded the real runtime in the policy");
  json_obj_set (configure_record_obj (c, "as_runc"), "policy_dropin", json_new_string (dropin));
  configure_note (c, "ocigate installed as runc execs %s (recorded in %s)", real, dropin);
  return 0;
}

/* What is at the link's place may be replaced only when it is ocigate or a copy of it.  */
static int
check_place (const char *link, bool *done, ocg_error_t *err)
{
  struct binid id;
  struct stat st;

  *done = false;
  if (lstat (link, &st) < 0)
    return 0;
  binid_classify_path (link, &id);
  if (id.kind == BINID_SELF && S_ISLNK (st.st_mode))
    *done = true;
  else if (id.kind != BINID_SELF && id.kind != BINID_COPY_SAME && id.kind != BINID_COPY_OTHER)
    {
      binid_release (&id);
      return ocg_error_set (err, 0,
                            "%s is another program, not ocigate: ocigate will not replace "
                            "it; choose a directory before it on the daemon's PATH with "
                            "--runc-dir",
                            link);
    }
  binid_release (&id);
  return 0;
}

static int
plan_link (struct configure *c, ocg_error_t *err)
{
  pid_t pid;
  const char *path_env = daemon_path_env (c, &pid);
  cleanup_free char *dir = c->runc_dir ? xstrdup (c->runc_dir) : choose_dir (path_env, err);
  cleanup_free char *link = NULL;
  struct route_target before;
  bool done = false;
  int r;

  if (dir == NULL)
    return -1;
  if (dir[0] != '/' || !trusted_dir (dir))
    return ocg_error_set (err, 0,
                          "--runc-dir %s must be an existing directory only root can "
                          "write",
                          dir);
  link = xasprintf ("%s/runc", dir);
  route_resolve (pid, path_env, "runc", &before);
  r = check_place (link, &done, err);
  if (r == 0 && !done)
    changeset_symlink (&c->cs, link, c->self, "linked runc to ocigate on the daemon's PATH");
  if (r == 0)
    {
      json_obj_set (configure_record_obj (c, "as_runc"), "link", json_new_string (link));
      configure_note (c,
                      "`runc` on the PATH of %s is now %s -> %s (new containers use it, no "
                      "restart needed)",
                      c->engine == ENGINE_DOCKER ? "Docker's containerd" : "containerd", link,
                      c->self);
      r = plan_policy (c, &before, err);
    }
  route_release (&before);
  return r;
}

static int
plan_unlink (struct configure *c, ocg_error_t *err)
{
  const struct json_node *rec = json_obj_get (c->record, "as_runc");
  const struct json_node *link = json_obj_get (rec, "link");
  const struct json_node *dropin = json_obj_get (rec, "policy_dropin");
  const char *dirs[] = { "created_policy_dir", "created_policy_parent" };
  struct json_node *shared;
  struct binid id;

  (void)err;
  if (link != NULL && link->type == JSON_STRING
      && (shared = other_record (c, "link", link->text)) != NULL)
    {
      json_free (shared);
      configure_note (c, "%s stays: another engine's configuration uses it too", link->text);
      return 0;
    }
  if (link != NULL && link->type == JSON_STRING)
    {
      binid_classify_path (link->text, &id);
      if (id.kind == BINID_SELF)
        changeset_remove (&c->cs, link->text, "removed the runc link to ocigate");
      binid_release (&id);
    }
  if (dropin != NULL && dropin->type == JSON_STRING)
    changeset_remove (&c->cs, dropin->text, "removed the recorded runtime from the policy");
  for (size_t i = 0; i < 2; i++)
    {
      const struct json_node *d = json_obj_get (rec, dirs[i]);
      if (d != NULL && d->type == JSON_STRING)
        changeset_rmdir (&c->cs, d->text, "removed the policy directory (when empty)");
    }
  return 0;
}

int
configure_runc_plan (struct configure *c, ocg_error_t *err)
{
  if (c->engine == ENGINE_PODMAN)
    return 0;
  if (c->unconfigure)
    return plan_unlink (c, err);
  return plan_link (c, err);
}
