/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`: the host baseline of the CIS Docker Benchmark v1.6.0 -- section 2 (daemon
 * configuration, as dockerd's command line and daemon.json set it: docker-bench-security
 * tests/2_docker_daemon_configuration.sh reads the same two places) and section 3 (owner and
 * mode of the configuration files and sockets).  Advisory: nothing here blocks a container.  A
 * file others can write is high: whoever writes daemon.json or the sockets is root on the host.  */
#include <config.h>

#include <grp.h>
#include <sys/stat.h>

#include "doctor.h"
#include "hostproc.h"
#include "util.h"

#define SUBJECT "docker"

/* The effective boolean `key`: command-line flag, daemon.json, or `fallback`.  */
static bool
setting_bool (const struct docker_view *v, const char *key, bool fallback)
{
  const char *flag = v->dockerd.pid ? hostproc_flag (v->dockerd.argv, key, 0, true) : NULL;
  const struct json_node *n = json_obj_get (v->config, key);

  if (flag != NULL)
    return str_eq (flag, "true") || str_eq (flag, "1");
  if (n != NULL && n->type == JSON_BOOL)
    return n->boolean;
  return fallback;
}

/* A list setting: daemon.json's array (or object) or repeated flags.  */
static bool
setting_nonempty (const struct docker_view *v, const char *key, const char *flag)
{
  const struct json_node *n = json_obj_get (v->config, key);
  cleanup_free const char **flags
      = v->dockerd.pid ? hostproc_flag_all (v->dockerd.argv, flag, 0) : NULL;

  if (flags != NULL && flags[0] != NULL)
    return true;
  return n != NULL && (n->type == JSON_ARRAY || n->type == JSON_OBJECT) && n->n > 0;
}

static void
check (struct doctor *d, const char *id, enum severity sev, bool failed, const char *msg)
{
  if (failed)
    findings_add (&d->findings, id, sev, SUBJECT, d->docker.config_path, NULL, "%s", msg);
}

/* 2.7: every tcp:// host needs tlsverify.  */
static void
tls (struct doctor *d)
{
  const struct docker_view *v = &d->docker;
  const struct json_node *hosts = json_obj_get (v->config, "hosts");
  cleanup_free const char **flags
      = v->dockerd.pid ? hostproc_flag_all (v->dockerd.argv, "host", 'H') : NULL;
  bool tcp = false;

  for (size_t i = 0; hosts != NULL && hosts->type == JSON_ARRAY && i < hosts->n; i++)
    tcp |= hosts->items[i]->type == JSON_STRING && str_has_prefix (hosts->items[i]->text, "tcp://");
  for (size_t i = 0; flags != NULL && flags[i] != NULL; i++)
    tcp |= str_has_prefix (flags[i], "tcp://");
  check (d, "docker.tls", SEV_HIGH, tcp && !setting_bool (v, "tlsverify", false),
         "dockerd listens on a TCP socket without `tlsverify`: whoever reaches the port is root "
         "on this host.");
}

static bool
info_bool (const struct docker_view *v, const char *key, bool fallback)
{
  const struct json_node *n = json_obj_get (v->info, key);

  return n != NULL && n->type == JSON_BOOL ? n->boolean : fallback;
}

static void
daemon_settings (struct doctor *d)
{
  const struct docker_view *v = &d->docker;
  const char *level = docker_setting (v, "log-level");

  if (level == NULL && v->dockerd.pid)
    level = hostproc_flag (v->dockerd.argv, "log-level", 'l', false);
  check (d, "docker.icc", SEV_MEDIUM, setting_bool (v, "icc", true),
         "Inter-container communication on the default bridge is not disabled (`icc`).");
  check (d, "docker.log-level", SEV_LOW, level != NULL && !str_eq (level, "info"),
         "The log level is not `info`.");
  check (d, "docker.insecure-registries", SEV_MEDIUM,
         setting_nonempty (v, "insecure-registries", "insecure-registry"),
         "Insecure registries are configured.");
  tls (d);
  check (d, "docker.default-ulimits", SEV_LOW,
         !setting_nonempty (v, "default-ulimits", "default-ulimit"), "No default ulimits are set.");
  check (d, "docker.userns-remap", SEV_LOW, docker_setting (v, "userns-remap") == NULL,
         "User namespace remapping (`userns-remap`) is off.");
  check (d, "docker.authz-plugin", SEV_LOW,
         !setting_nonempty (v, "authorization-plugins", "authorization-plugin"),
         "No authorization plugin is configured.");
  check (d, "docker.no-new-privileges", SEV_LOW, !setting_bool (v, "no-new-privileges", false),
         "`no-new-privileges` is not the daemon's default.");
  check (d, "docker.live-restore", SEV_LOW,
         !info_bool (v, "LiveRestoreEnabled", setting_bool (v, "live-restore", false)),
         "Live restore is off: restarting dockerd stops every container.");
  check (d, "docker.userland-proxy", SEV_LOW, setting_bool (v, "userland-proxy", true),
         "The userland proxy is on.");
  check (d, "docker.experimental", SEV_MEDIUM,
         info_bool (v, "ExperimentalBuild", setting_bool (v, "experimental", false)),
         "Experimental features are on.");
}

static gid_t
docker_gid (void)
{
  struct group *g = getgrnam ("docker");

  return g ? g->gr_gid : (gid_t)-1;
}

/* One file of section 3: `owner_id` wants uid 0 and a gid in {0, gid_ok}; `mode_id` wants no
 * bit outside `allowed`.  Write access for group or others is high for `sensitive` files.  */
static void
file_check (struct doctor *d, const char *path, const char *owner_id, const char *mode_id,
            mode_t allowed, gid_t gid_ok, bool sensitive)
{
  struct stat st;
  cleanup_free char *chmod_fix = xasprintf ("chmod %o %s", (unsigned)allowed, path);
  cleanup_free char *chown_fix = xasprintf ("chown root:%s %s", gid_ok ? "docker" : "root", path);
  bool writable;

  if (lstat (path, &st) < 0)
    return;
  writable = (st.st_mode & (S_IWGRP | S_IWOTH) & ~allowed) != 0;
  if (st.st_uid != 0 || (st.st_gid != 0 && st.st_gid != gid_ok))
    findings_add (&d->findings, owner_id, sensitive && st.st_uid != 0 ? SEV_HIGH : SEV_MEDIUM,
                  SUBJECT, path, chown_fix, "%s is owned by %u:%u.", path, (unsigned)st.st_uid,
                  (unsigned)st.st_gid);
  if ((st.st_mode & 07777 & ~allowed) != 0)
    findings_add (&d->findings, mode_id, sensitive && writable ? SEV_HIGH : SEV_LOW, SUBJECT, path,
                  chmod_fix, "%s has mode %04o%s.", path, (unsigned)(st.st_mode & 07777),
                  writable && (st.st_mode & S_IWOTH) ? ": anyone on the host can write it" : "");
}

static const char *const unit_dirs[]
    = { "/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system" };

static void
unit_files (struct doctor *d, const char *unit, const char *owner_id, const char *mode_id)
{
  for (size_t i = 0; i < ARRAY_SIZE (unit_dirs); i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", unit_dirs[i], unit);
      file_check (d, p, owner_id, mode_id, 0644, 0, true);
    }
}

static void
files (struct doctor *d)
{
  const struct docker_view *v = &d->docker;
  gid_t docker = docker_gid ();

  unit_files (d, "docker.service", "file.docker-service.owner", "file.docker-service.mode");
  unit_files (d, "docker.socket", "file.docker-socket-unit.owner", "file.docker-socket-unit.mode");
  file_check (d, "/etc/docker", "file.etc-docker.owner", "file.etc-docker.mode", 0755, 0, true);
  file_check (d, v->config_path, "file.daemon-json.owner", "file.daemon-json.mode", 0644, 0, true);
  file_check (d, v->socket, "file.docker-sock.owner", "file.docker-sock.mode", 0660, docker, true);
  file_check (d, v->containerd_socket, "file.containerd-sock.owner", "file.containerd-sock.mode",
              0660, 0, true);
  if (d->found[ENGINE_CONTAINERD] && !str_eq (d->containerd.socket, v->containerd_socket))
    file_check (d, d->containerd.socket, "file.containerd-sock.owner", "file.containerd-sock.mode",
                0660, 0, true);
}

void
doctor_baseline (struct doctor *d)
{
  if (d->found[ENGINE_DOCKER])
    {
      daemon_settings (d);
      files (d);
    }
  else if (d->found[ENGINE_CONTAINERD])
    file_check (d, d->containerd.socket, "file.containerd-sock.owner", "file.containerd-sock.mode",
                0660, 0, true);
}
