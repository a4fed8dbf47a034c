#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install everything ocigate needs to build, test and demo on Debian 12, and prepare this host's
# cgroups for crun.  Idempotent; run as root.  tests/run-all.sh runs it before the first test, so
# the suite passes on a machine that has never seen the project.
#
# THE package list of the project: every package any build step, test or script uses goes here
# (tests/integration/setup-host.bats checks that what tests/ and contrib/ install or probe for is
# listed).  `bash contrib/setup-host.sh --list` prints it.
set -euo pipefail

# Build, unit and integration tests, format/lint, fuzz smoke, demo, and check-fresh-host.sh
# (debootstrap).  Installed without recommends.
PACKAGES=(
	build-essential autoconf automake pkg-config git
	clang clang-format libclang-rt-14-dev
	libyajl-dev libseccomp-dev libcap-dev libselinux1-dev libcmocka-dev
	runc crun busybox-static
	bats bats-assert bats-support jq
	iproute2 util-linux libcap2-bin procps time apparmor strace valgrind
	debootstrap
	curl python3 python3-jsonschema
	containerd containernetworking-plugins python3-grpcio python3-grpc-tools python3-yaml
	python3-kubernetes
	golang-go golang-github-opencontainers-runc-dev gawk dpkg-dev xz-utils
	scdoc man-db bsdextrautils bash-completion logrotate debhelper lintian
)

# The real engines of tests/e2e.  Installed with their recommends (tini for `docker run --init`,
# catatonit, slirp4netns, fuse-overlayfs, uidmap for Podman), as `apt-get install` gives them to an
# operator; their daemons are kept from starting (see below).
ENGINES=(docker.io containerd podman)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${PACKAGES[@]}" "${ENGINES[@]}"
	exit 0
fi

missing() { # missing PACKAGE...: those not installed
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
	done
}

mapfile -t need < <(missing "${PACKAGES[@]}")
mapfile -t need_engines < <(missing "${ENGINES[@]}")
if [ "${#need[@]}" -gt 0 ] || [ "${#need_engines[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	if [ "${#need[@]}" -gt 0 ]; then
		apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	fi
	if [ "${#need_engines[@]}" -gt 0 ]; then
		# No engine runs until a test starts one with its own state directories: a policy-rc.d
		# that refuses every start (invoke-rc.d(8), deb-systemd-invoke) keeps the packages'
		# maintainer scripts from starting the system dockerd and containerd.
		made_policy_rc=0
		if [ ! -e /usr/sbin/policy-rc.d ]; then
			printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
			chmod 0755 /usr/sbin/policy-rc.d
			made_policy_rc=1
		fi
		rc=0
		apt-get install -y -qq "${need_engines[@]}" >/dev/null || rc=$?
		[ "$made_policy_rc" -eq 0 ] || rm -f /usr/sbin/policy-rc.d
		[ "$rc" -eq 0 ] || exit "$rc"
	fi
fi

# crun refuses to run on a hybrid cgroup host whose cgroup2 mount still holds a controller
# ("cgroups in hybrid mode not supported"); on these VMs that is hugetlb.  Binding hugetlb to a v1
# hierarchy empties cgroup2's controller list (see README, "Hosts").
if [ -f /sys/fs/cgroup/unified/cgroup.controllers ] &&
	grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers; then
	mkdir -p /sys/fs/cgroup/hugetlb
	mountpoint -q /sys/fs/cgroup/hugetlb || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi
