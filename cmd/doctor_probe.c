/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor --probe`: one tiny container through each running engine's default route,
 * proven to have reached ocigate by its create line in an audit trail.  The container's root
 * filesystem holds one empty file and its process is that file: the runtime's create is all the
 * probe needs (ocigate records it before it execs the runtime), and nothing ever runs.  Every
 * image, container, namespace and directory the probe makes is removed again.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "doctor.h"
#include "fsutil.h"
#include "hostproc.h"
#include "spawn.h"
#include "util.h"

#define PROBE_FILE "ocigate-probe"
#define PROBE_TIMEOUT 120
#define PROBE_MAX_OUT (1024u * 1024u)

static const char *const docker_clis[] = { "/usr/bin/docker", "/usr/local/bin/docker", NULL };
static const char *const ctr_clis[] = { "/usr/bin/ctr", "/usr/local/bin/ctr", NULL };

struct probe
{
  struct doctor *d;
  char *dir; /* the root filesystem: one empty executable file */
  char *tag; /* unique name part */
};

/* A ustar archive (POSIX.1-2001 pax "ustar" header) of one empty file, for `docker import`.  */
static char *
probe_tar (size_t *len)
{
  char *t = xzalloc (3 * 512);
  unsigned sum = 0;

  memcpy (t, PROBE_FILE, strlen (PROBE_FILE));
  memcpy (t + 100, "0000755", 8);
  memcpy (t + 108, "0000000", 8);
  memcpy (t + 116, "0000000", 8);
  memcpy (t + 124, "00000000000", 12);
  memcpy (t + 136, "00000000000", 12);
  memset (t + 148, ' ', 8);
  t[156] = '0';
  memcpy (t + 257, "ustar", 6);
  memcpy (t + 263, "00", 2);
  for (size_t i = 0; i < 512; i++)
    sum += (unsigned char)t[i];
  snprintf (t + 148, 8, "%06o", sum);
  t[155] = ' ';
  *len = 3 * 512;
  return t;
}

static int
run (const char *const *argv, const void *in, size_t in_len, struct spawn_result *r,
     ocg_error_t *err)
{
  return spawn_run (argv, NULL, in, in_len, PROBE_MAX_OUT, PROBE_TIMEOUT, r, err);
}

/* Run and forget (clean-up steps).  */
static void
quietly (const char *const *argv)
{
  cleanup_error ocg_error_t err = NULL;
  struct spawn_result r;

  if (run (argv, NULL, 0, &r, &err) == 0)
    spawn_result_release (&r);
}

/* The create record of container `id` in any trail: its verdict, malloc'd, or NULL.  */
static char *
find_record (struct doctor *d, const char *id)
{
  cleanup_free char *needle = xasprintf ("\"container\":\"%s\"", id);

  for (size_t i = 0; d->audit_logs != NULL && d->audit_logs[i] != NULL; i++)
    {
      cleanup_file FILE *f = fopen (d->audit_logs[i], "re");
      cleanup_free char *line = NULL;
      size_t cap = 0;

      while (f != NULL && getline (&line, &cap, f) > 0)
        if (strstr (line, needle) != NULL && strstr (line, "\"verb\":\"create\"") != NULL)
          {
            const char *v = strstr (line, "\"verdict\":\"");
            size_t n = v ? strcspn (v + 11, "\"") : 0;
            return xasprintf ("%s (verdict %.*s)", d->audit_logs[i], (int)n, v ? v + 11 : "");
          }
    }
  return NULL;
}

static void
conclude (struct probe *p, const char *engine, const char *id, const struct spawn_result *r)
{
  cleanup_free char *where = find_record (p->d, id);
  cleanup_free char *said = r ? spawn_first_line (r) : NULL;
  cleanup_free char *subject = xasprintf ("%s probe", engine);

  if (where != NULL)
    findings_add (&p->d->findings, "probe.route", SEV_INFO, subject, NULL, NULL,
                  "The probe container %s reached ocigate: its create is in %s.", id, where);
  else
    findings_add (&p->d->findings, "probe.route", SEV_HIGH, subject, NULL, NULL,
                  "The probe container %s did not reach ocigate: no create record for it in any "
                  "audit trail; %s said: %s",
                  id, engine, said && said[0] ? said : "nothing");
}

static void
failed (struct probe *p, const char *engine, const char *step, ocg_error_t *err,
        const struct spawn_result *r)
{
  cleanup_free char *why = err && *err ? ocg_error_text (*err) : r ? spawn_first_line (r) : NULL;
  cleanup_free char *subject = xasprintf ("%s probe", engine);

  findings_add (&p->d->findings, "probe.route", SEV_MEDIUM, subject, NULL, NULL,
                "The probe could not %s: %s", step, why ? why : "?");
}

static char *
trim (char *s)
{
  s[strcspn (s, "\r\n")] = '\0';
  return s;
}

static void
probe_docker (struct probe *p, const char *cli)
{
  cleanup_free char *host = xasprintf ("unix://%s", p->d->docker.socket);
  cleanup_free char *image = xasprintf ("ocigate-probe:%s", p->tag);
  cleanup_free char *name = xasprintf ("ocigate-probe-%s", p->tag);
  cleanup_free char *tar = NULL;
  cleanup_free char *id = NULL;
  cleanup_error ocg_error_t err = NULL;
  struct spawn_result r = { 0 };
  size_t len = 0;
  const char *imp[] = { cli, "-H", host, "import", "-", image, NULL };
  const char *create[] = { cli,      "-H", host,  "create",       "--network", "none",
                           "--name", name, image, "/" PROBE_FILE, NULL };
  const char *start[] = { cli, "-H", host, "start", "-a", name, NULL };
  const char *rm[] = { cli, "-H", host, "rm", "-f", name, NULL };
  const char *rmi[] = { cli, "-H", host, "rmi", "-f", image, NULL };

  tar = probe_tar (&len);
  if (run (imp, tar, len, &r, &err) < 0 || r.status != 0)
    {
      failed (p, "docker", "import its image", &err, &r);
      spawn_result_release (&r);
      return;
    }
  spawn_result_release (&r);
  if (run (create, NULL, 0, &r, &err) < 0 || r.status != 0)
    {
      failed (p, "docker", "create its container", &err, &r);
      spawn_result_release (&r);
      quietly (rmi);
      return;
    }
  id = xstrdup (trim (r.out));
  spawn_result_release (&r);
  if (run (start, NULL, 0, &r, &err) == 0)
    conclude (p, "docker", id, &r);
  else
    failed (p, "docker", "start its container", &err, NULL);
  spawn_result_release (&r);
  quietly (rm);
  quietly (rmi);
}

static void
probe_containerd (struct probe *p, const char *cli)
{
  const char *sock = p->d->containerd.socket;
  cleanup_free char *ns = xasprintf ("ocigate-probe-%s", p->tag);
  cleanup_free char *id = xasprintf ("ocigate-probe-%s", p->tag);
  cleanup_error ocg_error_t err = NULL;
  struct spawn_result r = { 0 };
  const char *runv[]
      = { cli, "-a", sock, "-n", ns, "run", "--rm", "--rootfs", p->dir, id, "/" PROBE_FILE, NULL };
  const char *rmc[] = { cli, "-a", sock, "-n", ns, "containers", "rm", id, NULL };
  const char *rmns[] = { cli, "-a", sock, "namespaces", "rm", ns, NULL };

  if (run (runv, NULL, 0, &r, &err) == 0)
    conclude (p, "containerd", id, &r);
  else
    failed (p, "containerd", "run its container", &err, NULL);
  spawn_result_release (&r);
  quietly (rmc);
  quietly (rmns);
  /* The runc shim's state directory of the namespace (runtime/v2/runc: <RuncRoot>/<ns>).  */
  {
    cleanup_free char *state = xasprintf ("/run/containerd/runc/%s", ns);
    rmdir (state);
  }
}

static void
probe_podman (struct probe *p, const char *cli)
{
  cleanup_free char *name = xasprintf ("ocigate-probe-%s", p->tag);
  cleanup_free char *cidfile = xasprintf ("%s.cid", p->dir);
  cleanup_free char *id = NULL;
  cleanup_error ocg_error_t err = NULL;
  struct spawn_result r = { 0 };
  size_t len = 0;
  const char *runv[]
      = { cli,         "run",   "--rm",     "--network", "none",         "--name", name,
          "--cidfile", cidfile, "--rootfs", p->dir,      "/" PROBE_FILE, NULL };
  const char *rm[] = { cli, "rm", "-f", name, NULL };

  if (run (runv, NULL, 0, &r, &err) < 0)
    failed (p, "podman", "run its container", &err, NULL);
  else if ((id = fsutil_read_at (AT_FDCWD, cidfile, 4096, &len, &err)) == NULL)
    failed (p, "podman", "create its container", NULL, &r);
  else
    conclude (p, "podman", trim (id), &r);
  spawn_result_release (&r);
  quietly (rm);
  unlink (cidfile);
}

static bool
make_rootfs (struct probe *p)
{
  cleanup_free char *file = NULL;
  int fd;

  p->dir = xstrdup ("/run/ocigate-probe.XXXXXX");
  if (mkdtemp (p->dir) == NULL)
    return false;
  chmod (p->dir, 0755);
  file = xasprintf ("%s/%s", p->dir, PROBE_FILE);
  fd = open (file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  if (fd < 0)
    return false;
  close (fd);
  return true;
}

/* nftw callback: everything in the probe's directory, depth first, never through a symlink or
 * into another filesystem.  */
static int
remove_entry (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void)st;
  (void)ftw;
  if (type == FTW_DP)
    rmdir (path);
  else
    unlink (path);
  return 0;
}

/* True when something is mounted at or below `dir` (a runtime that left a mount behind): then
 * nothing is removed.  */
static bool
mounted_below (const char *dir)
{
  cleanup_file FILE *f = fopen ("/proc/self/mountinfo", "re");
  char line[8192];
  size_t n = strlen (dir);

  while (f != NULL && fgets (line, sizeof (line), f) != NULL)
    {
      char point[4096];
      if (sscanf (line, "%*s %*s %*s %*s %4095s", point) == 1 && strncmp (point, dir, n) == 0
          && (point[n] == '\0' || point[n] == '/'))
        return true;
    }
  return false;
}

/* The runtimes add mount points (dev, proc, sys, run) and files (Podman's etc/hosts, ...) to the
 * root filesystem: the whole directory goes, unless a mount is left in it.  */
static void
remove_rootfs (struct probe *p)
{
  if (p->dir != NULL && !mounted_below (p->dir))
    nftw (p->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  free (p->dir);
}

void
doctor_probe (struct doctor *d)
{
  struct probe p = { .d = d };
  const char *cli;

  p.tag = xasprintf ("%d-%ld", (int)getpid (), (long)time (NULL));
  if (!make_rootfs (&p))
    {
      findings_add (&d->findings, "probe.route", SEV_MEDIUM, "host", NULL, NULL,
                    "The probe could not make its root filesystem in /run: %s", strerror (errno));
      remove_rootfs (&p);
      free (p.tag);
      return;
    }
  if (d->o.engine[ENGINE_DOCKER] && d->docker.dockerd.pid != 0
      && (cli = hostproc_installed (docker_clis)) != NULL)
    probe_docker (&p, cli);
  if (d->o.engine[ENGINE_CONTAINERD] && d->containerd.proc.pid != 0
      && (cli = hostproc_installed (ctr_clis)) != NULL)
    probe_containerd (&p, cli);
  if (d->o.engine[ENGINE_PODMAN] && d->podman.installed != NULL)
    probe_podman (&p, d->podman.installed);
  remove_rootfs (&p);
  free (p.tag);
}
