/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate check`: judge a config as `create` would, without running or changing anything.
 *
 * Owns: loading the policy and the document for one path, judging it with the real host facts
 * or with none (--portable), and the decision record.
 * Must not: print (cmd/check.c and cmd/check_report.c do), write the document or the audit
 * trail, or be reached from a policed verb: the portable facts are for this command alone.  */
#ifndef OCG_POLICE_CHECK_H
#define OCG_POLICE_CHECK_H

#include <stdbool.h>

#include "argv.h"
#include "document.h"
#include "engine.h"
#include "json.h"

struct police_check_options
{
  const char *profile;      /* the profile the invoked name `ocigate-NAME` selects, or NULL */
  const char *container_id; /* judge as the create of this container (its own engine files) */
  bool portable;            /* judge the spec alone: the node's facts become notes */
};

/* One judged path.  */
struct police_check
{
  struct document doc;
  struct policy *policy;
  char **exemptions;
  struct host_facts host;
  struct call call;
  struct decision decision;
  struct json_node *original; /* the document as read, with its source positions */
  char *record;               /* the decision record, one JSON line (the audit trail's shape) */
};

#define POLICE_CHECK_INIT                                                                          \
  {                                                                                                \
    .doc = DOCUMENT_INIT                                                                           \
  }

/* Judge `target` (a bundle directory, a config file, or `-` for stdin) under the policy that
 * `inv`'s --ocigate-* flags select.  0, or -1 with *err when it could not be judged.  */
int police_check_judge (const struct runc_invocation *inv, const char *target,
                        const struct police_check_options *opts, struct police_check *out,
                        ocg_error_t *err);

/* The exit status of a judged path: 1 when the node would refuse it (denied in enforce mode),
 * else 0 (audit mode runs what it would deny).  */
int police_check_status (const struct police_check *c);

void police_check_release (struct police_check *c);

#endif
