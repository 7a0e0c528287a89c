import type { DecoderEnvironment } from '../decoders/decoder';

/**
 * A decoder environment for x86_64 that knows no host: no kernel symbols, partitions, interfaces, cgroups
 * or PCI names. For tests and benchmarks whose labels only use decoders that never ask the host.
 */
export function hostlessEnvironment(): DecoderEnvironment {
  return {
    littleEndian: true,
    arch: 'x86_64',
    kallsyms: () => '',
    partitions: () => '',
    ifname: () => undefined,
    cgroupPath: () => undefined,
    pciIds: () => undefined,
  };
}
