#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/setup-host.sh is the one package list of the project, and tests/run-all.sh runs it
# before the first test: whatever a test installs later or probes for must be on it, or a fresh
# machine fails where a used one passes (docker-init came from docker.io, which only the e2e step
# installed, after real-configs.bats had already looked for it).

load helpers

SRC=$OCG_SRCDIR

setup() {
	command -v dpkg-query >/dev/null || skip "needs Debian's dpkg"
	mapfile -t LISTED < <(bash "$SRC/contrib/setup-host.sh" --list)
	[ "${#LISTED[@]}" -gt 10 ]
}

listed() {
	local p
	for p in "${LISTED[@]}"; do [ "$p" = "$1" ] && return 0; done
	return 1
}

# Files that run on the test machine (not this one: it reads them).
sources() {
	find "$SRC/tests" "$SRC/contrib" "$SRC/bench" "$SRC/.ci" -type f \
		\( -name '*.bats' -o -name '*.bash' -o -name '*.sh' -o -name run \) \
		! -path '*/fixtures/*' ! -name setup-host.bats
}

@test "setup-host: every package a test installs with e2e_install is on the list" {
	local f p missing=()
	while read -r p; do
		listed "$p" || missing+=("$p")
	done < <(for f in $(sources); do
		grep -hE '^[^#]*\be2e_install [a-z]' "$f" | sed -E 's/.*\be2e_install ([^;|&)]*).*/\1/' | tr ' ' '\n'
	done | grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u)
	echo "installed by a test but not by contrib/setup-host.sh: ${missing[*]}"
	[ "${#missing[@]}" -eq 0 ]
}

@test "setup-host: every command a test probes for comes from a listed package or the base system" {
	local f c path pkg closure missing=()
	# What the list brings in (its dependencies), and what every Debian system has.
	closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
		--no-replaces --no-enhances "${LISTED[@]}" 2>/dev/null | grep -E '^[a-z0-9]' | sort -u)
	for c in $(for f in $(sources); do grep -hoE '^[^#]*command -v [A-Za-z0-9_./+-]+' "$f"; done |
		sed -E 's/.*command -v //' | sort -u); do
		path=$(command -v "$c") || { missing+=("$c(not installed)"); continue; }
		[[ "$path" == /* ]] || continue # a shell builtin or function
		path=$(readlink -f "$path")
		pkg=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1) || true
		# Debian 12 is merged-/usr: a package may own /sbin/x where the PATH finds /usr/sbin/x.
		[ -n "$pkg" ] || [[ "$path" != /usr/* ]] ||
			pkg=$(dpkg -S "${path#/usr}" 2>/dev/null | head -n 1 | cut -d: -f1) || true
		[ -n "$pkg" ] || { missing+=("$c(no package owns $path)"); continue; }
		listed "$pkg" && continue
		grep -qxF "$pkg" <<<"$closure" && continue
		case "$(dpkg-query -W -f='${Essential} ${Priority}' "$pkg")" in
		yes*|*required) continue ;;
		esac
		missing+=("$c($pkg)")
	done
	echo "probed for but not from the list: ${missing[*]}"
	[ "${#missing[@]}" -eq 0 ]
}

@test "setup-host: the list names only packages Debian has" {
	local p unknown=()
	for p in "${LISTED[@]}"; do
		apt-cache show "$p" >/dev/null 2>&1 || unknown+=("$p")
	done
	echo "not in Debian's apt: ${unknown[*]}"
	[ "${#unknown[@]}" -eq 0 ]
}
