// /proc/kallsyms as a sorted address table. Kernel addresses do not fit a double, so each is kept as two
// 32-bit halves: parsing and sorting 100k+ symbols that way is several times faster than with BigInt.

interface SymbolTable {
  high: Uint32Array;
  low: Uint32Array;
  names: string[];
}

const HEX_ADDRESS = /^[0-9a-fA-F]{1,16}$/;

/**
 * Parses kallsyms text like upstream: the name is the third space-separated field, so a module symbol keeps
 * its literal `\t[module]` suffix (kallsyms separates the module with a tab). Symbols sharing an address
 * keep their file order.
 */
export function parseKallsyms(text: string): SymbolTable {
  const lines = text.split('\n');
  const high = new Uint32Array(lines.length);
  const low = new Uint32Array(lines.length);
  const names: string[] = [];
  for (const line of lines) {
    const firstSpace = line.indexOf(' ');
    const secondSpace = line.indexOf(' ', firstSpace + 1);
    if (firstSpace < 0 || secondSpace < 0) continue;
    const address = line.slice(0, firstSpace);
    if (!HEX_ADDRESS.test(address)) continue;
    const nameEnd = line.indexOf(' ', secondSpace + 1);
    high[names.length] = address.length > 8 ? parseInt(address.slice(0, -8), 16) : 0;
    low[names.length] = parseInt(address.slice(-8), 16);
    names.push(nameEnd < 0 ? line.slice(secondSpace + 1) : line.slice(secondSpace + 1, nameEnd));
  }
  const order = Uint32Array.from(names.keys()).sort(
    (a, b) => (high[a] as number) - (high[b] as number) || (low[a] as number) - (low[b] as number) || a - b,
  );
  return {
    high: order.map((index) => high[index] as number),
    low: order.map((index) => low[index] as number),
    names: Array.from(order, (index) => names[index] as string),
  };
}

/** Index of the last symbol at or before the address, or -1. */
function lastAtOrBefore(table: SymbolTable, high: number, low: number): number {
  let start = 0;
  let end = table.names.length;
  while (start < end) {
    const middle = (start + end) >>> 1;
    const middleHigh = table.high[middle] as number;
    if (middleHigh < high || (middleHigh === high && (table.low[middle] as number) <= low)) start = middle + 1;
    else end = middle;
  }
  return start - 1;
}

function halves(address: bigint): [number, number] {
  return [Number(address >> 32n), Number(address & 0xffffffffn)];
}

/**
 * Symbol lookups over a kallsyms source that is parsed once and re-read only when a lookup misses (a module
 * may have been loaded since), as upstream does.
 */
export class Kallsyms {
  private table: SymbolTable | undefined;

  constructor(private readonly read: () => string) {}

  private current(): SymbolTable {
    this.table ??= parseKallsyms(this.read());
    return this.table;
  }

  private reload(): SymbolTable {
    this.table = parseKallsyms(this.read());
    return this.table;
  }

  private exactIn(table: SymbolTable, address: bigint): string | undefined {
    const [high, low] = halves(address);
    const index = lastAtOrBefore(table, high, low);
    return index >= 0 && table.high[index] === high && table.low[index] === low ? table.names[index] : undefined;
  }

  /** The symbol exactly at `address`. */
  exact(address: bigint): string | undefined {
    return this.exactIn(this.current(), address) ?? this.exactIn(this.reload(), address);
  }

  private nearestIn(table: SymbolTable, addresses: readonly bigint[]): (string | undefined)[] {
    return addresses.map((address) => {
      const index = lastAtOrBefore(table, ...halves(address));
      return index >= 0 ? table.names[index] : undefined;
    });
  }

  /** For each address, the nearest symbol at or before it. */
  nearest(addresses: readonly bigint[]): (string | undefined)[] {
    const names = this.nearestIn(this.current(), addresses);
    return names.includes(undefined) ? this.nearestIn(this.reload(), addresses) : names;
  }
}
