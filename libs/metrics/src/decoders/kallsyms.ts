// /proc/kallsyms as a sorted address table. Kernel addresses do not fit a double, so each is kept as two
// 32-bit halves: parsing and sorting 100k+ symbols that way is several times faster than with BigInt.

/**
 * The symbols in address order, with no JavaScript string per symbol: 120k+ of them held as sliced strings
 * kept the whole text alive and cost the exporter ~30 MB of heap for the life of the process; as typed
 * arrays they take ~20 bytes each. Names are latin1 bytes, decoded when a lookup returns one.
 */
export interface SymbolTable {
  count: number;
  high: Uint32Array;
  low: Uint32Array;
  /** Symbol i's name is nameBytes[nameStarts[i]] up to nameStarts[i + 1]. */
  nameStarts: Uint32Array;
  nameBytes: Uint8Array;
}

const MAX_ADDRESS_DIGITS = 16;

/** The value of hex digit `code`, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * Parses kallsyms text like upstream: the name is the third space-separated field, so a module symbol keeps
 * its literal `\t[module]` suffix (kallsyms separates the module with a tab). Symbols sharing an address
 * keep their file order. A line whose first field is not 1 to 16 hex digits is skipped.
 */
export function parseKallsyms(text: string): SymbolTable {
  let capacity = 1024;
  let high = new Uint32Array(capacity);
  let low = new Uint32Array(capacity);
  let starts = new Uint32Array(capacity);
  let ends = new Uint32Array(capacity);
  let count = 0;
  let nameTotal = 0;
  for (let lineStart = 0; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const firstSpace = text.indexOf(' ', lineStart);
    const secondSpace = firstSpace < 0 || firstSpace >= lineEnd ? -1 : text.indexOf(' ', firstSpace + 1);
    const digits = firstSpace - lineStart;
    if (secondSpace >= 0 && secondSpace < lineEnd && digits >= 1 && digits <= MAX_ADDRESS_DIGITS) {
      let hi = 0;
      let lo = 0;
      let valid = true;
      for (let at = lineStart; at < firstSpace; at++) {
        const digit = hexDigit(text.charCodeAt(at));
        if (digit < 0) {
          valid = false;
          break;
        }
        // Shift the 64-bit value left by 4 across the two halves.
        hi = ((hi << 4) | (lo >>> 28)) >>> 0;
        lo = ((lo << 4) | digit) >>> 0;
      }
      if (valid) {
        if (count === capacity) {
          capacity *= 2;
          high = grown(high, capacity);
          low = grown(low, capacity);
          starts = grown(starts, capacity);
          ends = grown(ends, capacity);
        }
        const nameEnd = text.indexOf(' ', secondSpace + 1);
        high[count] = hi;
        low[count] = lo;
        starts[count] = secondSpace + 1;
        ends[count] = nameEnd < 0 || nameEnd > lineEnd ? lineEnd : nameEnd;
        nameTotal += (ends[count] as number) - (starts[count] as number);
        count++;
      }
    }
    lineStart = lineEnd + 1;
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => (high[a] as number) - (high[b] as number) || (low[a] as number) - (low[b] as number) || a - b);
  const table: SymbolTable = {
    count,
    high: new Uint32Array(count),
    low: new Uint32Array(count),
    nameStarts: new Uint32Array(count + 1),
    nameBytes: new Uint8Array(nameTotal),
  };
  let written = 0;
  for (let rank = 0; rank < count; rank++) {
    const index = order[rank] as number;
    table.high[rank] = high[index] as number;
    table.low[rank] = low[index] as number;
    table.nameStarts[rank] = written;
    for (let at = starts[index] as number, end = ends[index] as number; at < end; at++) table.nameBytes[written++] = text.charCodeAt(at) & 0xff;
  }
  table.nameStarts[count] = written;
  return table;
}

function grown(array: Uint32Array<ArrayBuffer>, capacity: number): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(capacity);
  bigger.set(array);
  return bigger;
}

/** Symbol `index`'s name. */
export function symbolName(table: SymbolTable, index: number): string {
  const bytes = table.nameBytes.subarray(table.nameStarts[index], table.nameStarts[index + 1]);
  let name = '';
  for (let at = 0; at < bytes.length; at++) name += String.fromCharCode(bytes[at] as number);
  return name;
}

/** Index of the last symbol at or before the address, or -1. */
function lastAtOrBefore(table: SymbolTable, high: number, low: number): number {
  let start = 0;
  let end = table.count;
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
    return index >= 0 && table.high[index] === high && table.low[index] === low ? symbolName(table, index) : undefined;
  }

  /** The symbol exactly at `address`. */
  exact(address: bigint): string | undefined {
    return this.exactIn(this.current(), address) ?? this.exactIn(this.reload(), address);
  }

  private nearestIn(table: SymbolTable, addresses: readonly bigint[]): (string | undefined)[] {
    return addresses.map((address) => {
      const index = lastAtOrBefore(table, ...halves(address));
      return index >= 0 ? symbolName(table, index) : undefined;
    });
  }

  /** For each address, the nearest symbol at or before it. */
  nearest(addresses: readonly bigint[]): (string | undefined)[] {
    const names = this.nearestIn(this.current(), addresses);
    return names.includes(undefined) ? this.nearestIn(this.reload(), addresses) : names;
  }
}
