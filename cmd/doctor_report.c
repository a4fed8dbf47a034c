/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text, JSON and SARIF output of `ocigate doctor` (see doctor_report.h).  SARIF: OASIS Static
 * Analysis Results Interchange Format 2.1.0 (sarif-schema-2.1.0.json): one run, the catalogue as
 * the driver's rules (reportingDescriptor), one result per finding.  */
#include <config.h>

#include <errno.h>

#include <yajl/yajl_gen.h>

#include "doctor_report.h"
#include "json.h"
#include "util.h"

#define REPORT_SCHEMA_VERSION 1

/* The report being written.  yajl keeps no error state after a value it refuses (a string that
 * is not UTF-8): it leaves the value out and goes on, so the first failure is kept here and the
 * report is refused whole.  */
struct out
{
  yajl_gen g;
  yajl_gen_status st;
};

static void
keep (struct out *o, yajl_gen_status st)
{
  if (o->st == yajl_gen_status_ok)
    o->st = st;
}

static void
map_open (struct out *o)
{
  keep (o, yajl_gen_map_open (o->g));
}

static void
map_close (struct out *o)
{
  keep (o, yajl_gen_map_close (o->g));
}

static void
array_open (struct out *o)
{
  keep (o, yajl_gen_array_open (o->g));
}

static void
array_close (struct out *o)
{
  keep (o, yajl_gen_array_close (o->g));
}

static void
gs (struct out *o, const char *s)
{
  if (s == NULL)
    keep (o, yajl_gen_null (o->g));
  else
    keep (o, yajl_gen_string (o->g, (const unsigned char *)s, strlen (s)));
}

static void
kv (struct out *o, const char *k, const char *v)
{
  gs (o, k);
  gs (o, v);
}

static void
kn (struct out *o, const char *k, long long v)
{
  gs (o, k);
  keep (o, yajl_gen_integer (o->g, v));
}

char *
doctor_file_uri (const char *path)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen (path);
  char *out = xmalloc (3 * n + sizeof ("file://"));
  char *o = out + 7;

  memcpy (out, "file://", 7);
  for (const unsigned char *c = (const unsigned char *)path; *c != '\0'; c++)
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
        || strchr ("/-._~", *c) != NULL)
      *o++ = (char)*c;
    else
      {
        *o++ = '%';
        *o++ = hex[*c >> 4];
        *o++ = hex[*c & 15];
      }
  *o = '\0';
  return out;
}

static void
json_summary (struct out *o, const struct findings_list *l)
{
  gs (o, "summary");
  map_open (o);
  for (int s = SEV_HIGH; s >= SEV_INFO; s--)
    kn (o, severity_name ((enum severity)s), (long long)findings_count (l, (enum severity)s));
  map_close (o);
}

static void
json_finding (struct out *o, const struct doctor_finding *f)
{
  map_open (o);
  kv (o, "id", f->check->id);
  kv (o, "severity", severity_name (f->severity));
  kv (o, "title", f->check->title);
  kv (o, "cis", f->check->cis);
  kv (o, "subject", f->subject);
  kv (o, "message", f->message);
  kv (o, "fix", f->fix);
  kv (o, "location", f->location);
  map_close (o);
}

static void
gen_json (struct out *o, const struct findings_list *l)
{
  map_open (o);
  kv (o, "tool", "ocigate doctor");
  kv (o, "version", PACKAGE_VERSION);
  kn (o, "schema", REPORT_SCHEMA_VERSION);
  json_summary (o, l);
  gs (o, "findings");
  array_open (o);
  for (size_t i = 0; i < l->n; i++)
    json_finding (o, &l->items[i]);
  array_close (o);
  map_close (o);
}

/* SARIF result.level: error / warning / note / none.  */
static const char *
sarif_level (enum severity s)
{
  static const char *const levels[SEV_COUNT] = { "none", "note", "warning", "error" };
  return s < SEV_COUNT ? levels[s] : "none";
}

static void
text_obj (struct out *o, const char *key, const char *text)
{
  gs (o, key);
  map_open (o);
  kv (o, "text", text);
  map_close (o);
}

static void
sarif_rule (struct out *o, const struct doctor_check *c)
{
  cleanup_free char *full
      = c->cis ? xasprintf ("%s (CIS Docker Benchmark v1.6.0 %s)", c->title, c->cis)
               : xstrdup (c->title);
  cleanup_free char *cis = c->cis ? xasprintf ("CIS Docker Benchmark v1.6.0 %s", c->cis) : NULL;

  map_open (o);
  kv (o, "id", c->id);
  text_obj (o, "shortDescription", c->title);
  text_obj (o, "fullDescription", full);
  text_obj (o, "help", c->help);
  gs (o, "properties");
  map_open (o);
  kv (o, "cis", cis);
  gs (o, "tags");
  array_open (o);
  gs (o, "security");
  if (c->cis)
    gs (o, "cis-docker-1.6.0");
  array_close (o);
  map_close (o);
  map_close (o);
}

