// Probes for kernel features examples need beyond BPF itself. Each probe looks at the running kernel
// (sysfs, procfs, tracefs or a real BPF load) and returns why the feature is missing, or undefined.
// An example is only reported "unsupported" when it failed AND one of its features probes as missing.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';

export const KERNEL_FEATURES = [
  'kprobes',
  'fentry',
  'uprobes',
  'hw_pmu',
  'kallsyms_all',
  'loop',
  'ext4',
  'memcg',
  'pci',
  'python_usdt',
  'smp',
] as const;
export type KernelFeature = (typeof KERNEL_FEATURES)[number];

const run = promisify(execFile);

export interface ProbeContext {
  /** The example's `kaddrs` (symbols the exporter must find in /proc/kallsyms). */
  kaddrs: string[];
  /** A BPF object with one fentry program, built with the examples. */
  fentryProbeObject: string;
}

type Probe = (context: ProbeContext) => Promise<string | undefined>;

const PROBES: Record<KernelFeature, Probe> = {
  kprobes: async () => {
    if (existsSync('/sys/bus/event_source/devices/kprobe') || existsSync(`${tracefs()}/kprobe_events`)) return undefined;
    return `kernel built without CONFIG_KPROBES (no kprobe PMU in /sys/bus/event_source/devices, no kprobe_events in tracefs)${configNote('CONFIG_KPROBES')}`;
  },
  fentry: async ({ fentryProbeObject }) => {
    await ensureBpffs();
    const pin = `/sys/fs/bpf/ebpf-exporter-fentry-probe-${process.pid}`;
    try {
      await run('bpftool', ['prog', 'load', fentryProbeObject, pin], { timeout: 30_000 });
      return undefined;
    } catch (error) {
      const output = (error as { stderr?: string }).stderr ?? '';
      const refusal = /load failed:\s*(.*)/.exec(output)?.[1];
      // Anything but the kernel refusing the program (bpftool missing, no bpffs) is a broken probe,
      // not a missing feature: better to stop than to report a wrong "unsupported".
      if (refusal === undefined) throw new Error(`fentry probe: bpftool prog load ${fentryProbeObject} failed: ${(error as Error).message}`);
      return `kernel refuses fentry/fexit programs (BPF trampoline load of a probe program failed: ${refusal})`;
    } finally {
      rmSync(pin, { force: true });
    }
  },
  uprobes: async () =>
    existsSync('/sys/bus/event_source/devices/uprobe')
      ? undefined
      : `kernel built without CONFIG_UPROBES (no uprobe PMU in /sys/bus/event_source/devices)${configNote('CONFIG_UPROBES')}`,
  hw_pmu: async () =>
    ['cpu', 'cpu_core', 'armv8_pmuv3_0'].some((pmu) => existsSync(`/sys/bus/event_source/devices/${pmu}`))
      ? undefined
      : 'no hardware PMU (no cpu event source in /sys/bus/event_source/devices: virtual machine without PMU passthrough?)',
  kallsyms_all: async ({ kaddrs }) => {
    const symbols = new Set(readFileSync('/proc/kallsyms', 'utf8').split('\n').map((line) => line.split(' ')[2]));
    const missing = kaddrs.filter((symbol) => !symbols.has(symbol));
    return missing.length === 0
      ? undefined
      : `kernel built without CONFIG_KALLSYMS_ALL: ${missing.join(', ')} missing from /proc/kallsyms${configNote('CONFIG_KALLSYMS_ALL')}`;
  },
  loop: async () => {
    await loadModule('loop');
    return existsSync('/dev/loop-control') ? undefined : 'no loop block device support (CONFIG_BLK_DEV_LOOP, /dev/loop-control missing)';
  },
  ext4: async () => {
    await loadModule('ext4');
    return /\text4$/m.test(readFileSync('/proc/filesystems', 'utf8')) ? undefined : 'no ext4 filesystem in /proc/filesystems (CONFIG_EXT4_FS)';
  },
  memcg: async () => {
    const root = cgroup2Root();
    if (!root) return 'no cgroup2 filesystem mounted';
    const controllers = readFileSync(join(root, 'cgroup.controllers'), 'utf8');
    return /\bmemory\b/.test(controllers)
      ? undefined
      : `cgroup2 at ${root} has no memory controller (it is bound to a cgroup v1 hierarchy or CONFIG_MEMCG is off)`;
  },
  pci: async () =>
    existsSync('/sys/bus/pci/devices') && readdirSync('/sys/bus/pci/devices').length > 0 ? undefined : 'no PCI devices (/sys/bus/pci/devices is empty)',
  python_usdt: async () => (existsSync('/usr/bin/python3.11') ? undefined : '/usr/bin/python3.11 (USDT probe provider) not installed'),
  smp: async () => (cpus().length >= 2 ? undefined : `only ${cpus().length} CPU online: tasks cannot migrate`),
};

/** Reasons for every listed feature that is missing on this kernel, in the order given. */
export async function missingFeatures(features: readonly KernelFeature[], context: ProbeContext): Promise<string[]> {
  const reasons = await Promise.all(features.map((feature) => PROBES[feature](context)));
  return reasons.filter((reason): reason is string => reason !== undefined);
}

function tracefs(): string {
  return existsSync('/sys/kernel/tracing/events') ? '/sys/kernel/tracing' : '/sys/kernel/debug/tracing';
}

function cgroup2Root(): string | undefined {
  const mount = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .find((fields) => fields[2] === 'cgroup2');
  return mount?.[1];
}

/** `(/proc/config.gz: # CONFIG_X is not set)` when the kernel exposes its config, to back the claim. */
function configNote(option: string): string {
  try {
    const config = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
    const line = config.split('\n').find((entry) => entry === `# ${option} is not set` || entry.startsWith(`${option}=`));
    return line ? ` (/proc/config.gz: ${line})` : '';
  } catch {
    return '';
  }
}

async function loadModule(name: string): Promise<void> {
  await run('modprobe', ['-q', name], { timeout: 10_000 }).catch(() => undefined);
}

/** bpftool pins what it loads, so the probe needs bpffs (not mounted at boot on these machines). */
async function ensureBpffs(): Promise<void> {
  if (/^\S+ \/sys\/fs\/bpf bpf /m.test(readFileSync('/proc/mounts', 'utf8'))) return;
  await run('mount', ['-t', 'bpf', 'bpf', '/sys/fs/bpf'], { timeout: 10_000 });
}
