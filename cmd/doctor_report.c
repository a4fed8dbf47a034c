/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text, JSON and SARIF output of `ocigate doctor` (see doctor_report.h).  SARIF: OASIS Static
 * Analysis Results Interchange Format 2.1.0 (sarif-schema-2.1.0.json): one run, the catalogue as
 * the driver's rules (reportingDescriptor), one result per finding.  */
#include <config.h>

#include <errno.h>

#include <yajl/yajl_gen.h>

#include "doctor_report.h"
#include "util.h"

#define REPORT_SCHEMA_VERSION 1

static void
gs (yajl_gen g, const char *s)
{
  if (s == NULL)
    yajl_gen_null (g);
  else
    yajl_gen_string (g, (const unsigned char *)s, strlen (s));
}

static void
kv (yajl_gen g, const char *k, const char *v)
{
  gs (g, k);
  gs (g, v);
}

static void
kn (yajl_gen g, const char *k, long long v)
{
  gs (g, k);
  yajl_gen_integer (g, v);
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
json_summary (yajl_gen g, const struct findings_list *l)
{
  gs (g, "summary");
  yajl_gen_map_open (g);
  for (int s = SEV_HIGH; s >= SEV_INFO; s--)
    kn (g, severity_name ((enum severity)s), (long long)findings_count (l, (enum severity)s));
  yajl_gen_map_close (g);
}

static void
json_finding (yajl_gen g, const struct doctor_finding *f)
{
  yajl_gen_map_open (g);
  kv (g, "id", f->check->id);
  kv (g, "severity", severity_name (f->severity));
  kv (g, "title", f->check->title);
  kv (g, "cis", f->check->cis);
  kv (g, "subject", f->subject);
  kv (g, "message", f->message);
  kv (g, "fix", f->fix);
  kv (g, "location", f->location);
  yajl_gen_map_close (g);
}

static void
gen_json (yajl_gen g, const struct findings_list *l)
{
  yajl_gen_map_open (g);
  kv (g, "tool", "ocigate doctor");
  kv (g, "version", PACKAGE_VERSION);
  kn (g, "schema", REPORT_SCHEMA_VERSION);
  json_summary (g, l);
  gs (g, "findings");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < l->n; i++)
    json_finding (g, &l->items[i]);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
}

/* SARIF result.level: error / warning / note / none.  */
static const char *
sarif_level (enum severity s)
{
  static const char *const levels[SEV_COUNT] = { "none", "note", "warning", "error" };
  return s < SEV_COUNT ? levels[s] : "none";
}

static void
text_obj (yajl_gen g, const char *key, const char *text)
{
  gs (g, key);
  yajl_gen_map_open (g);
  kv (g, "text", text);
  yajl_gen_map_close (g);
}

static void
sarif_rule (yajl_gen g, const struct doctor_check *c)
{
  cleanup_free char *full
      = c->cis ? xasprintf ("%s (CIS Docker Benchmark v1.6.0 %s)", c->title, c->cis)
               : xstrdup (c->title);
  cleanup_free char *cis = c->cis ? xasprintf ("CIS Docker Benchmark v1.6.0 %s", c->cis) : NULL;

  yajl_gen_map_open (g);
  kv (g, "id", c->id);
  text_obj (g, "shortDescription", c->title);
  text_obj (g, "fullDescription", full);
  text_obj (g, "help", c->help);
  gs (g, "properties");
  yajl_gen_map_open (g);
  kv (g, "cis", cis);
  gs (g, "tags");
  yajl_gen_array_open (g);
  gs (g, "security");
  if (c->cis)
    gs (g, "cis-docker-1.6.0");
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

static void
sarif_location (yajl_gen g, const char *path)
{
  cleanup_free char *uri = doctor_file_uri (path);

  gs (g, "locations");
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  gs (g, "physicalLocation");
  yajl_gen_map_open (g);
  gs (g, "artifactLocation");
  yajl_gen_map_open (g);
  kv (g, "uri", uri);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
}

static void
sarif_result (yajl_gen g, const struct doctor_finding *f)
{
  cleanup_free char *text = f->fix ? xasprintf ("%s: %s Fix: %s", f->subject, f->message, f->fix)
                                   : xasprintf ("%s: %s", f->subject, f->message);

  yajl_gen_map_open (g);
  kv (g, "ruleId", f->check->id);
  kn (g, "ruleIndex", (long long)(f->check - doctor_checks));
  kv (g, "level", sarif_level (f->severity));
  text_obj (g, "message", text);
  if (f->location != NULL && f->location[0] == '/')
    sarif_location (g, f->location);
  gs (g, "properties");
  yajl_gen_map_open (g);
  kv (g, "severity", severity_name (f->severity));
  kv (g, "subject", f->subject);
  kv (g, "fix", f->fix);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

static void
gen_sarif (yajl_gen g, const struct findings_list *l)
{
  yajl_gen_map_open (g);
  kv (g, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  kv (g, "version", "2.1.0");
  gs (g, "runs");
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  gs (g, "tool");
  yajl_gen_map_open (g);
  gs (g, "driver");
  yajl_gen_map_open (g);
  kv (g, "name", "ocigate doctor");
  kv (g, "version", PACKAGE_VERSION);
  gs (g, "rules");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < doctor_n_checks; i++)
    sarif_rule (g, &doctor_checks[i]);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  gs (g, "results");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < l->n; i++)
    sarif_result (g, &l->items[i]);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
}

static int
write_json (FILE *out, const struct findings_list *l, bool sarif, ocg_error_t *err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf = NULL;
  size_t len = 0;
  int r = 0;

  if (g == NULL)
    ocg_oom ();
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "  ");
  yajl_gen_config (g, yajl_gen_validate_utf8, 1);
  if (sarif)
    gen_sarif (g, l);
  else
    gen_json (g, l);
  if (yajl_gen_get_buf (g, &buf, &len) != yajl_gen_status_ok)
    r = ocg_error_set (err, 0, "write the report: invalid text in a finding");
  else if (fwrite (buf, 1, len, out) != len || fputc ('\n', out) == EOF)
    r = ocg_error_set (err, errno, "write the report");
  yajl_gen_free (g);
  return r;
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
