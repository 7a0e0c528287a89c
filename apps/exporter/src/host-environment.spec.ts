import { parseConfig } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { decodesKernelSymbols, hostDecoderEnvironment, kallsymsSnapshot } from './host-environment';

const counter = (decoder: string): string => `metrics:
  counters:
    - name: things_total
      help: Things
      labels:
        - name: thing
          size: 8
          decoders:
            - name: ${decoder}
`;

describe('decodesKernelSymbols', () => {
  it('is true only when a label uses ksym or kstack', () => {
    expect(decodesKernelSymbols([parseConfig(counter('uint'), 'a.yaml')])).toBe(false);
    expect(decodesKernelSymbols([parseConfig(counter('uint'), 'a.yaml'), parseConfig(counter('ksym'), 'b.yaml')])).toBe(true);
    expect(decodesKernelSymbols([parseConfig(counter('kstack'), 'c.yaml')])).toBe(true);
  });
});

describe('hostDecoderEnvironment', () => {
  it('answers cgroup ids from the resolver it is given', () => {
    const environment = hostDecoderEnvironment({ cgroups: { resolve: (id) => (id === 7n ? '/sys/fs/cgroup/unified/seven' : undefined) } });
    expect(environment.cgroupPath(7n)).toBe('/sys/fs/cgroup/unified/seven');
    expect(environment.cgroupPath(8n)).toBeUndefined();
  });

  it('keeps serving a kallsyms snapshot taken earlier', () => {
    const snapshot = kallsymsSnapshot();
    const environment = hostDecoderEnvironment({ kallsyms: snapshot });
    expect(environment.kallsyms()).toBe(snapshot());
    // Taken as root with CAP_SYSLOG, the copy has real addresses, which is what it is taken for.
    expect(environment.kallsyms()).toMatch(/^ffff[0-9a-f]{12} [tT] /m);
  });
});
