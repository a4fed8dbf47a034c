/* SPDX-License-Identifier: GPL-2.0-or-later */
/* threads: a static test program for tests/integration/seccomp.bats (busybox has no threads).
 *
 *   threads          start one POSIX thread and join it: `threads: ok`, or the error
 *   threads errno    try a few syscalls the profiles answer with a chosen errno and print
 *                    `NAME: ok` or `NAME: ERRNO-NAME` for each
 *   threads int80    (x86-64) call getpid through the 32-bit `int $0x80` entry, which seccomp
 *                    sees as AUDIT_ARCH_I386: `int80: ok`, or the process dies of SIGSYS
 *
 * Owns: nothing but this test aid.  glibc >= 2.34 creates threads with clone3 and falls back to
 * clone only on ENOSYS (moby/moby#42680); libnuma < 2.0.19 takes NUMA as unavailable only when
 * get_mempolicy answers ENOSYS.  */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static void *
worker (void *arg)
{
  return arg;
}

static int
threads (void)
{
  pthread_t t;
  void *out = NULL;
  int token = 42;
  int rc = pthread_create (&t, NULL, worker, &token);

  if (rc != 0)
    {
      printf ("threads: pthread_create: %s\n", strerror (rc));
      return 1;
    }
  rc = pthread_join (t, &out);
  if (rc != 0 || out != &token)
    {
      printf ("threads: pthread_join: %s\n", strerror (rc));
      return 1;
    }
  puts ("threads: ok");
  return 0;
}

static void
show (const char *name, long rc)
{
  if (rc >= 0)
    printf ("%s: ok\n", name);
  else
    printf ("%s: %s\n", name, strerrorname_np (errno));
}

static int
errnos (void)
{
  int mode = 0;

  show ("get_mempolicy", syscall (SYS_get_mempolicy, &mode, NULL, 0, NULL, 0));
  /* The kernel answers EINVAL for a zero-sized clone_args: ENOSYS or EPERM came from a filter.  */
  show ("clone3", syscall (SYS_clone3, NULL, 0));
  show ("kexec_load", syscall (SYS_kexec_load, 0, 0, NULL, 0));
  show ("socket_vsock", socket (AF_VSOCK, SOCK_STREAM, 0));
  return 0;
}

static int
int80 (void)
{
#ifdef __x86_64__
  long rc = 20; /* __NR_getpid in the i386 table */

  __asm__ volatile("int $0x80" : "+a"(rc) : : "memory");
  printf ("int80: %s\n", rc == getpid () ? "ok" : "unexpected");
  return rc == getpid () ? 0 : 1;
#else
  puts ("int80: not x86-64");
  return 2;
#endif
}

int
main (int argc, char **argv)
{
  if (argc > 1 && strcmp (argv[1], "errno") == 0)
    return errnos ();
  if (argc > 1 && strcmp (argv[1], "int80") == 0)
    return int80 ();
  return threads ();
}
