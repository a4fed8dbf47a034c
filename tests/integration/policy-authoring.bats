#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# An operator writing and installing a policy, through ocigate and the real runc: every message
# about policy files names where it looked and what it loaded; a Kubernetes ConfigMap (a symlink
# farm) is read when root made every part of it and refused, naming the part, when not;
# `policy validate` reports every error at once with suggestions, checks the runtime and the
# profile the invoked name selects, and warns when an allow list is overridden by a deny list --
# whose effect a real container shows.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	POLICY="$BATS_TEST_TMPDIR/policy.json"
}

# configmap DIR FILE CONTENT: lay out DIR as kubelet projects a ConfigMap with one key FILE
# (pkg/volume/util/atomic_writer.go): the data in a timestamped directory, `..data` pointing at
# it, FILE -> ..data/FILE.  Everything root's, 0755/0644, as kubelet makes it.
configmap() {
	local d=$1 ts=..2026_12_07_10_00_00.123456789
	mkdir -p "$d/$ts"
	chmod 0755 "$d" "$d/$ts"
	printf '%s\n' "$3" >"$d/$ts/$2"
	chmod 0644 "$d/$ts/$2"
	ln -sfn "$ts" "$d/..data"
	ln -sfn "..data/$2" "$d/$2"
}

@test "policy files: validate and show name the paths searched and the files loaded" {
	local d="$BATS_TEST_TMPDIR/etc"
	mkdir -p "$d/policy.d"
	echo '{"profile": "restricted"}' >"$d/policy.json"
	echo '{"mode": "audit"}' >"$d/policy.d/01-audit.json"
	run "$OCIGATE" policy validate "$d/policy.json"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "loaded $d/policy.json, $d/policy.d/01-audit.json (searched $d/policy.json, $d/policy.d/*.json)" ]
	# show: the policy on stdout (still JSON for jq), where it came from on stderr.
	run --separate-stderr "$OCIGATE" policy show "$d/policy.json"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.profile + " " + .mode')" = "restricted audit" ]
	[ "$stderr" = "ocigate: profile \`restricted\`: loaded $d/policy.json, $d/policy.d/01-audit.json (searched $d/policy.json, $d/policy.d/*.json)" ]
	# A file named explicitly must exist, and the message names it.
	rm "$d/policy.json"
	run --separate-stderr env OCIGATE_POLICY= "$OCIGATE" --ocigate-policy "$d/policy.json" policy show
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"open policy file \`$d/policy.json\`"* ]]
}

@test "policy files: with no file at all, 'no policy file' says where it looked" {
	local sysconfdir
	# The default location is compiled in; nothing is there on a test machine unless installed.
	run env -u OCIGATE_POLICY "$OCIGATE" policy validate
	echo "$output"
	case "$output" in
	"no policy file"*) ;;
	*) skip "a policy is installed on this machine: $(echo "$output" | head -n 1)" ;;
	esac
	[[ "${lines[0]}" =~ ^no\ policy\ file\ \(searched\ (/.*)/ocigate/policy\.json,\ (/.*)/ocigate/policy\.d/\*\.json\):\ the\ built-in\ profiles\ apply$ ]]
	sysconfdir=${BASH_REMATCH[1]}
	[ "${BASH_REMATCH[2]}" = "$sysconfdir" ]
	run --separate-stderr env -u OCIGATE_POLICY "$OCIGATE" policy show
	[ "$status" -eq 0 ]
	[ "$stderr" = "ocigate: profile \`baseline\`: no policy file (searched $sysconfdir/ocigate/policy.json, $sysconfdir/ocigate/policy.d/*.json): the built-in profiles apply" ]
}

@test "configmap: a policy projected as a symlink farm is read, in a real container" {
	local cm="$BATS_TEST_TMPDIR/cm"
	configmap "$cm" policy.json '{"mode": "audit", "profile": "restricted"}'
	configmap "$cm/policy.d" 10-sshd.json '{"profiles": {"restricted": {"rules": {"root-user": "off"}}}}'
	update_config '.process.args = ["id", "-u"]'
	ocg --ocigate-policy "$cm/policy.json" run --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 0 ]
	# audit mode: restricted would rewrite to uid 65534, audit changes nothing.
	[ "$output" = 0 ]
	run jq -r '[.policy, .mode] | @tsv' "$AUDIT"
	[ "$output" = "$(printf 'restricted\taudit')" ]
	run "$OCIGATE" policy validate "$cm/policy.json"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "loaded $cm/policy.json, $cm/policy.d/10-sshd.json (searched $cm/policy.json, $cm/policy.d/*.json)" ]
}

