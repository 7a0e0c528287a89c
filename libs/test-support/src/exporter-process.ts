// The built exporter started as users start it (the repo-root launcher) on a loopback port, once it
// answers. Shared by the exporter's and the dashboard's end-to-end tests.
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { freePort } from './free-port';

export const REPO_ROOT = join(import.meta.dirname, '../../..');
export const LAUNCHER = join(REPO_ROOT, 'ebpf_exporter');

export interface RunningExporter {
  url: string;
  process: ResultPromise<{ reject: false; all: true }>;
  output: () => string;
  /** SIGTERM, then the exit code and everything it printed. */
  stop(): Promise<{ exitCode: number | undefined; output: string }>;
}

export interface StartOptions {
  /** Resolves true once the exporter answers; defaults to a plain-HTTP GET of `/`. */
  probe?: (port: number) => Promise<boolean>;
  /** Defaults to a free one. */
  port?: number;
  /** How long the exporter may take to answer the probe. */
  timeoutMs?: number;
}

export async function startExporter(args: readonly string[], options: StartOptions = {}): Promise<RunningExporter> {
  const probe = options.probe ?? (async (p: number) => (await fetch(`http://127.0.0.1:${p}/`)).ok);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const port = options.port ?? (await freePort());
  const child = execa(LAUNCHER, [...args, `--web.listen-address=127.0.0.1:${port}`], { reject: false, all: true, cwd: REPO_ROOT });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exporter exited early (${child.exitCode}):\n${output}`);
    try {
      if (await probe(port)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`exporter did not answer within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
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
