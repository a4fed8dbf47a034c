/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: running containers that were created without ocigate.  A runtime root
 * records every container the runtime created there (runc <root>/<id>/state.json, crun
 * <root>/<id>/status); the live ones are those whose init process is alive with its recorded start
 * time (hostfacts_ns.c runtime_containers, the facts the host-namespaces rule uses).  Every
 * ocigate create, run or restore that reached the runtime left a line with "executed": true in
 * an audit trail.  A live container with no such line went around ocigate -- or was created
 * before it, or its line was rotated away.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "doctor.h"
#include "hostfacts.h"
#include "util.h"

/* An audit line is a few KiB; a longer one is not ours.  */
#define AUDIT_LINE_MAX (1024u * 1024u)

struct idset
{
  char **ids;
  size_t n;
};

static bool
idset_has (const struct idset *s, const char *id)
{
  for (size_t i = 0; i < s->n; i++)
    if (str_eq (s->ids[i], id))
      return true;
  return false;
}

static void
record_line (struct idset *s, const char *line, size_t len)
{
  struct json_parse_opts o = { .source = "audit line", .allow_duplicates = true };
  cleanup_error ocg_error_t err = NULL;
  cleanup_json struct json_node *rec = NULL;
  const struct json_node *verb, *id, *executed;

  if (strstr (line, "\"executed\"") == NULL)
    return;
  rec = json_parse (line, len, &o, &err);
  verb = json_obj_get (rec, "verb");
  id = json_obj_get (rec, "container");
  executed = json_obj_get (rec, "executed");
  if (verb == NULL || id == NULL || executed == NULL || verb->type != JSON_STRING
      || id->type != JSON_STRING || executed->type != JSON_BOOL || !executed->boolean)
    return;
  if (!str_eq (verb->text, "create") && !str_eq (verb->text, "run")
      && !str_eq (verb->text, "restore"))
    return;
  if (!idset_has (s, id->text))
    {
      s->ids = xreallocarray (s->ids, s->n + 1, sizeof (char *));
      s->ids[s->n++] = xstrdup (id->text);
    }
}

/* Returns false when the trail exists but cannot be read.  */
static bool
read_trail (struct idset *s, const char *path)
{
  cleanup_file FILE *f = fopen (path, "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  if (f == NULL)
    return errno == ENOENT;
  while ((n = getline (&line, &cap, f)) > 0)
    if ((size_t)n < AUDIT_LINE_MAX)
      record_line (s, line, (size_t)n);
  return true;
}

struct scan
{
  struct doctor *d;
  struct host_facts host;
  struct idset seen;
  size_t live;
  char *problems;
};

static void
problem (struct scan *s, const char *what)
{
  char *more = xasprintf ("%s%s%s", s->problems ? s->problems : "", s->problems ? "; " : "", what);
  free (s->problems);
  s->problems = more;
}

static void
judge (struct scan *s, const struct doctor_root *r, const char *root,
       const struct host_container *c)
{
  cleanup_free char *subject = xasprintf ("%s container %s", r->engine, c->id);

  s->live++;
  if (idset_has (&s->seen, c->id))
    return;
  findings_add (&s->d->findings, "drift.container", SEV_HIGH, subject, root, NULL,
                "%s container %s (init pid %d, runtime root %s) is running, and no audit trail "
                "records its creation through ocigate.",
                r->engine, c->id, (int)c->pid, root);
}

/* A root whose entries are namespaces (containerd's /run/containerd/runc/<ns>) is scanned one
 * level down.  */
static void scan_root (struct scan *s, const struct doctor_root *r, const char *root, int depth);

static void
scan_children (struct scan *s, const struct doctor_root *r, const char *root, int depth)
{
  DIR *dh = opendir (root);
  struct dirent *de;

  while (dh != NULL && (de = readdir (dh)) != NULL)
    {
      cleanup_free char *sub = xasprintf ("%s/%s", root, de->d_name);
      cleanup_free char *state = xasprintf ("%s/state.json", sub);
      cleanup_free char *status = xasprintf ("%s/status", sub);
      struct stat st;

      if (de->d_name[0] == '.' || stat (sub, &st) < 0 || !S_ISDIR (st.st_mode)
          || stat (state, &st) == 0 || stat (status, &st) == 0)
        continue;
      scan_root (s, r, sub, depth + 1);
    }
  if (dh != NULL)
    closedir (dh);
}

static void
scan_root (struct scan *s, const struct doctor_root *r, const char *root, int depth)
{
  struct host_container *cs = NULL;
  size_t n = 0;
  cleanup_free char *why = NULL;
  struct stat st;

  if (stat (root, &st) < 0)
    return;
  if (!s->host.runtime_containers (&s->host, root, &cs, &n, &why))
    {
      problem (s, why ? why : root);
      return;
    }
  for (size_t i = 0; i < n; i++)
    judge (s, r, root, &cs[i]);
  hostfacts_containers_free (cs, n);
  if (depth == 0)
    scan_children (s, r, root, depth);
}

static char *
joined (char **v)
{
  char *out = xstrdup ("");

  for (size_t i = 0; v != NULL && v[i] != NULL; i++)
    {
      char *more = xasprintf ("%s%s%s", out, i ? ", " : "", v[i]);
      free (out);
      out = more;
    }
  return out;
}

void
doctor_drift (struct doctor *d)
{
  struct scan s = { .d = d };
  cleanup_free char *trails = joined (d->audit_logs);
  cleanup_free char *roots = NULL;

  hostfacts_init_real (&s.host);
  for (size_t i = 0; d->audit_logs != NULL && d->audit_logs[i] != NULL; i++)
    if (!read_trail (&s.seen, d->audit_logs[i]))
      {
        cleanup_free char *p = xasprintf ("cannot read %s", d->audit_logs[i]);
        problem (&s, p);
      }
  roots = xstrdup ("");
  for (size_t i = 0; i < d->n_roots; i++)
    {
      char *more = xasprintf ("%s%s%s", roots, i ? ", " : "", d->roots[i].path);
      scan_root (&s, &d->roots[i], d->roots[i].path, 0);
      free (roots);
      roots = more;
    }
  findings_add (&d->findings, "drift.scan", s.problems ? SEV_MEDIUM : SEV_INFO, "host", NULL, NULL,
                "%zu live container%s in %s compared with %zu create record%s in %s%s%s.", s.live,
                s.live == 1 ? "" : "s", roots[0] ? roots : "no runtime root", s.seen.n,
                s.seen.n == 1 ? "" : "s", trails[0] ? trails : "no audit trail",
                s.problems ? "; could not read: " : "", s.problems ? s.problems : "");
  for (size_t i = 0; i < s.seen.n; i++)
    free (s.seen.ids[i]);
  free (s.seen.ids);
  free (s.problems);
}
