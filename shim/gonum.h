/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Numbers as runc 1.1.5 and crun 1.8.1 read them from their command lines.
 *
 * Owns: Go's strconv.ParseInt / ParseUint (go1.19 src/strconv/atoi.go, with base 0's prefixes and
 * underscores), strconv.Atoi, the size syntax of Debian's go-units 0.4.0 (RAMInBytes, size.go,
 * which Debian's runc is linked against: the binary holds its regexp), and glibc strtol as crun
 * uses it for `exec -u`.  Each returns -1 exactly where the runtime would refuse the value.
 * Must not: print or allocate.  */
#ifndef OCG_GONUM_H
#define OCG_GONUM_H

#include <stdbool.h>
#include <stdint.h>

/* strconv.ParseInt (s, base, 64) for base 0 or 10.  */
int gonum_parse_int (const char *s, int base, int64_t *out);

/* strconv.ParseUint (s, base, 64) for base 0 or 10.  */
int gonum_parse_uint (const char *s, int base, uint64_t *out);

/* go-units 0.4.0 RAMInBytes: `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`, the number through
 * strconv.ParseFloat, times 1024^unit, then Go's float64 -> int64 conversion as this machine
 * does it (x86-64: out of range gives INT64_MIN; arm64 saturates).  */
int gonum_ram_in_bytes (const char *s, int64_t *out);

/* crun's make_oci_process_user (src/exec.c): strtol (s, 10) into a uid_t; `out` gets the 32-bit
 * value the kernel will see.  `end` gets where the number stopped.  */
int gonum_crun_id (const char *s, uint32_t *out, const char **end);

#endif
