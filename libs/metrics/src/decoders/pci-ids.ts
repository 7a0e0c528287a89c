// The pci.ids database (https://pci-ids.ucw.cz format) as lookup tables keyed like upstream's: lowercase hex
// ids, products keyed by vendor id followed by device id.

export interface PciDatabase {
  vendors: Map<string, string>;
  /** Key: vendor id + device id, e.g. `80861539`. */
  products: Map<string, string>;
  classes: Map<string, string>;
  /** Key: class id + subclass id, e.g. `0200`. */
  subclasses: Map<string, string>;
}

const VENDOR = /^([0-9a-f]{4})\s+(.*)$/;
const DEVICE = /^\t([0-9a-f]{4})\s+(.*)$/;
const CLASS = /^C ([0-9a-f]{2})\s+(.*)$/;
const SUBCLASS = /^\t([0-9a-f]{2})\s+(.*)$/;

export function parsePciIds(text: string): PciDatabase {
  const db: PciDatabase = { vendors: new Map(), products: new Map(), classes: new Map(), subclasses: new Map() };
  let vendor: string | undefined;
  let pciClass: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    let match: RegExpExecArray | null;
    if ((match = CLASS.exec(line))) {
      pciClass = match[1] as string;
      vendor = undefined;
      db.classes.set(pciClass, match[2] as string);
    } else if ((match = VENDOR.exec(line))) {
      vendor = match[1] as string;
      pciClass = undefined;
      db.vendors.set(vendor, match[2] as string);
    } else if (!line.startsWith('\t')) {
      // Other top-level sections (device types and the like) end the current vendor or class.
      vendor = undefined;
      pciClass = undefined;
    } else if (vendor !== undefined && (match = DEVICE.exec(line))) {
      db.products.set(vendor + (match[1] as string), match[2] as string);
    } else if (pciClass !== undefined && (match = SUBCLASS.exec(line))) {
      db.subclasses.set(pciClass + (match[1] as string), match[2] as string);
    }
  }
  return db;
}
