// Which examples can load and attach on this host: their examples/<name>.expect.yaml lists the attach
// types and kernel features they need; kprobe and fentry-family programs cannot run on a kernel without
// kprobes or trampolines, and a few features are checked on the spot.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BENCH_BUILD, REPO_ROOT } from './paths';

/** Attach types that need CONFIG_KPROBES or BPF trampolines (fentry/fexit/lsm). */
const PROBE_ATTACH = new Set(['kprobe', 'kretprobe', 'fentry', 'fexit', 'lsm']);

export interface HostCapability {
  hasKprobes: boolean;
  hasTrampolines: boolean;
  hasHardwarePmu: boolean;
  kallsyms: ReadonlySet<string>;
}

/** No file says whether fentry works (this host has direct calls yet refuses with EPERM): load a probe. */
function kernelLoads(object: string): boolean {
  try {
    execFileSync(join(BENCH_BUILD, 'can-load'), [object], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export function detectHost(): HostCapability {
  const devices = '/sys/bus/event_source/devices';
  return {
    hasKprobes: existsSync(join(devices, 'kprobe')),
    hasTrampolines: kernelLoads(join(REPO_ROOT, 'examples/harness/fentry-probe.bpf.o')),
    hasHardwarePmu: ['cpu', 'cpu_core', 'armv8_pmuv3_0'].some((pmu) => existsSync(join(devices, pmu))),
    kallsyms: new Set(readFileSync('/proc/kallsyms', 'utf8').split('\n').map((line) => line.split(' ')[2] ?? '')),
  };
}

interface ExampleNeeds {
  attach: string[];
  features: string[];
  kaddrs: string[];
}

function needsOf(examplesDir: string, name: string): ExampleNeeds {
  const expect = parse(readFileSync(join(examplesDir, `${name}.expect.yaml`), 'utf8')) as { attach?: string[]; features?: string[] };
  const config = parse(readFileSync(join(examplesDir, `${name}.yaml`), 'utf8')) as { kaddrs?: string[] };
  return { attach: expect.attach ?? [], features: expect.features ?? [], kaddrs: config.kaddrs ?? [] };
}

/** Why `name` cannot load here, or undefined when it can. */
export function unsupportedReason(needs: ExampleNeeds, host: HostCapability): string | undefined {
  const probes = needs.attach.filter((attach) => PROBE_ATTACH.has(attach));
  if (probes.some((attach) => attach.startsWith('k')) && !host.hasKprobes) return `needs ${probes.join(', ')}: no kprobes`;
  if (probes.length > 0 && !host.hasTrampolines) return `needs ${probes.join(', ')}: no BPF trampolines`;
  if (needs.features.includes('hw_pmu') && !host.hasHardwarePmu) return 'needs a hardware PMU';
  const missing = needs.kaddrs.filter((symbol) => !host.kallsyms.has(symbol));
  if (missing.length > 0) return `needs ${missing.join(', ')} in /proc/kallsyms`;
  return undefined;
}

export interface ExampleSelection {
  capable: string[];
  skipped: { name: string; reason: string }[];
}

export function hostCapableExamples(examplesDir: string, host: HostCapability = detectHost()): ExampleSelection {
  const names = readdirSync(examplesDir)
    .filter((file) => file.endsWith('.expect.yaml'))
    .map((file) => file.slice(0, -'.expect.yaml'.length))
    .sort();
  const selection: ExampleSelection = { capable: [], skipped: [] };
  for (const name of names) {
    const reason = unsupportedReason(needsOf(examplesDir, name), host);
    if (reason) selection.skipped.push({ name, reason });
    else selection.capable.push(name);
  }
  return selection;
}
