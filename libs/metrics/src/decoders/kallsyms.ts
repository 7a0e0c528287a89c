// /proc/kallsyms as a sorted address table. Kernel addresses do not fit a double, hence BigUint64Array.

interface SymbolTable {
  addresses: BigUint64Array;
  names: string[];
}

/**
 * Parses kallsyms text like upstream: the name is the third space-separated field, so a module symbol keeps
 * its literal `\t[module]` suffix (kallsyms separates the module with a tab).
 */
export function parseKallsyms(text: string): SymbolTable {
  const entries: { address: bigint; name: string }[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 3) continue;
    const [address, , name] = fields as [string, string, string];
    if (!/^[0-9a-fA-F]+$/.test(address)) continue;
    entries.push({ address: BigInt(`0x${address}`), name });
  }
  // Stable sort: symbols sharing an address keep their file order.
  entries.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { addresses: BigUint64Array.from(entries, (entry) => entry.address), names: entries.map((entry) => entry.name) };
}

/** Index of the last symbol at or before `address`, or -1. */
function lastAtOrBefore(table: SymbolTable, address: bigint): number {
  let low = 0;
  let high = table.addresses.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((table.addresses[middle] as bigint) <= address) low = middle + 1;
    else high = middle;
  }
  return low - 1;
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
    const index = lastAtOrBefore(table, address);
    return index >= 0 && table.addresses[index] === address ? table.names[index] : undefined;
  }

  /** The symbol exactly at `address`. */
  exact(address: bigint): string | undefined {
    return this.exactIn(this.current(), address) ?? this.exactIn(this.reload(), address);
  }

  private nearestIn(table: SymbolTable, addresses: readonly bigint[]): (string | undefined)[] {
    return addresses.map((address) => {
      const index = lastAtOrBefore(table, address);
      return index >= 0 ? table.names[index] : undefined;
    });
  }

  /** For each address, the nearest symbol at or before it. */
  nearest(addresses: readonly bigint[]): (string | undefined)[] {
    const names = this.nearestIn(this.current(), addresses);
    return names.includes(undefined) ? this.nearestIn(this.reload(), addresses) : names;
  }
}
