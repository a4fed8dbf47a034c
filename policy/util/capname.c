/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability names as libcap reads them (see capname.h).  The table is libcap 2.66's
 * (libcap/cap_names.h, generated from linux/capability.h), numbered as the kernel numbers them.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capname.h"
#include "util.h"

static const char *const names[] = {
  "cap_chown",           "cap_dac_override",     "cap_dac_read_search", "cap_fowner",
  "cap_fsetid",          "cap_kill",             "cap_setgid",          "cap_setuid",
  "cap_setpcap",         "cap_linux_immutable",  "cap_net_bind_service", "cap_net_broadcast",
  "cap_net_admin",       "cap_net_raw",          "cap_ipc_lock",        "cap_ipc_owner",
  "cap_sys_module",      "cap_sys_rawio",        "cap_sys_chroot",      "cap_sys_ptrace",
  "cap_sys_pacct",       "cap_sys_admin",        "cap_sys_boot",        "cap_sys_nice",
  "cap_sys_resource",    "cap_sys_time",         "cap_sys_tty_config",  "cap_mknod",
  "cap_lease",           "cap_audit_write",      "cap_audit_control",   "cap_setfcap",
  "cap_mac_override",    "cap_mac_admin",        "cap_syslog",          "cap_wake_alarm",
  "cap_block_suspend",   "cap_audit_read",       "cap_perfmon",         "cap_bpf",
  "cap_checkpoint_restore",
};

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
  return cap < ARRAY_SIZE (names) ? names[cap] : NULL;
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
    if (strlen (names[i]) == len && strncasecmp (names[i], name, len) == 0)
      {
        *cap = (int)i;
        return 0;
      }
  return -1;
}
