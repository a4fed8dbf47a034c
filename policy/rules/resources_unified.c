/* SPDX-License-Identifier: GPL-2.0-or-later */
/* resource-limits: the cgroup v2 `unified` map, read as the kernel reads the files it writes.
 *
 * Owns: parsing a `memory.max` / `pids.max` value the way the kernel does (memparse with
 * suffixes, kstrtoll base 0, "max") and judging it against the policy maximum.  Must not: do
 * I/O.  */
#include <config.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "resources_limits.h"
#include "spec.h"
#include "util.h"

static unsigned
digit_value (char c)
{
  if (c >= '0' && c <= '9')
    return (unsigned)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (unsigned)(c - 'a' + 10);
  if (c >= 'A' && c <= 'F')
    return (unsigned)(c - 'A' + 10);
  return 99;
}

/* memparse's suffixes (lib/cmdline.c): K, M, G, T, P, E in either case.  0 when c is none.  */
static unsigned
suffix_shift (char c)
{
  const char *suffixes = "KMGTPE";
  const char *p = c != '\0' ? strchr (suffixes, toupper ((unsigned char)c)) : NULL;
  return p != NULL ? 10u * (unsigned)(p - suffixes + 1) : 0;
}

/* Parse a number in C notation (the kernel's base 0: 0x hex, leading 0 octal) from [s, end),
 * refusing overflow where the kernel would silently wrap.  Returns the first unparsed char.  */
static const char *
parse_c_number (const char *s, const char *end, uint64_t *out, bool *ok)
{
  unsigned base = 10;
  uint64_t v = 0;
  const char *digits;

  if (s < end && *s == '0')
    base = 8;
  if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value (s[2]) < 16)
    {
      base = 16;
      s += 2;
    }
  for (digits = s; s < end && digit_value (*s) < base; s++)
    {
      unsigned d = digit_value (*s);
      if (v > (UINT64_MAX - d) / base)
        break;
      v = v * base + d;
    }
  *ok = s != digits;
  *out = v;
  return s;
}

/* A value for a cgroup v2 limit file as the kernel reads it after strstrip(): "max", or a
 * number (memory.max: memparse with suffixes; pids.max: kstrtoll base 0).  False when the kernel
 * would refuse it -- or silently wrap it: memparse does not check overflow, so a huge value can
 * land as a small one, or as 0.  */
static bool
cgroup_value_parse (const char *s, bool suffixes, uint64_t *out, bool *is_max)
{
  const char *end = s + strlen (s);
  bool ok = false;

  while (s < end && isspace ((unsigned char)*s))
    s++;
  while (end > s && isspace ((unsigned char)end[-1]))
    end--;
  *is_max = end - s == 3 && memcmp (s, "max", 3) == 0;
  if (*is_max)
    return true;
  if (!suffixes && s < end && *s == '+')
    s++;
  s = parse_c_number (s, end, out, &ok);
  if (ok && suffixes && s < end && suffix_shift (*s) != 0)
    {
      unsigned shift = suffix_shift (*s++);
      ok = *out <= (UINT64_MAX >> shift);
      *out <<= ok ? shift : 0;
    }
  return ok && s == end;
}

/* cgroup v2 `unified` entries are written after the regular limits and override them
 * (libcontainer/cgroups/fs2/fs2.go setUnified), so `"memory.max": "max"` undoes the limit.  */
void
resources_check_unified (const struct rule_ctx *ctx, struct findings *out, const struct limit *l)
{
  cleanup_free char *unified = resources_path (ctx->spec, "/unified");
  cleanup_free char *path = spec_ptr_join (unified, l->unified_key);
  cleanup_free char *shown = NULL;
  const char *s = NULL;
  uint64_t v = 0;
  bool is_max = false;

  if (!spec_get_string (ctx->spec, path, &s) || !resources_limit_configured (l))
    return;
  shown = json_quote_key (s);
  if (!cgroup_value_parse (s, l->suffixes, &v, &is_max))
    finding_add (out, ctx, path, false, "unified `%s` value `%s` is not a valid limit",
                 l->unified_key, shown);
  else if (is_max)
    finding_add (out, ctx, path, false, "unified `%s` = `max` overrides the %s limit",
                 l->unified_key, l->name);
  else if (l->max > 0 && v > (uint64_t)l->max)
    finding_add (out, ctx, path, false,
                 "unified `%s` = `%s` is above the policy maximum `%" PRId64 "`", l->unified_key,
                 shown, l->max);
  else if (l->host > 0 && v > l->host)
    finding_add (out, ctx, path, false,
                 "unified `%s` = `%s` is above %s (%" PRIu64 "): not a limit", l->unified_key,
                 shown, l->host_what, l->host);
}
