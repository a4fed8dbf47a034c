/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The classic-BPF interpreter of the unit tests: see bpf_emu.h.  Semantics follow the kernel's
 * net/core/filter.c (seccomp_check_filter allows exactly these instructions) and
 * kernel/seccomp.c.  */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/audit.h>

#include "bpf_emu.h"
#include "util.h"

static uint32_t
load_word (const struct seccomp_data *d, uint32_t off, bool *read_args)
{
  uint32_t w = 0;

  if (off % 4 != 0 || off + 4 > sizeof (*d))
    fail_msg ("bpf: load at offset %u", off);
  if (off >= offsetof (struct seccomp_data, args))
    *read_args = true;
  memcpy (&w, (const char *)d + off, 4);
  return w;
}

static uint32_t
alu (uint16_t op, uint32_t a, uint32_t v)
{
  switch (op)
    {
    case BPF_ADD:
      return a + v;
    case BPF_SUB:
      return a - v;
    case BPF_MUL:
      return a * v;
    case BPF_DIV:
      return v ? a / v : 0;
    case BPF_MOD:
      return v ? a % v : 0;
    case BPF_OR:
      return a | v;
    case BPF_AND:
      return a & v;
    case BPF_XOR:
      return a ^ v;
    case BPF_LSH:
      return v < 32 ? a << v : 0;
    case BPF_RSH:
      return v < 32 ? a >> v : 0;
    case BPF_NEG:
      return -a;
    }
  fail_msg ("bpf: alu op %#x", op);
  return 0;
}

static bool
jump_taken (uint16_t op, uint32_t a, uint32_t v)
{
  switch (op)
    {
    case BPF_JEQ:
      return a == v;
    case BPF_JGT:
      return a > v;
    case BPF_JGE:
      return a >= v;
    case BPF_JSET:
      return (a & v) != 0;
    }
  fail_msg ("bpf: jump op %#x", op);
  return false;
}

uint32_t
bpf_emu_run (const struct bpf_prog *p, const struct seccomp_data *d, bool *read_args)
{
  uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

  for (size_t pc = 0; pc < p->n; pc++)
    {
      const struct sock_filter *i = &p->insns[pc];
      uint32_t src = BPF_SRC (i->code) == BPF_X ? x : i->k;

      switch (BPF_CLASS (i->code))
        {
        case BPF_LD:
          if (BPF_MODE (i->code) == BPF_ABS)
            a = load_word (d, i->k, read_args);
          else if (BPF_MODE (i->code) == BPF_MEM)
            a = mem[i->k % BPF_MEMWORDS];
          else if (BPF_MODE (i->code) == BPF_IMM)
            a = i->k;
          else
            fail_msg ("bpf: ld mode %#x", i->code);
          break;
        case BPF_LDX:
          x = BPF_MODE (i->code) == BPF_MEM ? mem[i->k % BPF_MEMWORDS] : i->k;
          break;
        case BPF_ST:
          mem[i->k % BPF_MEMWORDS] = a;
          break;
        case BPF_STX:
          mem[i->k % BPF_MEMWORDS] = x;
          break;
        case BPF_ALU:
          a = alu (BPF_OP (i->code), a, src);
          break;
        case BPF_JMP:
          if (BPF_OP (i->code) == BPF_JA)
            pc += i->k;
          else
            pc += jump_taken (BPF_OP (i->code), a, src) ? i->jt : i->jf;
          break;
        case BPF_RET:
          return BPF_RVAL (i->code) == BPF_A ? a : i->k;
        case BPF_MISC:
          if (BPF_MISCOP (i->code) == BPF_TAX)
            x = a;
          else
            a = x;
          break;
        }
    }
  fail_msg ("bpf: program ran off its end");
  return 0;
}

unsigned
bpf_emu_rank (uint32_t ret)
{
  switch (ret & SECCOMP_RET_ACTION_FULL)
    {
    case SECCOMP_RET_ALLOW:
      return 0;
    case SECCOMP_RET_LOG:
      return 1;
    case SECCOMP_RET_TRACE:
      return 2;
    case SECCOMP_RET_USER_NOTIF:
      return 3;
    case SECCOMP_RET_ERRNO:
      return 4;
    case SECCOMP_RET_TRAP:
      return 5;
    case SECCOMP_RET_KILL_THREAD:
      return 6;
    default: /* KILL_PROCESS, and what the kernel treats like it */
      return 7;
    }
}

/* ---- probes ---- */

