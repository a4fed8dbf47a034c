#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The audit trail of a fleet, through the real runc: every record says when (UTC, to the
# microsecond), on which host, by which ocigate and under which policy files it was decided (the
# digest is what sha256sum gives for the files, in load order); a record is never longer than its
# bound, whatever the config holds, and stays one JSON object; the sink can be syslog, and a
# denied create reaches the socket; the README's jq one-liner counts what the records decided.

load helpers

setup() {
	setup_bundle
	update_config '.process.args = ["true"]'
}

# The record bound of shim/audit.h: a line, newline included, of at most 8000 bytes.
LINE_MAX=8000

# longest_line FILE: the length of FILE's longest line, newline included.
longest_line() {
	awk '{ if (length($0) + 1 > m) m = length($0) + 1 } END { print m + 0 }' "$1"
}

@test "audit trail: a record names the host, ocigate's version and the policy files' digest, in UTC to the microsecond" {
	local dir="$BATS_TEST_TMPDIR/etc" digest
	mkdir -p "$dir/policy.d"
	printf '{"mode": "enforce"}\n' >"$dir/policy.json"
	printf '{"profile": "baseline"}\n' >"$dir/policy.d/20-b.json"
	printf '// first drop-in\n{}\n' >"$dir/policy.d/10-a.json"
	chmod 0644 "$dir/policy.json" "$dir"/policy.d/*.json
	ocg_run --ocigate-policy="$dir/policy.json"
	[ "$status" -eq 0 ]
	# The files as ocigate reads them: the main file, then the drop-ins in strcmp order.
	digest=sha256:$(cat "$dir/policy.json" "$dir/policy.d/10-a.json" "$dir/policy.d/20-b.json" | sha256sum | cut -d' ' -f1)
	run audit_record run
	echo "$output"
	jq -e --arg h "$(hostname)" --arg v "$("$OCIGATE" --ocigate-version --format json | jq -r .version)" \
		--arg d "$digest" '.host == $h and .ocigate_version == $v and .policy_digest == $d
		and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$"))
		and ((.time | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) - now | fabs < 3600)' <<<"$output"
}

@test "audit trail: with no policy file, the record names the built-in profile that decided" {
	local default
	default=$("$OCIGATE" --ocigate-version --format json | jq -r .policy_file)
	[ ! -e "$default" ] && [ ! -e "${default%.json}.d" ] ||
		skip "this host has a policy at $default: the built-in profiles do not apply"
	OCIGATE_POLICY='' ocg run --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 0 ]
	run audit_record run
	jq -e '.policy == "baseline" and .policy_digest == "builtin:baseline"' <<<"$output"
}

@test "audit trail: the injected seccomp profile is recorded as its length and digest, which the config on disk matches" {
	update_config 'del(.linux.seccomp)'
	ocg_run
	[ "$status" -eq 0 ]
	run audit_record run
	echo "$output" | head -c 600
	[ "${#output}" -lt "$LINE_MAX" ]
	# The value in config.json, written compactly, is the one the record's digest names.
	jq -e --arg d "$(jq -cj .linux.seccomp "$BUNDLE/config.json" | sha256sum | cut -d' ' -f1)" \
		--argjson n "$(jq -cj .linux.seccomp "$BUNDLE/config.json" | wc -c)" \
		'.truncated == true and any(.patch[]; .path == "/linux/seccomp" and .value_sha256 == $d
		and .value_bytes == $n and has("value") == false)' <<<"$output"
}

@test "audit trail: an oversized config (huge env, annotations, mounts) gets a record within the bound, still JSON" {
	# 3000 binds of /etc (each denied), 12000 annotations crun acts on (each denied), 20000
	# environment variables: a config of about 3 MiB, under ocigate's 4 MiB document limit.
	update_config '.process.env += [range(20000) | "VAR\(.)=\("x" * 64)"]
		| .annotations = ([range(12000) | {key: "run.oci.k\(.)", value: ("v" * 32)}] | from_entries)
		| .mounts += [range(3000) | {destination: "/m\(.)", type: "bind", source: "/etc", options: ["rbind", "ro"]}]'
	[ "$(stat -c %s "$BUNDLE/config.json")" -gt 2000000 ]
	ocg run --bundle "$BUNDLE" "$(cid)"
	assert_denied sensitive-mounts
	[ "$(longest_line "$AUDIT")" -le "$LINE_MAX" ]
	run audit_record run
	jq -e '.verdict == "deny" and .executed == false and .truncated == true
		and (.omitted.denied > 0) and ([.denied[].rule] | index("sensitive-mounts") != null)' <<<"$output"
}

@test "audit trail: the file is opened for every record, so a renamed trail is followed by a new file" {
	ocg_run one
	[ "$status" -eq 0 ]
	mv "$AUDIT" "$AUDIT.1"
	ocg_run two
	[ "$status" -eq 0 ]
	[ "$(jq -r .container "$AUDIT.1")" = "$(cid one)" ]
	[ "$(jq -r .container "$AUDIT")" = "$(cid two)" ]
	[ "$(stat -c %a "$AUDIT")" = 600 ]
}

# syslog_listen SOCKET OUT: a datagram socket bound at SOCKET, each message received appended to
# OUT, one a line, until the test's teardown stops it (PIDS).
syslog_listen() {
	requires python3
	/usr/bin/python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
' "$1" "$2" >"$BATS_TEST_TMPDIR/listener.out" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do
		grep -q ready "$BATS_TEST_TMPDIR/listener.out" && return 0
		sleep 0.05
	done
	return 1
}

@test "audit trail: with the syslog sink, a denied create reaches the socket: authpriv, ident ocigate" {
	local sock="$BATS_TEST_TMPDIR/log.sock" got="$BATS_TEST_TMPDIR/syslog.out"
	syslog_listen "$sock" "$got"
	policy_file "{\"audit_log\": \"syslog:$sock\"}"
	AUDIT="$BATS_TEST_TMPDIR/unused.log"
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	# The policy's sink, not a flag's: no --ocigate-audit-log.
	run env -u OCIGATE_AUDIT_LOG "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-policy "$POLICY" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
	echo "$output"
	[ "$status" -eq 1 ]
	[ ! -e "$AUDIT" ]
	for _ in $(seq 100); do
		[ -s "$got" ] && break
		sleep 0.05
	done
	cat "$got"
	# <PRI> 84 = authpriv (10) * 8 + warning (4); then the record itself.
	grep -E '^<84>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} ocigate\[[0-9]+\]: \{' "$got"
	sed -E 's/^[^{]*//' "$got" | jq -e --arg c "$(cid)" '.container == $c and .verdict == "deny"
		and .executed == false and any(.denied[]; .rule == "capabilities")'
	# `ocigate doctor`'s check of the sink: the socket takes a connection.
	run "$OCIGATE" --ocigate-policy "$POLICY" doctor --engine none --format json
	jq -e '.findings[] | select(.id == "ocigate.audit-log") | .severity == "info"' <<<"$output"
}

