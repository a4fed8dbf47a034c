/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: ocigate itself -- its policy files, the runtime it execs, its audit trail,
 * its profile links.  Each is checked as a runtime call of this ocigate (same flags and
 * environment) would find it.  */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "audit.h"
#include "binid.h"
#include "doctor.h"
#include "fsutil.h"
#include "passthrough.h"
#include "policy_file.h"
#include "passthrough.h"
#include "policy_load.h"
#include "runtime.h"
#include "sha256.h"
#include "spawn.h"
#include "util.h"

#define SUBJECT "ocigate"

static char *
file_digest (const char *path)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *buf = NULL;
  char hex[SHA256_HEX_SIZE];
  size_t len = 0;

  buf = fsutil_read_at (AT_FDCWD, path, POLICY_FILE_MAX_BYTES, &len, &err);
  if (buf == NULL)
    return xstrdup ("unreadable");
  sha256_hex (buf, len, hex);
  return xasprintf ("sha256:%s", hex);
}

static char *
sources_text (const struct policy_file *pf)
{
  const char *const *src = policy_file_sources (pf);
  char *text = xstrdup ("");

  for (size_t i = 0; src[i] != NULL; i++)
    {
      cleanup_free char *digest = file_digest (src[i]);
      char *more = xasprintf ("%s%s%s (%s)", text, i ? ", " : "", src[i], digest);
      free (text);
      text = more;
    }
  return text;
}

static void
policy_loaded (struct doctor *d, const struct policy_file *pf)
{
  cleanup_free char *src = sources_text (pf);
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *out = NULL;
  size_t out_len = 0;
  FILE *sink = open_memstream (&out, &out_len);
  int r;

  if (sink == NULL)
    ocg_oom ();
  r = policy_load_validate (d->inv, NULL, NULL, sink, sink, &err);
  fclose (sink);
  if (r < 0)
    {
      cleanup_free char *why = ocg_error_text (err);
      /* validate's own lines (every error, with file:line:column) say what is wrong.  */
      for (char *nl = strchr (out, '\n'); nl != NULL; nl = strchr (nl, '\n'))
        *nl = ' ';
      findings_add (
          &d->findings, "ocigate.policy", SEV_HIGH, SUBJECT, NULL, "ocigate policy validate",
          "The policy does not validate, so ocigate refuses every container start: %s: %s", why,
          out);
      return;
    }
  findings_add (&d->findings, "ocigate.policy", SEV_INFO, SUBJECT, NULL, NULL,
                "Policy directory %s/ocigate; %s%s; default profile `%s`; it validates.",
                OCG_SYSCONFDIR, src[0] ? "files loaded: " : "no policy file: ",
                src[0] ? src : "the built-in profiles apply", policy_file_default_profile (pf));
}

static void
runtime_check (struct doctor *d)
{
  cleanup_error ocg_error_t err = NULL;
  struct runtime rt = { 0 };
  const char *argv[3] = { NULL, "--version", NULL };
  struct spawn_result r;
  cleanup_free char *version = NULL;

  /* The runtime a call that names no container reaches (what `--version` execs).  */
  if (passthrough_runtime (d->inv, &rt, &err) < 0)
    {
      cleanup_free char *why = ocg_error_text (err);
      findings_add (&d->findings, "ocigate.runtime", SEV_HIGH, SUBJECT, NULL,
                    "set OCIGATE_RUNTIME or the policy file's `runtime`",
                    "ocigate finds no runtime to exec, so every container start fails: %s", why);
      return;
    }
  argv[0] = rt.path;
  if (spawn_run (argv, NULL, NULL, 0, 65536, 30, &r, &err) == 0)
    {
      version = spawn_first_line (&r);
      spawn_result_release (&r);
    }
  findings_add (&d->findings, "ocigate.runtime", SEV_INFO, SUBJECT, rt.path, NULL,
                "ocigate execs %s (%s).", rt.path,
                version && version[0] ? version : "its --version printed nothing");
  runtime_release (&rt);
}

