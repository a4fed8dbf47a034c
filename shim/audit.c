/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The audit trail's record (see audit.h).
 *
 * Owns: building the decision record, within its bound.
 * Must not: decide anything, or write it anywhere (audit_sink.c does).  */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "audit.h"
#include "util.h"

/* How much of each part a record may hold.  */
struct limits
{
  size_t str_max;   /* a string value, escaped, with its cut marker */
  size_t value_max; /* a patch value's compact JSON text */
  size_t items_max; /* elements of each list */
};

/* Tried in order until the record fits AUDIT_RECORD_MAX.  The first holds every record the
 * suite's engines produce (the injected seccomp profile, the same few KiB in every record that
 * gets one, is written as its digest); the last holds no list element and strings of at most
 * 128 bytes, and no record can exceed the bound with it (test_shim_audit_bound.c, the worst
 * case).  */
static const struct limits levels[] = {
  { 1024, 256, SIZE_MAX }, { 256, 64, SIZE_MAX }, { 128, 64, 32 },
  { 128, 64, 8 },          { 128, 64, 2 },        { 128, 64, 0 },
};

/* The lists of a record, which a level may cut short.  */
enum list
{
  LIST_EXEMPTIONS,
  LIST_DENIED,
  LIST_REWRITTEN,
  LIST_WARNED,
  LIST_NOTES,
  LIST_PATCH,
  N_LISTS,
};

static const char *const list_names[N_LISTS]
    = { "exemptions", "denied", "rewritten", "warned", "notes", "patch" };

/* A generator and the first status it failed with: every write below is skipped once one has
 * failed, and the record is refused as a whole (audit_record).  */
struct out
{
  yajl_gen g;
  yajl_gen_status st;
  const struct limits *lim; /* NULL: nothing is cut (`ocigate check`) */
  size_t cut;               /* strings cut and patch values written as their digest */
  size_t omitted[N_LISTS];  /* list elements left out */
};

static void
put_raw (struct out *o, const char *s)
{
  if (o->st == yajl_gen_status_ok)
    o->st = s == NULL ? yajl_gen_null (o->g)
                      : yajl_gen_string (o->g, (const unsigned char *)s, strlen (s));
}

/* A value, cut to the level's bound with a marker that says how much was cut.  */
static void
put_str (struct out *o, const char *s)
{
  cleanup_free char *cut
      = s != NULL && o->lim != NULL ? json_cut_string (s, o->lim->str_max) : NULL;

  if (cut != NULL)
    o->cut++;
  put_raw (o, cut ? cut : s);
}

static void
put_kv (struct out *o, const char *key, const char *value)
{
  put_raw (o, key);
  put_str (o, value);
}

