/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File I/O for documents ocigate judges and rewrites: bounded reads relative to a directory fd,
 * an atomic, durable replace that keeps the original's mode and owner (and, for a bundle's
 * config, the replaced file itself, linked under a hidden name), and the one rule for who may
 * have written a file ocigate trusts.
 *
 * Owns: every open/read/write/rename of a bundle file, and the ownership check of every file and
 * directory ocigate trusts (policy files, bundles, the directories a bind source or a root
 * filesystem is reached through, runtime state).
 * Must not: parse, decide policy, log.  */
#ifndef OCG_FSUTIL_H
#define OCG_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "err.h"

/* Who may own a file or directory ocigate trusts; nobody else may be able to write it.  Root
 * always.  The callers differ in whom else they trust, and say why:
 *  - `euid`: ocigate's effective uid -- whoever runs ocigate can run the runtime itself, so a
 *    bundle, a runtime's state or a path handed over by that caller proves nothing more when
 *    that caller owns it.  Not for the policy files: they decide what runs as root, and must be
 *    root's even when ocigate runs as someone else;
 *  - `also`: one more uid, or (uid_t)-1 -- the container's own mapped root, which owns its bundle
 *    (Podman --uidmap) and its image layers (Docker userns-remap);
 *  - `sticky`: a directory writable by group or others is trusted as far as its entries' owners
 *    are when it has the sticky bit (/tmp): nobody but an entry's owner (or the directory's) can
 *    rename or remove the entry (fs/namei.c may_delete).  The caller then checks that owner.  */
struct fs_trust
{
  bool euid;
  uid_t also;
  bool sticky;
};

enum fs_verdict
{
  FS_TRUSTED,
  FS_STICKY,      /* a shared sticky directory: trusted if its entry's owner is */
  FS_OTHER_OWNER, /* owned by a uid the caller does not trust */
  FS_SHARED,      /* writable by group or others */
};

bool fsutil_owner_trusted (uid_t uid, const struct fs_trust *trust);
enum fs_verdict fsutil_trust (const struct stat *st, const struct fs_trust *trust);

/* Read `name` relative to dirfd (AT_FDCWD allowed).  Opened with O_NOFOLLOW (a symlink as the last
 * component is refused) and O_NONBLOCK (a FIFO cannot block us), then it must be a regular file of
 * at most max_bytes; the cap also holds if the file grows while we read it.  Returns a malloc'd,
 * NUL-terminated buffer (length in *len), or NULL.  */
OCG_MUST_CHECK
char *fsutil_read_at (int dirfd, const char *name, size_t max_bytes, size_t *len, ocg_error_t *err);

/* Read fd to its end (stdin for `update --resources -`), refusing more than max_bytes.  `name` is
 * for messages.  Same result contract as fsutil_read_at.  */
OCG_MUST_CHECK
char *fsutil_read_fd (int fd, const char *name, size_t max_bytes, size_t *len, ocg_error_t *err);

/* Atomically replace the regular file `name` (a single path component) in dirfd with buf[0..len):
 * temp file `.<name>.XXXXXX` created in the same directory with O_CREAT|O_EXCL|O_NOFOLLOW, given
 * the original's owner and mode, written whole, fsync'd, swapped in with renameat2, and the
 * directory fsync'd.  On any failure the temp file is unlinked and `name` still holds the
 * original bytes.  Returns 0 or -1.  */
/* Write all of buf, retrying EINTR and short writes; a write of zero bytes is EIO.  Returns 0, or
 * -1 with errno set (no error object: callers add their own context).  The test fault hook
 * applies to each write(2).  */
int fsutil_write_all (int fd, const void *buf, size_t len);

OCG_MUST_CHECK
int fsutil_atomic_replace_at (int dirfd, const char *name, const void *buf, size_t len,
                              ocg_error_t *err);

