/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit trail (see audit.h).
 *
 * Owns: building the decision record and the O_APPEND write.
 * Must not: decide anything, or write anywhere but the audit destination.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <yajl/yajl_gen.h>

#include "audit.h"
#include "report.h"
#include "util.h"

static void
gen_str (yajl_gen g, const char *s)
{
  if (s == NULL)
    yajl_gen_null (g);
  else
    yajl_gen_string (g, (const unsigned char *)s, strlen (s));
}

static void
gen_kv (yajl_gen g, const char *key, const char *value)
{
  gen_str (g, key);
  gen_str (g, value);
}

static void
gen_findings (yajl_gen g, const char *key, const struct findings *f, const struct policy *policy)
{
  gen_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < f->n; i++)
    {
      const struct finding *x = &f->items[i];
      size_t idx = 0;

      yajl_gen_map_open (g);
      gen_kv (g, "rule", x->rule->id);
      gen_kv (g, "cis", x->rule->cis);
      gen_kv (g, "pss", x->rule->pss);
      if (rules_find (x->rule->id, &idx) != NULL)
        gen_kv (g, "action", policy_action_name (policy->actions[idx]));
      gen_kv (g, "path", x->path);
      gen_kv (g, "message", x->message);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

static void
gen_patch (yajl_gen g, const struct spec *spec)
{
  gen_str (g, "patch");
  yajl_gen_array_open (g);
  for (size_t i = 0; spec != NULL && i < spec->n_ops; i++)
    {
      const struct spec_patch_op *op = &spec->ops[i];

      yajl_gen_map_open (g);
      gen_kv (g, "op", op->op);
      gen_kv (g, "path", op->path);
      if (op->value != NULL)
        {
          gen_str (g, "value");
          /* Patch values come from a tree that loaded or that rules built, so this cannot fail
           * in practice; a scalar that somehow could not be written becomes null.  */
          if (json_gen_value (g, op->value) < 0)
            yajl_gen_null (g);
        }
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

/* Always present (an empty list when nothing was exempted), so a consumer can filter on it.  */
static void
gen_strv (yajl_gen g, const char *key, const char *const *v)
{
  gen_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    gen_str (g, v[i]);
  yajl_gen_array_close (g);
}

static const char *
verdict_name (enum verdict v)
{
  switch (v)
    {
    case VERDICT_ALLOW:
      return "allow";
    case VERDICT_REWRITE:
      return "rewrite";
    case VERDICT_DENY:
      return "deny";
    default:
      return "unknown";
    }
}

static void
gen_annotations (yajl_gen g, const struct spec *spec)
{
  /* The engine-set identity of the workload, so an operator can find the pod behind a line.  */
  static const char *const keys[] = {
    "io.kubernetes.cri.sandbox-namespace",
    "io.kubernetes.cri.sandbox-name",
    "io.kubernetes.cri.container-name",
    "io.kubernetes.cri.container-type",
    "io.kubernetes.cri.image-name",
    "io.kubernetes.pod.namespace",
    "io.kubernetes.pod.name",
    "io.kubernetes.container.name",
  };
  const struct json_node *ann = spec ? spec_get_object (spec, "/annotations") : NULL;

  gen_str (g, "workload");
  yajl_gen_map_open (g);
  for (size_t i = 0; ann != NULL && i < ARRAY_SIZE (keys); i++)
    {
      const struct json_node *v = json_obj_get (ann, keys[i]);
      if (v != NULL && v->type == JSON_STRING)
        gen_kv (g, keys[i], v->text);
    }
  yajl_gen_map_close (g);
}

char *
audit_record (const struct audit_subject *subject, const struct policy *policy,
              const struct spec *spec, const struct decision *d, bool executed)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char stamp[64];
  char *out;

  if (g == NULL)
    ocg_oom ();
  report_timestamp (stamp, sizeof (stamp));
  yajl_gen_map_open (g);
  gen_kv (g, "time", stamp);
  gen_kv (g, "verb", subject->verb);
  gen_kv (g, "container", subject->container_id);
  gen_kv (g, "document", subject->document);
  gen_kv (g, "runtime", subject->runtime);
  gen_kv (g, "policy", policy->name);
  gen_kv (g, "mode", policy->mode == MODE_AUDIT ? "audit" : "enforce");
  gen_kv (g, "verdict", subject->error != NULL ? "error" : verdict_name (d->verdict));
  if (subject->error != NULL)
    gen_kv (g, "error", subject->error);
  gen_strv (g, "exemptions", subject->exemptions);
  gen_str (g, "executed");
  yajl_gen_bool (g, executed);
  gen_annotations (g, spec);
  gen_findings (g, "denied", &d->denied, policy);
  gen_findings (g, "rewritten", &d->fixed, policy);
  gen_findings (g, "warned", &d->warned, policy);
  gen_findings (g, "notes", &d->noted, policy);
  gen_patch (g, spec);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  out = xstrndup ((const char *)buf, len);
  yajl_gen_free (g);
  return out;
}

char *
audit_policy_error_record (const char *verb, const char *container_id, const char *runtime,
                           const char *error)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char stamp[64];
  char *out;

  if (g == NULL)
    ocg_oom ();
  report_timestamp (stamp, sizeof (stamp));
  yajl_gen_map_open (g);
  gen_kv (g, "time", stamp);
  gen_kv (g, "verb", verb);
  gen_kv (g, "container", container_id);
  gen_kv (g, "runtime", runtime);
  gen_kv (g, "verdict", "policy-error");
  gen_kv (g, "error", error);
  gen_str (g, "executed");
  yajl_gen_bool (g, true);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  out = xstrndup ((const char *)buf, len);
  yajl_gen_free (g);
  return out;
}

static int
ensure_parent_dir (const char *path)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');

  if (slash == NULL || slash == dir)
    return 0;
  *slash = '\0';
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return -1;
  return 0;
}