struct values
{
  uint64_t v[512];
  size_t n;
};

static void
values_add (struct values *vs, uint64_t v)
{
  for (size_t i = 0; i < vs->n; i++)
    if (vs->v[i] == v)
      return;
  if (vs->n < ARRAY_SIZE (vs->v))
    vs->v[vs->n++] = v;
}

/* The words both programs compare with, each +-1, as low words with a high word of 0 or all
 * ones, and as high words.  */
static void
values_collect (struct values *vs, const struct bpf_prog *p)
{
  for (size_t i = 0; i < p->n; i++)
    {
      uint32_t k = p->insns[i].k;
      uint32_t words[3] = { k, k - 1, k + 1 };

      if (BPF_CLASS (p->insns[i].code) != BPF_JMP || BPF_OP (p->insns[i].code) == BPF_JA)
        continue;
      for (size_t w = 0; w < ARRAY_SIZE (words); w++)
        {
          values_add (vs, words[w]);
          values_add (vs, (uint64_t)0xffffffff << 32 | words[w]);
          values_add (vs, (uint64_t)words[w] << 32);
        }
    }
}

struct probe_state
{
  const struct bpf_prog *strict, *loose;
  struct values values;
  uint64_t rng;
  char *why;
};

static char *
describe (const struct seccomp_data *d, uint32_t rs, uint32_t rl)
{
  return xasprintf ("arch %#x nr %#x args [%#llx %#llx %#llx %#llx %#llx %#llx]: %#x is weaker "
                    "than %#x",
                    d->arch, d->nr, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
                    (unsigned long long)d->args[2], (unsigned long long)d->args[3],
                    (unsigned long long)d->args[4], (unsigned long long)d->args[5], rs, rl);
}

/* One probe; true when it reads an argument in either program.  */
static bool
probe (struct probe_state *st, const struct seccomp_data *d)
{
  bool read_s = false, read_l = false;
  uint32_t rs = bpf_emu_run (st->strict, d, &read_s);
  uint32_t rl = bpf_emu_run (st->loose, d, &read_l);

  if (st->why == NULL && bpf_emu_rank (rs) < bpf_emu_rank (rl))
    st->why = describe (d, rs, rl);
  return read_s || read_l;
}

static uint64_t
rng_next (uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static void
probe_args (struct probe_state *st, uint32_t arch, uint32_t nr)
{
  struct seccomp_data d = { .nr = (int)nr, .arch = arch };

  for (size_t i = 0; i < 6 && st->why == NULL; i++)
    for (size_t v = 0; v < st->values.n; v++)
      {
        memset (d.args, 0, sizeof (d.args));
        d.args[i] = st->values.v[v];
        probe (st, &d);
      }
  for (int r = 0; r < 256 && st->why == NULL; r++)
    {
      for (size_t i = 0; i < 6; i++)
        d.args[i] = rng_next (&st->rng) % 4 == 0 ? rng_next (&st->rng)
                                                 : st->values.v[rng_next (&st->rng) % st->values.n];
      probe (st, &d);
    }
}

static void
probe_nr (struct probe_state *st, uint32_t arch, uint32_t nr)
{
  struct seccomp_data d = { .nr = (int)nr, .arch = arch };

  if (probe (st, &d))
    probe_args (st, arch, nr);
}

char *
bpf_emu_compare (const struct bpf_prog *strict, const struct bpf_prog *loose)
{
  static const uint32_t extra[] = { 1024, 4095, 0x3fffffff, 0x7fffffff, 0xffffffff };
  struct probe_state st = { .strict = strict, .loose = loose, .rng = 0x9e3779b97f4a7c15ULL };

  values_add (&st.values, 0);
  values_add (&st.values, UINT64_MAX);
  values_collect (&st.values, strict);
  values_collect (&st.values, loose);
  for (uint32_t nr = 0; nr < 1024 && st.why == NULL; nr++)
    {
      probe_nr (&st, AUDIT_ARCH_X86_64, nr);
      probe_nr (&st, AUDIT_ARCH_I386, nr);
      probe_nr (&st, AUDIT_ARCH_X86_64, nr | 0x40000000u);
    }
  for (size_t i = 0; i < ARRAY_SIZE (extra) && st.why == NULL; i++)
    {
      probe_nr (&st, AUDIT_ARCH_X86_64, extra[i]);
      probe_nr (&st, AUDIT_ARCH_I386, extra[i]);
    }
  return st.why;
}
