/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability names as libcap reads them (see capname.h).  The table is libcap 2.66's
 * (libcap/cap_names.h, generated from linux/capability.h), numbered as the kernel numbers them.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capname.h"
#include "util.h"

/* Each name with its length: a parse compares only the names of the right length.  */
#define N(s)                                                                                       \
  {                                                                                                \
    s, sizeof (s) - 1                                                                              \
  }
static const struct
{
  const char *s;
  size_t n;
} names[] = {
  N ("cap_chown"),
  N ("cap_dac_override"),
  N ("cap_dac_read_search"),
  N ("cap_fowner"),
  N ("cap_fsetid"),
  N ("cap_kill"),
  N ("cap_setgid"),
  N ("cap_setuid"),
  N ("cap_setpcap"),
  N ("cap_linux_immutable"),
  N ("cap_net_bind_service"),
  N ("cap_net_broadcast"),
  N ("cap_net_admin"),
  N ("cap_net_raw"),
  N ("cap_ipc_lock"),
  N ("cap_ipc_owner"),
  N ("cap_sys_module"),
  N ("cap_sys_rawio"),
  N ("cap_sys_chroot"),
  N ("cap_sys_ptrace"),
  N ("cap_sys_pacct"),
  N ("cap_sys_admin"),
  N ("cap_sys_boot"),
  N ("cap_sys_nice"),
  N ("cap_sys_resource"),
  N ("cap_sys_time"),
  N ("cap_sys_tty_config"),
  N ("cap_mknod"),
  N ("cap_lease"),
  N ("cap_audit_write"),
  N ("cap_audit_control"),
  N ("cap_setfcap"),
  N ("cap_mac_override"),
  N ("cap_mac_admin"),
  N ("cap_syslog"),
  N ("cap_wake_alarm"),
  N ("cap_block_suspend"),
  N ("cap_audit_read"),
  N ("cap_perfmon"),
  N ("cap_bpf"),
  N ("cap_checkpoint_restore"),
};
#undef N

/* libcap's __CAP_MAXBITS: a number at or above it names nothing.  */
#define CAP_MAXBITS 64

unsigned
capname_count (void)
{
  return ARRAY_SIZE (names);
}

const char *
capname_of (unsigned cap)
{
  return cap < ARRAY_SIZE (names) ? names[cap].s : NULL;
}

/* libcap/cap_text.c lookupname: a leading digit is a number (strtoul base 0, whatever follows);
 * otherwise the run of letters and `_` is looked up without regard to case (the gperf table is
 * built with --ignore-case), whatever follows it.  Only the C locale's letters and digits: ocigate
 * never calls setlocale.  */
int
capname_parse (const char *name, int *cap)
{
  size_t len = 0;

  if (name == NULL)
    return -1;
  if (name[0] >= '0' && name[0] <= '9')
    {
      unsigned long n = strtoul (name, NULL, 0);
      if (n >= CAP_MAXBITS)
        return -1;
      *cap = (int)n;
      return 0;
    }
  while ((name[len] >= 'a' && name[len] <= 'z') || (name[len] >= 'A' && name[len] <= 'Z')
         || name[len] == '_')
    len++;
  for (size_t i = 0; i < ARRAY_SIZE (names); i++)
    if (names[i].n == len && strncasecmp (names[i].s, name, len) == 0)
      {
        *cap = (int)i;
        return 0;
      }
  return -1;
}
