/* SPDX-License-Identifier: GPL-2.0-or-later */
/* compat32: a static test program for tests/integration/seccomp-native-arch.bats.  It makes one
 * 32-bit system call from a 64-bit process -- `int $0x80` on x86_64 enters the kernel's i386
 * (compat) system call table, and seccomp sees it as AUDIT_ARCH_I386 -- and prints what came
 * back:
 *
 *   compat32: getpid=N           the i386 getpid (20) ran and returned N
 *   compat32: error=NAME         it failed with errno NAME (the filter's answer, or no compat
 *                                table: ENOSYS without CONFIG_IA32_EMULATION)
 *   compat32: unsupported        not an x86_64 build: no 32-bit entry point to try
 *
 * A seccomp filter that kills instead ends the process by SIGSYS before it prints.
 * Owns: nothing but this test aid.  */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

int
main (void)
{
#if defined(__x86_64__)
  long ret = 20; /* __NR_getpid in arch/x86/entry/syscalls/syscall_32.tbl */

  __asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
  if (ret < 0 && ret > -4096)
    printf ("compat32: error=%s\n", strerrorname_np ((int)-ret));
  else
    printf ("compat32: getpid=%ld\n", ret);
  fflush (stdout);
  return 0;
#else
  puts ("compat32: unsupported");
  return 0;
#endif
}
