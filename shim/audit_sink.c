/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where audit records go (see audit.h): a file, or the syslog socket.
 *
 * Owns: the O_APPEND write, the syslog datagram, and whether either could be written.
 * Must not: build records (audit.c does).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "audit.h"
#include "util.h"

/* ---- the file sink ---- */

static int
ensure_parent_dir (const char *path)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');

  if (slash == NULL || slash == dir)
    return 0;
  *slash = '\0';
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return -1;
  return 0;
}

int
audit_append (const char *path, const char *record, ocg_error_t *err)
{
  cleanup_free char *line = xasprintf ("%s\n", record);
  size_t len = strlen (line);
  cleanup_close int fd = -1;
  ssize_t w;

  /* Opened for every record: once logrotate has renamed the file, the next record creates a
   * new one, so rotation needs no signal.  Its directory is made only when the open fails
   * (where the file opens, mkdir(2) would have said EEXIST: fs/namei.c filename_create).  */
  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      if (ensure_parent_dir (path) < 0)
        return ocg_error_set (err, errno, "create directory of audit log `%s`", path);
      fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
    }
  if (fd < 0)
    return ocg_error_set (err, errno, "open audit log `%s`", path);
  /* One write(2) per record: with O_APPEND the kernel positions and writes it as a unit, so
   * records from concurrent runtime calls never interleave.  */
  w = write (fd, line, len);
  if (w < 0)
    return ocg_error_set (err, errno, "write audit log `%s`", path);
  if ((size_t)w != len)
    return ocg_error_set (err, ENOSPC, "short write to audit log `%s`", path);
  return 0;
}

/* access(2) says EROFS for a read-only filesystem even to root, and EACCES where an LSM or a
 * permission bit forbids it.  */
static int
dir_writable (const char *dir, ocg_error_t *err)
{
  if (access (dir, W_OK | X_OK) < 0)
    return ocg_error_set (err, errno, "cannot create files in `%s`", dir);
  return 0;
}

static int
file_writable (const char *path, ocg_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  cleanup_close int fd = -1;
  char *slash = strrchr (dir, '/');
  struct stat st;

  fd = open (path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
  if (fd >= 0)
    return 0;
  if (errno != ENOENT)
    return ocg_error_set (err, errno, "open audit log `%s`", path);
  if (slash == NULL || slash == dir)
    return dir_writable ("/", err);
  *slash = '\0';
  if (stat (dir, &st) == 0)
    return dir_writable (dir, err);
  /* audit_append makes the parent (one level, 0700) when it is missing.  */
  slash = strrchr (dir, '/');
  if (slash == NULL)
    return ocg_error_set (err, ENOENT, "directory of audit log `%s`", path);
  *slash = '\0';
  return dir_writable (slash == dir ? "/" : dir, err);
}

/* ---- the syslog sink ---- */

const char *
audit_syslog_socket (const char *destination)
{
  if (str_eq (destination, AUDIT_SYSLOG))
    return AUDIT_SYSLOG_SOCKET;
  if (str_has_prefix (destination, AUDIT_SYSLOG ":/"))
    return destination + strlen (AUDIT_SYSLOG ":");
  return NULL;
}

static int
syslog_address (const char *socket_path, struct sockaddr_un *addr, ocg_error_t *err)
{
  *addr = (struct sockaddr_un){ .sun_family = AF_UNIX };
  if (strlen (socket_path) >= sizeof (addr->sun_path))
    return ocg_error_set (err, ENAMETOOLONG, "syslog socket `%s`", socket_path);
  memcpy (addr->sun_path, socket_path, strlen (socket_path) + 1);
  return 0;
}

/* The BSD syslog line glibc's syslog(3) sends (misc/syslog.c __vsyslog_internal: "<PRI>Mmm dd
 * hh:mm:ss ident[pid]: msg", local time), which journald (syslog_parse_identifier) and rsyslog
 * take apart.  Facility authpriv: the record names who may run what as root.  */
static char *
syslog_line (const char *record, bool warning)
{
  char stamp[32];
  time_t now = time (NULL);
  struct tm tm;
  int pri = AUDIT_SYSLOG_FACILITY | (warning ? 4 /* LOG_WARNING */ : 6 /* LOG_INFO */);

  localtime_r (&now, &tm);
  strftime (stamp, sizeof (stamp), "%b %e %H:%M:%S", &tm);
  return xasprintf ("<%d>%s ocigate[%ld]: %s", pri, stamp, (long)getpid (), record);
}

/* Sent as one datagram, as glibc's syslog(3) does, but never with its fallbacks: no stream
 * socket (a record could be split), no /dev/console (LOG_CONS).  A record that does not reach the
 * socket is an error: the caller fails closed, as for a file it cannot write.  */
static int
syslog_send (const char *socket_path, const char *record, bool warning, ocg_error_t *err)
{
  cleanup_free char *line = syslog_line (record, warning);
  cleanup_close int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr;
  ssize_t w;

  if (fd < 0)
    return ocg_error_set (err, errno, "syslog socket");
  if (syslog_address (socket_path, &addr, err) < 0)
    return -1;
  w = sendto (fd, line, strlen (line), MSG_NOSIGNAL, (struct sockaddr *)&addr, sizeof (addr));
  if (w < 0)
    return ocg_error_set (err, errno, "send the audit record to syslog `%s`", socket_path);
  return 0;
}

/* Is somebody reading the socket?  A datagram socket connects only to a bound one.  */
static int
syslog_reachable (const char *socket_path, ocg_error_t *err)
{
  cleanup_close int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr;

  if (fd < 0)
    return ocg_error_set (err, errno, "syslog socket");
  if (syslog_address (socket_path, &addr, err) < 0)
    return -1;
  if (connect (fd, (struct sockaddr *)&addr, sizeof (addr)) < 0)
    return ocg_error_set (err, errno, "connect to syslog `%s`", socket_path);
  return 0;
}

/* ---- either ---- */

int
audit_write (const char *destination, const char *record, bool warning, ocg_error_t *err)
{
  const char *sock = audit_syslog_socket (destination);

  if (sock != NULL)
    return syslog_send (sock, record, warning, err);
  return audit_append (destination, record, err);
}

int
audit_check_writable (const char *destination, ocg_error_t *err)
{
  const char *sock = audit_syslog_socket (destination);

  return sock != NULL ? syslog_reachable (sock, err) : file_writable (destination, err);
}
