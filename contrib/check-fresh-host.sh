#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Does the test command pass on a Debian 12 machine that has never seen the project?  Builds one
# with `debootstrap --variant=minbase bookworm` (none of contrib/setup-host.sh's packages but the
# essential util-linux), clones this repository's HEAD into it, and runs, inside it,
# contrib/setup-host.sh and then tests/run-all.sh -- the whole suite, the real engines included.
# Run it after adding a package to setup-host.sh's list.  As root; needs debootstrap and about
# 2 GiB; takes 15-25 minutes.
#
#   contrib/check-fresh-host.sh [WORKDIR]     (default: a new /var/tmp/ocg-fresh-host.XXXXXX)
#
# The tree becomes the root of a private mount namespace with pivot_root, not a chroot: the kernel
# refuses user namespaces to a chrooted process (user_namespaces(7): EPERM), and runc needs its
# root to be a mount point.  It shares the host's kernel, cgroups and /dev, as a container does.
# Every mount disappears with the namespace; the tree is removed at the end unless KEEP=1.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d /var/tmp/ocg-fresh-host.XXXXXX)}
ROOTFS=$WORK/rootfs
MIRROR=${MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" -eq 0 ] || { echo "check-fresh-host: needs root" >&2; exit 2; }
mkdir -p "$WORK"
command -v debootstrap >/dev/null || { echo "check-fresh-host: apt-get install debootstrap" >&2; exit 2; }
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$ROOTFS"; }
trap cleanup EXIT

echo "== debootstrap bookworm into $ROOTFS (log: $WORK/debootstrap.log)"
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
git clone -q "$SRC" "$ROOTFS/src/ocigate"
git -C "$ROOTFS/src/ocigate" checkout -q "$(git -C "$SRC" rev-parse HEAD)"

# In a private mount namespace: the tree bound onto itself (a mount point), /proc, /sys, /dev and
# a fresh /run, then pivot_root into it and detach the host's root.
echo "== setup-host.sh, then run-all.sh, inside it (logs: $WORK/setup-host.log, $WORK/run-all.log)"
unshare --mount --propagation private bash -euc '
R=$1 WORK=$2
mount --bind "$R" "$R"
mount -t proc proc "$R/proc"
mount --rbind /sys "$R/sys"
mount --rbind /dev "$R/dev"
mount -t tmpfs -o mode=0755 tmpfs "$R/run"
mkdir -p "$R/.oldroot" "$R/.work"
mount --bind "$WORK" "$R/.work"
cd "$R"
pivot_root . .oldroot
umount -l /.oldroot
cd /src/ocigate
in_tree() { env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 "$@"; }
echo "packages before: $(dpkg-query -W -f="\${Package}\n" | wc -l)"
in_tree bash contrib/setup-host.sh >/.work/setup-host.log 2>&1
echo "packages after setup-host.sh: $(dpkg-query -W -f="\${Package}\n" | wc -l)"
in_tree bash tests/run-all.sh >/.work/run-all.log 2>&1 || true
tail -n 1 /.work/run-all.log
' check-fresh-host "$ROOTFS" "$WORK"
tail -n 1 "$WORK/run-all.log" | grep -qE '^[0-9]+ passed, 0 failed$'
