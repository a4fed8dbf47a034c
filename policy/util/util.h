/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cleanup attributes, allocation that aborts on OOM, and small string helpers.
 *
 * ocigate lives for milliseconds, so an allocation failure aborts (as crun and bubblewrap do)
 * instead of threading ENOMEM through every caller.  Every cleanup variable is initialised where
 * it is declared; steal_pointer() transfers ownership out of one.  */
#ifndef OCG_UTIL_H
#define OCG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__ ((noreturn)) void ocg_oom (void);

void *xmalloc (size_t size) __attribute__ ((malloc, returns_nonnull));
void *xzalloc (size_t size) __attribute__ ((malloc, returns_nonnull));
void *xrealloc (void *p, size_t size) __attribute__ ((returns_nonnull));
void *xreallocarray (void *p, size_t n, size_t size) __attribute__ ((returns_nonnull));
char *xstrdup (const char *s) __attribute__ ((malloc, returns_nonnull));
char *xstrndup (const char *s, size_t n) __attribute__ ((malloc, returns_nonnull));
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2), returns_nonnull));

static inline void
cleanup_freep (void *p)
{
  void **pp = (void **)p;
  free (*pp);
}

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    close (*fd);
}

static inline void
cleanup_filep (FILE **f)
{
  if (*f != NULL)
    fclose (*f);
}

/* String vectors: NULL-terminated arrays of strings.  The readers take `const char *const *`
 * (a `char **` needs a cast, as C gives no implicit one) and read a NULL vector as empty.  */
size_t strv_length (const char *const *v);
bool strv_contains (const char *const *v, const char *s);
/* A malloc'd copy of every string (NULL for NULL), owned by the caller: strv_free.  */
char **strv_dup (const char *const *v);
/* Append a copy of s to the malloc'd vector *v (NULL is an empty one).  */
void strv_add (char ***v, const char *s);

/* Frees a NULL-terminated vector of strings.  */
static inline void
strv_free (char **v)
{
  if (v == NULL)
    return;
  for (char **p = v; *p != NULL; p++)
    free (*p);
  free (v);
}

static inline void
cleanup_strvp (char ***v)
{
  strv_free (*v);
}

#define cleanup_free __attribute__ ((cleanup (cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_file __attribute__ ((cleanup (cleanup_filep)))
#define cleanup_strv __attribute__ ((cleanup (cleanup_strvp)))

/* Return *pp and set it to NULL: hands ownership out of a cleanup variable.  The typeof keeps it
 * type-checked (bubblewrap's steal_pointer).  */
#define steal_pointer(pp)                                                                          \
  ({                                                                                               \
    __typeof__ (*(pp)) steal_tmp_ = *(pp);                                                         \
    *(pp) = NULL;                                                                                  \
    steal_tmp_;                                                                                    \
  })

#define steal_fd(fdp)                                                                              \
  ({                                                                                               \
    int steal_fd_tmp_ = *(fdp);                                                                    \
    *(fdp) = -1;                                                                                   \
    steal_fd_tmp_;                                                                                 \
  })

static inline bool
str_eq (const char *a, const char *b)
{
  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

static inline bool
str_has_prefix (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

#define ARRAY_SIZE(a) (sizeof (a) / sizeof ((a)[0]))

#endif
