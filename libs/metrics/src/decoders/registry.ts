import type { DecoderConfig } from '../config/types';
import { createUintDecoder, hexDecoder, stringDecoder } from './bytes-decoders';
import { SKIP, type Decoder, type DecoderEnvironment, type DecoderInput, type Skip } from './decoder';
import type { DecoderName } from './decoder-names';
import { dnameDecoder } from './dname';
import { createCgroupDecoder, createIfnameDecoder, createMajorMinorDecoder } from './host-decoders';
import { inetIpDecoder } from './inet-ip';
import { Kallsyms } from './kallsyms';
import { createKstackDecoder, createKsymDecoder } from './kernel-symbol-decoders';
import { createPciDecoders } from './pci-decoders';
import { createSyscallDecoder, errnoDecoder, regexpDecoder, staticMapDecoder } from './table-decoders';

export interface DecoderRegistry {
  /** Byte order of map keys and values on this host. */
  readonly littleEndian: boolean;
  /**
   * Runs a label's decoder chain over its key bytes.
   * @returns the label value, or SKIP when the label set is to be dropped.
   * @throws Error when a decoder cannot decode the input.
   */
  decode(bytes: Uint8Array, decoders: readonly DecoderConfig[]): string | Skip;
}

/** All 18 upstream decoders over one host environment; caches (kallsyms, pci.ids, names) live as long as it. */
export function createDecoderRegistry(env: DecoderEnvironment): DecoderRegistry {
  const kallsyms = new Kallsyms(() => env.kallsyms());
  const pci = createPciDecoders(env);
  const decoders: Record<DecoderName, Decoder> = {
    cgroup: createCgroupDecoder(env),
    dname: dnameDecoder,
    errno: errnoDecoder,
    hex: hexDecoder,
    ifname: createIfnameDecoder(env),
    inet_ip: inetIpDecoder,
    kstack: createKstackDecoder(kallsyms, env.littleEndian),
    ksym: createKsymDecoder(kallsyms, env.littleEndian),
    majorminor: createMajorMinorDecoder(env),
    pci_class: pci.pciClass,
    pci_device: pci.device,
    pci_subclass: pci.subclass,
    pci_vendor: pci.vendor,
    regexp: regexpDecoder,
    static_map: staticMapDecoder,
    string: stringDecoder,
    syscall: createSyscallDecoder(env.arch),
    uint: createUintDecoder(env.littleEndian),
  };

  return {
    littleEndian: env.littleEndian,
    decode(bytes, chain) {
      let value: DecoderInput = bytes;
      for (const config of chain) {
        const decoded = decoders[config.name].decode(value, config);
        if (decoded === SKIP) return SKIP;
        value = decoded;
      }
      if (typeof value !== 'string') throw new Error('a label needs at least one decoder');
      return value;
    },
  };
}
