#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Parser differentials, proven on the real runtimes.  Each test builds a bundle whose config.json
# hides a value from an exact-key reader (ocigate), runs the REAL runc (and crun where it reads
# the document differently from runc) directly, and observes the hidden value take effect inside
# the container or on the host.  That is why policy/spec/schema.c and policy/json/json.c refuse such
# documents.  The second half of each test runs the same bundle through ocigate and asserts the
# refusal: exit status 2, nothing started, no marker printed, the reason named.

load helpers

setup() {
	setup_bundle
}

# crun_run: the bundle with the real crun alone, under a state dir of its own (skips, saying why,
# when crun cannot run here).
crun_run() {
	requires crun
	ROOTS+=("$BATS_TEST_TMPDIR/crun-state")
	RT=$REAL_CRUN ROOT=$BATS_TEST_TMPDIR/crun-state direct_run crun
}

# ocigate_refuses FRAGMENT [VERB ARGS...]: ocigate must refuse at load time -- status 2, nothing
# started, no marker in the output -- and the message must contain FRAGMENT.  Default verb: run.
ocigate_refuses() {
	local want=$1
	shift
	if [ $# -eq 0 ]; then
		set -- run --bundle "$BUNDLE" "$(cid ocigate)"
	fi
	ocg "$@"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$want"* ]]
	[[ "$output" != *MARKER* ]]
}

# set_raw_config TEXT: write config.json verbatim (for what jq cannot express).
set_raw_config() {
	printf '%s' "$1" >"$BUNDLE/config.json"
}

@test "case folding: runc runs a top-level \"PROCESS\" that an exact reader does not see" {
	update_config '.PROCESS = (.process | .args = ["sh", "-c", "echo FOLD-MARKER"]) | del(.process)'
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *FOLD-MARKER* ]]

	ocigate_refuses 'key `PROCESS` at $.PROCESS would be read by runc as `process`'
	[ -z "$(containers_left)" ]
}

@test "case-folded duplicate: runc merges \"Process\" into the judged \"process\"" {
	# "Process" carries only args: runc can run it only because Go decodes it INTO the object the
	# exact "process" built (cwd, user, ... come from there) and replaces args.
	update_config '.process.args = ["sh", "-c", "echo benign"] |
		.Process = {"args": ["sh", "-c", "echo MERGE-MARKER"]}'
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *MERGE-MARKER* ]]
	[[ "$output" != *benign* ]]

	ocigate_refuses 'key `Process` at $.Process is the same field as `process`'
	[ -z "$(containers_left)" ]
}

@test "nested case folding: \"NoNewPrivileges\" sets no_new_privs in runc, crun ignores it" {
	update_config '.process.args = ["grep", "NoNewPrivs", "/proc/self/status"] |
		.process.noNewPrivileges = false | .process.NoNewPrivileges = true'
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+1 ]]
	crun_run
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+0 ]]

	ocigate_refuses 'key `NoNewPrivileges` at $.process.NoNewPrivileges is the same field as `noNewPrivileges`'
	[ -z "$(containers_left)" ]
}

@test "nested case folding: \"Capabilities\" grants CAP_SYS_ADMIN under runc" {
	update_config '.process.args = ["grep", "CapEff", "/proc/self/status"] |
		.process.Capabilities = (.process.capabilities | map_values(. + ["CAP_SYS_ADMIN"]))'
	direct_run runc
	[ "$status" -eq 0 ]
	local capeff
	capeff=$(echo "$output" | awk '/CapEff/ { print $2 }')
	[ $(((0x$capeff >> 21) & 1)) -eq 1 ] # CAP_SYS_ADMIN is capability 21

	ocigate_refuses '$.process.Capabilities is the same field as `capabilities`'
	[ -z "$(containers_left)" ]
}

@test "deep case folding: linux.resources.\"Memory\" sets the cgroup memory limit" {
	update_config '.process.args = ["sh", "-c",
		"cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes"] |
		.linux.resources.Memory = {"limit": 67108864}'
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *67108864* ]]

	ocigate_refuses '$.linux.resources.Memory would be read by runc as `memory`'
	[ -z "$(containers_left)" ]
}

