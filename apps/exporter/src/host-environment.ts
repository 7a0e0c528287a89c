// The decoders in libs/metrics are pure; this module gives them this host's facts (kallsyms, partitions,
// interface names, cgroups, pci.ids), read lazily so a config that never uses a decoder never pays for it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import type { Config, DecoderEnvironment } from '@ebpf-exporter/metrics';
import { CgroupMonitor } from './cgroups/cgroup-monitor';
import { parseCgroupMounts } from './cgroups/cgroup-mounts';

const PCI_IDS_PATHS = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids'];

export function hostArch(): 'x86_64' | 'arm64' {
  if (process.arch === 'x64') return 'x86_64';
  if (process.arch === 'arm64') return 'arm64';
  throw new Error(`unsupported architecture ${process.arch}: only x86_64 and arm64 have syscall tables`);
}

function readInterfaceIndexes(): Map<number, string> {
  const names = new Map<number, string>();
  for (const name of readdirSync('/sys/class/net')) {
    try {
      names.set(Number.parseInt(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'), 10), name);
    } catch {
      // interface vanished between readdir and read
    }
  }
  return names;
}

export function findPciIds(): string | undefined {
  return PCI_IDS_PATHS.find((p) => existsSync(p));
}

/** Where the `cgroup` decoder's ids are looked up (a CgroupMonitor in the exporter). */
export interface CgroupResolver {
  resolve(id: bigint): string | undefined;
}

export interface HostFacts {
  /** Default: a walk-only monitor of this host's cgroup mounts, created on first use. */
  cgroups?: CgroupResolver;
  /** Default: reads /proc/kallsyms each time (the decoders re-read it when a symbol is missing). */
  kallsyms?: () => string;
}

/**
 * /proc/kallsyms read now, for when CAP_SYSLOG is about to be dropped: without it the kernel shows every
 * address as 0. Modules loaded later are then unknown to ksym/kstack.
 */
export function kallsymsSnapshot(): () => string {
  const text = readFileSync('/proc/kallsyms', 'latin1');
  return () => text;
}

/** Whether any label of these configs goes through ksym or kstack, the decoders that read kallsyms. */
export function decodesKernelSymbols(configs: readonly Config[]): boolean {
  return configs.some(({ metrics, tracing }) =>
    [...metrics.counters, ...metrics.gauges, ...metrics.histograms, ...tracing.spans].some(({ labels }) =>
      labels.some(({ decoders }) => decoders.some(({ name }) => name === 'ksym' || name === 'kstack')),
    ),
  );
}

export function hostDecoderEnvironment(facts: HostFacts = {}): DecoderEnvironment {
  let cgroups = facts.cgroups;
  let interfaces = new Map<number, string>();
  let pciIds: string | undefined | null = null;
  return {
    littleEndian: endianness() === 'LE',
    arch: hostArch(),
    kallsyms: facts.kallsyms ?? (() => readFileSync('/proc/kallsyms', 'latin1')),
    partitions: () => readFileSync('/proc/partitions', 'latin1'),
    ifname: (index) => {
      if (!interfaces.has(index)) interfaces = readInterfaceIndexes();
      return interfaces.get(index);
    },
    cgroupPath: (id) => {
      cgroups ??= new CgroupMonitor({ mounts: parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')) });
      return cgroups.resolve(id);
    },
    pciIds: () => {
      if (pciIds === null) {
        const path = findPciIds();
        pciIds = path === undefined ? undefined : readFileSync(path, 'utf8');
      }
      return pciIds;
    },
  };
}
