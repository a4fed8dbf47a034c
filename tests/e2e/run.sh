#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end tests with the real engines from Debian's packages as ocigate's clients:
# Docker 20.10, containerd 1.6 + ctr, containerd 1.6's CRI plugin driven as the kubelet drives it
# (also through contrib/kubernetes's installer), Podman 4.3 (installed when missing, daemons kept
# private).
#
#   tests/e2e/run.sh [FILE.bats...]      (as root; default: every tests/e2e/*.bats)
#
#   OCIGATE   the ocigate binary under test (default: _build/gcc/ocigate, run-all.sh's build)
#   E2E_KEEP  keep the work dir (logs, daemon configs, audit trails) for inspection
#
# Writes one TAP stream (bats --tap) on stdout and a summary line on stderr; exits non-zero if a
# test failed.  A file whose engine package cannot be installed reports its tests as skipped.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
OCIGATE=${OCIGATE:-$SRC/_build/gcc/ocigate}
case "$OCIGATE" in /*) ;; *) OCIGATE=$PWD/$OCIGATE ;; esac
export OCIGATE

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # skip e2e tests need root"
	exit 0
fi
command -v bats >/dev/null || {
	echo "e2e: bats is not installed" >&2
	exit 2
}

files=("$@")
[ "${#files[@]}" -gt 0 ] || files=("$HERE"/*.bats)

E2E_DIR=$(mktemp -d /tmp/ocg-e2e.XXXXXX)
export E2E_DIR
# lib.bash's cleanup helpers, for the same cleanup as the files' own.
# shellcheck source=tests/e2e/lib.bash
. "$HERE/lib.bash"

# Safety net after bats: whatever the files' teardown_file left (an interrupted run).  Only the
# processes the run recorded below the work dir -- the daemons the files spawned, the daemons and
# conmons whose pid files the engines wrote there, the shims of the tasks whose bundles are there
# (lib.bash e2e_recorded_pids) -- and the mounts below it.  Nothing else is touched.
# shellcheck disable=SC2317  # invoked by the EXIT trap
final_cleanup() {
	e2e_kill_leftovers "$E2E_DIR" 2
	e2e_umount_under "$E2E_DIR"
	if [ -n "${E2E_KEEP:-}" ]; then
		echo "e2e: work dir kept: $E2E_DIR" >&2
	elif ! grep -qF " $E2E_DIR/" /proc/mounts; then
		rm -rf "$E2E_DIR"
	fi
}
trap final_cleanup EXIT
trap 'exit 130' INT TERM

tap=$E2E_DIR/e2e.tap
bats --tap "${files[@]}" | tee "$tap"
rc=${PIPESTATUS[0]}
ok=$(grep -cE '^ok [0-9]+' "$tap")
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$tap")
notok=$(grep -cE '^not ok [0-9]+' "$tap")
echo "e2e: $((ok - skipped)) passed, $notok failed, $skipped skipped" >&2
exit "$rc"
