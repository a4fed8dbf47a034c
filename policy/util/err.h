/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The error object (crun's contract, trimmed).
 *
 * A fallible function returns 0 / a pointer on success and -1 / NULL on failure, and takes
 * `ocg_error_t *err` as its LAST parameter.  On failure it fills *err; on success it leaves *err
 * alone.  A policy denial is NOT an error: rules return findings, which are data.  Errors are for
 * broken input and failed I/O, and every error ends in "never exec the runtime" (fail closed).
 *
 * Messages are lowercase, have no final period, put values in backticks, and never contain
 * strerror(): the printer appends it from `status` (an errno value, or 0).  */
#ifndef OCG_ERR_H
#define OCG_ERR_H

struct ocg_error_s
{
  int status; /* errno value or 0 */
  char *msg;
};
typedef struct ocg_error_s *ocg_error_t;

/* Record an error in *err (freeing any earlier one) and return -1, so that a failure is one
 * `return ocg_error_set (err, errno, "open `%s`", path);`.  */
int ocg_error_set (ocg_error_t *err, int status, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Prefix the message in *err with context at a module boundary ("load `config.json`").  Returns
 * -1.  */
int ocg_error_wrap (ocg_error_t *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

/* Before the declaration of a fallible function (one that returns -1 or NULL and fills *err): a
 * caller that drops its result is a compile error, since the failure would go unseen.  Not on
 * ocg_error_set and ocg_error_wrap, nor on an exec that returns only on failure: they always
 * return -1 (`return ocg_error_set (...);`, `return ocg_error_set (...), NULL;`), so there is
 * nothing to check.  */
#define OCG_MUST_CHECK __attribute__ ((warn_unused_result))

/* Drop the result of an OCG_MUST_CHECK function on purpose, with the reason beside it (gnulib's
 * ignore_value: gcc does not take a (void) cast as a use of a warn_unused_result value).  */
#define ocg_ignore_result(x)                                                                       \
  (__extension__({                                                                                 \
    __typeof__ (x) ocg_ignored_ = (x);                                                             \
    (void)ocg_ignored_;                                                                            \
  }))

/* "msg: strerror(status)" (or just msg), newly allocated.  */
char *ocg_error_text (const ocg_error_t err);

void ocg_error_free (ocg_error_t *err);

#define cleanup_error __attribute__ ((cleanup (ocg_error_free)))

#endif