/* The same replace without either fsync: atomic for every reader (rename(2) swaps the whole file
 * in; a reader sees the old bytes or the new ones, never a mix), but not durable across a crash.
 * For the documents of a runtime call (config.json, process.json), which never need to outlive
 * a reboot: the engines keep their bundles under /run (containerd's runtime/v2 bundle.go
 * NewBundle: the state directory; CRI-O's runroot) or write config.json anew before every start
 * (libpod container_internal.go init -> saveSpec), and the container the bytes were for does
 * not survive the reboot either.  The two fsyncs cost a create hundreds of milliseconds under
 * background disk writes (the journal commit they wait for carries everyone's dirty data).  */
int fsutil_replace_at (int dirfd, const char *name, const void *buf, size_t len, ocg_error_t *err);

/* Writes the new contents into fd, the temp file (fsutil_write_all, whose fault hook then
 * applies); returns 0, or -1 with err set.  */
typedef int (*fsutil_fill_fn) (int fd, void *ctx, ocg_error_t *err);

/* fsutil_replace_at with the contents written by fill rather than taken from one buffer: for a
 * writer that streams (spec_write_at), so that a large document is never held whole.  A fill
 * that fails is a failed replace: the temp file is unlinked, `name` untouched.  */
OCG_MUST_CHECK
int fsutil_replace_with_at (int dirfd, const char *name, fsutil_fill_fn fill, void *ctx,
                            ocg_error_t *err);

/* How many replaced configs a directory keeps (fsutil_keep_at), and how long after it was kept one
 * may be dropped to make room.  */
#define FSUTIL_KEEP_SLOTS 4
#define FSUTIL_KEEP_CLEAN_SECONDS 60

/* Before fsutil_replace_at (dirfd, name, ...): give the file `name` a second link,
 * `.<name>.ocigate-orig.<N>` (N < FSUTIL_KEEP_SLOTS), so that the replace's unlink of the old
 * file drops a link and not the inode.  Dropping the last link evicts the inode, and eviction
 * waits for the disk: for the writeback under way on its pages (ext4_evict_inode ->
 * truncate_inode_pages_range -> folio_wait_writeback), then to free its blocks (ext4_free_blocks:
 * a journal handle; on an ext4 mounted with `discard` and no journal, a synchronous
 * blkdev_issue_discard).  Both queue behind other writers' I/O: up to 0.1 s while they fill the
 * page cache (kernel stacks sampled from creates on a two-core VM whose root filesystem is
 * such an ext4), when the engine's file is being written back already (an engine that truncates
 * and rewrites it starts that at close: ext4's auto_da_alloc) or has its blocks allocated.  The
 * kept inode is evicted later, by whoever removes the directory.
 *
 * A slot is taken when free.  When none is, the oldest one whose ctime (set when it was kept) is
 * before `clean_before` is unlinked and reused: its writeback finished long ago (the kernel
 * writes dirty pages back once they are dirty_expire_centisecs old, 30 s by default), so dropping
 * it waits only to free its blocks -- not nothing under heavy writes (measured on that VM, a
 * 16 KiB file written a minute before, p50 1.6 ms, p90 19 ms), but less than a file in flight.  A
 * slot that is not a regular file is left alone.  Best effort: returns the slot, or -1 (every slot
 * kept too recently, a name too long, linkat(2) failed), and then the replace drops the old file as
 * before.  Nothing here changes what `name` holds.  */
int fsutil_keep_at (int dirfd, const char *name, time_t clean_before);

/* FOR TESTS ONLY: the steps of fsutil_atomic_replace_at at which a failure can be injected.  */
enum fsutil_step
{
  FSUTIL_STEP_OPEN,    /* create the temp file */
  FSUTIL_STEP_WRITE,   /* each write(2) */
  FSUTIL_STEP_FSYNC,   /* fsync the temp file */
  FSUTIL_STEP_RENAME,  /* swap it in */
  FSUTIL_STEP_DIRSYNC, /* fsync the directory */
};

/* FOR TESTS ONLY (tests/unit/test_fsutil.c): when set, called before each step; a non-zero return
 * is an errno value that step then fails with, as if the system call had.  Production code never
 * sets it.  */
extern int (*fsutil_fault_hook) (enum fsutil_step step);

#endif
