import { describe, expect, it } from 'vitest';
import { unsupportedReason, type HostCapability } from './host-examples';

const bareHost: HostCapability = { hasKprobes: false, hasTrampolines: false, hasHardwarePmu: false, kallsyms: new Set(['jiffies']) };
const fullHost: HostCapability = { hasKprobes: true, hasTrampolines: true, hasHardwarePmu: true, kallsyms: new Set(['bpf_jit_current']) };

describe('unsupportedReason', () => {
  it('keeps tracepoint and uprobe examples everywhere', () => {
    expect(unsupportedReason({ attach: ['tp_btf'], features: ['loop'], kaddrs: [] }, bareHost)).toBeUndefined();
    expect(unsupportedReason({ attach: ['uprobe'], features: ['uprobes'], kaddrs: [] }, bareHost)).toBeUndefined();
  });

  it('names the missing kernel feature', () => {
    expect(unsupportedReason({ attach: ['kretprobe'], features: ['kprobes'], kaddrs: [] }, bareHost)).toBe('needs kretprobe: no kprobes');
    expect(unsupportedReason({ attach: ['fentry', 'fexit'], features: ['fentry'], kaddrs: [] }, bareHost)).toBe('needs fentry, fexit: no BPF trampolines');
    expect(unsupportedReason({ attach: ['perf_event'], features: ['hw_pmu'], kaddrs: [] }, bareHost)).toBe('needs a hardware PMU');
    expect(unsupportedReason({ attach: ['perf_event'], features: [], kaddrs: ['bpf_jit_current'] }, bareHost)).toBe('needs bpf_jit_current in /proc/kallsyms');
  });

  it('accepts all of them on a kernel that has everything', () => {
    for (const attach of ['kprobe', 'fentry', 'perf_event']) {
      expect(unsupportedReason({ attach: [attach], features: ['hw_pmu'], kaddrs: ['bpf_jit_current'] }, fullHost)).toBeUndefined();
    }
  });
});
