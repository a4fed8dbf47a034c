/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keyring: a static test program for tests/integration/seccomp-merge.bats (busybox has no
 * keyctl), with the raw syscalls so that it needs no libkeyutils.
 *
 *   keyring add DESC PAYLOAD   (host) add a "user" key to the caller's user keyring; prints its id
 *   keyring read DESC          (container) link the user keyring into the session keyring (runc
 *                              gives each container a new session keyring), find DESC in it and
 *                              print `keyring: read PAYLOAD`, or `keyring: ERRNO-NAME` for the
 *                              first call that fails
 *   keyring unlink ID          (host) invalidate the key
 *
 * Owns: nothing but this test aid.  Without a user namespace, uid 0 in a container has the host
 * root's user keyring (keyrings are per user and user namespace, security/keys/process_keys.c
 * look_up_user_keyrings), which is why a seccomp profile that allows keyctl lets a container read
 * what the host's root keeps there.  */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long
keyctl (int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
  return syscall (SYS_keyctl, op, a, b, c, d);
}

static int
failed (const char *what)
{
  printf ("keyring: %s (%s)\n", strerrorname_np (errno), what);
  return 1;
}

static int
add (const char *desc, const char *payload)
{
  long id = syscall (SYS_add_key, "user", desc, payload, strlen (payload), KEY_SPEC_USER_KEYRING);
  if (id < 0)
    return failed ("add_key");
  printf ("%ld\n", id);
  return 0;
}

static int
read_key (const char *desc)
{
  char buf[256];
  long id, n;

  if (keyctl (KEYCTL_LINK, (unsigned long)KEY_SPEC_USER_KEYRING,
              (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0)
      < 0)
    return failed ("link");
  id = keyctl (KEYCTL_SEARCH, (unsigned long)KEY_SPEC_USER_KEYRING, (unsigned long)"user",
               (unsigned long)desc, 0);
  if (id < 0)
    return failed ("search");
  n = keyctl (KEYCTL_READ, (unsigned long)id, (unsigned long)buf, sizeof (buf) - 1, 0);
  if (n < 0)
    return failed ("read");
  buf[n < (long)sizeof (buf) - 1 ? n : (long)sizeof (buf) - 1] = '\0';
  printf ("keyring: read %s\n", buf);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "add") == 0)
    return add (argv[2], argv[3]);
  if (argc == 3 && strcmp (argv[1], "read") == 0)
    return read_key (argv[2]);
  if (argc == 3 && strcmp (argv[1], "unlink") == 0)
    return keyctl (KEYCTL_INVALIDATE, strtoul (argv[2], NULL, 10), 0, 0, 0) < 0
               ? failed ("invalidate")
               : 0;
  fprintf (stderr, "usage: keyring add DESC PAYLOAD | read DESC | unlink ID\n");
  return 2;
}
