/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Docker as ocigate's commands see it (see engine_docker.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include "engine_docker.h"
#include "fsutil.h"
#include "route.h"
#include "util.h"

const char *const docker_binaries[] = { "/usr/bin/dockerd", "/usr/sbin/dockerd",
                                        "/usr/local/bin/dockerd", "/usr/local/sbin/dockerd", NULL };
const char *const containerd_binaries[]
    = { "/usr/bin/containerd", "/usr/sbin/containerd", "/usr/local/bin/containerd",
        "/usr/local/sbin/containerd", NULL };

/* GET /info's body is a few KiB.  */
#define DOCKER_API_MAX_BYTES (4u * 1024u * 1024u)

struct json_node *
docker_config_parse (const char *buf, size_t len, const char *name, ocg_error_t *err)
{
  struct json_parse_opts o = { .source = name, .max_bytes = DOCKER_CONFIG_MAX_BYTES };
  struct json_node *root;

  if (len >= 3 && memcmp (buf, "\xef\xbb\xbf", 3) == 0)
    return ocg_error_set (
               err, 0, "%s starts with a byte-order mark, which dockerd 20.10 cannot read", name),
           NULL;
  root = json_parse (buf, len, &o, err);
  if (root == NULL)
    return NULL;
  if (root->type != JSON_OBJECT)
    {
      json_free (root);
      return ocg_error_set (err, 0, "%s is not a JSON object", name), NULL;
    }
  return root;
}

static void
load_config (struct docker_view *v)
{
  cleanup_error ocg_error_t err = NULL;
  cleanup_free char *buf = NULL;
  size_t len = 0;
  struct stat st;

  v->config_exists = lstat (v->config_path, &st) == 0;
  if (!v->config_exists)
    return;
  buf = fsutil_read_at (AT_FDCWD, v->config_path, DOCKER_CONFIG_MAX_BYTES, &len, &err);
  if (buf != NULL)
    v->config = docker_config_parse (buf, len, v->config_path, &err);
  if (v->config == NULL)
    v->config_error = ocg_error_text (err);
}

/* A string key of daemon.json, or NULL.  */
static const char *
config_string (const struct docker_view *v, const char *key)
{
  const struct json_node *n = json_obj_get (v->config, key);

  return n != NULL && n->type == JSON_STRING ? n->text : NULL;
}

const char *
docker_setting (const struct docker_view *v, const char *key)
{
  const char *flag = v->dockerd.pid ? hostproc_flag (v->dockerd.argv, key, 0, false) : NULL;

  return flag ? flag : config_string (v, key);
}

static char *
socket_from_env (void)
{
  const char *h = getenv ("DOCKER_HOST");

  if (h != NULL && str_has_prefix (h, "unix://"))
    return xstrdup (h + strlen ("unix://"));
  return xstrdup (DOCKER_DEFAULT_SOCKET);
}

/* dockerd 20.10 (cmd/dockerd/daemon_unix.go initContainerD): --containerd (or `containerd`)
 * names it; else the system's when /run/containerd/containerd.sock existed at start
 * (systemContainerdRunning); else the managed one it starts at <exec-root>/containerd/
 * containerd.sock (libcontainerd/supervisor).  Which of the last two applied is not recorded, so
 * a containerd listening on the managed socket -- only dockerd starts one there -- is taken
 * first.  */
static void
find_containerd (struct docker_view *v)
{
  const char *named = docker_setting (v, "containerd");
  cleanup_free char *managed = xasprintf ("%s/containerd/containerd.sock", v->exec_root);
  const char *order[] = { managed, CONTAINERD_DEFAULT_SOCKET };

  if (named != NULL)
    {
      v->containerd_socket = xstrdup (named);
      hostproc_socket_owner (named, containerd_binaries, &v->containerd, NULL);
      return;
    }
  for (size_t i = 0; i < ARRAY_SIZE (order); i++)
    if (hostproc_socket_owner (order[i], containerd_binaries, &v->containerd, NULL) == 1)
      {
        v->containerd_socket = xstrdup (order[i]);
        return;
      }
  v->containerd_socket = xstrdup (CONTAINERD_DEFAULT_SOCKET);
}