@test "audit trail: with the syslog sink and nobody listening, a create is refused (a decision not recorded is not taken)" {
	policy_file "{\"audit_log\": \"syslog:$BATS_TEST_TMPDIR/nobody.sock\"}"
	run env -u OCIGATE_AUDIT_LOG "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-policy "$POLICY" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"send the audit record to syslog"* ]]
	[ -z "$(containers_left)" ]
}

@test "audit trail: the host's syslog (/dev/log) gets the record of a denied create" {
	[ -S /dev/log ] || skip "no syslog socket at /dev/log on this host (neither journald nor rsyslog runs): the sink is shown with the test's own socket above"
	command -v journalctl >/dev/null && [ -d /run/systemd/journal ] ||
		skip "/dev/log is not journald's: cannot read the record back"
	policy_file '{"audit_log": "syslog"}'
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	run env -u OCIGATE_AUDIT_LOG "$OCIGATE" --ocigate-runtime "$REAL_RUNC" --ocigate-policy "$POLICY" \
		--root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
	[ "$status" -eq 1 ]
	journalctl --sync 2>/dev/null || true
	journalctl -t ocigate -o cat --since=-5min | grep -F "\"container\":\"$(cid)\""
}

# The one-liner of the README ("What the fleet decided"), as written there.
readme_one_liner() {
	sed -n '/^<!-- fleet-one-liner -->$/,/^```$/p' "$OCG_SRCDIR/README.md" | sed -n '/^jq /p'
}

