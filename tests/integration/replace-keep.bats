#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A rewritten config.json replaces the engine's, and the engine's file stays linked in the bundle
# as .config.json.ocigate-orig.<N> (policy/spec/fsutil.h fsutil_keep_at): dropping its last link
# during the create would evict an inode the engine wrote a moment ago, which waits for its
# writeback.  The bundle the real runtime then uses is valid, the kept file is byte for byte
# (and inode for inode) what the engine wrote, and a bundle used for create after create keeps
# at most four of them.

load helpers

KEPT=.config.json.ocigate-orig

setup() {
	setup_bundle
	# `runc spec`'s config, which ocigate rewrites (a seccomp profile, limits): what an engine
	# writes before each create.
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/spec.json"
}

# engine_writes JQ: the engine writes config.json anew (a new file, as containerd's NewBundle and
# Podman's saveSpec do), from `runc spec`'s with JQ applied.
engine_writes() {
	cp "$BATS_TEST_TMPDIR/spec.json" "$BUNDLE/config.json"
	update_config "$1"
}

teardown() {
	teardown_bundle
}

# kept_count: how many replaced configs the bundle keeps.
kept_count() {
	find "$BUNDLE" -maxdepth 1 -name "$KEPT.*" | wc -l
}

@test "replace-keep: a rewritten create keeps the engine's config.json, and the container runs (runc, crun)" {
	local rt ino
	for rt in $(runtimes); do
		RT=$rt
		rm -f "$BUNDLE/$KEPT".*
		engine_writes '.process.args = ["sh", "-c", "echo kept-$((6 * 7))"]'
		cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/engine.json"
		ino=$(stat -c %i "$BUNDLE/config.json")
		ocg_run "${rt##*/}"
		[ "$status" -eq 0 ]
		[[ $output == *kept-42* ]]
		# The config the runtime ran is ocigate's rewrite, whole and valid ...
		jq -e '.linux.seccomp != null' "$BUNDLE/config.json"
		run cmp -s "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/engine.json"
		[ "$status" -eq 1 ]
		# ... and the engine's file is the one kept, the same inode, its only link.
		cmp "$BUNDLE/$KEPT.0" "$BATS_TEST_TMPDIR/engine.json"
		[ "$(stat -c '%i %h' "$BUNDLE/$KEPT.0")" = "$ino 1" ]
		[ "$(kept_count)" -eq 1 ]
		# No temp file of the replace is left (.config.json.XXXXXX).
		[ -z "$(find "$BUNDLE" -maxdepth 1 -name '.config.json.??????')" ]
	done
}

@test "replace-keep: a bundle created again and again keeps at most four replaced configs" {
	local i
	for i in 1 2 3 4 5 6; do
		engine_writes ".process.args = [\"sh\", \"-c\", \"echo round-$i\"]"
		cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/engine-$i.json"
		ocg_run "r$i"
		[ "$status" -eq 0 ]
		[[ $output == *round-$i* ]]
		jq -e . "$BUNDLE/config.json" >/dev/null
	done
	[ "$(kept_count)" -eq 4 ]
	# The first four, each in its slot; the later ones were dropped as before (every slot was
	# kept less than a minute ago).
	for i in 1 2 3 4; do
		cmp "$BUNDLE/$KEPT.$((i - 1))" "$BATS_TEST_TMPDIR/engine-$i.json"
	done
}

@test "replace-keep: audit mode and an unchanged config leave the bundle as it was" {
	ocg_run --ocigate-mode=audit audit
	[ "$status" -eq 0 ]
	[ "$(kept_count)" -eq 0 ]
	# The rewrite of an enforcing create, written back as the engine's own config: nothing left
	# to rewrite, so nothing is replaced or kept.
	ocg_run enforce
	[ "$status" -eq 0 ]
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/rewritten.json"
	rm -f "$BUNDLE/$KEPT".*
	ocg_run again
	[ "$status" -eq 0 ]
	[ "$(kept_count)" -eq 0 ]
	cmp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/rewritten.json"
}
