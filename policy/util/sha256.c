/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 as FIPS 180-4 section 6.2 defines it (see sha256.h).  */
#include <config.h>

#include <string.h>

#include "sha256.h"

static const uint32_t k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t
ror (uint32_t x, unsigned n)
{
  return (x >> n) | (x << (32 - n));
}

static void
schedule (const uint8_t *p, uint32_t w[64])
{
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8
           | (uint32_t)p[4 * t + 3];
  for (int t = 16; t < 64; t++)
    {
      uint32_t s0 = ror (w[t - 15], 7) ^ ror (w[t - 15], 18) ^ (w[t - 15] >> 3);
      uint32_t s1 = ror (w[t - 2], 17) ^ ror (w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
}

/* One round on the working variables a..h, kept in registers: the variables do not move, their
 * roles do (the caller passes them rotated), so a round costs its arithmetic and nothing else.  */
#define ROUND(a, b, c, d, e, f, g, h, t)                                                           \
  do                                                                                               \
    {                                                                                              \
      uint32_t t1                                                                                  \
          = h + (ror (e, 6) ^ ror (e, 11) ^ ror (e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t];     \
      uint32_t t2 = (ror (a, 2) ^ ror (a, 13) ^ ror (a, 22)) + ((a & b) ^ (a & c) ^ (b & c));      \
      d += t1;                                                                                     \
      h = t1 + t2;                                                                                 \
    }                                                                                              \
  while (0)

static void
compress (struct sha256_ctx *ctx, const uint8_t *p)
{
  uint32_t w[64];
  uint32_t a = ctx->h[0], b = ctx->h[1], c = ctx->h[2], d = ctx->h[3];
  uint32_t e = ctx->h[4], f = ctx->h[5], g = ctx->h[6], h = ctx->h[7];

  schedule (p, w);
  for (int t = 0; t < 64; t += 8)
    {
      ROUND (a, b, c, d, e, f, g, h, t);
      ROUND (h, a, b, c, d, e, f, g, t + 1);
      ROUND (g, h, a, b, c, d, e, f, t + 2);
      ROUND (f, g, h, a, b, c, d, e, t + 3);
      ROUND (e, f, g, h, a, b, c, d, t + 4);
      ROUND (d, e, f, g, h, a, b, c, t + 5);
      ROUND (c, d, e, f, g, h, a, b, t + 6);
      ROUND (b, c, d, e, f, g, h, a, t + 7);
    }
  ctx->h[0] += a;
  ctx->h[1] += b;
  ctx->h[2] += c;
  ctx->h[3] += d;
  ctx->h[4] += e;
  ctx->h[5] += f;
  ctx->h[6] += g;
  ctx->h[7] += h;
}

void
sha256_init (struct sha256_ctx *ctx)
{
  static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

  memcpy (ctx->h, h0, sizeof (h0));
  ctx->total = 0;
  ctx->used = 0;
}

void
sha256_update (struct sha256_ctx *ctx, const void *data, size_t len)
{
  const uint8_t *p = data;
  size_t take;

  ctx->total += len;
  if (ctx->used > 0)
    {
      take = 64 - ctx->used < len ? 64 - ctx->used : len;
      memcpy (ctx->block + ctx->used, p, take);
      ctx->used += take;
      p += take;
      len -= take;
      if (ctx->used < 64)
        return;
      compress (ctx, ctx->block);
      ctx->used = 0;
    }
  /* Whole blocks straight from the input, without copying them into ctx->block first.  */
  for (; len >= 64; p += 64, len -= 64)
    compress (ctx, p);
  memcpy (ctx->block, p, len);
  ctx->used = len;
}

void
sha256_final (struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
  uint64_t bits = ctx->total * 8;
  uint8_t pad[72] = { 0x80 };
  size_t padlen = (ctx->used < 56 ? 56 : 120) - ctx->used;

  for (int i = 0; i < 8; i++)
    pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update (ctx, pad, padlen + 8);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++)
      out[4 * i + j] = (uint8_t)(ctx->h[i] >> (24 - 8 * j));
}

void
sha256_final_hex (struct sha256_ctx *ctx, char out[SHA256_HEX_SIZE])
{
  static const char hex[] = "0123456789abcdef";
  uint8_t d[SHA256_DIGEST_SIZE];

  sha256_final (ctx, d);
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
    {
      out[2 * i] = hex[d[i] >> 4];
      out[2 * i + 1] = hex[d[i] & 15];
    }
  out[2 * SHA256_DIGEST_SIZE] = '\0';
}

void
sha256_hex (const void *buf, size_t len, char out[SHA256_HEX_SIZE])
{
  struct sha256_ctx ctx;

  sha256_init (&ctx);
  sha256_update (&ctx, buf, len);
  sha256_final_hex (&ctx, out);
}
