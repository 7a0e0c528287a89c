// Go's time.ParseDuration, which upstream uses for `flush_interval`.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// µ and μ (micro sign, Greek mu) as escapes: the exporter's bundle must be ASCII (apps/exporter/build.mjs says
// why), and an escape the build adds after bundling shifts every later column of that line in the source map.
const PART = /^(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;

/** Parses a Go duration string (`1h30m`, `300ms`, `1.5h`) into milliseconds; throws on bad input. */
export function parseGoDuration(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  while (rest !== '') {
    const part = PART.exec(rest);
    if (!part) throw new Error(`invalid duration ${JSON.stringify(text)}`);
    total += Number(part[1]) * (UNIT_MS[part[2] as string] as number);
    rest = rest.slice(part[0].length);
  }
  return sign * total;
}
