/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading ocigate's audit trail back (the records shim/audit.c writes, one JSON object a line).
 *
 * A reader of a trail meets records of several versions of ocigate: members may be added (a host
 * name, a version, a policy digest, finer timestamps), and a finding may be an object with a
 * "rule" or, shortened, the rule id alone.  Only the members below are read, each optional;
 * anything else is ignored, and a line that is not a JSON object is skipped and counted.
 *
 * Owns: parsing one line into a trail_record, reading a file or stdin line by line.
 * Must not: decide anything about a container.  */
#ifndef OCG_AUDIT_TRAIL_H
#define OCG_AUDIT_TRAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "json.h"

/* A line longer than this is not one of ours (a record is a few KiB).  */
#define TRAIL_LINE_MAX (1024u * 1024u)

struct trail_record
{
  const char *verb, *container, *mode, *verdict, *policy, *time, *host, *error; /* or NULL */
  bool executed;                        /* false when absent */
  const struct json_node *workload;     /* the engine-set identity object, or NULL */
  char **denied, **rewritten, **warned; /* rule ids, one per finding (repeats kept), NULL-ended */
  char **exemptions;                    /* names applied, NULL-terminated */
  struct json_node *root;               /* owns every borrowed string above */
};

/* Parse one line.  -1 when it is not an object (the caller counts it); 0 otherwise.  */
int trail_record_parse (const char *line, size_t len, struct trail_record *out);
void trail_record_release (struct trail_record *r);

/* A create, run or restore that reached the runtime: the record that says a container was
 * judged by ocigate when it was made.  */
bool trail_record_is_creation (const struct trail_record *r);

/* Call `fn` for each record of the stream (lines that do not parse are counted in *skipped).  A
 * read error fails with *err.  */
int trail_read (FILE *f, const char *name, void (*fn) (void *ctx, const struct trail_record *r),
                void *ctx, size_t *skipped, ocg_error_t *err);

#endif