static void
audit_check (struct doctor *d, const struct policy *policy)
{
  cleanup_free char *path = policy_load_audit_destination (d->inv, policy->audit_log);
  cleanup_error ocg_error_t err = NULL;

  doctor_add_audit_log (d, path);
  if (audit_check_writable (path, &err) < 0)
    {
      cleanup_free char *why = ocg_error_text (err);
      findings_add (&d->findings, "ocigate.audit-log", SEV_HIGH, SUBJECT, path,
                    "make the audit log's directory writable, or set `audit_log` in the policy",
                    "The audit trail %s cannot be written, so ocigate refuses every container "
                    "start: %s",
                    path, why);
      return;
    }
  findings_add (&d->findings, "ocigate.audit-log", SEV_INFO, SUBJECT, path, NULL,
                "The audit trail %s is writable.", path);
}

/* One ocigate-<profile> entry of ocigate's directory.  */
static void
profile_link (struct doctor *d, const struct policy_file *pf, const char *dir, const char *name)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, name);
  const char *profile = name + strlen ("ocigate-");
  cleanup_error ocg_error_t err = NULL;
  struct policy *p;
  struct binid id;
  cleanup_free char *what = NULL;
  cleanup_free char *fix = xasprintf ("ln -sf ocigate %s", path);

  binid_classify_path (path, &id);
  what = binid_describe (&id);
  if (id.kind != BINID_SELF)
    findings_add (&d->findings, "ocigate.profile-links", SEV_MEDIUM, SUBJECT, path, fix,
                  "%s is %s: a profile link must be a symlink to ocigate.", path, what);
  else if ((p = policy_file_build (pf, profile, &err)) == NULL)
    {
      cleanup_free char *why = ocg_error_text (err);
      findings_add (&d->findings, "ocigate.profile-links", SEV_MEDIUM, SUBJECT, path, NULL,
                    "%s selects profile `%s`, which does not build: %s", path, profile, why);
    }
  else
    policy_free (p);
  binid_release (&id);
}

static void
profile_links (struct doctor *d, const struct policy_file *pf)
{
  cleanup_free char *self = binid_self_path ();
  cleanup_free char *dir = self ? xstrdup (self) : NULL;
  char *slash = dir ? strrchr (dir, '/') : NULL;
  DIR *dh;
  struct dirent *de;
  size_t n = 0;

  if (slash == NULL)
    return;
  *slash = '\0';
  dh = opendir (dir[0] ? dir : "/");
  while (dh != NULL && (de = readdir (dh)) != NULL)
    if (str_has_prefix (de->d_name, "ocigate-") && de->d_name[8] != '\0')
      {
        profile_link (d, pf, dir, de->d_name);
        n++;
      }
  if (dh != NULL)
    closedir (dh);
  findings_add (&d->findings, "ocigate.profile-links", SEV_INFO, SUBJECT, NULL, NULL,
                "%zu ocigate-<profile> entr%s next to %s.", n, n == 1 ? "y" : "ies", self);
}

void
doctor_self (struct doctor *d)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_policy_file struct policy_file *pf = policy_file_load (d->inv->ocg_policy, &err);
  cleanup_policy struct policy *policy = NULL;

  if (pf == NULL)
    {
      cleanup_free char *why = ocg_error_text (err);
      findings_add (&d->findings, "ocigate.policy", SEV_HIGH, SUBJECT, NULL,
                    "ocigate policy validate",
                    "The policy does not load, so ocigate refuses every container start: %s", why);
    }
  else
    {
      policy_loaded (d, pf);
      policy = policy_file_build (pf, policy_file_default_profile (pf), &err);
    }
  runtime_check (d);
  /* The trail of a broken policy is still worth checking: the built-in default's.  */
  if (policy == NULL)
    policy = policy_builtin ("baseline");
  audit_check (d, policy);
  if (pf != NULL)
    profile_links (d, pf);
}
