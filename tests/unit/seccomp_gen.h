/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generated OCI seccomp objects for the unit tests: a random default action (allow-heavy), a
 * random subset of the x86 and arm architectures, up to nine groups over a pool of syscalls that
 * engines and the shipped profiles treat specially (mkdir, socket, clone, personality, keyctl,
 * bpf, ...), random actions and errnos, and sometimes one or two argument conditions (any
 * operator, an index of 0 or 1, values the shipped profiles compare with).  Deterministic for a
 * seed.  */
#ifndef OCG_SECCOMP_GEN_H
#define OCG_SECCOMP_GEN_H

#include <stdint.h>

#include "json.h"

/* A new object; *seed advances.  */
struct json_node *seccomp_gen_profile (uint64_t *seed);

#endif
