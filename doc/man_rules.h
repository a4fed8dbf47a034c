/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The generator of ocigate-rules(7): the rule table as a manual page, made at build time from
 * the table compiled into libocigate.a, so the page cannot drift from what ocigate checks.
 *
 * man_rules.c writes the page; man_rule_params.c is the one place that knows where a rule's
 * parameters are declared and how to read a built-in profile's value of each.  */
#ifndef OCG_MAN_RULES_H
#define OCG_MAN_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "policy.h"

/* One parameter, `rules.<rule>.<key>` in a policy file, as the page shows it.  */
struct man_param
{
  const char *key;
  const char *type; /* what a policy file must give: "a list of absolute paths" */
  char *bounds;     /* "-1000 to 1000", or NULL when the type says it all */
  bool list;        /* a list: values[j] holds its elements; otherwise values[j][0] is the value */
  char ***values;   /* one NULL-terminated vector per profile passed to man_rule_params */
};

/* The parameters of `rule`, in the order `ocigate policy show` lists them, with the value each of
 * profiles[0..n_profiles) gives them (the rule's own default where the profile sets none).
 * *out gets a malloc'd array (NULL when the rule has none); returns its length.  */
size_t man_rule_params (const struct rule *rule, struct policy *const *profiles, size_t n_profiles,
                        struct man_param **out);
void man_params_free (struct man_param *params, size_t n, size_t n_profiles);

#endif
