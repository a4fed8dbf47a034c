/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 (FIPS 180-4), for the digests `ocigate doctor` prints (the policy files it loaded, the
 * binaries a route reaches: a copy of ocigate is told from ocigate by its bytes) and the audit
 * record's (the effective policy's files, a patch value too long to write out).
 *
 * Owns: the hash and its lowercase hex form.
 * Must not: read files (callers hand it bytes).  */
#ifndef OCG_SHA256_H
#define OCG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE (2 * SHA256_DIGEST_SIZE + 1)

struct sha256_ctx
{
  uint32_t h[8];
  uint64_t total; /* bytes hashed so far */
  uint8_t block[64];
  size_t used; /* bytes waiting in block */
};

void sha256_init (struct sha256_ctx *ctx);
void sha256_update (struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final (struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
/* The digest as 64 lowercase hex digits and a NUL.  */
void sha256_final_hex (struct sha256_ctx *ctx, char out[SHA256_HEX_SIZE]);

/* The digest of buf[0..len) as 64 lowercase hex digits and a NUL.  */
void sha256_hex (const void *buf, size_t len, char out[SHA256_HEX_SIZE]);

#endif
