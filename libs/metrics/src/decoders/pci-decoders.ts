import { parseUnsigned, type Decoder, type DecoderEnvironment } from './decoder';
import { parsePciIds, type PciDatabase } from './pci-ids';

const MISSING_DB = 'missing pci.ids db';

/** Go's `%0Nx`: lowercase hex, zero-padded to at least `width` digits. */
function hex(value: bigint, width: number): string {
  return value.toString(16).padStart(width, '0');
}

export interface PciDecoders {
  vendor: Decoder;
  device: Decoder;
  pciClass: Decoder;
  subclass: Decoder;
}

/**
 * The four pci_* decoders over one pci.ids database, read and parsed on first use only. Without a database
 * they answer `missing pci.ids db` whatever the input, as upstream does.
 */
export function createPciDecoders(env: DecoderEnvironment): PciDecoders {
  let db: PciDatabase | null | undefined;
  const database = (): PciDatabase | null => {
    if (db === undefined) {
      const text = env.pciIds();
      db = text === undefined ? null : parsePciIds(text);
    }
    return db;
  };

  return {
    vendor: {
      decode(input) {
        const pci = database();
        if (!pci) return MISSING_DB;
        const id = parseUnsigned(input, 'pci_vendor');
        return pci.vendors.get(hex(id, 2)) ?? `unknown pci vendor: 0x${hex(id, 2)}`;
      },
    },
    device: {
      decode(input) {
        const pci = database();
        if (!pci) return MISSING_DB;
        const id = parseUnsigned(input, 'pci_device');
        return pci.products.get(hex(id, 4)) ?? `unknown pci device: 0x${hex(id, 4)}`;
      },
    },
    pciClass: {
      decode(input) {
        const pci = database();
        if (!pci) return MISSING_DB;
        const id = parseUnsigned(input, 'pci_class');
        return pci.classes.get(hex(id, 2)) ?? `unknown pci class: 0x${hex(id, 2)}`;
      },
    },
    subclass: {
      decode(input) {
        const pci = database();
        if (!pci) return MISSING_DB;
        const id = parseUnsigned(input, 'pci_subclass');
        const classId = hex(id >> 8n, 2);
        const subclassId = hex(id & 0xffn, 2);
        if (!pci.classes.has(classId)) return `unknown pci class: 0x${classId}`;
        return pci.subclasses.get(classId + subclassId) ?? `unknown pci subclass: 0x${subclassId} (class 0x${classId})`;
      },
    },
  };
}
