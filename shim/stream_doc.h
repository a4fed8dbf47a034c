/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Documents that arrive through a descriptor ocigate inherited: `update --resources -` (stdin)
 * and a file named /dev/fd/N (`exec -p <(...)`, a shell's process substitution: a pipe).
 *
 * Owns: recognising such a name by what the runtime will open, reading the bytes once, and
 * putting exactly those bytes (or the judged rewrite of them) back under the same descriptor
 * number, so that the runtime reads what was judged and nothing is lost.
 * Must not: parse or judge.  */
#ifndef OCG_STREAM_DOC_H
#define OCG_STREAM_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct stream_doc
{
  int fd;      /* the descriptor the runtime reads, -1 when unused */
  int memfd;   /* every byte read, ready to be put at fd */
  char *bytes; /* the first bytes, NUL-terminated, for parsing (len of them) */
  size_t len;
  bool too_big; /* more than the cap arrived: bytes holds only the cap + 1 */
  /* Where the descriptor handed on must stand, so that whoever reads it after the runtime (the
   * exec'd process, for stdin) sees what it would have seen: 0 when the runtime reads through it
   * (stdin); at the end for a pipe the runtime reopens (it drained it); the caller's offset for a
   * regular file the runtime reopens (its own open starts at 0, ours was untouched).  -1: the
   * end.  */
  off_t hand_on_offset;
};

#define STREAM_DOC_INIT                                                                            \
  {                                                                                                \
    .fd = -1, .memfd = -1                                                                          \
  }

/* The descriptor a path names when the runtime will open one of ours through it: /dev/fd/N
 * (only while /dev/fd is the usual root-owned link to /proc/self/fd), /proc/self/fd/N,
 * /proc/thread-self/fd/N, /dev/stdin; -1 for anything else.  */
int stream_doc_fd_of_path (const char *path);

/* Read fd to its end.  `reopen`: the runtime opens the name anew (os.Open), which for a regular
 * file starts at offset 0 and for a pipe continues where it is; without it the runtime reads on
 * from the descriptor (os.Stdin).  Every byte goes to d->memfd; at most max_bytes + 1 are kept in
 * d->bytes.  */
OCG_MUST_CHECK
int stream_doc_read (struct stream_doc *d, int fd, bool reopen, size_t max_bytes, ocg_error_t *err);

/* Put the bytes back at d->fd for the runtime: `replacement` when not NULL (a judged rewrite),
 * else every byte read.  */
OCG_MUST_CHECK
int stream_doc_hand_on (struct stream_doc *d, const char *replacement, size_t len,
                        ocg_error_t *err);

void stream_doc_release (struct stream_doc *d);

#endif
