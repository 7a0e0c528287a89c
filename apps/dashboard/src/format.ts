// Human-readable values for axes, legends and tooltips.

const SI_PREFIXES: readonly [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
];

/** `0.000128` with unit `s` reads `128 µs`; `+Inf` stays `+Inf`. */
export function formatValue(value: number, unit: string): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === 0 || !Number.isFinite(value)) return `${value}${unit === '/s' ? '/s' : unit ? ` ${unit}` : ''}`;
  const magnitude = Math.abs(value);
  const [factor, prefix] = SI_PREFIXES.find(([f]) => magnitude >= f) ?? (SI_PREFIXES[SI_PREFIXES.length - 1] as [number, string]);
  const scaled = value / factor;
  const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
  const number = `${Number(scaled.toFixed(digits))}`;
  if (unit === '/s') return `${number}${prefix}/s`;
  if (unit === 'bytes') return `${number} ${prefix}B`;
  return unit ? `${number} ${prefix}${unit}` : `${number}${prefix}`;
}
