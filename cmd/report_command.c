/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate report [--format text|json|sarif] [--root DIR]... [--no-default-roots] [--policy FILE]
 * [--profile P]` (see report.h).  Exit status: 0 no running container would be denied, 1 at
 * least one would, 2 the report is incomplete (the policy, a runtime root or a container's config
 * could not be read).  */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "audit_trail.h"
#include "cmd.h"
#include "document.h"
#include "policy_file_suggest.h"
#include "policy_load.h"
#include "report_cmd.h"
#include "util.h"

/* Where engines keep their runtime's state (report_scan.c says whose each is).  */
static const char *const default_roots[] = {
  "/run/runc", "/run/crun", "/run/docker/runtime-runc/moby", "/run/containerd/runc", NULL,
};

struct report_opts
{
  enum out_format format;
  char **roots;
  bool no_defaults;
  const char *policy, *profile;
};

enum
{
  OPT_FORMAT = 256,
  OPT_ROOT,
  OPT_NO_DEFAULT_ROOTS,
  OPT_POLICY,
  OPT_PROFILE,
};

static const struct option options[] = {
  { "format", required_argument, NULL, OPT_FORMAT },
  { "root", required_argument, NULL, OPT_ROOT },
  { "no-default-roots", no_argument, NULL, OPT_NO_DEFAULT_ROOTS },
  { "policy", required_argument, NULL, OPT_POLICY },
  { "profile", required_argument, NULL, OPT_PROFILE },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* One option into *o; -1 bad value, 1 help.  */
static int
apply_option (int c, const char *arg, struct report_opts *o, ocg_error_t *err)
{
  switch (c)
    {
    case OPT_FORMAT:
      return out_format_parse (arg, &o->format, err);
    case OPT_ROOT:
      if (arg[0] != '/')
        return ocg_error_set (err, 0, "--root `%s` is not an absolute path", arg);
      strv_add (&o->roots, arg);
      return 0;
    case OPT_NO_DEFAULT_ROOTS:
      o->no_defaults = true;
      return 0;
    case OPT_POLICY:
      o->policy = arg;
      return 0;
    case OPT_PROFILE:
      o->profile = arg;
      return 0;
    case 'h':
      return 1;
    default:
      return -1;
    }
}

/* argv[0] is "report" (getopt's program name).  */
static int
parse (int argc, char **argv, struct report_opts *o, ocg_error_t *err)
{
  int c, r;

  optind = 0;
  opterr = 1;
  while ((c = getopt_long (argc, argv, "+h", options, NULL)) != -1)
    if ((r = apply_option (c, optarg, o, err)) != 0)
      return r;
  if (optind < argc)
    return ocg_error_set (err, 0, "unexpected argument `%s`", argv[optind]);
  return 0;
}

/* ---- the audit trail: which containers ocigate judged at create ---- */

static void
creation_seen (void *ctx, const struct trail_record *rec)
{
  struct report *r = ctx;

  if (!trail_record_is_creation (rec))
    return;
  /* The latest create of an id is the container running now.  */
  for (size_t i = 0; i < r->n_items; i++)
    if (str_eq (r->items[i].id, rec->container))
      {
        struct report_item *it = &r->items[i];
        it->judged = 1;
        free (it->create_mode), it->create_mode = rec->mode ? xstrdup (rec->mode) : NULL;
        free (it->create_verdict),
            it->create_verdict = rec->verdict ? xstrdup (rec->verdict) : NULL;
        free (it->create_time), it->create_time = rec->time ? xstrdup (rec->time) : NULL;
        free (it->create_profile), it->create_profile = rec->policy ? xstrdup (rec->policy) : NULL;
      }
}

static int
read_one_trail (struct report *r, const char *path, bool optional, ocg_error_t *err)
{
  cleanup_file FILE *f = fopen (path, "re");
  size_t skipped = 0;

  if (f == NULL && optional && errno == ENOENT)
    return 0;
  if (f == NULL)
    return ocg_error_set (err, errno, "open `%s`", path);
  return trail_read (f, path, creation_seen, r, &skipped, err);
}

/* The trail, and the file logrotate renamed it to last (delaycompress leaves it uncompressed,
 * contrib/logrotate/ocigate): a container started yesterday has its record there.  */
static void
read_trails (struct report *r, const char *path)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *rotated = xasprintf ("%s.1", path);

  r->trail = xstrdup (path);
  if (read_one_trail (r, rotated, true, &err) < 0 || read_one_trail (r, path, false, &err) < 0)
    {
      /* What was found stays found; the rest is unknown.  */
      r->trail_error = ocg_error_text (err);
      return;
    }
  for (size_t i = 0; i < r->n_items; i++)
    if (r->items[i].judged < 0)
      r->items[i].judged = 0;
}

/* ---- judging ---- */

struct judge_ctx
{
  struct runc_invocation inv; /* the caller's, with --policy and --profile applied */
  const char *name_profile;
  const struct policy_file *pf;
};

/* --profile; else the profile its create was judged under, when the policy still has it (an
 * engine picks one per container, by the invoked name `ocigate-NAME`); else the default.  */
static const char *
profile_for (const struct judge_ctx *c, const struct report_item *it)
{
  if (c->inv.ocg_profile != NULL)
    return c->inv.ocg_profile;
  if (it->create_profile != NULL && policy_file_profile_exists (c->pf, it->create_profile))
    return it->create_profile;
  return NULL;
}

static enum report_status
status_of (enum verdict v)
{
  switch (v)
    {
    case VERDICT_DENY:
      return REPORT_WOULD_DENY;
    case VERDICT_REWRITE:
      return REPORT_WOULD_REWRITE;
    default:
      return REPORT_ALLOWED;
    }
}

/* As the create of this container would be judged today, in enforce mode; the rewrite is made
 * in memory only (spec_* mutators record a patch; nothing is written).  */
static int
judge_item (const struct judge_ctx *c, struct report_item *it, ocg_error_t *err)
{
  struct runc_invocation inv = c->inv;
  cleanup_policy struct policy *policy = NULL;
  cleanup_free char *audit = NULL, *note = NULL;
  struct host_facts host;
  struct call call = { .verb = CALL_CREATE,
                       .bundle_dir = it->bundle,
                       .runtime_root = it->root->path,
                       .runtime_root_explicit = it->root->explicit_,
                       .container_id = it->id };

  inv.container_id = it->id;
  inv.root = it->root->path;
  inv.ocg_profile = profile_for (c, it);
  if (policy_load_profile (&inv, c->name_profile, c->pf, &policy, &audit, err) < 0)
    return -1;
  policy_load_exempt (&inv, c->name_profile, c->pf, spec_get_object (it->spec, "/annotations"),
                      NULL, policy, &it->exemptions, &note);
  policy->mode = MODE_ENFORCE;
  hostfacts_init_real (&host);
  host.container_root = document_container_root (it->spec);
  if (engine_evaluate (policy, &host, &call, it->spec, &it->decision, err) < 0)
    return -1;
  it->status = status_of (it->decision.verdict);
  it->profile = xstrdup (policy->name);
  return 0;
}

static void
judge_all (const struct judge_ctx *c, struct report *r)
{
  for (size_t i = 0; i < r->n_items; i++)
    {
      struct report_item *it = &r->items[i];
      cleanup_error ocg_error_t err = NULL;

      if (it->spec != NULL && judge_item (c, it, &err) < 0)
        {
          it->error = ocg_error_text (err);
          it->status = REPORT_ERROR;
        }
      r->counts[it->status]++;
    }
}

static void
item_release (struct report_item *it)
{
  free (it->id);
  free (it->bundle);
  free (it->config);
  spec_free (it->spec);
  free (it->error);
  free (it->profile);
  strv_free (it->exemptions);
  decision_release (&it->decision);
  free (it->create_mode);
  free (it->create_verdict);
  free (it->create_time);
  free (it->create_profile);
}

static void
report_release (struct report *r)
{
  for (size_t i = 0; i < r->n_items; i++)
    item_release (&r->items[i]);
  free (r->items);
  report_roots_release (&r->roots);
  free (r->profile);
  free (r->trail);
  free (r->trail_error);
}

static int
exit_status (const struct report *r)
{
  if (r->counts[REPORT_ERROR] > 0)
    return 2;
  for (size_t i = 0; i < r->roots.n; i++)
    if (r->roots.items[i].error != NULL)
      return 2;
  return r->counts[REPORT_WOULD_DENY] > 0 ? 1 : 0;
}

/* The policy files and the default profile's policy: its name and audit trail.  */
static struct policy_file *
load_policy (struct judge_ctx *c, struct report *r, char **trail, ocg_error_t *err)
{
  cleanup_policy_file struct policy_file *pf = policy_load_file (&c->inv, err);
  cleanup_policy struct policy *policy = NULL;

  if (pf == NULL || policy_load_profile (&c->inv, c->name_profile, pf, &policy, trail, err) < 0)
    return NULL;
  r->profile = xstrdup (policy->name);
  return steal_pointer (&pf);
}

static int
run_report (const struct cmd_call *call, const struct report_opts *o, ocg_error_t *err)
{
  struct judge_ctx c = { .inv = *call->inv, .name_profile = call->name_profile };
  cleanup_policy_file struct policy_file *pf = NULL;
  cleanup_free char *trail = NULL;
  struct report r = { 0 };
  int status = 2;

  if (o->policy != NULL)
    c.inv.ocg_policy = o->policy;
  if (o->profile != NULL)
    c.inv.ocg_profile = o->profile;
  c.pf = pf = load_policy (&c, &r, &trail, err);
  if (pf != NULL)
    {
      report_roots_collect (&r.roots, o->no_defaults ? NULL : default_roots, !o->no_defaults,
                            o->roots);
      report_scan (&r);
      read_trails (&r, trail);
      judge_all (&c, &r);
      status = report_write (stdout, o->format, &r, err) < 0 ? 2 : exit_status (&r);
    }
  report_release (&r);
  return status;
}

int
cmd_report (const struct cmd_call *call, int argc, char **argv, ocg_error_t *err)
{
  struct report_opts o = { .format = OUT_TEXT };
  int r = parse (argc + 1, argv - 1, &o, err);

  if (r == 0)
    r = run_report (call, &o, err);
  else
    r = r > 0 ? CMD_HELP : CMD_USAGE;
  strv_free (o.roots);
  return r;
}
