# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# ocigate-installer's part that reads and writes containerd's configuration (sourced by
# contrib/kubernetes/ocigate-installer, whose variables and helpers it uses).
#
# containerd 1.6 loads config.toml, then each file of its `imports` in order, and a plugin's
# section in an imported file REPLACES the whole section loaded before it
# (services/server/config/config.go, mergeConfig: "Replace entire sections instead of merging
# map's values"; containerd 2.0 merges them, containerd/containerd#9982).  So the drop-in repeats
# the node's whole CRI section, as `containerd config dump` of the node's configuration shows it,
# adds the handlers, and is imported last.

# dump FILE: `containerd config dump` of the node's config file FILE (a node path).
dump() {
	on_node "$CONTAINERD" --config "$1" config dump 2>/dev/null
}

# cri_section: the tables of the CRI plugin in a dump on stdin, blank lines dropped.
cri_section() {
	awk -v p="[$CRI" '
		/^[[:space:]]*\[/ {
			h = $0
			sub(/^[[:space:]]+/, "", h)
			c = substr(h, length(p) + 1, 1)
			in_cri = index(h, p) == 1 && (c == "]" || c == ".")
		}
		in_cri && NF { print }'
}

# table NAME: the lines of table NAME (header and keys, not its sub-tables) in a dump on stdin.
table() {
	awk -v h="[$1]" '
		/^[[:space:]]*\[/ { t = $0; sub(/^[[:space:]]+/, "", t); in_t = t == h }
		in_t && NF { print }'
}

# value KEY: the value of the first `KEY = value` line on stdin, quotes removed.
value() {
	sed -n -E "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"?([^\"]*)\"?[[:space:]]*\$/\\1/p" | head -n 1
}

# handler_tables BASE_DUMP: the tables of our handlers, copies of the default runtime's.
handler_tables() {
	local def rt opts h ind
	def=$(table "$CRI.containerd" <"$1" | value default_runtime_name)
	rt=$(table "$CRI.containerd.runtimes.$def" <"$1")
	opts=$(table "$CRI.containerd.runtimes.$def.options" <"$1")
	if [ "$(value runtime_type <<<"$rt")" != io.containerd.runc.v2 ]; then
		log "the default runtime \`$def\` is not io.containerd.runc.v2: the handlers get no options of it"
		rt="[$CRI.containerd.runtimes.$def]"$'\n''runtime_type = "io.containerd.runc.v2"'
		opts="[$CRI.containerd.runtimes.$def.options]"
	fi
	[ -n "$(value BinaryName <<<"$opts")" ] &&
		log "note: the default runtime runs $(value BinaryName <<<"$opts"); ocigate runs the runtime its policy names"
	ind=$(sed -n -E '1s/^([[:space:]]*).*/\1/p' <<<"$opts")
	for h in "${HANDLERS[@]}"; do
		printf '\n%s\n' "${rt/"runtimes.$def]"/"runtimes.$h]"}"
		printf '\n%s\n' "${opts/"runtimes.$def.options]"/"runtimes.$h.options]"}" |
			sed -E '/^[[:space:]]*BinaryName[[:space:]]*=/d'
		printf '%s  BinaryName = "%s"\n' "$ind" "$BINDIR/$h"
	done
}