@test "audit trail: the README's jq one-liner counts what the records decided, by host, verdict and rule" {
	local cmd log="$BATS_TEST_TMPDIR/shipped.log"
	cmd=$(readme_one_liner)
	echo "$cmd"
	[ -n "$cmd" ]
	# Real records: two allowed runs (rewritten by the same rules), a privileged container and a
	# container with CAP_SYS_ADMIN, both denied.
	ocg_run a
	ocg_run b
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/plain.json"
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
	ocg run --bundle "$BUNDLE" "$(cid c)"
	assert_denied capabilities
	cp "$BATS_TEST_TMPDIR/plain.json" "$BUNDLE/config.json"
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	ocg run --bundle "$BUNDLE" "$(cid d)"
	assert_denied host-namespaces
	# What a log agent ships: the lines as written.
	cp "$AUDIT" "$log"
	run bash -c "${cmd/\/var\/log\/ocigate\/audit.log/$log}"
	echo "$output"
	[ "$status" -eq 0 ]
	local h
	h=$(hostname)
	# One line per (count, host, verdict, rule), tab-separated.
	grep -qxF "$(printf '1\t%s\tdeny\tcapabilities' "$h")" <<<"$output"
	grep -qxF "$(printf '1\t%s\tdeny\thost-namespaces' "$h")" <<<"$output"
	# The first run injected the seccomp profile; the second found it there.
	grep -qxF "$(printf '1\t%s\trewrite\tseccomp' "$h")" <<<"$output"
	[ "$(awk -F'\t' '$3 == "deny"' <<<"$output" | wc -l)" -eq 2 ]
}

@test "audit trail: contrib/kubernetes/log-agents.md tails the file ocigate writes and logrotate rotates, with room for any record" {
	requires python3
	local doc="$OCG_SRCDIR/contrib/kubernetes/log-agents.md" written
	# The file a node's ocigate writes with the DaemonSet's ConfigMap policy: the default, which
	# ocigate doctor names (the ConfigMap sets no audit_log).
	run grep -q '"audit_log"' "$OCG_SRCDIR/contrib/kubernetes/policy-configmap.yaml"
	[ "$status" -eq 1 ]
	written=$(env -u OCIGATE_AUDIT_LOG -u OCIGATE_POLICY "$OCIGATE" doctor --engine none --format json |
		jq -r '.findings[] | select(.id == "ocigate.audit-log") | .location')
	echo "ocigate writes $written"
	[ "$written" = /var/log/ocigate/audit.log ]
	grep -qxF "$written {" "$OCG_SRCDIR/contrib/logrotate/ocigate"
	# Fluent Bit: the path, and a buffer that holds the longest line.
	grep -qE "^ +Path +$written\$" "$doc"
	[ "$(sed -nE 's/^ +Buffer_Max_Size +([0-9]+)k$/\1/p' "$doc")" -ge $(((LINE_MAX + 1023) / 1024)) ]
	# Vector: the configuration parses, with the path and a line limit above the bound.
	sed -n '/^## Vector$/,/^## /p' "$doc" | sed -n '/^```yaml$/,/^```$/p' | sed '1d;$d' >"$BATS_TEST_TMPDIR/vector.yaml"
	/usr/bin/python3 -c '
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
s = c["sources"]["ocigate_audit"]
assert s["include"] == [sys.argv[2]], s["include"]
assert s["max_line_bytes"] >= int(sys.argv[3]), s["max_line_bytes"]
assert c["transforms"]["ocigate_records"]["inputs"] == ["ocigate_audit"]
' "$BATS_TEST_TMPDIR/vector.yaml" "$written" "$LINE_MAX"
}
