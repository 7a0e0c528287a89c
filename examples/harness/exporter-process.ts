// Runs the exporter under test as a child process on a free loopback port and scrapes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@ebpf-exporter/test-support';

export interface ExporterOptions {
  /** Command line, split on spaces: `./ebpf_exporter` by default. */
  command: string;
  cwd: string;
  configDir: string;
  names: readonly string[];
  /** How long to wait for /metrics to answer (loading and attaching can take seconds under QEMU). */
  startTimeoutMs: number;
}

export interface RunningExporter {
  url: string;
  scrape(): Promise<string>;
  /** Last lines of the exporter's stderr and stdout, for failure reasons. */
  output(): string;
  stop(): Promise<void>;
}

export class ExporterStartError extends Error {}

export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const port = await freePort();
  const [executable = '', ...baseArgs] = options.command.split(' ').filter((part) => part !== '');
  const child = spawn(
    executable,
    [...baseArgs, `--config.dir=${options.configDir}`, `--config.names=${options.names.join(',')}`, `--web.listen-address=127.0.0.1:${port}`],
    { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.on('error', (error) => resolve(error.message));
  });

  const url = `http://127.0.0.1:${port}/metrics`;
  const output = () => lines.slice(-8).join('\n');
  const deadline = Date.now() + options.startTimeoutMs;
  while (Date.now() < deadline) {
    const status = await Promise.race([exited, delay(250).then(() => undefined)]);
    if (status !== undefined) throw new ExporterStartError(`exporter exited (${status}): ${output()}`);
    if (await answers(`http://127.0.0.1:${port}/`)) {
      return { url, scrape: () => scrape(url), output, stop: () => stop(child, exited) };
    }
  }
  await stop(child, exited);
  throw new ExporterStartError(`exporter did not answer on ${url} within ${options.startTimeoutMs} ms: ${output()}`);
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * Readiness is any HTTP answer on `/` (a tiny page), not a scrape: the first scrape decodes everything
 * (ksym reads all of /proc/kallsyms), which under QEMU without KVM can take longer than a poll interval.
 */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM lets the exporter detach its programs; SIGKILL after 10 s so a hung exporter cannot hang the run. */
async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
