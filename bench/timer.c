/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interleaved wall times.
 *
 *   timer ROUNDS @NAME [+prep SCRIPT] ARGV... @NAME2 ...
 *
 * Each round runs every command once, starting at a different one each round (round r starts at
 * command r mod k), so a drift of the machine (another engineer's build, the page cache) falls on
 * all of them alike.  Before each run of a command with +prep, SCRIPT runs (untimed, and must
 * succeed): a create rewrites its config.json, and every run must be a create as an engine makes
 * it (bench/run.sh prep_script).  Prints, per command: NAME runs failures median q1 q3 p90 p99
 * max, then the median and p99 of the time each run was blocked, in microseconds (nearest rank).
 * Blocked: off the CPU without waiting for one, i.e. the wall time less the time on a CPU and the
 * time spent runnable in a run queue, both read from /proc/PID/schedstat of the exited child
 * before it is reaped: what a run waited for (the disk, a lock), apart from what a loaded machine
 * makes it wait for a CPU.  */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd
{
  const char *name, *prep;
  char **argv;
  double *us, *blocked_us;
  int failures;
};

static pid_t
spawn (char **argv)
{
  pid_t pid = fork ();

  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR);
      dup2 (null, 0);
      dup2 (null, 1);
      dup2 (null, 2);
      execv (argv[0], argv);
      _exit (127);
    }
  return pid;
}

static void
prep (const char *script)
{
  char *argv[] = { (char *)script, NULL };
  int status = 0;

  if (waitpid (spawn (argv), &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "timer: %s failed\n", script);
      exit (2);
    }
}

/* Nanoseconds on a CPU plus nanoseconds runnable but waiting for one, of the exited child pid (a
 * zombie until waited for); 0 when the kernel has no schedstat.  */
static double
scheduled_ns (pid_t pid)
{
  char path[64];
  unsigned long long on_cpu = 0, run_delay = 0;
  FILE *f;

  snprintf (path, sizeof (path), "/proc/%ld/schedstat", (long)pid);
  f = fopen (path, "r");
  if (f == NULL)
    return 0;
  if (fscanf (f, "%llu %llu", &on_cpu, &run_delay) != 2)
    on_cpu = run_delay = 0;
  fclose (f);
  return (double)(on_cpu + run_delay);
}

static void
run_once (struct cmd *c, int r)
{
  struct timespec a, b;
  siginfo_t info;
  int status = 0;
  double sched, wall;
  pid_t pid;

  if (c->prep != NULL)
    prep (c->prep);
  clock_gettime (CLOCK_MONOTONIC, &a);
  pid = spawn (c->argv);
  waitid (P_PID, (id_t)pid, &info, WEXITED | WNOWAIT);
  clock_gettime (CLOCK_MONOTONIC, &b);
  sched = scheduled_ns (pid) / 1e3;
  waitpid (pid, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    c->failures++;
  wall = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
  c->us[r] = wall;
  c->blocked_us[r] = sched > 0 && wall > sched ? wall - sched : 0;
}

static int
cmp (const void *x, const void *y)
{
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static double
rank (const double *v, int n, double p)
{
  int i = (int)(p * n + 0.999999) - 1;
  return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

int
main (int argc, char **argv)
{
  int rounds = argc > 1 ? atoi (argv[1]) : 0, k = 0;
  struct cmd *cmds = calloc ((size_t)argc, sizeof (*cmds));

  for (int i = 2; i < argc; i++)
    {
      if (argv[i][0] != '@')
        continue;
      cmds[k].name = argv[i] + 1;
      argv[i] = NULL; /* ends the previous command's argv */
      if (i + 2 < argc && strcmp (argv[i + 1], "+prep") == 0)
        {
          cmds[k].prep = argv[i + 2];
          i += 2;
        }
      cmds[k].argv = argv + i + 1;
      cmds[k].us = calloc ((size_t)rounds, sizeof (double));
      cmds[k].blocked_us = calloc ((size_t)rounds, sizeof (double));
      k++;
    }
  if (rounds <= 0 || k == 0)
    {
      fprintf (stderr, "usage: timer ROUNDS @NAME [+prep SCRIPT] ARGV... ...\n");
      return 2;
    }
  for (int r = 0; r < rounds; r++)
    for (int j = 0; j < k; j++)
      {
        run_once (&cmds[(r + j) % k], r);
      }
  for (int j = 0; j < k; j++)
    {
      double *v = cmds[j].us, *bl = cmds[j].blocked_us;
      qsort (v, (size_t)rounds, sizeof (double), cmp);
      qsort (bl, (size_t)rounds, sizeof (double), cmp);
      printf ("%s %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", cmds[j].name, rounds,
              cmds[j].failures, rank (v, rounds, 0.5), rank (v, rounds, 0.25),
              rank (v, rounds, 0.75), rank (v, rounds, 0.9), rank (v, rounds, 0.99), v[rounds - 1],
              rank (bl, rounds, 0.5), rank (bl, rounds, 0.99));
    }
  return 0;
}