static int
api_connect (const char *path, ocg_error_t *err)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  struct timeval tv = { .tv_sec = 10 };
  int fd;

  if (strlen (path) >= sizeof (sa.sun_path))
    return ocg_error_set (err, ENAMETOOLONG, "socket `%s`", path);
  memcpy (sa.sun_path, path, strlen (path) + 1);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ocg_error_set (err, errno, "socket");
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof (tv));
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof (tv));
  if (connect (fd, (struct sockaddr *)&sa, sizeof (sa)) < 0)
    {
      int e = errno;
      close (fd);
      return ocg_error_set (err, e, "connect to `%s`", path);
    }
  return fd;
}

/* The Docker Engine API over the UNIX socket, HTTP/1.0 so the body is neither chunked nor kept
 * alive: the answer ends when dockerd closes the connection.  */
static struct json_node *
api_get (const char *socket, const char *path, ocg_error_t *err)
{
  cleanup_close int fd = api_connect (socket, err);
  cleanup_free char *req = xasprintf ("GET %s HTTP/1.0\r\nHost: docker\r\n\r\n", path);
  cleanup_free char *resp = NULL;
  struct json_parse_opts o = { .source = "the Docker API answer", .allow_duplicates = true };
  size_t len = 0;
  const char *body;

  if (fd < 0)
    return NULL;
  if (fsutil_write_all (fd, req, strlen (req)) < 0)
    return ocg_error_set (err, errno, "write to `%s`", socket), NULL;
  resp = fsutil_read_fd (fd, socket, DOCKER_API_MAX_BYTES, &len, err);
  if (resp == NULL)
    return NULL;
  body = strstr (resp, "\r\n\r\n");
  if (!str_has_prefix (resp, "HTTP/1.") || strncmp (resp + 8, " 200", 4) != 0 || body == NULL)
    return ocg_error_set (err, 0, "GET %s: %.60s", path, resp), NULL;
  body += 4;
  return json_parse (body, len - (size_t)(body - resp), &o, err);
}

static void
load_info (struct docker_view *v)
{
  cleanup_error ocg_error_t err = NULL;

  if (v->dockerd.pid == 0)
    return;
  v->info = api_get (v->socket, "/info", &err);
  if (v->info == NULL)
    v->info_error = ocg_error_text (err);
}

void
docker_view_load (const char *socket, const char *config, struct docker_view *v)
{
  const char *file;
  const char *root;

  memset (v, 0, sizeof (*v));
  v->installed = hostproc_installed (docker_binaries);
  v->socket = socket ? xstrdup (socket) : socket_from_env ();
  hostproc_socket_owner (v->socket, docker_binaries, &v->dockerd, &v->other_listener);
  file = v->dockerd.pid ? hostproc_flag (v->dockerd.argv, "config-file", 0, false) : NULL;
  v->config_path = xstrdup (config ? config : file ? file : DOCKER_DEFAULT_CONFIG);
  load_config (v);
  root = docker_setting (v, "exec-root");
  v->exec_root = xstrdup (root ? root : DOCKER_DEFAULT_EXEC_ROOT);
  find_containerd (v);
  load_info (v);
}

void
docker_view_release (struct docker_view *v)
{
  free (v->socket);
  hostproc_release (&v->dockerd);
  free (v->other_listener);
  free (v->config_path);
  json_free (v->config);
  free (v->config_error);
  free (v->exec_root);
  free (v->containerd_socket);
  hostproc_release (&v->containerd);
  json_free (v->info);
  free (v->info_error);
  memset (v, 0, sizeof (*v));
}

const char *
docker_runc_path_env (const struct docker_view *v, pid_t *pid)
{
  const char *p;

  *pid = 0;
  if (v->containerd.pid != 0 && (p = hostproc_getenv (v->containerd.env, "PATH")) != NULL)
    return (*pid = v->containerd.pid), p;
  if (v->dockerd.pid != 0 && (p = hostproc_getenv (v->dockerd.env, "PATH")) != NULL)
    return (*pid = v->dockerd.pid), p;
  return ROUTE_SYSTEMD_PATH;
}
