# SPDX-License-Identifier: GPL-2.0-or-later
# bats --setup-suite-file for runc's suite (run.sh passes it; the suite itself has none).

setup_suite() {
	:
}

# A helper that a test starts in the background and stops only at its own end stays alive when the
# test fails earlier: update.bats "update devices [minimal transition rules]" starts a recvtty
# that waits for a container ocigate may have denied.  It holds bats's TAP pipe (fd 3) open, and
# bats would wait for it forever.  Each such helper wrote its pid file below this run's unique
# temp dir, and names that dir in its command line: stop exactly those.
teardown_suite() {
	local f pid
	[ -n "${BATS_RUN_TMPDIR:-}" ] || return 0
	while IFS= read -r -d '' f; do
		pid=$(cat "$f" 2>/dev/null) || continue
		[[ "$pid" =~ ^[0-9]+$ ]] || continue
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$BATS_RUN_TMPDIR/" || continue
		echo "runc-suite: stopping $(tr '\0' ' ' <"/proc/$pid/cmdline") (left by a test)" >&2
		kill -KILL "$pid" 2>/dev/null || true
	done < <(find "$BATS_RUN_TMPDIR" -name '*pid' -type f -print0 2>/dev/null)
}