# without_handlers: a CRI section on stdin without tables of our handlers' names (the node may
# have its own `ocigate`: TOML refuses a table defined twice).
without_handlers() {
	local skip h
	skip=$(for h in "${HANDLERS[@]}"; do
		printf '%s\n' "[$CRI.containerd.runtimes.$h]" "[$CRI.containerd.runtimes.$h.options]"
	done)
	awk -v skip="$skip" 'BEGIN { n = split(skip, s, "\n"); for (i = 1; i <= n; i++) sk[s[i]] = 1 }
		/^[[:space:]]*\[/ { t = $0; sub(/^[[:space:]]+/, "", t); drop = t in sk }
		!drop { print }'
}

# dropin_text BASE_DUMP: the drop-in for the node whose configuration dumps as BASE_DUMP.
dropin_text() {
	local base
	base=$(cri_section <"$1" | without_handlers)
	cat <<EOF
# Written by ocigate-installer (contrib/kubernetes); \`ocigate-installer uninstall\` removes it.
# containerd 1.6 replaces the whole CRI plugin section with an imported file's, so this file
# repeats the node's CRI section (from \`containerd config dump\` of $CONTAINERD_CONFIG) and adds
# ocigate's handlers.  \`ocigate-installer sync\` rewrites it when that section changes.
# base: $(sha <<<"$base")
version = 2

EOF
	if [ "$SET_DEFAULT" = 1 ]; then
		# default_runtime_name of the table [plugins."io.containerd.grpc.v1.cri".containerd]
		awk -v h="[$CRI.containerd]" '
			/^[[:space:]]*\[/ { t = $0; sub(/^[[:space:]]+/, "", t); in_t = t == h }
			in_t && /^[[:space:]]*default_runtime_name[[:space:]]*=/ { sub(/=.*/, "= \"ocigate\"") }
			{ print }' <<<"$base"
	else
		echo "$base"
	fi
	handler_tables "$1"
}

# The comment install puts above its import: either the next line is all ocigate's (config.toml
# had no `imports`), or ocigate added the drop-in to the `imports` array that follows.
mark_line() {
	printf '# ocigate-installer: the next line imports "%s"' "$DROPIN"
}
mark_added() {
	printf '# ocigate-installer: "%s" added to the imports below' "$DROPIN"
}

# imported: config.toml has ocigate's import.
imported() {
	grep -qsxF -e "$(mark_line)" -e "$(mark_added)" "$(node "$CONTAINERD_CONFIG")"
}

# config_without_import: config.toml without what install added.
config_without_import() {
	awk -v line="$(mark_line)" -v added="$(mark_added)" -v q="\"$DROPIN\"" '
		$0 == line { drop = 1; next }
		drop { drop = 0; next }
		$0 == added { in_imp = 1; next }
		in_imp {
			i = index($0, q)
			if (i) {
				# and the separator config_with_import put before it: ", ", " " or none
				pre = substr($0, 1, i - 1)
				if (pre ~ /, $/) pre = substr(pre, 1, length(pre) - 2)
				else if (pre ~ / $/) pre = substr(pre, 1, length(pre) - 1)
				$0 = pre substr($0, i + length(q))
				in_imp = 0
			}
		}
		{ print }' "$(node "$CONTAINERD_CONFIG")"
}

# config_with_import PATH: config.toml with PATH added once at the END of `imports` (the last
# import wins the CRI section), or a new `imports` line after the top-level keys; marked for
# uninstall.
config_with_import() {
	config_without_import | awk -v line="$(mark_line)" -v added="$(mark_added)" -v q="\"$1\"" '
		function last(s) { sub(/#.*/, "", s); gsub(/[[:space:]]/, "", s); return substr(s, length(s)) }
		function new_line() { print line; print "imports = [" q "]" }
		!done && /^[[:space:]]*\[/ { if (!seen) new_line(); done = 1 }
		!done && !seen && /^[[:space:]]*imports[[:space:]]*=/ { seen = 1; print added; in_imp = 1; tail = "" }
		in_imp {
			i = index($0, "]")
			if (!i) { c = last($0); if (c != "") tail = c; print; next }
			pre = substr($0, 1, i - 1); c = last(pre); if (c == "") c = tail
			sep = (c == "[" ? "" : (c == "," ? " " : ", "))
			print pre sep q substr($0, i); in_imp = 0; next
		}
		{ print }
		END { if (!done && !seen) new_line() }'
}

# config_ok: config.toml is containerd's version 2 format (1.6 reads version 1 with other plugin
# names; version 3 is containerd 2's).
config_ok() {
	local f
	f=$(node "$CONTAINERD_CONFIG")
	[ -L "$f" ] && die "$CONTAINERD_CONFIG is a symlink: point --containerd-config at its target"
	[ -f "$f" ] || die "no $CONTAINERD_CONFIG: write one (\`containerd config default\`) first"
	awk '/^[[:space:]]*\[/ { exit } /^[[:space:]]*version[[:space:]]*=[[:space:]]*2[[:space:]]*(#.*)?$/ { ok = 1 }
		END { exit !ok }' "$f" || die "$CONTAINERD_CONFIG is not a version 2 configuration"
}

# tmpfile_beside NODE_PATH: a hidden temporary file next to NODE_PATH (relative imports resolve
# against the config file's directory); prints its node path.
tmpfile_beside() {
	local t
	t=$(mktemp "$(dirname "$(node "$1")")/.ocigate-installer.XXXXXX") || return 1
	echo "${t#"$R"}"
}

# effective FILE: a dump without the line listing the loaded files.
effective() {
	dump "$1" | grep -v '^imports = '
}

# base_dump: the dump of the node's configuration without ocigate's import, read from a copy
# beside config.toml (relative imports resolve against its directory).
base_dump() {
	local base
	base=$(tmpfile_beside "$CONTAINERD_CONFIG") || return 1
	TMPFILES+=("$(node "$base")")
	config_without_import >"$(node "$base")" && dump "$base"
}

# wire_containerd: step 3.  Sets CHANGED=1 when containerd's effective configuration changed
# (a restart applies it).
wire_containerd() {
	local dir base cand_cfg cand_drop after mode
	CHANGED=0
	config_ok
	dir=$(dirname "$DROPIN")
	mkdirs "$dir" || die "cannot create $dir"
	base=$(mktemp) && TMPFILES+=("$base")
	base_dump >"$base" || die "containerd cannot load $CONTAINERD_CONFIG"
	table "$CRI.containerd.runtimes.ocigate.options" <"$base" | grep -qF "\"$BINDIR/ocigate\"" &&
		die "$CONTAINERD_CONFIG already names $BINDIR/ocigate outside $DROPIN: remove that first"
	[ -n "$(table "$CRI.containerd.runtimes.ocigate" <"$base")" ] &&
		log "note: the node's own handler \`ocigate\` is replaced by the installer's"
	cand_drop=$(tmpfile_beside "$DROPIN") && TMPFILES+=("$(node "$cand_drop")")
	cand_cfg=$(tmpfile_beside "$CONTAINERD_CONFIG") && TMPFILES+=("$(node "$cand_cfg")")
	dropin_text "$base" >"$(node "$cand_drop")"
	config_with_import "$cand_drop" >"$(node "$cand_cfg")"
	after=$(dump "$cand_cfg") || die "containerd cannot load the new configuration; nothing changed"
	verify_dump "$base" "$after" ||
		die "the new configuration is not the node's plus ocigate's handlers; nothing changed"
	[ "$(effective "$CONTAINERD_CONFIG")" = "$(grep -v '^imports = ' <<<"$after")" ] || CHANGED=1
	if [ "$CHANGED" = 0 ] && cmp -s "$(node "$cand_drop")" "$(node "$DROPIN")"; then
		log "containerd already has this configuration"
		return 0
	fi
	save_previous
	# The drop-in repeats what config.toml holds (registry credentials too): its mode, not wider.
	mode=$(stat -c %a "$(node "$CONTAINERD_CONFIG")")
	put "$DROPIN" "$mode" <"$(node "$cand_drop")" || die "cannot write $DROPIN"
	config_with_import "$DROPIN" | put "$CONTAINERD_CONFIG" "$mode" || die "cannot write $CONTAINERD_CONFIG"
	log "containerd: handlers ${HANDLERS[*]} in $DROPIN, imported by $CONTAINERD_CONFIG$(
		[ "$SET_DEFAULT" = 1 ] && echo ', ocigate the default runtime')"
}

# verify_dump BASE_DUMP AFTER_DUMP: AFTER's CRI section is BASE's, plus the handlers, plus (with
# --set-default) the default runtime name, and the handlers point at our binaries.
verify_dump() {
	local h want got
	for h in "${HANDLERS[@]}"; do
		table "$CRI.containerd.runtimes.$h.options" <<<"$2" | sed 's/^[[:space:]]*//' |
			grep -qxF "BinaryName = \"$BINDIR/$h\"" ||
			{ log "handler $h is missing from the merged configuration"; return 1; }
	done
	want=$(cri_section <"$1" | normalise)
	got=$(cri_section <<<"$2" | normalise)
	if [ "$want" != "$got" ]; then
		log "CRI section differs: $(diff <(echo "$want") <(echo "$got") | head -n 5 | tr '\n' ' ')"
		return 1
	fi
	if [ "$SET_DEFAULT" = 1 ]; then
		[ "$(table "$CRI.containerd" <<<"$2" | value default_runtime_name)" = ocigate ] || return 1
	fi
}

# normalise: a CRI section without our handlers' tables and the default runtime's name.
normalise() {
	without_handlers | sed -E -e '/^[[:space:]]*default_runtime_name[[:space:]]*=/d' -e 's/^[[:space:]]+//'
}

# save_previous / restore_previous: the files wire_containerd replaces, for a failed restart.
save_previous() {
	local d
	d=$(node "$STATE_DIR")
	mkdirs "$STATE_DIR" && chmod 0700 "$d"
	cp -p "$(node "$CONTAINERD_CONFIG")" "$d/config.toml.previous"
	rm -f "$d/dropin.previous"
	[ ! -f "$(node "$DROPIN")" ] || cp -p "$(node "$DROPIN")" "$d/dropin.previous"
}

restore_previous() {
	local d
	d=$(node "$STATE_DIR")
	put "$CONTAINERD_CONFIG" "$(stat -c %a "$d/config.toml.previous")" <"$d/config.toml.previous"
	if [ -f "$d/dropin.previous" ]; then
		put "$DROPIN" "$(stat -c %a "$d/dropin.previous")" <"$d/dropin.previous"
	else
		rm -f "$(node "$DROPIN")"
	fi
}

# users: containers whose shim runs our binary (the runc shim records BinaryName in each bundle's
# options.json: containerd runtime/v2/runc/options).  Prints their ids.
users() {
	local state
	state=$(dump "$CONTAINERD_CONFIG" | awk '/^[[:space:]]*\[/ { exit } { print }' | value state)
	grep -lsF "\"binary_name\":\"$BINDIR/ocigate" "$(node "$state")"/io.containerd.runtime.v2.task/*/*/options.json |
		sed -E 's#.*/([^/]+)/options.json#\1#'
}

# refresh_dropin: the drop-in follows the node's own CRI configuration.  No restart: the change
# that made them differ takes effect at containerd's next restart, and so does this.
refresh_dropin() {
	imported || return 0
	[ "$(sed -n 's/^# base: //p' "$(node "$DROPIN")")" = "$(base_dump | cri_section | sha)" ] && return 0
	log "containerd's own CRI configuration changed: rewriting $DROPIN (applies at containerd's next restart)"
	wire_containerd
}