@test "case folding inside an array element: mounts[].\"Options\" overrides options" {
	update_config '.process.args = ["sh", "-c", "touch /m/x && echo WRITABLE-MARKER"] |
		.mounts += [{"destination": "/m", "type": "tmpfs", "source": "tmpfs",
			"options": ["ro"], "Options": ["rw"]}]'
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *WRITABLE-MARKER* ]]

	local last
	last=$(jq '.mounts | length - 1' "$BUNDLE/config.json")
	ocigate_refuses "\$.mounts[$last].Options is the same field as \`options\`"
	[ -z "$(containers_left)" ]
}

@test "U+017F LATIN SMALL LETTER LONG S: runc runs \"proceſs\"" {
	update_config '."proce\u017fs" = (.process | .args = ["sh", "-c", "echo LONGS-MARKER"]) |
		del(.process)'
	grep -q "proceſs" "$BUNDLE/config.json"
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *LONGS-MARKER* ]]

	ocigate_refuses 'would be read by runc as `process` (Go folds U+017F'
	[ -z "$(containers_left)" ]
}

@test "U+017F: \"mountſ\" replaces the judged mounts with a host bind mount" {
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	echo HOSTFILE-MARKER >"$BATS_TEST_TMPDIR/hostdir/secret"
	update_config '.process.args = ["cat", "/hostdir/secret"] |
		."mount\u017f" = (.mounts + [{"destination": "/hostdir", "type": "bind",
			"source": "'"$BATS_TEST_TMPDIR/hostdir"'", "options": ["rbind", "ro"]}])'
	jq -e '.mounts | map(.destination) | index("/hostdir") == null' "$BUNDLE/config.json"
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *HOSTFILE-MARKER* ]]

	ocigate_refuses 'is the same field as `mounts`'
	[ -z "$(containers_left)" ]
}

@test "U+212A KELVIN SIGN: runc runs a prestart hook from \"hooKs\" on the host" {
	local marker="$BATS_TEST_TMPDIR/hook-ran"
	update_config '.process.args = ["true"] |
		."hoo\u212as" = {"prestart": [{"path": "/bin/sh",
			"args": ["sh", "-c", "echo hook > '"$marker"'"]}]}'
	direct_run runc
	[ "$status" -eq 0 ]
	[ -f "$marker" ]
	rm -f "$marker"

	ocigate_refuses 'would be read by runc as `hooks` (Go folds'
	[ -z "$(containers_left)" ]
	[ ! -e "$marker" ]
}

@test "exact duplicate keys: runc applies the last \"process\" (refused by json.c)" {
	local benign evil body
	update_config '.process.args = ["sh", "-c", "echo benign"]'
	benign=$(jq -c '.process' "$BUNDLE/config.json")
	evil=$(jq -c '.process.args = ["sh", "-c", "echo DUP-MARKER"] | .process' "$BUNDLE/config.json")
	body=$(jq -c 'del(.process)' "$BUNDLE/config.json")
	set_raw_config "{\"process\":$benign,\"process\":$evil,${body#\{}"
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *DUP-MARKER* ]]

	ocigate_refuses 'duplicate key'
	[ -z "$(containers_left)" ]
}

@test "negative value for uint64: runc refuses, crun wraps it to RLIM_INFINITY" {
	update_config '.process.args = ["grep", "core file", "/proc/self/limits"] |
		.process.rlimits = [{"type": "RLIMIT_CORE", "hard": -1, "soft": -1}]'
	direct_run runc
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot unmarshal number -1"* ]]
	crun_run
	# strtoull("-1") is 2^64-1 = RLIM_INFINITY: the soft limit becomes unlimited, or, where the
	# host's hard limit is lower, crun fails trying to raise it.
	[[ "$output" =~ core\ file\ size[[:space:]]+unlimited[[:space:]]+unlimited ]] ||
		[[ "$output" == *setrlimit* ]]

	ocigate_refuses '$.process.rlimits[0].hard is `-1` but the field is uint64'
	[ -z "$(containers_left)" ]
}

