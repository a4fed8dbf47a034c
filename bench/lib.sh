# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by bench/run.sh and the CI guard (tests/integration/cost-guard.bats): the helper
# programs, the counts, and the bundle made from Docker's captured default config.
#
# Every count is taken up to the runtime's execve, in a fixed small environment (the glibc start
# scans the environment: more variables, more instructions), with the real runtime replaced by
# bench/fake-runtime.c, a static program that exits at once.

BENCH_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)

# bench_build DIR: the floor, the fake runtime and the timer, static, into DIR.
bench_build() {
	local src
	src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	cc -O2 -static -o "$1/floor" "$src/floor.c" &&
		cc -O2 -static -o "$1/fake-runtime" "$src/fake-runtime.c" &&
		cc -O2 -static -o "$1/timer" "$src/timer.c"
}

# count_instr TMPDIR ENV... -- CMD...: user-mode instructions of CMD up to its first execve
# (callgrind --dump-before=execve; the part before the execve is dump 1).
count_instr() {
	local tmp=$1 envs=()
	shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	rm -f "$tmp"/cg.out*
	"${BENCH_ENV[@]}" "${envs[@]}" valgrind --tool=callgrind --dump-before=execve \
		--callgrind-out-file="$tmp/cg.out" "$@" </dev/null >/dev/null 2>&1
	callgrind_annotate "$tmp/cg.out.1" 2>/dev/null | awk '/PROGRAM TOTALS/{gsub(",", "", $1); print $1}'
}

# count_syscalls TMPDIR ENV... -- CMD...: system calls of CMD up to the execve of the runtime
# (strace -f: the lines after CMD's own execve and before the next one).
count_syscalls() {
	local tmp=$1 envs=()
	shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	"${BENCH_ENV[@]}" "${envs[@]}" strace -f -o "$tmp/strace.out" "$@" </dev/null >/dev/null 2>&1
	awk '/execve\(/{n++; next} n==1 && !/^[0-9]+ +(\+\+\+|---)/{c++} END{print c+0}' "$tmp/strace.out"
}

# docker_bundle BUNDLE CONFIG: a bundle for CONFIG (Docker's captured default config): root.path
# in the bundle, the bind sources (resolv.conf, hostname, hosts) made under BUNDLE/../hostfs, the
# prestart hook dropped (it names a dockerd pid that is not running here: ocigate would deny it).
# Leaves BUNDLE/config.json and BUNDLE.orig.json (the original, copied back before each run).
docker_bundle() {
	local bundle=$1 hostfs
	hostfs=$(dirname "$bundle")/hostfs
	mkdir -p "$bundle/rootfs" "$hostfs"
	jq --arg h "$hostfs" --arg r "$bundle/rootfs" 'del(.hooks) | .root.path = $r |
		.mounts |= map(if .type == "bind" then .source = ($h + "/" + (.destination | ltrimstr("/etc/"))) else . end)' \
		"$2" >"$bundle.orig.json"
	jq -r '.mounts[] | select(.type == "bind") | .source' "$bundle.orig.json" | xargs touch
	cp "$bundle.orig.json" "$bundle/config.json"
}
