/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generated OCI seccomp objects for the unit tests: see seccomp_gen.h.  */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "seccomp_gen.h"
#include "util.h"

static uint64_t *rng_state;

static uint64_t
rnd (uint64_t n)
{
  *rng_state ^= *rng_state << 13;
  *rng_state ^= *rng_state >> 7;
  *rng_state ^= *rng_state << 17;
  return *rng_state % n;
}

static const char *const actions[]
    = { "SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW",        "SCMP_ACT_ERRNO",
        "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
        "SCMP_ACT_LOG",   "SCMP_ACT_TRACE", "SCMP_ACT_KILL_THREAD" };

static const char *const pool[]
    = { "mkdir",  "mkdirat", "socket", "clone", "clone3",     "personality", "keyctl",
        "bpf",    "unshare", "read",   "write", "openat",     "mount",       "ptrace",
        "setns",  "ioctl",   "prctl",  "chmod", "fchmodat",   "kill",        "add_key",
        "getpid", "uname",   "exit",   "mmap",  "userfaultfd" };

static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",       "SCMP_CMP_EQ",
                                   "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };

static const uint64_t arg_values[] = { 0, 1, 8, 16, 38, 40, 0x7E020000, 0x10000000, 0xffffffff };

static void
add_action (struct json_node *obj, const char *akey, const char *ekey)
{
  const char *a = actions[rnd (ARRAY_SIZE (actions))];

  json_obj_set (obj, akey, json_new_string (a));
  if ((str_eq (a, "SCMP_ACT_ERRNO") || str_eq (a, "SCMP_ACT_TRACE")) && rnd (2))
    json_obj_set (obj, ekey, json_new_uint (rnd (3) == 0 ? 1 : 1 + rnd (100)));
}

static struct json_node *
random_args (void)
{
  struct json_node *args = json_new_array ();
  size_t n = 1 + rnd (2);

  for (size_t i = 0; i < n; i++)
    {
      struct json_node *a = json_new_object ();
      const char *op = ops[rnd (ARRAY_SIZE (ops))];
      json_obj_set (a, "index", json_new_uint (rnd (2)));
      json_obj_set (a, "value", json_new_uint (arg_values[rnd (ARRAY_SIZE (arg_values))]));
      if (str_eq (op, "SCMP_CMP_MASKED_EQ"))
        json_obj_set (a, "valueTwo", json_new_uint (rnd (3) ? 0 : arg_values[rnd (4)]));
      json_obj_set (a, "op", json_new_string (op));
      json_arr_append (args, a);
    }
  return args;
}

struct json_node *
seccomp_gen_profile (uint64_t *seed)
{
  static const char *const archs[]
      = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64" };
  struct json_node *p = json_new_object (), *groups = json_new_array ();
  size_t n;

  rng_state = seed;
  n = rnd (10);
  add_action (p, "defaultAction", "defaultErrnoRet");
  if (rnd (3))
    {
      struct json_node *a = json_new_array ();
      for (size_t i = 0; i < ARRAY_SIZE (archs); i++)
        if (rnd (2))
          json_arr_append (a, json_new_string (archs[i]));
      json_obj_set (p, "architectures", a);
    }
  for (size_t g = 0; g < n; g++)
    {
      struct json_node *grp = json_new_object (), *names = json_new_array ();
      size_t k = 1 + rnd (3);
      for (size_t i = 0; i < k; i++)
        json_arr_append (names, json_new_string (pool[rnd (ARRAY_SIZE (pool))]));
      json_obj_set (grp, "names", names);
      add_action (grp, "action", "errnoRet");
      if (rnd (10) < 3)
        json_obj_set (grp, "args", random_args ());
      json_arr_append (groups, grp);
    }
  json_obj_set (p, "syscalls", groups);
  return p;
}