int
audit_append (const char *path, const char *record, ocg_error_t *err)
{
  cleanup_free char *line = xasprintf ("%s\n", record);
  size_t len = strlen (line);
  cleanup_close int fd = -1;
  ssize_t w;

  if (ensure_parent_dir (path) < 0)
    return ocg_error_set (err, errno, "create directory of audit log `%s`", path);
  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
  if (fd < 0)
    return ocg_error_set (err, errno, "open audit log `%s`", path);
  /* One write(2) per record: with O_APPEND the kernel positions and writes it as a unit, so
   * records from concurrent runtime calls never interleave.  */
  w = write (fd, line, len);
  if (w < 0)
    return ocg_error_set (err, errno, "write audit log `%s`", path);
  if ((size_t)w != len)
    return ocg_error_set (err, ENOSPC, "short write to audit log `%s`", path);
  return 0;
}

/* access(2) says EROFS for a read-only filesystem even to root, and EACCES where an LSM or a
 * permission bit forbids it.  */
static int
dir_writable (const char *dir, ocg_error_t *err)
{
  if (access (dir, W_OK | X_OK) < 0)
    return ocg_error_set (err, errno, "cannot create files in `%s`", dir);
  return 0;
}

int
audit_check_writable (const char *path, ocg_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  cleanup_close int fd = -1;
  char *slash = strrchr (dir, '/');
  struct stat st;

  fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
  if (fd >= 0)
    return 0;
  if (errno != ENOENT)
    return ocg_error_set (err, errno, "open audit log `%s`", path);
  if (slash == NULL || slash == dir)
    return dir_writable ("/", err);
  *slash = '\0';
  if (stat (dir, &st) == 0)
    return dir_writable (dir, err);
  /* audit_append makes the parent (one level, 0700) when it is missing.  */
  slash = strrchr (dir, '/');
  if (slash == NULL)
    return ocg_error_set (err, ENOENT, "directory of audit log `%s`", path);
  *slash = '\0';
  return dir_writable (slash == dir ? "/" : dir, err);
}
