#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine (as root) to build and run the exporter: system packages,
# npm dependencies, kernel mounts, and every build (native addon, BPF examples, dashboard, exporter).
# With --run it then starts the exporter on the default examples, dashboard included.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool pkg-config make g++ python3 # BPF objects + native addon
  clang-format                                                                     # examples format check
  pci.ids                                                                          # pci_* decoders
  prometheus                                                                       # promtool + real server for e2e
  lintian dpkg-dev systemd groff-base                                              # .deb build, lint and unit checks
  chromium                                                                         # dashboard browser tests
  qemu-system-x86 busybox-static kmod cpio xz-utils zstd                           # VM kernel matrix
  iproute2 iputils-ping procps util-linux python3 bsdextrautils strace             # example workloads, e2e checks
  python3-prometheus-client                                                        # OpenMetrics parser in golden tests
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root (BPF, mounts and apt need it): sudo bash scripts/setup.sh" >&2
  exit 1
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

grep -qs ' /sys/fs/bpf bpf ' /proc/mounts || mount -t bpf bpf /sys/fs/bpf
grep -qs ' /sys/kernel/tracing tracefs ' /proc/mounts || mount -t tracefs tracefs /sys/kernel/tracing

# npm only fetches the packages: Node.js 24 itself is one of them (node-linux-<arch>, see
# scripts/node-runtime.sh), so the machine's own node and npm may be any version Debian ships.
if ! command -v npm >/dev/null; then
  echo "setup.sh: installing npm (to fetch the pinned Node.js 24 and the dependencies)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
source scripts/node-runtime.sh
NX_DAEMON=false npx nx run-many -t build --outputStyle=static

# --- virtme-ng for the VM kernel matrix (vm/, #13) ---------------------------------------------------
# Debian's virtme-ng package (sid, Architecture: all) unpacked under /opt/virtme-ng with wrappers in
# /opt/virtme-ng/bin (not on PATH: `./vm/run --engine vng` finds it there). Bookworm has no virtme-ng;
# its dependencies are bookworm packages for Debian's own python3 (the wrappers run /usr/bin/python3).
install_virtme_ng() {
  local deps=(python3-argcomplete python3-requests file kmod kbd util-linux-extra iproute2 busybox-static)
  local need=()
  for pkg in "${deps[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "setup.sh: installing ${need[*]} (virtme-ng dependencies)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  [ -x /opt/virtme-ng/bin/vng ] && /opt/virtme-ng/bin/vng --version >/dev/null 2>&1 && return 0
  node --import ./node_modules/tsx/dist/loader.mjs vm/src/install-virtme-ng.ts /opt/virtme-ng
}
install_virtme_ng
# --- end virtme-ng ------------------------------------------------------------------------------------

# --- Prometheus 3 for the native-histogram tests (#16) ------------------------------------------------
# Bookworm's prometheus is 2.42; sid's 3.5 binary (static Go) is unpacked into the VM cache through the
# same private apt state, without installing the package or its dependencies.
install_prometheus3() {
  node --import ./node_modules/tsx/dist/loader.mjs apps/exporter/e2e/prometheus3.ts
}
install_prometheus3
# --- end Prometheus 3 ---------------------------------------------------------------------------------

if [ "${1:-}" = "--run" ]; then
  shift
  exec ./ebpf_exporter --config.dir=examples --config.names="${DEFAULT_EXAMPLES:-timers,biolatency,percpu-softirq}" "$@"
fi
