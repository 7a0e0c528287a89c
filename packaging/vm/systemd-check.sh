#!/usr/bin/env bash
# Starts the packaged ebpf-exporter.service under a real systemd: systemd is not PID 1 on the build
# machines, so the check boots a kernel from vm/kernels.yaml (vm/run, QEMU) and runs systemd there.
# About 2 minutes under TCG. Usage: packaging/vm/systemd-check.sh [kernel id, default 6.12]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
kernel=${1:-6.12}
deb=$(ls dist/ebpf-exporter_*.deb)
out=$(mktemp -d /tmp/ebpf-exporter-systemd-XXXXXX)
trap 'rm -rf "$out"' EXIT
./vm/run --kernel "$kernel" --share "$out" --memory 2048 --timeout 900 -- \
	"$PWD/packaging/vm/systemd-guest.sh" "$PWD/$deb" "$out" >"$out/vm.txt" 2>&1 || true

fail() {
	echo "systemd-check: $*" >&2
	for f in status journal vm; do [ -f "$out/$f.txt" ] && { echo "--- $f" >&2; tail -20 "$out/$f.txt" >&2; }; done
	exit 1
}
[ -s "$out/metrics.txt" ] || fail "no metrics scraped from the service"
grep -q '^ebpf_exporter_softirqs_total{' "$out/metrics.txt" || fail "no softirqs_total series"
# The guest has no block device (its root is 9p), so biolatency attaches but records nothing: count configs.
[ "$(grep -c '^ebpf_exporter_enabled_configs{' "$out/metrics.txt")" -eq 2 ] || fail "not both default configs enabled"
grep -Eq '^ebpf_exporter_softirqs_total\{[^}]*\} [1-9]' "$out/metrics.txt" || fail "no softirq counted"
uid=$(awk '/^Uid:/ {print $2}' "$out/credentials.txt")
[ "$uid" -ge 61184 ] && [ "$uid" -le 65519 ] || fail "service uid $uid is not a DynamicUser uid (61184-65519)"
# CAP_BPF is bit 39, CAP_PERFMON bit 38: the effective set is exactly those two.
grep -q '^CapEff:[[:space:]]*000000c000000000$' "$out/credentials.txt" || fail "effective capabilities are not CAP_BPF+CAP_PERFMON: $(grep CapEff "$out/credentials.txt")"
grep -q '^Seccomp:[[:space:]]*2$' "$out/credentials.txt" || fail "no seccomp filter on the service"
echo "systemd-check: ebpf-exporter.service ran as uid $uid with CAP_BPF+CAP_PERFMON under seccomp; $(grep -c '^ebpf_exporter_' "$out/metrics.txt") ebpf_exporter_ series scraped"
