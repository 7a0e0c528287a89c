import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { MatrixRow } from './matrix-report.ts';

/** An example's oldest kernel series and what older ones lack (vm/example-minimum-kernels.yaml). */
export interface MinimumKernel {
  minimum: string;
  lacks: string;
}

const SERIES = /^\d+\.\d+$/;

/** Reads the table; one error names the file, the example and the field. */
export async function loadMinimumKernels(file: string): Promise<Map<string, MinimumKernel>> {
  const data: unknown = parse(await readFile(file, 'utf8'));
  const table = new Map<string, MinimumKernel>();
  for (const [example, entry] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    const { minimum, lacks } = (entry ?? {}) as Record<string, unknown>;
    if (typeof minimum !== 'string' || !SERIES.test(minimum)) throw new Error(`${file}: ${example}.minimum: expected a kernel series such as "5.15"`);
    if (typeof lacks !== 'string' || lacks === '') throw new Error(`${file}: ${example}.lacks: expected what older kernels lack`);
    table.set(example, { minimum, lacks });
  }
  return table;
}

/** Compares kernel series numerically ("5.10" < "5.15" < "6.1"); undefined when `version` is no series (host, latest). */
export function olderSeries(version: string, than: string): boolean | undefined {
  if (!SERIES.test(version)) return undefined;
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const [thanMajor, thanMinor] = than.split('.').map(Number) as [number, number];
  return major < thanMajor || (major === thanMajor && minor < thanMinor);
}

/**
 * A failure on a kernel older than the example's declared minimum is that kernel lacking a feature:
 * reported unsupported, naming what it lacks and keeping the runner's message. Everything else stands.
 */
export function applyMinimumKernels(rows: MatrixRow[], kernelVersion: string, minimums: Map<string, MinimumKernel>): MatrixRow[] {
  return rows.map((row) => {
    const minimum = minimums.get(row.example);
    if (row.status !== 'fail' || !minimum || olderSeries(kernelVersion, minimum.minimum) !== true) return row;
    const seen = row.reason.split('\n')[0]!.slice(0, 300);
    return { ...row, status: 'unsupported', reason: `needs kernel ${minimum.minimum}+: ${minimum.lacks} (runner: ${seen})` };
  });
}
