// `kaddrs` in a config asks for kernel symbol addresses to be written into `const volatile u64
// kaddr_<symbol>` globals before load, so BPF code can read kernel variables that have no helper.

/** Addresses of the requested symbols, from a /proc/kallsyms text; module symbols (4 fields) are not eligible. */
export function resolveKaddrs(kallsyms: string, symbols: readonly string[]): Map<string, bigint> {
  const wanted = new Set(symbols);
  const found = new Map<string, bigint>();
  for (const line of kallsyms.split('\n')) {
    const fields = line.split(' ');
    if (fields.length !== 3) continue;
    const name = fields[2] as string;
    if (wanted.has(name) && !found.has(name)) found.set(name, BigInt(`0x${fields[0]}`));
  }
  const missing = symbols.filter((s) => !found.has(s));
  if (missing.length > 0) throw new Error(`kaddrs: symbol${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in /proc/kallsyms`);
  return found;
}
