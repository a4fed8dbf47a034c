/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A classic-BPF interpreter for seccomp programs, for unit tests: it runs the program libseccomp
 * builds (seccomp_bpf_export) over a struct seccomp_data the way the kernel does, so a test can
 * say what a filter answers to a call without loading it.
 *
 * bpf_emu_compare() is the test's definition of "at least as strict": for every probe call, the
 * answer of `strict` has at least the kernel's precedence of the answer of `loose`
 * (kernel/seccomp.c seccomp_run_filters: KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF >
 * TRACE > LOG > ALLOW).  The probes: every syscall number 0-1023 of x86-64, i386 and x32 (nr |
 * 0x40000000) and a few numbers beyond -- the architectures an x86-64 process can call as; for a
 * call whose path through either program reads an argument, every argument alone and random
 * combinations over the constants both programs compare with (each +-1, high word 0 or all ones).
 */
#ifndef OCG_BPF_EMU_H
#define OCG_BPF_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

struct bpf_prog
{
  const struct sock_filter *insns;
  size_t n;
};

/* The program's return value for d; *read_args is set when the path taken loaded an argument.
 * An instruction the kernel would refuse fails the calling test.  */
uint32_t bpf_emu_run (const struct bpf_prog *p, const struct seccomp_data *d, bool *read_args);

/* Kernel precedence of a return value: 0 (ALLOW) .. 7 (KILL_PROCESS).  */
unsigned bpf_emu_rank (uint32_t ret);

/* NULL when `strict` answers every probe at least as strictly as `loose`; otherwise a malloc'd
 * description of the first probe where it does not.  */
char *bpf_emu_compare (const struct bpf_prog *strict, const struct bpf_prog *loose);

#endif
