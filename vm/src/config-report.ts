import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MatrixReport, ResultColumns } from './matrix-report.ts';

/** One user config in one kernel, as the exporter's `--config.check --config.strict` judged it. */
export interface ConfigRow {
  config: string;
  kernel: string;
  /** The guest's `uname -r`. */
  kernelRelease?: string;
  /** `attached`: every program loaded and attached; `not attached`: loaded, some program did not attach; `load failed`: refused before attaching. */
  status: 'attached' | 'not attached' | 'load failed';
  /** The verifier's or libbpf's first error line (empty when attached). */
  detail: string;
}

export type ConfigReport = MatrixReport<ConfigRow>;

export const CONFIG_COLUMNS: ResultColumns<ConfigRow> = {
  headers: ['kernel', 'config', 'result', 'first error'],
  cells: (row) => [row.kernel, row.config, row.status, row.detail],
};

const ATTACH_FAILURE = /^(?:\S+ \S+ )?config (\S+): program (.+) failed to attach: (.+)$/m;
const STARTUP_ERROR = /^ebpf_exporter: error: (?:config \S+: )?(.+)$/m;

/**
 * Reads one config's check: the exit status and the exporter's output. The exporter logs a line per
 * program that failed to attach before --config.strict turns those into an error, and prints one
 * `ebpf_exporter: error:` line for anything that stopped it earlier (its verifier message included).
 */
export function judgeConfigCheck(config: string, kernel: string, exitCode: number, log: string): ConfigRow {
  const row = { config, kernel };
  if (exitCode === 0) return { ...row, status: 'attached', detail: '' };
  const attach = ATTACH_FAILURE.exec(log);
  if (attach) return { ...row, status: 'not attached', detail: `program ${attach[2]}: ${attach[3]}` };
  const startup = STARTUP_ERROR.exec(log)?.[1];
  const lastLine = log.trim().split('\n').at(-1) ?? '';
  return { ...row, status: 'load failed', detail: startup ?? (lastLine || `the exporter exited ${exitCode} without output`) };
}

/** `<name>` of every `<name>.yaml` in the folder that has a `<name>.bpf.o` beside it (expectation files excluded). */
export async function configNamesIn(directory: string): Promise<string[]> {
  const files = new Set(await readdir(directory));
  return [...files]
    .filter((file) => file.endsWith('.yaml') && !file.endsWith('.expect.yaml'))
    .map((file) => basename(file, '.yaml'))
    .filter((name) => files.has(`${name}.bpf.o`))
    .sort();
}

/** Every named config must have both files; the message names the missing one. */
export async function checkConfigNames(directory: string, names: string[]): Promise<void> {
  const files = new Set(await readdir(directory));
  for (const name of names) {
    for (const file of [`${name}.yaml`, `${name}.bpf.o`]) {
      if (!files.has(file)) throw new Error(`--config.names: ${directory}/${file} does not exist`);
    }
  }
}

export function configsFailed(report: ConfigReport): boolean {
  return report.results.some((row) => row.status !== 'attached') || report.kernels.some((kernel) => kernel.status === 'error');
}
