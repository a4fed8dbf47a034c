/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Is the file a route reaches this ocigate, a copy of some ocigate, or another program?
 *
 * By identity first: the same device and inode as /proc/self/exe (a symlink, a hard link or a
 * bind mount of ocigate all are ocigate itself).  A different file is told apart by its bytes:
 * identical to ours (a copy of this build), or carrying the marker every ocigate build has
 * (`OCIGATE_LOOP_GUARD`, the loop guard's variable name, in every build since the first; and
 * since this one also `ocigate-ident:VERSION:`), or none of it.
 *
 * Owns: that classification and the ident marker.
 * Must not: execute the file it looks at.  */
#ifndef OCG_BINID_H
#define OCG_BINID_H

#include <stdbool.h>
#include <sys/types.h>

#include "sha256.h"

enum binid_kind
{
  BINID_MISSING,    /* nothing there */
  BINID_SELF,       /* this very ocigate (same device and inode) */
  BINID_COPY_SAME,  /* another file with exactly our bytes */
  BINID_COPY_OTHER, /* another ocigate build: older, newer or changed */
  BINID_OTHER,      /* not ocigate */
};

struct binid
{
  enum binid_kind kind;
  char *version; /* BINID_COPY_OTHER: the version its marker names, or NULL (a build without one) */
  int order;     /* BINID_COPY_OTHER: <0 older than ours, 0 same version, >0 newer */
  char sha256[SHA256_HEX_SIZE]; /* of the file, when it was read ("" otherwise) */
};

void binid_release (struct binid *b);

/* The version marker compiled into this binary ("ocigate-ident:0.1.0:").  */
extern const char binid_marker[];

/* Classify the file `fd` is open on (O_PATH is enough: it is reopened through /proc/self/fd, so
 * a file found in another process's root is read as that process would run it).  */
void binid_classify_fd (int fd, struct binid *out);

/* Classify the file at `path` (symlinks followed) in our own view.  */
void binid_classify_path (const char *path, struct binid *out);

/* Our own executable's path (readlink /proc/self/exe), malloc'd, or NULL.  */
char *binid_self_path (void);

/* Compare dotted versions numerically ("0.1.10" > "0.1.9").  */
int binid_version_cmp (const char *a, const char *b);

/* "this ocigate", "a copy of this ocigate", "an older ocigate (0.0.9)", "not ocigate", ...
 * malloc'd, for messages.  */
char *binid_describe (const struct binid *b);

#endif
