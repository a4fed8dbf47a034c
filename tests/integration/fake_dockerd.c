/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fake_dockerd: a static test program for tests/integration/hooks-identity.bats, standing in for
 * a process that is called dockerd without being the engine's dockerd.
 *
 *   fake_dockerd                 sleep for 600 s: what a container runs as /usr/bin/dockerd
 *   libnetwork-setkey -exec-root=DIR ID CTL
 *                                (argv[0] as runc sets it when it runs the prestart hook
 *                                `/proc/<pid>/exe`): write DIR/pwned with the uid and mount
 *                                namespace it runs with -- on the host, as root -- and exit 0
 *
 * Owns: nothing but this test aid.  */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
setkey (const char *exec_root)
{
  char path[4096], ns[128];
  ssize_t n = readlink ("/proc/self/ns/mnt", ns, sizeof (ns) - 1);
  FILE *f;

  ns[n > 0 ? n : 0] = '\0';
  snprintf (path, sizeof (path), "%s/pwned", exec_root);
  f = fopen (path, "w");
  if (f == NULL)
    return 1;
  fprintf (f, "uid=%d mnt=%s\n", (int)getuid (), ns);
  return fclose (f) == 0 ? 0 : 1;
}

int
main (int argc, char **argv)
{
  const char *name = strrchr (argv[0], '/');

  name = name ? name + 1 : argv[0];
  if (strcmp (name, "libnetwork-setkey") == 0 && argc > 1
      && strncmp (argv[1], "-exec-root=", strlen ("-exec-root=")) == 0)
    return setkey (argv[1] + strlen ("-exec-root="));
  sleep (600);
  return 0;
}
