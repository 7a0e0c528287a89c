// Where everything goes on an installed system. The .deb, the container image (which installs the
// .deb) and the Kubernetes manifest all refer to these paths; their tests compare against this table.

export const PACKAGE_NAME = 'ebpf-exporter';
export const SERVICE_NAME = `${PACKAGE_NAME}.service`;
export const DEFAULT_PORT = 9435;

export const INSTALL_PATHS = {
  /** The command users run: a shell launcher starting the private Node runtime on the bundle. */
  launcher: '/usr/bin/ebpf_exporter',
  /** Private runtime directory: node, main.mjs (+ map), bpf_native.node, dashboard symlink. */
  libDir: '/usr/lib/ebpf-exporter',
  /** Example configs: <name>.yaml beside a <name>.bpf.o symlink (--config.dir points here). */
  examples: '/usr/share/ebpf-exporter/examples',
  /** The compiled BPF objects themselves: bytecode built against x86 headers is architecture dependent. */
  bpfObjects: '/usr/lib/ebpf-exporter/examples',
  /** Static dashboard assets (architecture independent), linked from libDir where the exporter looks. */
  dashboard: '/usr/share/ebpf-exporter/dashboard',
  defaults: '/etc/default/ebpf-exporter',
  unit: `/lib/systemd/system/${SERVICE_NAME}`,
  doc: '/usr/share/doc/ebpf-exporter',
} as const;

/** Examples that need nothing beyond the service's CAP_BPF and CAP_PERFMON (tp_btf programs, plain decoders). */
export const DEFAULT_CONFIG_NAMES = ['biolatency', 'percpu-softirq'] as const;

/** The Debian package's file name, as dpkg-name would call it. */
export function debFileName(version: string, architecture: string): string {
  return `${PACKAGE_NAME}_${version}_${architecture}.deb`;
}