static void
put_bool (struct out *o, const char *key, bool value)
{
  put_raw (o, key);
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

/* Is there room for one more element of `list`, `written` being written?  Counts what is not.  */
static bool
room (struct out *o, enum list list, size_t written)
{
  if (o->lim == NULL || written < o->lim->items_max)
    return true;
  o->omitted[list]++;
  return false;
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
put_findings (struct out *o, enum list list, const struct findings *f, const struct policy *policy,
              const char *const *own)
{
  size_t written = 0;

  put_raw (o, list_names[list]);
  put_open (o, false);
  for (size_t i = 0; i < f->n; i++)
    if (room (o, list, written))
      put_finding (o, &f->items[i], policy), written++;
  for (size_t i = 0; own != NULL && own[i] != NULL; i++)
    if (room (o, list, written))
      put_own_note (o, own[i]), written++;
  put_close (o, false);
}

/* The JSON Patch of every change, by the one writer of it (spec_patch_gen_bounded).  */
static void
put_patch (struct out *o, const struct spec *spec)
{
  static const struct spec none = { 0 };
  struct spec_patch_bound b = { 0 };

  if (o->lim != NULL)
    b = (struct spec_patch_bound){ .str_max = o->lim->str_max,
                                   .value_max = o->lim->value_max,
                                   .ops_max = o->lim->items_max };
  put_raw (o, list_names[LIST_PATCH]);
  if (o->st == yajl_gen_status_ok
      && spec_patch_gen_bounded (o->g, spec ? spec : &none, o->lim ? &b : NULL) < 0)
    o->st = yajl_gen_invalid_string;
  o->cut += b.cut;
  o->omitted[LIST_PATCH] += b.omitted;
}

/* Always present (an empty list when nothing was exempted), so a consumer can filter on it.  */
static void
put_exemptions (struct out *o, const char *const *v)
{
  size_t written = 0;

  put_raw (o, list_names[LIST_EXEMPTIONS]);
  put_open (o, false);
  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    if (room (o, LIST_EXEMPTIONS, written))
      put_str (o, v[i]), written++;
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

/* The engine-set identity of the workload, so an operator can find the pod behind a line: from
 * the judged config, or for exec and update from what the runtime recorded at create.  */
static void
put_workload (struct out *o, const struct json_node *ann)
{
  /* containerd's CRI plugin (pkg/cri/annotations/annotations.go) and CRI-O's / the kubelet's
   * keys (io.kubernetes.pod.*, io.kubernetes.container.name).  */
  static const char *const keys[] = {
    "io.kubernetes.cri.sandbox-namespace",
    "io.kubernetes.cri.sandbox-name",
    "io.kubernetes.cri.sandbox-uid",
    "io.kubernetes.cri.container-name",
    "io.kubernetes.cri.container-type",
    "io.kubernetes.cri.image-name",
    "io.kubernetes.pod.namespace",
    "io.kubernetes.pod.name",
    "io.kubernetes.pod.uid",
    "io.kubernetes.container.name",
  };

  put_raw (o, "workload");
  put_open (o, true);
  for (size_t i = 0; ann != NULL && ann->type == JSON_OBJECT && i < ARRAY_SIZE (keys); i++)
    {
      const struct json_node *v = json_obj_get (ann, keys[i]);
      if (v != NULL && v->type == JSON_STRING)
        put_kv (o, keys[i], v->text);
    }
  put_close (o, true);
}

/* The proleptic Gregorian date of day `days` since 1970-01-01 (H. Hinnant's civil_from_days,
 * http://howardhinnant.github.io/date_algorithms.html).  gmtime_r(3) would give the same, but
 * glibc's loads the time zone file (/etc/localtime: 7 system calls) on its first call even for
 * UTC.  */
static void
civil_from_days (long long days, long long *y, unsigned *m, unsigned *d)
{
  long long z = days + 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;

  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long long)yoe + era * 400 + (*m <= 2);
}

/* RFC 3339 in UTC, to the microsecond: records of a fleet sort and join across time zones.  */
static void
utc_stamp (char *buf, size_t size)
{
  struct timespec ts;
  long long days, secs, y;
  unsigned m, d;

  clock_gettime (CLOCK_REALTIME, &ts);
  days = (long long)ts.tv_sec / 86400;
  secs = (long long)ts.tv_sec % 86400;
  if (secs < 0)
    secs += 86400, days--;
  civil_from_days (days, &y, &m, &d);
  snprintf (buf, size, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06ldZ", y, m, d, secs / 3600,
            secs / 60 % 60, secs % 60, ts.tv_nsec / 1000);
}

/* Open a record: the generator and the members that say when, where and by which ocigate.  */
static void
record_open (struct out *o, const struct limits *lim, const char *stamp)
{
  char host[256] = "";

  *o = (struct out){ .g = yajl_gen_alloc (NULL), .st = yajl_gen_status_ok, .lim = lim };
  if (o->g == NULL)
    ocg_oom ();
  if (gethostname (host, sizeof (host) - 1) < 0)
    host[0] = '\0';
  put_open (o, true);
  put_kv (o, "time", stamp);
  put_kv (o, "host", host);
  put_kv (o, "ocigate_version", PACKAGE_VERSION);
}

/* What was left out, when anything was: `truncated`, and how many elements of each list.  */
static void
put_truncation (struct out *o)
{
  bool any = false;

  for (size_t i = 0; i < N_LISTS; i++)
    any = any || o->omitted[i] > 0;
  if (o->cut == 0 && !any)
    return;
  put_bool (o, "truncated", true);
  if (!any)
    return;
  put_raw (o, "omitted");
  put_open (o, true);
  for (size_t i = 0; i < N_LISTS; i++)
    if (o->omitted[i] > 0 && o->st == yajl_gen_status_ok)
      {
        char n[24];
        snprintf (n, sizeof (n), "%zu", o->omitted[i]);
        put_raw (o, list_names[i]);
        o->st = yajl_gen_number (o->g, n, strlen (n));
      }
  put_close (o, true);
}

/* Close it: the record as one line (malloc'd), or NULL when any write failed.  */
static char *
record_close (struct out *o, ocg_error_t *err)
{
  const unsigned char *buf = NULL;
  size_t len = 0;
  char *line = NULL;

  put_truncation (o);
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

/* What the record's policy_digest says: the files' digest, or which built-in profile.  */
static char *
policy_digest (const struct policy *policy)
{
  if (policy->digest != NULL)
    return xstrdup (policy->digest);
  return xasprintf ("builtin:%s", policy->name);
}

struct record_args
{
  const struct audit_subject *subject;
  const struct policy *policy;
  const struct spec *spec;
  const struct decision *d;
  bool executed;
  const char *stamp;
};

static char *
decision_record (const struct record_args *a, const struct limits *lim, ocg_error_t *err)
{
  const struct audit_subject *s = a->subject;
  cleanup_free char *digest = policy_digest (a->policy);
  struct out o;

  record_open (&o, lim, a->stamp);
  put_kv (&o, "verb", s->verb);
  put_kv (&o, "container", s->container_id);
  put_kv (&o, "document", s->document);
  put_kv (&o, "runtime", s->runtime);
  put_kv (&o, "policy", a->policy->name);
  put_kv (&o, "policy_digest", digest);
  put_kv (&o, "mode", a->policy->mode == MODE_AUDIT ? "audit" : "enforce");
  put_kv (&o, "verdict", s->error != NULL ? "error" : verdict_name (a->d->verdict));
  if (s->error != NULL)
    put_kv (&o, "error", s->error);
  put_exemptions (&o, s->exemptions);
  put_bool (&o, "executed", a->executed);
  put_workload (&o, s->annotations ? s->annotations
                    : a->spec      ? spec_get_object (a->spec, "/annotations")
                                   : NULL);
  put_findings (&o, LIST_DENIED, &a->d->denied, a->policy, NULL);
  put_findings (&o, LIST_REWRITTEN, &a->d->fixed, a->policy, NULL);
  put_findings (&o, LIST_WARNED, &a->d->warned, a->policy, NULL);
  put_findings (&o, LIST_NOTES, &a->d->noted, a->policy, s->notes);
  put_patch (&o, a->spec);
  return record_close (&o, err);
}

/* The first level whose record fits the bound.  */
static char *
bounded (char *(*build) (const void *args, const struct limits *lim, ocg_error_t *err),
         const void *args, ocg_error_t *err)
{
  for (size_t i = 0; i < ARRAY_SIZE (levels); i++)
    {
      char *line = build (args, &levels[i], err);
      if (line == NULL || strlen (line) <= AUDIT_RECORD_MAX)
        return line;
      free (line);
    }
  return ocg_error_set (err, 0, "the audit record exceeds %u bytes", AUDIT_RECORD_MAX), NULL;
}

static char *
build_decision (const void *args, const struct limits *lim, ocg_error_t *err)
{
  return decision_record (args, lim, err);
}

char *
audit_record (const struct audit_subject *subject, const struct policy *policy,
              const struct spec *spec, const struct decision *d, bool executed, ocg_error_t *err)
{
  char stamp[64];
  struct record_args a
      = { .subject = subject, .policy = policy, .spec = spec, .d = d, .executed = executed };

  utc_stamp (stamp, sizeof (stamp));
  a.stamp = stamp;
  if (subject->whole)
    return decision_record (&a, NULL, err);
  return bounded (build_decision, &a, err);
}

struct policy_error_args
{
  const char *verb, *container_id, *runtime, *error, *digest, *stamp;
};

static char *
build_policy_error (const void *args, const struct limits *lim, ocg_error_t *err)
{
  const struct policy_error_args *a = args;
  struct out o;

  record_open (&o, lim, a->stamp);
  put_kv (&o, "verb", a->verb);
  put_kv (&o, "container", a->container_id);
  put_kv (&o, "runtime", a->runtime);
  put_kv (&o, "policy_digest", a->digest);
  put_kv (&o, "verdict", "policy-error");
  put_kv (&o, "error", a->error);
  put_bool (&o, "executed", true);
  return record_close (&o, err);
}

char *
audit_policy_error_record (const char *verb, const char *container_id, const char *runtime,
                           const char *error, const char *digest, ocg_error_t *err)
{
  char stamp[64];
  struct policy_error_args a = { verb, container_id, runtime, error, digest, stamp };

  utc_stamp (stamp, sizeof (stamp));
  return bounded (build_policy_error, &a, err);
}
