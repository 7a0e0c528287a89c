// Starts the built exporter as users do (the repo-root launcher) and scrapes it over real HTTP.
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { freePort } from '@ebpf-exporter/test-support';

export { bpftoolJson, freePort, loadedProgramIds, parseSamples, programsStillLoaded, type Sample } from '@ebpf-exporter/test-support';

export const REPO_ROOT = join(import.meta.dirname, '../../..');
export const LAUNCHER = join(REPO_ROOT, 'ebpf_exporter');

export interface RunningExporter {
  url: string;
  process: ResultPromise<{ reject: false; all: true }>;
  output: () => string;
  stop(): Promise<{ exitCode: number | undefined; output: string }>;
}

export interface StartOptions {
  /** Resolves true once the exporter answers; defaults to a plain-HTTP GET of `/`. */
  probe?: (port: number) => Promise<boolean>;
}

export async function startExporter(args: string[], options: StartOptions = {}): Promise<RunningExporter> {
  const probe = options.probe ?? (async (p: number) => (await fetch(`http://127.0.0.1:${p}/`)).ok);
  const port = await freePort();
  const child = execa(LAUNCHER, [...args, `--web.listen-address=127.0.0.1:${port}`], { reject: false, all: true, cwd: REPO_ROOT });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exporter exited early (${child.exitCode}):\n${output}`);
    try {
      if (await probe(port)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`exporter did not start listening within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      const result = await child;
      return { exitCode: result.exitCode, output };
    },
  };
}

/** Runs the exporter to completion (startup errors, --config.check). */
export async function runExporter(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa(LAUNCHER, args, { reject: false, cwd: REPO_ROOT, timeout: 60_000 });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

export async function promtoolCheck(text: string): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await execa('promtool', ['check', 'metrics'], { input: text, reject: false, all: true });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}
