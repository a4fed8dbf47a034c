/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pod sandbox's process for tests/e2e/cri.bats: it holds the pod's namespaces and waits.
 * Built statically at test time (gcc -static), so the image is this one file.  TERM and INT end
 * it at once: StopPodSandbox sends TERM to the sandbox first.  */
#include <signal.h>
#include <unistd.h>

static void
leave (int sig)
{
  (void)sig;
  _exit (0);
}

int
main (void)
{
  signal (SIGTERM, leave);
  signal (SIGINT, leave);
  for (;;)
    pause ();
}
