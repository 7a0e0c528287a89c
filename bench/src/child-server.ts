// A child process that serves HTTP on a free loopback port: the exporter under test or the prom-client
// baseline. Waits for its ready line, keeps its last output lines for error messages, reads its RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '@ebpf-exporter/test-support';

export interface ChildServer {
  pid: number;
  port: number;
  process: ChildProcess;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** The first match of `readyPattern`. */
  readyMatch: RegExpMatchArray;
  output(): string;
  /** Resident and peak resident set size in MiB, from /proc/<pid>/status. */
  memory(): { rssMiB: number; peakRssMiB: number };
  /** CPU time used so far by all threads (JS, libuv workers, GC), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  command: string;
  /** Arguments; `{port}` is replaced by the port picked for the child. */
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  readyPattern: RegExp;
  readyTimeoutMs: number;
  /** Opens an IPC channel (for the loop-delay probe). */
  ipc?: boolean;
}

/**
 * Resident and peak resident size from one read of /proc/<pid>/status. The kernel computes VmHWM as at
 * least VmRSS at the moment of the read, but two reads can straddle the exporter giving memory back after a
 * scrape, and then show a peak below the current size.
 */
function residentMiB(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/**
 * Sums the first field of every thread's schedstat (ns on CPU). Finer than /proc/<pid>/stat's clock
 * ticks (10 ms), which cannot resolve a 1k-series scrape; threads that exit are lost, which the exporter's
 * long-lived worker pool makes negligible.
 */
function processCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(options.command, options.args.map((arg) => arg.replaceAll('{port}', String(port))), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  const lines: string[] = [];
  const output = () => lines.slice(-12).join('\n');
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${code ?? signal}`));
    child.once('error', (error) => resolve(error.message));
  });

  const ready = new Promise<{ match: RegExpMatchArray; at: number }>((resolve) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        lines.push(line);
        const match = options.readyPattern.exec(line);
        if (match) resolve({ match, at: performance.now() });
      }
      lines.splice(0, Math.max(0, lines.length - 200));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`not ready after ${options.readyTimeoutMs} ms`), options.readyTimeoutMs);
  });
  const outcome = await Promise.race([ready, exited, timeout]);
  clearTimeout(timer);
  if (typeof outcome === 'string') {
    child.kill('SIGKILL');
    throw new Error(`${options.command} ${options.args.join(' ')}: ${outcome}:\n${output()}`);
  }
  const pid = child.pid as number;
  return {
    pid,
    port,
    process: child,
    readyMs: outcome.at - started,
    readyMatch: outcome.match,
    output,
    memory: () => residentMiB(pid),
    cpuMs: () => processCpuMs(pid),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}
