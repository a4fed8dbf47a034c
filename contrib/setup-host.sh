#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what ocigate needs to build, test and demo on Debian 12, and prepare this host's
# cgroups for crun.  Idempotent; run as root.
set -euo pipefail

PACKAGES=(
	build-essential autoconf automake pkg-config clang clang-format libclang-rt-14-dev
	libyajl-dev libseccomp-dev libcap-dev libselinux1-dev libcmocka-dev
	runc crun busybox-static jq bats bats-assert bats-support iproute2 util-linux time
	golang-go golang-github-opencontainers-runc-dev gawk dpkg-dev xz-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# crun refuses to run on a hybrid cgroup host whose cgroup2 mount still holds a controller
# ("cgroups in hybrid mode not supported"); on these VMs that is hugetlb.  Binding hugetlb to a v1
# hierarchy empties cgroup2's controller list (see README, "Hosts").
if [ -f /sys/fs/cgroup/unified/cgroup.controllers ] &&
	grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers; then
	mkdir -p /sys/fs/cgroup/hugetlb
	mountpoint -q /sys/fs/cgroup/hugetlb || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi
