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

/* A generator and the first status it failed with: every write below is skipped once one has
 * failed, and the record is refused as a whole (audit_record).  */
struct out
{
  yajl_gen g;
  yajl_gen_status st;
};

static void
put_str (struct out *o, const char *s)
{
  if (o->st == yajl_gen_status_ok)
    o->st = s == NULL ? yajl_gen_null (o->g)
                      : yajl_gen_string (o->g, (const unsigned char *)s, strlen (s));
}

static void
put_kv (struct out *o, const char *key, const char *value)
{
  put_str (o, key);
  put_str (o, value);
}

static void
put_bool (struct out *o, const char *key, bool value)
{
  put_str (o, key);
  if (o->st == yajl_gen_status_ok)
    o->st = yajl_gen_bool (o->g, value);
}

static void
put_open (struct out *o, bool map)
{
  if (o->st == yajl_gen_status_ok)
    o->st = map ? yajl_gen_map_open (o->g) : yajl_gen_array_open (o->g);
}

static void
put_close (struct out *o, bool map)
{
  if (o->st == yajl_gen_status_ok)
    o->st = map ? yajl_gen_map_close (o->g) : yajl_gen_array_close (o->g);
}

static void
put_finding (struct out *o, const struct finding *x, const struct policy *policy)
{
  size_t idx = 0;

  put_open (o, true);
  put_kv (o, "rule", x->rule->id);
  put_kv (o, "cis", x->rule->cis);
  put_kv (o, "pss", x->rule->pss);
  if (rules_find (x->rule->id, &idx) != NULL)
    put_kv (o, "action", policy_action_name (policy->actions[idx]));
  put_kv (o, "path", x->path);
  put_kv (o, "message", x->message);
  put_close (o, true);
}

/* What ocigate noticed itself, outside any rule (the runtime's state it could not read): shaped
 * like a rule's note, with no rule.  */
static void
put_own_note (struct out *o, const char *message)
{
  put_open (o, true);
  put_kv (o, "rule", NULL);
  put_kv (o, "cis", NULL);
  put_kv (o, "pss", NULL);
  put_kv (o, "path", "");
  put_kv (o, "message", message);
  put_close (o, true);
}

static void
put_findings (struct out *o, const char *key, const struct findings *f, const struct policy *policy,
              const char *const *own)
{
  put_str (o, key);
  put_open (o, false);
  for (size_t i = 0; i < f->n; i++)
    put_finding (o, &f->items[i], policy);
  for (size_t i = 0; own != NULL && own[i] != NULL; i++)
    put_own_note (o, own[i]);
  put_close (o, false);
}

/* The JSON Patch of every change, by the one writer of it (spec_patch_gen).  */
static void
put_patch (struct out *o, const struct spec *spec)
{
  static const struct spec none = { 0 };

  put_str (o, "patch");
  if (o->st == yajl_gen_status_ok && spec_patch_gen (o->g, spec ? spec : &none) < 0)
    o->st = yajl_gen_invalid_string;
}

/* Always present (an empty list when nothing was exempted), so a consumer can filter on it.  */
static void
put_strv (struct out *o, const char *key, const char *const *v)
{
  put_str (o, key);
  put_open (o, false);
  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    put_str (o, v[i]);
  put_close (o, false);
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
put_annotations (struct out *o, const struct spec *spec)
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

  put_str (o, "workload");
  put_open (o, true);
  for (size_t i = 0; ann != NULL && i < ARRAY_SIZE (keys); i++)
    {
      const struct json_node *v = json_obj_get (ann, keys[i]);
      if (v != NULL && v->type == JSON_STRING)
        put_kv (o, keys[i], v->text);
    }
  put_close (o, true);
}

/* Open a record: the generator and its first member, the time.  */
static void
record_open (struct out *o)
{
  char stamp[64];

  o->g = yajl_gen_alloc (NULL);
  o->st = yajl_gen_status_ok;
  if (o->g == NULL)
    ocg_oom ();
  report_timestamp (stamp, sizeof (stamp));
  put_open (o, true);
  put_kv (o, "time", stamp);
}

/* Close it: the record as one line (malloc'd), or NULL when any write failed.  */
static char *
record_close (struct out *o, ocg_error_t *err)
{
  const unsigned char *buf = NULL;
  size_t len = 0;
  char *line = NULL;

  put_close (o, true);
  if (o->st == yajl_gen_status_ok)
    o->st = yajl_gen_get_buf (o->g, &buf, &len);
  if (o->st == yajl_gen_status_ok)
    line = xstrndup ((const char *)buf, len);
  else
    ocg_error_set (err, 0, "cannot write the audit record (yajl_gen status %d)", (int)o->st);
  yajl_gen_free (o->g);
  return line;
}

char *
audit_record (const struct audit_subject *subject, const struct policy *policy,
              const struct spec *spec, const struct decision *d, bool executed, ocg_error_t *err)
{
  struct out o;

  record_open (&o);
  put_kv (&o, "verb", subject->verb);
  put_kv (&o, "container", subject->container_id);
  put_kv (&o, "document", subject->document);
  put_kv (&o, "runtime", subject->runtime);
  put_kv (&o, "policy", policy->name);
  put_kv (&o, "mode", policy->mode == MODE_AUDIT ? "audit" : "enforce");
  put_kv (&o, "verdict", subject->error != NULL ? "error" : verdict_name (d->verdict));
  if (subject->error != NULL)
    put_kv (&o, "error", subject->error);
  put_strv (&o, "exemptions", subject->exemptions);
  put_bool (&o, "executed", executed);
  put_annotations (&o, spec);
  put_findings (&o, "denied", &d->denied, policy, NULL);
  put_findings (&o, "rewritten", &d->fixed, policy, NULL);
  put_findings (&o, "warned", &d->warned, policy, NULL);
  put_findings (&o, "notes", &d->noted, policy, subject->notes);
  put_patch (&o, spec);
  return record_close (&o, err);
}

char *
audit_policy_error_record (const char *verb, const char *container_id, const char *runtime,
                           const char *error, ocg_error_t *err)
{
  struct out o;

  record_open (&o);
  put_kv (&o, "verb", verb);
  put_kv (&o, "container", container_id);
  put_kv (&o, "runtime", runtime);
  put_kv (&o, "verdict", "policy-error");
  put_kv (&o, "error", error);
  put_bool (&o, "executed", true);
  return record_close (&o, err);
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
