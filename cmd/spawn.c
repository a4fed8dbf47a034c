/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helper programs with bounded output and a deadline (see spawn.h).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"

extern char **environ;

struct stream
{
  int fd;
  char *buf;
  size_t len;
  size_t max;
  bool overflow;
};

void
spawn_result_release (struct spawn_result *r)
{
  free (r->out);
  free (r->err);
  r->out = r->err = NULL;
}

static void
child (const char *const *argv, char *const *envp, int in, int out, int errfd)
{
  if (dup2 (in, 0) < 0 || dup2 (out, 1) < 0 || dup2 (errfd, 2) < 0)
    _exit (127);
  execve (argv[0], (char *const *)argv, envp ? envp : environ);
  _exit (127);
}

/* Read what is there; false at end of file.  */
static bool
stream_read (struct stream *s)
{
  char chunk[16384];
  ssize_t n = read (s->fd, chunk, sizeof (chunk));

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  if (n <= 0)
    return false;
  if (s->len + (size_t)n > s->max)
    {
      s->overflow = true;
      return true;
    }
  s->buf = xrealloc (s->buf, s->len + (size_t)n + 1);
  memcpy (s->buf + s->len, chunk, (size_t)n);
  s->len += (size_t)n;
  s->buf[s->len] = '\0';
  return true;
}

static long long
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feed the input and drain both streams until both close or the deadline passes.  */
static bool
pump (struct stream *s, int in, const char *input, size_t input_len, long long deadline)
{
  size_t sent = 0;

  while (s[0].fd >= 0 || s[1].fd >= 0)
    {
      struct pollfd p[3] = { { s[0].fd, POLLIN, 0 }, { s[1].fd, POLLIN, 0 }, { in, POLLOUT, 0 } };
      long long left = deadline - now_ms ();

      if (left <= 0)
        return false;
      if (poll (p, in >= 0 ? 3 : 2, (int)left) < 0 && errno != EINTR)
        return false;
      for (int i = 0; i < 2; i++)
        if (s[i].fd >= 0 && p[i].revents != 0 && !stream_read (&s[i]))
          s[i].fd = (close (s[i].fd), -1);
      if (in >= 0 && p[2].revents != 0)
        {
          ssize_t w = p[2].revents & POLLOUT ? write (in, input + sent, input_len - sent) : -1;
          if (w > 0)
            sent += (size_t)w;
          if (w < 0 || sent == input_len)
            in = (close (in), -1);
        }
    }
  if (in >= 0)
    close (in);
  return true;
}

static int
wait_child (pid_t pid, bool killed, struct spawn_result *r, ocg_error_t *err, const char *name)
{
  int st;

  if (killed)
    kill (pid, SIGKILL);
  while (waitpid (pid, &st, 0) < 0)
    if (errno != EINTR)
      return ocg_error_set (err, errno, "wait for `%s`", name);
  if (killed)
    return ocg_error_set (err, ETIMEDOUT, "`%s` did not finish in time", name);
  r->status = WIFEXITED (st) ? WEXITSTATUS (st) : 128 + WTERMSIG (st);
  return 0;
}

static void
close_pair (int p[2])
{
  for (int i = 0; i < 2; i++)
    if (p[i] >= 0)
      close (p[i]);
}

int
spawn_run (const char *const *argv, char *const *envp, const void *input, size_t input_len,
           size_t max_out, unsigned timeout_s, struct spawn_result *r, ocg_error_t *err)
{
  int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
  struct stream s[2] = { { .max = max_out }, { .max = max_out } };
  bool done;
  pid_t pid;

  memset (r, 0, sizeof (*r));
  if (pipe2 (pin, O_CLOEXEC) < 0 || pipe2 (pout, O_CLOEXEC) < 0 || pipe2 (perr, O_CLOEXEC) < 0)
    {
      int e = errno;
      close_pair (pin), close_pair (pout), close_pair (perr);
      return ocg_error_set (err, e, "pipe for `%s`", argv[0]);
    }
  pid = fork ();
  if (pid == 0)
    child (argv, envp, pin[0], pout[1], perr[1]);
  close (pin[0]), close (pout[1]), close (perr[1]);
  if (pid < 0)
    {
      close (pin[1]), close (pout[0]), close (perr[0]);
      return ocg_error_set (err, errno, "fork for `%s`", argv[0]);
    }
  s[0].fd = pout[0];
  s[1].fd = perr[0];
  if (input == NULL)
    pin[1] = (close (pin[1]), -1);
  signal (SIGPIPE, SIG_IGN);
  done = pump (s, pin[1], input, input_len, now_ms () + (long long)timeout_s * 1000);
  for (int i = 0; i < 2; i++)
    if (s[i].fd >= 0)
      close (s[i].fd);
  r->out = s[0].buf ? s[0].buf : xstrdup ("");
  r->out_len = s[0].len;
  r->err = s[1].buf ? s[1].buf : xstrdup ("");
  if (wait_child (pid, !done, r, err, argv[0]) < 0)
    return spawn_result_release (r), -1;
  if (s[0].overflow || s[1].overflow)
    return spawn_result_release (r),
           ocg_error_set (err, EFBIG, "`%s` printed more than %zu bytes", argv[0], max_out);
  return 0;
}

char *
spawn_first_line (const struct spawn_result *r)
{
  const char *s = r->out != NULL && r->out[0] != '\0' ? r->out : r->err;
  size_t n;

  if (s == NULL)
    return xstrdup ("");
  n = strcspn (s, "\n");
  return xstrndup (s, n > 200 ? 200 : n);
}
