/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real host facts, wired: each group is filled by the file that owns it, and none of them
 * needs to know the others.  */
#include <config.h>

#include "hostfacts.h"

void
hostfacts_init_real (struct host_facts *host)
{
  hostfacts_init_base (host);
  /* Mount identity and listening sockets (hostfacts_mounts.c, hostfacts_sockets.c).  */
  hostfacts_init_mounts (host);
  hostfacts_init_real_ns (host);
  hostfacts_init_resources (host);
}
