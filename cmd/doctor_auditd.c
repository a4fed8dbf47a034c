/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: CIS Docker Benchmark v1.6.0 section 1.1 -- auditd watches Docker's files and
 * directories.  The rules are read from the files auditd loads at boot (/etc/audit/audit.rules
 * and the `*.rules` files of /etc/audit/rules.d, as augenrules merges them), as
 * docker-bench-security tests/1_host_configuration.sh does without auditctl; a path counts as
 * watched when a rule that is not a comment names it (`-w PATH` or `-F path=PATH` / `-F dir=PATH`).
 * Only paths that exist on this host are checked.  */
#include <config.h>

#include <glob.h>
#include <stdio.h>
#include <sys/stat.h>

#include "doctor.h"
#include "hostproc.h"
#include "util.h"

struct watched
{
  const char *id;
  const char *path; /* NULL: found at run time */
};

/* Rules as one text, comments dropped.  */
static char *
load_rules (void)
{
  char *all = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&all, &len);
  glob_t g = { 0 };

  if (out == NULL)
    ocg_oom ();
  glob ("/etc/audit/rules.d/*.rules", 0, NULL, &g);
  for (size_t i = 0; i <= g.gl_pathc; i++)
    {
      const char *p = i < g.gl_pathc ? g.gl_pathv[i] : "/etc/audit/audit.rules";
      cleanup_file FILE *f = fopen (p, "re");
      char line[4096];

      while (f != NULL && fgets (line, sizeof (line), f) != NULL)
        if (line[strspn (line, " \t")] != '#')
          fputs (line, out);
    }
  globfree (&g);
  fclose (out);
  return all;
}

static bool
rule_names (const char *rules, const char *path)
{
  const char *forms[] = { "-w ", "path=", "dir=" };

  for (size_t i = 0; i < ARRAY_SIZE (forms); i++)
    {
      cleanup_free char *needle = xasprintf ("%s%s", forms[i], path);
      for (const char *p = strstr (rules, needle); p != NULL; p = strstr (p + 1, needle))
        {
          char after = p[strlen (needle)];
          if (after == '\0' || after == ' ' || after == '\t' || after == '\n' || after == '/')
            return true;
        }
    }
  return false;
}

static const char *
first_existing (const char *const *paths)
{
  struct stat st;

  for (size_t i = 0; paths[i] != NULL; i++)
    if (stat (paths[i], &st) == 0)
      return paths[i];
  return NULL;
}

static char *
unit_path (const char *unit)
{
  const char *dirs[] = { "/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system" };
  struct stat st;

  for (size_t i = 0; i < ARRAY_SIZE (dirs); i++)
    {
      char *p = xasprintf ("%s/%s", dirs[i], unit);
      if (stat (p, &st) == 0)
        return p;
      free (p);
    }
  return NULL;
}

void
doctor_auditd (struct doctor *d)
{
  static const char *const runc[]
      = { "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc", NULL };
  cleanup_free char *service = unit_path ("docker.service");
  cleanup_free char *socket = unit_path ("docker.socket");
  const struct watched list[] = {
    { "audit.dockerd", hostproc_installed (docker_binaries) },
    { "audit.run-containerd", "/run/containerd" },
    { "audit.var-lib-docker", "/var/lib/docker" },
    { "audit.etc-docker", "/etc/docker" },
    { "audit.docker-service", service },
    { "audit.containerd-sock", "/run/containerd/containerd.sock" },
    { "audit.docker-socket", socket },
    { "audit.etc-default-docker", "/etc/default/docker" },
    { "audit.daemon-json", "/etc/docker/daemon.json" },
    { "audit.containerd-config", "/etc/containerd/config.toml" },
    { "audit.etc-sysconfig-docker", "/etc/sysconfig/docker" },
    { "audit.containerd", hostproc_installed (containerd_binaries) },
    { "audit.containerd-shim", "/usr/bin/containerd-shim" },
    { "audit.containerd-shim-runc-v1", "/usr/bin/containerd-shim-runc-v1" },
    { "audit.containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2" },
    { "audit.runc", first_existing (runc) },
  };
  cleanup_free char *rules = NULL;
  struct stat st;

  if (!d->found[ENGINE_DOCKER])
    return;
  rules = load_rules ();
  for (size_t i = 0; i < ARRAY_SIZE (list); i++)
    {
      cleanup_free char *fix = NULL;

      if (list[i].path == NULL || stat (list[i].path, &st) < 0 || rule_names (rules, list[i].path))
        continue;
      fix = xasprintf ("echo '-w %s -k docker' >> /etc/audit/rules.d/docker.rules && augenrules "
                       "--load",
                       list[i].path);
      findings_add (&d->findings, list[i].id, SEV_LOW, "host", list[i].path, fix,
                    "No auditd rule watches %s.", list[i].path);
    }
}