static void
sarif_location (struct out *o, const char *path)
{
  cleanup_free char *uri = doctor_file_uri (path);

  gs (o, "locations");
  array_open (o);
  map_open (o);
  gs (o, "physicalLocation");
  map_open (o);
  gs (o, "artifactLocation");
  map_open (o);
  kv (o, "uri", uri);
  map_close (o);
  map_close (o);
  map_close (o);
  array_close (o);
}

static void
sarif_result (struct out *o, const struct doctor_finding *f)
{
  cleanup_free char *text = f->fix ? xasprintf ("%s: %s Fix: %s", f->subject, f->message, f->fix)
                                   : xasprintf ("%s: %s", f->subject, f->message);

  map_open (o);
  kv (o, "ruleId", f->check->id);
  kn (o, "ruleIndex", (long long)(f->check - doctor_checks));
  kv (o, "level", sarif_level (f->severity));
  text_obj (o, "message", text);
  if (f->location != NULL && f->location[0] == '/')
    sarif_location (o, f->location);
  gs (o, "properties");
  map_open (o);
  kv (o, "severity", severity_name (f->severity));
  kv (o, "subject", f->subject);
  kv (o, "fix", f->fix);
  map_close (o);
  map_close (o);
}

static void
gen_sarif (struct out *o, const struct findings_list *l)
{
  map_open (o);
  kv (o, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  kv (o, "version", "2.1.0");
  gs (o, "runs");
  array_open (o);
  map_open (o);
  gs (o, "tool");
  map_open (o);
  gs (o, "driver");
  map_open (o);
  kv (o, "name", "ocigate doctor");
  kv (o, "version", PACKAGE_VERSION);
  gs (o, "rules");
  array_open (o);
  for (size_t i = 0; i < doctor_n_checks; i++)
    sarif_rule (o, &doctor_checks[i]);
  array_close (o);
  map_close (o);
  map_close (o);
  gs (o, "results");
  array_open (o);
  for (size_t i = 0; i < l->n; i++)
    sarif_result (o, &l->items[i]);
  array_close (o);
  map_close (o);
  array_close (o);
  map_close (o);
}

static int
write_json (FILE *out, const struct findings_list *l, bool sarif, ocg_error_t *err)
{
  cleanup_yajl_gen yajl_gen g = json_gen_new (true);
  struct out o = { .g = g, .st = yajl_gen_status_ok };
  const unsigned char *buf = NULL;
  size_t len = 0;

  if (sarif)
    gen_sarif (&o, l);
  else
    gen_json (&o, l);
  keep (&o, yajl_gen_get_buf (g, &buf, &len));
  if (o.st != yajl_gen_status_ok)
    return ocg_error_set (err, 0, "write the report: invalid text in a finding");
  if (fwrite (buf, 1, len, out) != len || fputc ('\n', out) == EOF)
    return ocg_error_set (err, errno, "write the report");
  return 0;
}

static void
text_finding (FILE *out, const struct doctor_finding *f)
{
  fprintf (out, "%-6s  %s  [%s]\n", severity_name (f->severity), f->check->id, f->subject);
  fprintf (out, "        %s\n", f->message);
  if (f->location != NULL)
    fprintf (out, "        file: %s\n", f->location);
  if (f->check->cis != NULL)
    fprintf (out, "        CIS Docker Benchmark v1.6.0 %s: %s\n", f->check->cis, f->check->title);
  if (f->fix != NULL)
    fprintf (out, "        fix: %s\n", f->fix);
}

static int
write_text (FILE *out, const struct findings_list *l, ocg_error_t *err)
{
  fprintf (out, "ocigate doctor %s: %zu high, %zu medium, %zu low, %zu info\n", PACKAGE_VERSION,
           findings_count (l, SEV_HIGH), findings_count (l, SEV_MEDIUM),
           findings_count (l, SEV_LOW), findings_count (l, SEV_INFO));
  for (size_t i = 0; i < l->n; i++)
    {
      fputc ('\n', out);
      text_finding (out, &l->items[i]);
    }
  if (fflush (out) != 0 || ferror (out))
    return ocg_error_set (err, errno, "write the report");
  return 0;
}

int
doctor_report_write (FILE *out, enum doctor_format format, const struct findings_list *l,
                     ocg_error_t *err)
{
  if (format == DOCTOR_TEXT)
    return write_text (out, l, err);
  return write_json (out, l, format == DOCTOR_SARIF, err);
}
