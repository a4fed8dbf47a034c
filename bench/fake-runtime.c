/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runtime the bench execs instead of runc: exits 0 at once.  With BENCH_RUSAGE=FILE it
 * first appends "minflt maxrss_kib" of its process: getrusage(2) counts survive execve, so they
 * are the faults and peak RSS of whatever ran before it in this process (ocigate or the floor)
 * plus its own few.  Never used to claim a feature works: only to time what comes before it.  */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int
main (void)
{
  const char *path = getenv ("BENCH_RUSAGE");
  struct rusage ru;
  FILE *f;

  if (path == NULL || getrusage (RUSAGE_SELF, &ru) < 0 || (f = fopen (path, "a")) == NULL)
    return 0;
  fprintf (f, "%ld %ld\n", ru.ru_minflt, ru.ru_maxrss);
  fclose (f);
  return 0;
}
