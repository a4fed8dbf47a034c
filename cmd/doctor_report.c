/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text, JSON and SARIF output of `ocigate doctor` (see doctor_report.h).  SARIF: OASIS Static
 * Analysis Results Interchange Format 2.1.0 (sarif-schema-2.1.0.json): one run, the catalogue as
 * the driver's rules (reportingDescriptor), one result per finding.  */
#include <config.h>

#include <errno.h>

#include "doctor_report.h"
#include "jsonout.h"
#include "json.h"
#include "util.h"

#define REPORT_SCHEMA_VERSION 1

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
json_summary (struct jsonout *o, const struct findings_list *l)
{
  jsonout_str (o, "summary");
  jsonout_map_open (o, NULL);
  for (int s = SEV_HIGH; s >= SEV_INFO; s--)
    jsonout_kn (o, severity_name ((enum severity)s),
                (long long)findings_count (l, (enum severity)s));
  jsonout_map_close (o);
}

static void
json_finding (struct jsonout *o, const struct doctor_finding *f)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "id", f->check->id);
  jsonout_kv (o, "severity", severity_name (f->severity));
  jsonout_kv (o, "title", f->check->title);
  jsonout_kv (o, "cis", f->check->cis);
  jsonout_kv (o, "subject", f->subject);
  jsonout_kv (o, "message", f->message);
  jsonout_kv (o, "fix", f->fix);
  jsonout_kv (o, "location", f->location);
  jsonout_map_close (o);
}

static void
gen_json (struct jsonout *o, const struct findings_list *l)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "tool", "ocigate doctor");
  jsonout_kv (o, "version", PACKAGE_VERSION);
  jsonout_kn (o, "schema", REPORT_SCHEMA_VERSION);
  json_summary (o, l);
  jsonout_str (o, "findings");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; i < l->n; i++)
    json_finding (o, &l->items[i]);
  jsonout_array_close (o);
  jsonout_map_close (o);
}

/* SARIF result.level: error / warning / note / none.  */
static const char *
sarif_level (enum severity s)
{
  static const char *const levels[SEV_COUNT] = { "none", "note", "warning", "error" };
  return s < SEV_COUNT ? levels[s] : "none";
}

static void
sarif_rule (struct jsonout *o, const struct doctor_check *c)
{
  cleanup_free char *full
      = c->cis ? xasprintf ("%s (CIS Docker Benchmark v1.6.0 %s)", c->title, c->cis)
               : xstrdup (c->title);
  cleanup_free char *cis = c->cis ? xasprintf ("CIS Docker Benchmark v1.6.0 %s", c->cis) : NULL;

  jsonout_map_open (o, NULL);
  jsonout_kv (o, "id", c->id);
  jsonout_text (o, "shortDescription", c->title);
  jsonout_text (o, "fullDescription", full);
  jsonout_text (o, "help", c->help);
  jsonout_str (o, "properties");
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "cis", cis);
  jsonout_str (o, "tags");
  jsonout_array_open (o, NULL);
  jsonout_str (o, "security");
  if (c->cis)
    jsonout_str (o, "cis-docker-1.6.0");
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_map_close (o);
}

static void
sarif_location (struct jsonout *o, const char *path)
{
  cleanup_free char *uri = doctor_file_uri (path);

  jsonout_str (o, "locations");
  jsonout_array_open (o, NULL);
  jsonout_map_open (o, NULL);
  jsonout_str (o, "physicalLocation");
  jsonout_map_open (o, NULL);
  jsonout_str (o, "artifactLocation");
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "uri", uri);
  jsonout_map_close (o);
  jsonout_map_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
}

static void
sarif_result (struct jsonout *o, const struct doctor_finding *f)
{
  cleanup_free char *text = f->fix ? xasprintf ("%s: %s Fix: %s", f->subject, f->message, f->fix)
                                   : xasprintf ("%s: %s", f->subject, f->message);

  jsonout_map_open (o, NULL);
  jsonout_kv (o, "ruleId", f->check->id);
  jsonout_kn (o, "ruleIndex", (long long)(f->check - doctor_checks));
  jsonout_kv (o, "level", sarif_level (f->severity));
  jsonout_text (o, "message", text);
  if (f->location != NULL && f->location[0] == '/')
    sarif_location (o, f->location);
  jsonout_str (o, "properties");
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "severity", severity_name (f->severity));
  jsonout_kv (o, "subject", f->subject);
  jsonout_kv (o, "fix", f->fix);
  jsonout_map_close (o);
  jsonout_map_close (o);
}

static void
gen_sarif (struct jsonout *o, const struct findings_list *l)
{
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  jsonout_kv (o, "version", "2.1.0");
  jsonout_str (o, "runs");
  jsonout_array_open (o, NULL);
  jsonout_map_open (o, NULL);
  jsonout_str (o, "tool");
  jsonout_map_open (o, NULL);
  jsonout_str (o, "driver");
  jsonout_map_open (o, NULL);
  jsonout_kv (o, "name", "ocigate doctor");
  jsonout_kv (o, "version", PACKAGE_VERSION);
  jsonout_str (o, "rules");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; i < doctor_n_checks; i++)
    sarif_rule (o, &doctor_checks[i]);
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_map_close (o);
  jsonout_str (o, "results");
  jsonout_array_open (o, NULL);
  for (size_t i = 0; i < l->n; i++)
    sarif_result (o, &l->items[i]);
  jsonout_array_close (o);
  jsonout_map_close (o);
  jsonout_array_close (o);
  jsonout_map_close (o);
}

static int
write_json (FILE *out, const struct findings_list *l, bool sarif, ocg_error_t *err)
{
  struct jsonout o;
  int ret;

  jsonout_init (&o, true);
  if (sarif)
    gen_sarif (&o, l);
  else
    gen_json (&o, l);
  ret = jsonout_write (&o, out, "the report", err);
  jsonout_release (&o);
  return ret;
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
doctor_report_write (FILE *out, enum out_format format, const struct findings_list *l,
                     ocg_error_t *err)
{
  if (format == OUT_TEXT)
    return write_text (out, l, err);
  return write_json (out, l, format == OUT_SARIF, err);
}