@test "boolean given as a string: runc refuses, crun silently drops it" {
	update_config '.process.args = ["grep", "NoNewPrivs", "/proc/self/status"] |
		.process.noNewPrivileges = "true"'
	direct_run runc
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot unmarshal string"* ]]
	crun_run
	[ "$status" -eq 0 ]
	[[ "$output" =~ NoNewPrivs:[[:space:]]+0 ]]

	ocigate_refuses '$.process.noNewPrivileges is a string but must be a boolean'
	[ -z "$(containers_left)" ]
}

@test "number in a string array: runc refuses, crun runs it as an empty string" {
	update_config '.process.args = ["sh", "-c", "echo \"[$0]\"", 5]'
	direct_run runc
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot unmarshal number"* ]]
	crun_run
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "[]" ]

	ocigate_refuses '$.process.args[3] is a number but must be a string'
	[ -z "$(containers_left)" ]
}

@test "null in a string array: runc and crun run it as an empty string" {
	# An accessor that skips non-strings would judge args ["sh", "-c", ...] and $0 = "sh".
	update_config '.process.args = ["sh", "-c", "echo \"[$0]\"", null]'
	direct_run runc
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "[]" ]
	crun_run
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "[]" ]

	ocigate_refuses '$.process.args[3] is null'
	[ -z "$(containers_left)" ]
}

@test "fractions, exponents and out-of-range integers: both runtimes refuse, so does ocigate" {
	update_config '.process.user.uid = "@UID@"'
	sed -i 's/"@UID@"/0e0/' "$BUNDLE/config.json"
	direct_run runc
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot unmarshal number 0e0"* ]]
	crun_run
	[ "$status" -ne 0 ]
	ocigate_refuses '$.process.user.uid is `0e0`, not an integer literal'

	update_config '.process.user.uid = 4294967296'
	direct_run runc
	[ "$status" -ne 0 ]
	ocigate_refuses 'out of range for uint32'
	[ -z "$(containers_left)" ]
}

@test "runc exec --process applies a case-folded \"Args\"" {
	local id proc
	id=$(cid)
	update_config '.process.args = ["sleep", "300"]'
	"$REAL_RUNC" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
	"$REAL_RUNC" --root "$ROOT" start "$id"
	proc="$BATS_TEST_TMPDIR/process.json"
	jq '.process | .args = ["echo", "benign"] | .Args = ["echo", "EXEC-MARKER"]' \
		"$BUNDLE/config.json" >"$proc"
	run "$REAL_RUNC" --root "$ROOT" exec --process "$proc" "$id"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "EXEC-MARKER" ]

	ocigate_refuses '$.Args is the same field as `args`' exec --process "$proc" "$id"
}

@test "runc update --resources applies a case-folded \"Memory\"" {
	local id res limit=/sys/fs/cgroup/memory/memory.limit_in_bytes
	id=$(cid)
	update_config '.process.args = ["sleep", "300"]'
	"$REAL_RUNC" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
	"$REAL_RUNC" --root "$ROOT" start "$id"
	[ -e /sys/fs/cgroup/memory.max ] && limit=/sys/fs/cgroup/memory.max
	res="$BATS_TEST_TMPDIR/resources.json"
	echo '{"Memory": {"limit": 50331648}}' >"$res"

	ocigate_refuses '$.Memory would be read by runc as `memory`' update --resources "$res" "$id"
	run "$REAL_RUNC" --root "$ROOT" exec "$id" cat "$limit"
	[ "$output" != 50331648 ]

	run "$REAL_RUNC" --root "$ROOT" update --resources "$res" "$id"
	[ "$status" -eq 0 ]
	run "$REAL_RUNC" --root "$ROOT" exec "$id" cat "$limit"
	echo "$output"
	[ "$output" = 50331648 ]
}

@test "unknown keys and map keys are read alike by everyone: ocigate lets them through" {
	update_config '."x-unknown" = {"Process": null, "args": 5} |
		.process."x-also-unknown" = [1, null] |
		.annotations = {"Process": "x", "proce\u017fs": "y"}'
	direct_run runc
	[ "$status" -eq 0 ]
	[[ "$output" == *hello* ]]

	ocg_run ocigate
	[[ "$output" != *"would be read by runc"* ]]
	[[ "$output" != *"non-ASCII key"* ]]
	[[ "$output" != *"is null"* ]]
	[ "$status" -ne 2 ]
}
