/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The floor: the least a wrapper can do, execve its argv[1] with the rest of argv and the same
 * environment.  Built static, like the ocigate it is compared with (bench/run.sh).  */
#include <unistd.h>

extern char **environ;

int
main (int argc, char **argv)
{
  if (argc < 2)
    return 127;
  execve (argv[1], argv + 1, environ);
  return 127;
}
