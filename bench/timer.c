/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Interleaved wall times.
 *
 *   timer ROUNDS @NAME [+copy SRC DST] ARGV... @NAME2 ...
 *
 * Each round runs every command once, starting at a different one each round (round r starts at
 * command r mod k), so a drift of the machine (another engineer's build, the page cache) falls on
 * all of them alike.  Before each run of a command with +copy, SRC is copied over DST (untimed):
 * a create rewrites its config.json, and every run must judge the original.  Prints, per
 * command: NAME runs failures median q1 q3 p90 p99 max, in microseconds (nearest rank).  */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd
{
  const char *name, *copy_src, *copy_dst;
  char **argv;
  double *us;
  int failures;
};

static void
copy_file (const char *src, const char *dst)
{
  char buf[65536];
  int in = open (src, O_RDONLY), out = open (dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ssize_t n;

  if (in < 0 || out < 0)
    {
      perror ("copy");
      exit (2);
    }
  while ((n = read (in, buf, sizeof buf)) > 0)
    if (write (out, buf, (size_t)n) != n)
      exit (2);
  close (in);
  close (out);
}

static double
run_once (struct cmd *c)
{
  struct timespec a, b;
  int status = 0;
  pid_t pid;

  if (c->copy_src != NULL)
    copy_file (c->copy_src, c->copy_dst);
  clock_gettime (CLOCK_MONOTONIC, &a);
  pid = fork ();
  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR);
      dup2 (null, 0);
      dup2 (null, 1);
      dup2 (null, 2);
      execv (c->argv[0], c->argv);
      _exit (127);
    }
  waitpid (pid, &status, 0);
  clock_gettime (CLOCK_MONOTONIC, &b);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    c->failures++;
  return (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
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
      if (i + 3 < argc && strcmp (argv[i + 1], "+copy") == 0)
        {
          cmds[k].copy_src = argv[i + 2];
          cmds[k].copy_dst = argv[i + 3];
          i += 3;
        }
      cmds[k].argv = argv + i + 1;
      cmds[k].us = calloc ((size_t)rounds, sizeof (double));
      k++;
    }
  if (rounds <= 0 || k == 0)
    {
      fprintf (stderr, "usage: timer ROUNDS @NAME [+copy SRC DST] ARGV... ...\n");
      return 2;
    }
  for (int r = 0; r < rounds; r++)
    for (int j = 0; j < k; j++)
      {
        struct cmd *c = &cmds[(r + j) % k];
        c->us[r] = run_once (c);
      }
  for (int j = 0; j < k; j++)
    {
      double *v = cmds[j].us;
      qsort (v, (size_t)rounds, sizeof (double), cmp);
      printf ("%s %d %d %.1f %.1f %.1f %.1f %.1f %.1f\n", cmds[j].name, rounds, cmds[j].failures,
              rank (v, rounds, 0.5), rank (v, rounds, 0.25), rank (v, rounds, 0.75),
              rank (v, rounds, 0.9), rank (v, rounds, 0.99), v[rounds - 1]);
    }
  return 0;
}