@test "configmap: a farm others could change is refused, naming the link, its target and the part" {
	local cm="$BATS_TEST_TMPDIR/cm" ts=..2026_12_07_10_00_00.123456789
	configmap "$cm" policy.json '{"mode": "audit"}'
	local chain="policy file \`$cm/policy.json\` is a symbolic link (\`$cm/policy.json\` -> \`..data/policy.json\`, \`$cm/..data\` -> \`$ts\`)"
	# The data directory writable by others (a wrong defaultMode or a hand-made farm).
	chmod 0777 "$cm/$ts"
	ocg --ocigate-policy "$cm/policy.json" create --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$chain: policy directory \`$cm/$ts\` is writable by group or others (mode 0777)"* ]]
	chmod 0755 "$cm/$ts"
	# `..data` made by another user.
	chown -h 65534 "$cm/..data"
	ocg --ocigate-policy "$cm/policy.json" create --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$chain: symbolic link \`$cm/..data\` is owned by uid 65534, not root"* ]]
	chown -h 0 "$cm/..data"
	# The file behind the links owned by another user.
	chown 65534 "$cm/$ts/policy.json"
	ocg --ocigate-policy "$cm/policy.json" create --bundle "$BUNDLE" "$(cid c)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$chain: policy file \`$cm/$ts/policy.json\` is owned by uid 65534, not root"* ]]
	[ -z "$(containers_left)" ]
	[ ! -e "$AUDIT" ]
}

@test "validate: every error in one run, with suggestions for misspelt keys, rules and profiles" {
	cat >"$POLICY" <<-'EOF'
		{
		  "mdoe": "audit",
		  "profile": "restricte",
		  "profiles": {
		    "web": {"rules": {"capabilites": "deny", "sshd": "denny"}}
		  },
		  "exemptions": {"e": {"match": {"profiles": ["wbe"]}, "rules": {"sshd": "off"}}}
		}
	EOF
	run --separate-stderr "$OCIGATE" policy validate "$POLICY"
	echo "$stderr"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 6 ]
	[[ "${stderr_lines[0]}" == "ocigate: $POLICY:2:11: \$.mdoe: unknown key (expected "*"); did you mean \`mode\`?" ]]
	[ "${stderr_lines[1]}" = "ocigate: $POLICY:5:38: \$.profiles.web.rules.capabilites: unknown rule \`capabilites\`; did you mean \`capabilities\`?" ]
	[ "${stderr_lines[2]}" = "ocigate: $POLICY:5:54: \$.profiles.web.rules.sshd: \`denny\` is not one of \`off\`, \`warn\`, \`rewrite\`, \`deny\`; did you mean \`deny\`?" ]
	[ "${stderr_lines[3]}" = "ocigate: $POLICY:3:14: \$.profile: unknown profile \`restricte\` (profiles: \`baseline\`, \`restricted\`, \`privileged\`, \`web\`); did you mean \`restricted\`?" ]
	[ "${stderr_lines[4]}" = "ocigate: $POLICY:7:47: \$.exemptions.e.match.profiles[0]: unknown profile \`wbe\` (profiles: \`baseline\`, \`restricted\`, \`privileged\`, \`web\`); did you mean \`web\`?" ]
	[ "${stderr_lines[5]}" = "ocigate: the policy is invalid: 5 errors" ]
	# Creating a container stops at the first of them, naming it.
	ocg --ocigate-policy "$POLICY" create --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$POLICY:2:11: \$.mdoe: unknown key"* ]]
	[ -z "$(containers_left)" ]
}

@test "validate: the runtime must exist, be executable and not be ocigate" {
	local fake="$BATS_TEST_TMPDIR/not-executable"
	touch "$fake"
	chmod 0644 "$fake"
	for rt in /nonexistent/runc "$fake" "$OCIGATE"; do
		printf '{"runtime": "%s"}\n' "$rt" >"$POLICY"
		run --separate-stderr env -u OCIGATE_RUNTIME "$OCIGATE" policy validate "$POLICY"
		echo "$stderr"
		[ "$status" -eq 1 ]
		[[ "${stderr_lines[0]}" == "ocigate: $POLICY:1:13: \$.runtime: runtime \`$rt\`"* ]]
	done
	[[ "${stderr_lines[0]}" == *"is ocigate itself" ]]
	# A symlink to ocigate is ocigate too (device and inode, not the name).
	ln -s "$OCIGATE" "$BATS_TEST_TMPDIR/runc"
	printf '{"runtime": "%s"}\n' "$BATS_TEST_TMPDIR/runc" >"$POLICY"
	run --separate-stderr env -u OCIGATE_RUNTIME "$OCIGATE" policy validate "$POLICY"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "ocigate: $POLICY:1:13: \$.runtime: runtime \`$BATS_TEST_TMPDIR/runc\` is ocigate itself" ]
	printf '{"runtime": "%s"}\n' "$REAL_RUNC" >"$POLICY"
	run --separate-stderr env -u OCIGATE_RUNTIME "$OCIGATE" policy validate "$POLICY"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "runtime: $REAL_RUNC" ]
}

@test "validate: an allow that a deny list overrides is warned about; the container shows deny wins" {
	echo '{"profiles": {"baseline": {"rules": {"capabilities": {"allow": ["CAP_CHOWN", "CAP_NET_ADMIN"]}}}}}' >"$POLICY"
	run --separate-stderr "$OCIGATE" policy validate "$POLICY"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "ocigate: warning: profile \`baseline\`: \`capabilities.allow\` lists \`CAP_NET_ADMIN\`, but \`capabilities.deny\` lists it too, and the deny list wins: a container that asks for it is still denied; remove it from \`capabilities.deny\` to allow it" ]
	# What the warning says, in a real container: --cap-add NET_ADMIN is denied ...
	update_config '.process.capabilities.bounding += ["CAP_NET_ADMIN"] | .process.capabilities.effective += ["CAP_NET_ADMIN"] | .process.capabilities.permitted += ["CAP_NET_ADMIN"] | .process.args = ["sh", "-c", "grep ^CapEff /proc/self/status"]'
	ocg --ocigate-policy "$POLICY" run --bundle "$BUNDLE" "$(cid a)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": capabilities'*'denied capabilities'*CAP_NET_ADMIN* ]]
	# ... until the deny list lets it go: then the container holds it (CAP_NET_ADMIN is bit 12).
	echo '{"profiles": {"baseline": {"rules": {"capabilities": {"allow": ["CAP_CHOWN", "CAP_NET_ADMIN"], "deny": ["CAP_SYS_ADMIN"]}}}}}' >"$POLICY"
	run --separate-stderr "$OCIGATE" policy validate "$POLICY"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	ocg --ocigate-policy "$POLICY" run --bundle "$BUNDLE" "$(cid b)"
	[ "$status" -eq 0 ]
	[ "$output" = "CapEff:	0000000000001000" ]
}

@test "validate: a host-wide sysctl on the allow list is warned about; the container is still denied" {
	echo '{"profiles": {"baseline": {"rules": {"sysctls": {"allow": ["kernel.shm_rmid_forced", "kernel.panic", "kernel.*"]}}}}}' >"$POLICY"
	run --separate-stderr "$OCIGATE" policy validate "$POLICY"
	echo "$stderr"
	[ "$status" -eq 0 ]
	# One warning: kernel.shm_rmid_forced is IPC-namespaced, a pattern is left alone.
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "${stderr_lines[0]}" = "ocigate: warning: profile \`baseline\`: \`sysctls.allow\` lists \`kernel.panic\`, but the sysctls rule still denies it (sysctl \`kernel.panic\` is not namespaced: it would change the host): the allow list cannot make a host-wide sysctl safe" ]
	update_config '.linux.sysctl = {"kernel.panic": "10"}'
	ocg --ocigate-policy "$POLICY" run --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 1 ]
	[[ "$output" == *'denied by policy "baseline": sysctls'*'sysctl `kernel.panic` is not namespaced'* ]]
	[ -z "$(containers_left)" ]
}

@test "validate: ocigate-<name> fails when <name> is not a profile, as creating through it does" {
	ln -s "$OCIGATE" "$BATS_TEST_TMPDIR/ocigate-restricte"
	ln -s "$OCIGATE" "$BATS_TEST_TMPDIR/ocigate-restricted"
	echo '{}' >"$POLICY"
	run --separate-stderr "$BATS_TEST_TMPDIR/ocigate-restricte" policy validate "$POLICY"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "ocigate: the invoked name \`ocigate-restricte\` selects the unknown policy profile \`restricte\` (profiles: \`baseline\`, \`restricted\`, \`privileged\`); did you mean \`restricted\`?" ]
	run "$BATS_TEST_TMPDIR/ocigate-restricted" policy validate "$POLICY"
	[ "$status" -eq 0 ]
	run "$BATS_TEST_TMPDIR/ocigate-restricte" --ocigate-runtime "$REAL_RUNC" --ocigate-audit-log "$AUDIT" \
		--ocigate-policy "$POLICY" create --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown policy profile \`restricte\` (profiles: \`baseline\`, \`restricted\`, \`privileged\`); did you mean \`restricted\`?"* ]]
	[ -z "$(containers_left)" ]
}
