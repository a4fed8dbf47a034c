#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The rootfs rule (policy/rules/rootfs.c, CIS Docker 1.6.0 5.6) through ocigate and the real
# runc: a root.path that is a sensitive host directory, that climbs out of the bundle, or that is
# missing is refused; the bundle's own rootfs runs.  The escape is first shown with runc alone, so
# the denial cannot pass for a rule that is not needed.

load helpers

setup() {
	setup_bundle
}

@test "rootfs: root.path /usr is the host's /usr under runc alone; ocigate denies it, nothing is written" {
	local marker="ocg-escape-rootfs-$$-$BATS_TEST_NUMBER" before d
	before=" $(ls -A /usr | tr '\n' ' ') "
	update_config ".root = {path: \"/usr\", readonly: false}
		| .mounts |= map(select(.type != \"cgroup\"))
		| .process.args = [\"/bin/busybox\", \"touch\", \"/local/$marker\"]"

	direct_run direct
	local escaped=no
	[ -e "/usr/local/$marker" ] && escaped=yes
	rm -f "/usr/local/$marker"
	# runc made its mount points in the host's /usr: remove the ones it created.
	for d in proc dev sys; do
		[[ "$before" == *" $d "* ]] || rmdir "/usr/$d" 2>/dev/null || true
	done
	[ "$escaped" = yes ]

	ocg_run
	assert_denied rootfs:5.6
	[[ "$output" == *'rootfs (CIS Docker 1.6.0 5.6, PSS hostPathVolumes): `root.path` `/usr` exposes the sensitive host path `/usr`'* ]]
	[ ! -e "/usr/local/$marker" ]
}

@test "rootfs: root.path climbing out of the bundle to / or /etc is denied; the bundle's own rootfs runs" {
	update_config '.root.path = "../../../../../../../../../.."'
	ocg_run
	assert_denied rootfs:5.6
	[[ "$output" == *"is the host's root directory"* ]]

	update_config '.root.path = "/etc/../etc"'
	ocg_run
	assert_denied rootfs:5.6
	[[ "$output" == *'(`/etc`) exposes the sensitive host path `/etc`'* ]]

	update_config ".root.path = \"$BUNDLE/rootfs\" | .process.args = [\"echo\", \"own-rootfs\"]"
	ocg_run
	[ "$status" -eq 0 ]
	[ "$output" = own-rootfs ]

	update_config 'del(.root)'
	ocg_run
	assert_denied rootfs:5.6
	[[ "$output" == *'no `root.path`'* ]]
}
