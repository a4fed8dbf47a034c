/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `ocigate doctor` and `ocigate runtime configure` learn about a running engine daemon, by
 * the kernel's identities: the process that holds the engine's listening socket, the file its
 * executable is (device and inode, compared with the installed binaries), its command line and
 * environment, and where a PATH lookup in its own view of the filesystem would land.
 *
 * Owns: /proc/<pid>/{cmdline,environ,exe,root,cgroup,stat} reading, command-line flag lookup,
 * the Go exec.LookPath rules (os/exec lp_unix.go) replayed in another process's root.
 * Must not: judge (doctor_*.c decide what a fact means) or trust a process by its name.  */
#ifndef OCG_HOSTPROC_H
#define OCG_HOSTPROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/* A daemon found by the socket it listens on.  pid 0: nobody listens there.  */
struct hostproc
{
  pid_t pid;
  char *exe;     /* readlink of /proc/<pid>/exe (the daemon's own view), or NULL */
  dev_t exe_dev; /* stat of /proc/<pid>/exe: the file it runs */
  ino_t exe_ino;
  bool exe_known;
  char **argv;                    /* /proc/<pid>/cmdline, NULL-terminated, or NULL */
  char **env;                     /* /proc/<pid>/environ, NULL-terminated, or NULL (unreadable) */
  unsigned long long start_ticks; /* /proc/<pid>/stat field 22, 0 when unknown */
};

void hostproc_release (struct hostproc *p);

/* Fill *p from /proc/<pid>.  false when the process is gone.  */
bool hostproc_read (pid_t pid, struct hostproc *p);

/* The holders of the UNIX socket listening at `path` whose executable is one of `binaries`
 * (absolute paths of the installed daemon, compared by device and inode), and the first of them
 * into *p.  Returns 1 found, 0 nobody listens there (or only other programs: *other gets the
 * first such holder's executable, malloc'd, when other != NULL), -1 the kernel could not be
 * asked.  */
int hostproc_socket_owner (const char *path, const char *const *binaries, struct hostproc *p,
                           char **other);

/* Is the file at `path` (symlinks followed) one of `binaries`?  */
bool hostproc_is_one_of (dev_t dev, ino_t ino, const char *const *binaries);

/* The first of `binaries` that exists, or NULL.  */
const char *hostproc_installed (const char *const *binaries);

/* A NULL-terminated vector's value for `name` in an environment ("NAME=value"), or NULL.  */
const char *hostproc_getenv (char *const *env, const char *name);

/* Go flag-style lookup in a command line: the values of `--name=V` / `--name V` (and of the
 * one-letter `short`, unless 0), last one wins; NULL when absent.  `boolean` flags take no
 * separate value: `--name` alone is "true".  */
const char *hostproc_flag (char *const *argv, const char *name, char short_name, bool boolean);

/* Every value of a repeatable flag (`--add-runtime a=b --add-runtime c=d`), malloc'd vector of
 * borrowed strings, NULL-terminated (free only the vector).  */
const char **hostproc_flag_all (char *const *argv, const char *name, char short_name);

/* Replay Go's exec.LookPath(`name`) with `path_env` (the daemon's PATH) inside the root of
 * process `pid` (0: ours): the first directory entry that is absolute and holds a regular file
 * with an execute bit.  Empty and relative entries are skipped: Go 1.19 refuses what they find
 * (exec.ErrDot).  On success *found gets the path in that root (malloc'd) and *dev and *ino the
 * file it names (symlinks followed inside that root); returns false when nothing is found.  */
bool hostproc_lookpath (pid_t pid, const char *path_env, const char *name, char **found, dev_t *dev,
                        ino_t *ino);

/* Open `path` (O_PATH) as process `pid` resolves it: inside its root, symlinks kept inside it
 * (openat2 RESOLVE_IN_ROOT).  pid 0 is ours.  Returns the fd or -1.  */
int hostproc_open_in_root (pid_t pid, const char *path);

/* Like hostproc_lookpath for one absolute path: does it name an executable regular file in the
 * root of `pid`?  */
bool hostproc_stat_in_root (pid_t pid, const char *path, dev_t *dev, ino_t *ino);

/* The systemd unit whose cgroup holds `pid` ("docker.service"), malloc'd, or NULL.  */
char *hostproc_systemd_unit (pid_t pid);

/* Seconds since the Epoch at which `p` started (from start_ticks and the boot time), or 0.  */
long long hostproc_start_epoch (const struct hostproc *p);

/* NUL-separated file -> vector (for cmdline and environ), at most `max` bytes.  */
char **hostproc_read_nul_list (const char *path, size_t max);

#endif
