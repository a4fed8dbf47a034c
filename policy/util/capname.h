/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability names as libcap 2.66 reads and writes them (cap_from_name, cap_to_name), without
 * linking libcap: its constructor (_initialize_libcap, libcap/cap_alloc.c) probes the bounding
 * set with six prctl(2) calls in every process that links any of it, ocigate's pass-through calls
 * included.  crun 1.8.1 reads a config's capabilities with libcap's cap_from_name (linux.c
 * read_caps), so this is the reading ocigate must match; tests/unit/test_capname.c holds it to
 * the real libcap, input by input.  */
#ifndef OCG_CAPNAME_H
#define OCG_CAPNAME_H

/* The capability `name` names, as cap_from_name(3) reads it: a name (`cap_` and the rest, any
 * case) up to the first character that is neither a letter nor `_` -- what follows is ignored,
 * as libcap ignores it -- or, from a leading digit, a number in C's notation (strtoul base 0:
 * "21", "0x15", "025") below 64, trailing characters ignored.  0 with *cap set, or -1.  */
int capname_parse (const char *name, int *cap);

/* libcap's name of capability `cap` ("cap_sys_admin"), or NULL for one it has no name for (it
 * prints the number).  */
const char *capname_of (unsigned cap);

/* How many capabilities libcap's table names (CAP_CHECKPOINT_RESTORE + 1 for 2.66).  */
unsigned capname_count (void);

#endif
