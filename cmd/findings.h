/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ocigate doctor`'s findings: the catalogue of checks (stable ids, titles, CIS Docker Benchmark
 * v1.6.0 ids, help text) and the list of findings one run produces.
 *
 * A finding is one fact about the host with a severity: `high` (a route around ocigate, a
 * container that never went through it, a setting that makes every container start fail, or a
 * host setting that hands root to others), `medium`, `low` (advisory hardening), `info` (what
 * was checked and found in order).  Host findings are advisory only: nothing here ever blocks a
 * container.
 *
 * Owns: the catalogue (doctor_checks.c) and the list.
 * Must not: print (doctor_report.c does), or look at the host.  */
#ifndef OCG_FINDINGS_H
#define OCG_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

enum severity
{
  SEV_INFO,
  SEV_LOW,
  SEV_MEDIUM,
  SEV_HIGH,
  SEV_COUNT,
};

struct doctor_check
{
  const char *id;    /* stable: "docker.runc-path" */
  const char *title; /* one line */
  const char *cis;   /* CIS Docker Benchmark v1.6.0 recommendation ("3.16"), or NULL */
  const char *help;  /* why it matters and how to fix it */
};

struct doctor_finding
{
  const struct doctor_check *check;
  enum severity severity;
  char *subject;  /* what it is about: "docker", "containerd", "docker container 4f2a..." */
  char *message;  /* one or more sentences */
  char *fix;      /* the exact command or edit that closes it, or NULL */
  char *location; /* the file it is about, or NULL */
};

struct findings_list
{
  struct doctor_finding *items;
  size_t n;
};

/* The catalogue, in the order the report prints sections.  */
extern const struct doctor_check doctor_checks[];
extern const size_t doctor_n_checks;

/* The check with this id; aborts on an unknown id (a programming error, caught by the tests).  */
const struct doctor_check *doctor_check_get (const char *id);

const char *severity_name (enum severity s);

/* Add a finding.  `fix` and `location` may be NULL.  */
void findings_add (struct findings_list *l, const char *id, enum severity sev, const char *subject,
                   const char *location, const char *fix, const char *fmt, ...)
    __attribute__ ((format (printf, 7, 8)));

/* How many findings have this severity.  */
size_t findings_count (const struct findings_list *l, enum severity s);

/* Order by severity (high first), then catalogue order, then subject: the report's order.  */
void findings_sort (struct findings_list *l);

void findings_release (struct findings_list *l);

#endif
