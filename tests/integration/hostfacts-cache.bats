#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The policy paths' answers kept between calls (/run/ocigate/hostfacts/policy-paths) never outlive
# what they were read from: a sensitive path named through a symlink is judged where the symlink
# leads NOW.  A kept answer that survived the swap would let the old target's sibling through --
# the bind of the new target runs with the runtime alone, and must be denied through ocigate.
# (policy/hostfacts/hostfacts_cache.c says what is checked; tests/unit/test_hostfacts_cache.c
# covers mounts, damaged files and recent changes.)

load helpers

setup() {
	setup_bundle
	TREE=$(mktemp -d /var/tmp/ocg-hostcache.XXXXXX)
	defer rm -rf "$TREE"
	chmod 0755 "$TREE"
	mkdir -p "$TREE/a/secret" "$TREE/b/secret"
	ln -s a "$TREE/link"
	policy_file "{\"profiles\": {\"baseline\": {\"rules\": {\"sensitive-mounts\": {\"paths\": [\"$TREE/link/secret\"]}}}}}"
	OCG_FLAGS=(--ocigate-policy "$POLICY")
	update_config '.process.args = ["true"]'
	# Answers that depend on a directory changed in the last 2 seconds are not kept (ctime has a
	# clock tick's granularity): let the tree settle so that the first call keeps them.
	sleep 3
}

# bind_of DIR: the bundle binds DIR at /x.
bind_of() {
	update_config "del(.mounts[] | select(.destination == \"/x\"))
		| .mounts += [{destination: \"/x\", type: \"bind\", source: \"$1\", options: [\"rbind\", \"ro\"]}]"
}

@test "a symlink on a sensitive path swapped: the kept answer is dropped and the new target denied" {
	local store=/run/ocigate/hostfacts/policy-paths
	local try
	bind_of "$TREE/b/secret"
	# The first call keeps the answers, among them where the policy's path leads today -- unless
	# one of the directories they depend on (/, /run, /var/tmp, ...) changed in the last 2 s,
	# which other tests running beside this one do: then it keeps nothing, and a later call does.
	for try in $(seq 20); do
		ocg_run "first-$try"
		[ "$status" -eq 0 ]
		! grep -qF "$TREE/link/secret" "$store" || break
		sleep 2
	done
	grep -qF "$TREE/link/secret" "$store"
	bind_of "$TREE/a/secret"
	ocg_run second
	assert_denied sensitive-mounts "$TREE/a/secret"

	rm "$TREE/link"
	ln -s b "$TREE/link"
	bind_of "$TREE/b/secret"
	RT=$REAL_RUNC direct_run direct
	[ "$status" -eq 0 ]
	ocg_run third
	assert_denied sensitive-mounts "$TREE/b/secret"
	bind_of "$TREE/a/secret"
	ocg_run fourth
	[ "$status" -eq 0 ]
}
