#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The manual pages, the bash completion and the logrotate configuration, checked against what the
# binary itself says: every rule, action and parameter of `ocigate policy show` is in
# ocigate-rules(7); every own command and flag of `ocigate --help` and of each command's --help,
# and every OCIGATE_* variable the binary reads, is in ocigate(8); the policy examples of
# ocigate-policy(5) validate; the completion offers every command, subcommand and flag; `man`
# finds the installed pages; logrotate rotates the audit trail while ocigate keeps writing it.

bats_require_minimum_version 1.5.0
load helpers

setup() {
	[ -n "${OCIGATE:-}" ] || skip "needs OCIGATE (make check sets it)"
	BUILD=$(cd "$(dirname "$OCIGATE")" && pwd)
	[ -f "$BUILD/doc/ocigate-rules.7" ] || skip "OCIGATE is not in a build tree with the manual pages"
	SRC=${OCG_SRCDIR:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
	command -v man >/dev/null || skip "needs man (man-db)"
	command -v col >/dev/null || skip "needs col (bsdextrautils)"
	# ocigate reads a policy file only when it and every directory above it are root's.
	[ "$(id -u)" -eq 0 ] || skip "needs root (the policy files must be root's)"
	EMPTY="$BATS_TEST_TMPDIR/empty.json"
	echo '{}' >"$EMPTY"
}

# A page as a reader sees it, one paragraph a line.
render() {
	MANWIDTH=4000 man -l "$1" 2>/dev/null | col -bx
}

# The page ocigate(8) of the build tree (made from the scdoc source, in the build or source tree).
page8() {
	if [ -f "$BUILD/doc/ocigate.8" ]; then render "$BUILD/doc/ocigate.8"; else render "$SRC/doc/ocigate.8"; fi
}

# Every own command: the first word of each line of the help's "ocigate's own commands:" block.
own_commands() {
	"$OCIGATE" --help | sed -n "/^ocigate's own commands:/,/^\$/p" | sed -nE 's/^  ([a-z][a-z0-9-]*).*/\1/p'
}

# The subcommands of the help's synopsis of CMD ("policy show|validate": show, validate).
own_subcommands() {
	"$OCIGATE" --help | sed -n "/^ocigate's own commands:/,/^\$/p" |
		sed -nE "s/^  $1 ([a-z][a-z|-]*)( .*)?\$/\1/p" | tr '|' '\n'
}

# The flags of the usage lines of `ocigate CMD --help`, other than ocigate's global ones.
command_flags() {
	"$OCIGATE" "$1" --help 2>/dev/null | awk '/^usage:/ { u = 1 } u && !/^(usage:|[ \t])/ { u = 0 } u' |
		grep -oE -- '--[a-z][a-z0-9-]*' | grep -v -- '^--ocigate-' | sort -u || true
}

global_flags() {
	"$OCIGATE" --help | grep -oE -- '--ocigate-[a-z][a-z-]*' | sort -u
}

@test "docs: ocigate-rules(7) has every rule, its action in each built-in profile and every parameter" {
	local text p rule key json actions
	text=$(render "$BUILD/doc/ocigate-rules.7")
	for p in baseline restricted privileged; do
		json=$("$OCIGATE" policy show --profile "$p" "$EMPTY" 2>/dev/null)
		# The summary row of each rule: RULE baseline restricted privileged.
		while read -r rule; do
			grep -qE "^ *$rule( |$)" <<<"$text" || { echo "rule $rule is not in ocigate-rules(7)"; return 1; }
			actions=$(grep -E "^ +$rule +(off|warn|rewrite|deny) " <<<"$text" | head -n 1)
			local col
			case $p in baseline) col=2 ;; restricted) col=3 ;; privileged) col=4 ;; esac
			[ "$(awk -v c="$col" '{ print $c }' <<<"$actions")" = \
				"$(jq -r --arg p "$p" --arg r "$rule" '.profiles[$p].rules[$r].action' <<<"$json")" ] ||
				{ echo "$rule in $p: page says '$actions', policy show says otherwise"; return 1; }
			while read -r key; do
				grep -qF "rules.$rule.$key" <<<"$text" ||
					{ echo "parameter rules.$rule.$key is not in ocigate-rules(7)"; return 1; }
			done < <(jq -r --arg p "$p" --arg r "$rule" '.profiles[$p].rules[$r] | keys[] | select(. != "action")' <<<"$json")
		done < <(jq -r --arg p "$p" '.profiles[$p].rules | keys[]' <<<"$json")
	done
	# Each default is the value `policy show` prints: a scalar next to its key, each element of
	# a list on a line of its own.
	json=$("$OCIGATE" policy show --profile baseline "$EMPTY" 2>/dev/null)
	while IFS=$'\t' read -r rule key value; do
		grep -A2 -F "rules.$rule.$key" <<<"$text" | grep -qF -- "$value" ||
			{ echo "rules.$rule.$key: the page does not give its default $value"; return 1; }
	done < <(jq -r '.profiles.baseline.rules | to_entries[] | .key as $r | .value | to_entries[]
		| select(.key != "action" and (.value | type) != "array") | [$r, .key, (.value | tostring)] | @tsv' <<<"$json")
	while IFS=$'\t' read -r rule key value; do
		grep -qxF -- "$value" < <(sed -n "/rules.$rule.$key\$/,/^ *rules\./p" <<<"$text" | sed -E 's/^ +//') ||
			{ echo "rules.$rule.$key: the page does not list $value"; return 1; }
	done < <(jq -r '.profiles.baseline.rules | to_entries[] | .key as $r | .value | to_entries[]
		| select((.value | type) == "array") | .key as $k | .value[] | [$r, $k, .] | @tsv' <<<"$json")
}

@test "docs: ocigate(8) has every own command, subcommand, flag and OCIGATE_ variable" {
	local text cmd sub flag var n=0
	text=$(page8)
	for cmd in $(own_commands); do
		grep -qE "(^|[^a-z-])$cmd([^a-z-]|\$)" <<<"$text" || { echo "command $cmd is not in ocigate(8)"; return 1; }
		for sub in $(own_subcommands "$cmd"); do
			grep -qF "$cmd $sub" <<<"$text" || grep -qE "$cmd [a-z|]*$sub" <<<"$text" ||
				{ echo "$cmd $sub is not in ocigate(8)"; return 1; }
		done
		for flag in $(command_flags "$cmd"); do
			grep -qF -- "$flag" <<<"$text" || { echo "$cmd $flag is not in ocigate(8)"; return 1; }
			n=$((n + 1))
		done
		n=$((n + 1))
	done
	for flag in $(global_flags); do
		grep -qF -- "$flag" <<<"$text" || { echo "$flag is not in ocigate(8)"; return 1; }
		n=$((n + 1))
	done
	# The variables ocigate reads or sets: the OCIGATE_* strings compiled into it.
	for var in $(strings "$OCIGATE" | grep -oE '^OCIGATE_[A-Z_]+' | sort -u); do
		grep -qF "$var" <<<"$text" || { echo "$var is not in ocigate(8)"; return 1; }
		n=$((n + 1))
	done
	echo "checked $n names"
	[ "$n" -gt 10 ]
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT "EXIT STATUS" FILES "SEE ALSO"; do
		grep -qx "$section" <<<"$text" || { echo "no $section section"; return 1; }
	done
}

@test "docs: every policy example of ocigate-policy(5) validates" {
	local n=0 f
	# The code blocks of the scdoc source that are whole files (they start with { or a comment).
	awk -v dir="$BATS_TEST_TMPDIR" '
		/^```/ { if (inblock) { close(out); inblock = 0 } else { inblock = 1; n++; out = dir "/example-" n ".json"; first = 1 } next }
		inblock { if (first && $0 !~ /^(\{|\/\/)/) { inblock = 0; next } first = 0; print > out }
	' "$SRC/doc/ocigate-policy.5.scd"
	for f in "$BATS_TEST_TMPDIR"/example-*.json; do
		[ -f "$f" ] || continue
		run "$OCIGATE" policy validate "$f"
		echo "$f: $output"
		[ "$status" -eq 0 ]
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "docs: the Debian package's policy.json changes nothing: every profile as with no file" {
	local shipped="$BATS_TEST_TMPDIR/policy.json" p
	install -m 0644 "$SRC/debian/policy.json" "$shipped"
	run "$OCIGATE" policy validate "$shipped"
	echo "$output"
	[ "$status" -eq 0 ]
	for p in baseline restricted privileged; do
		diff <("$OCIGATE" policy show --profile "$p" "$EMPTY" 2>/dev/null) \
			<("$OCIGATE" policy show --profile "$p" "$shipped" 2>/dev/null)
	done
	# And {} is no file at all, where this machine has none at the compiled-in path.
	if env -u OCIGATE_POLICY "$OCIGATE" policy validate 2>&1 | grep -q '^no policy file'; then
		for p in baseline restricted privileged; do
			diff <(env -u OCIGATE_POLICY "$OCIGATE" policy show --profile "$p" 2>/dev/null) \
				<("$OCIGATE" policy show --profile "$p" "$shipped" 2>/dev/null)
		done
	fi
}

# complete WORD...: what TAB offers after `ocigate WORD...` (the last word is the one completed).
complete_words() {
	bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		shift
		COMP_WORDS=(ocigate "$@")
		COMP_CWORD=$#
		COMP_LINE="ocigate $*"
		COMP_POINT=${#COMP_LINE}
		_ocigate
		printf "%s\n" "${COMPREPLY[@]}"
	' complete "$BUILD/doc/completion/ocigate" "$@"
}

@test "completion: made from the help with every metavariable known; offers every command and flag" {
	[ -f /usr/share/bash-completion/bash_completion ] || skip "needs bash-completion"
	local cmd sub flag
	# Made from this binary's help, and every argument of the help has a known completion.
	run --separate-stderr bash "$SRC/doc/gen-completion.sh" "$OCIGATE"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	diff <(echo "$output") "$BUILD/doc/completion/ocigate"
	bash -n "$BUILD/doc/completion/ocigate"

	diff <(complete_words "" | sort) <(own_commands | sort)
	diff <(complete_words --ocigate- | sort) <(global_flags)
	for cmd in $(own_commands); do
		for flag in $(command_flags "$cmd"); do
			complete_words "$cmd" "${flag:0:4}" | grep -qxF -- "$flag" ||
				{ echo "ocigate $cmd ${flag:0:4}<TAB> does not offer $flag"; return 1; }
		done
		for sub in $(own_subcommands "$cmd"); do
			complete_words "$cmd" "" | grep -qxF -- "$sub" ||
				{ echo "ocigate $cmd <TAB> does not offer $sub"; return 1; }
		done
	done
	# Values, after the command and before it.
	[ "$(complete_words --ocigate-mode "" | sort | tr '\n' ' ')" = "audit enforce " ]
	[ "$(complete_words --ocigate-mode=a)" = audit ]
	[ "$(complete_words --ocigate-profile r)" = restricted ]
	[ "$(complete_words --ocigate-mode audit pol)" = policy ]
	[ "$(complete_words help po)" = policy ]
	[ "$(complete_words policy show --profile pr)" = privileged ]
	touch "$BATS_TEST_TMPDIR/config.json"
	[ "$(complete_words policy validate "$BATS_TEST_TMPDIR/conf")" = "$BATS_TEST_TMPDIR/config.json" ]
	[ "$(complete_words check "$BATS_TEST_TMPDIR/conf")" = "$BATS_TEST_TMPDIR/config.json" ]
}

@test "docs: after make install, man finds ocigate, ocigate-policy, ocigate-rules and the profile links" {
	local dest="$BATS_TEST_TMPDIR/dest" mandir page
	mandir=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$BUILD" -f Makefile -f - ocg-print <<<$'ocg-print:\n\t@echo $(mandir)')
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$BUILD" install-data DESTDIR="$dest" >/dev/null
	for page in ocigate ocigate-policy ocigate-rules ocigate-restricted ocigate-privileged; do
		run man -M "$dest$mandir" "$page"
		[ "$status" -eq 0 ]
		[[ "$output" == *NAME* ]]
	done
	run man -M "$dest$mandir" ocigate-restricted
	[[ "$output" == *"ocigate - a runc-compatible OCI runtime"* ]]
	run man -M "$dest$mandir" 5 ocigate-policy
	[[ "$output" == *"EXEMPTIONS"* ]]
	run man -M "$dest$mandir" 7 ocigate-rules
	[[ "$output" == *"sensitive-mounts"* ]]
}

@test "logrotate: the audit trail rotates without a signal; ocigate creates the next file itself" {
	command -v logrotate >/dev/null || skip "needs logrotate"
	setup_bundle
	local dir="$BATS_TEST_TMPDIR/log" conf="$BATS_TEST_TMPDIR/logrotate.conf" state="$BATS_TEST_TMPDIR/logrotate.state"
	mkdir -m 0700 "$dir"
	sed "s|^/var/log/ocigate/audit.log |$dir/audit.log |" "$SRC/contrib/logrotate/ocigate" >"$conf"
	grep -qF "$dir/audit.log {" "$conf"
	logrotate -d -s "$state" "$conf"
	# A denied create: judged and recorded, the runtime never started.
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	deny() {
		run "$OCIGATE" --ocigate-audit-log "$dir/audit.log" --root "$ROOT" create --bundle "$BUNDLE" "$1"
		[ "$status" -eq 1 ]
	}
	deny "$(cid one)"
	[ "$(wc -l <"$dir/audit.log")" -eq 1 ]
	logrotate -f -s "$state" "$conf"
	[ ! -e "$dir/audit.log" ]
	grep -qF "\"$(cid one)\"" "$dir/audit.log.1"
	deny "$(cid two)"
	[ "$(stat -c '%a %U' "$dir/audit.log")" = "600 root" ]
	[ "$(wc -l <"$dir/audit.log")" -eq 1 ]
	grep -qF "\"$(cid two)\"" "$dir/audit.log"
	# delaycompress: the file rotated last time is compressed only now.
	[ -f "$dir/audit.log.1" ] && [ ! -e "$dir/audit.log.1.gz" ]
	logrotate -f -s "$state" "$conf"
	grep -qF "\"$(cid two)\"" "$dir/audit.log.1"
	zcat "$dir/audit.log.2.gz" | grep -qF "\"$(cid one)\""
	[ ! -e "$dir/audit.log" ]
	ls "$dir"
	[ "$(ls "$dir" | wc -l)" -eq 2 ]
}
