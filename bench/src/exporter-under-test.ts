// The real exporter, started by the repo's launcher (`./ebpf_exporter`, so with the node flags users get)
// on a free loopback port, with the loop-delay probe preloaded and an IPC channel to ask it.
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer, type ChildServer } from './child-server';
import type { LoopDelayReport, ProbeRequest } from './loop-delay-probe';
import { BENCH_BUILD, REPO_ROOT } from './paths';

export interface ExporterUnderTest extends ChildServer {
  baseUrl: string;
  /** What the exporter logged as its load + attach time ("Started with N programs ... in Xms"). */
  attachMs: number;
  /** Longest event-loop stall while `during` runs. */
  loopDelayDuring<T>(during: () => Promise<T>): Promise<{ result: T; maxLoopDelayMs: number }>;
  /** A full garbage collection in the exporter (the exporter runs with --expose-gc for this). */
  collectGarbage(): Promise<void>;
}

let launcherCopy: string | undefined;

/**
 * A private copy of the launcher and dist/apps/exporter (bundle, addon, dashboard assets) in the same
 * layout, taken once per run: other jobs rebuild dist/ at any time, and a rebuild in the middle of a run
 * would swap the code being measured.
 */
function exporterLauncher(): string {
  if (launcherCopy) return launcherCopy;
  const built = join(REPO_ROOT, 'dist/apps/exporter');
  if (!existsSync(join(built, 'main.mjs'))) throw new Error(`${built}/main.mjs missing: run 'npx nx build exporter' first`);
  const copy = mkdtempSync(join(tmpdir(), 'ebpf-exporter-bench-bundle-'));
  cpSync(built, join(copy, 'dist/apps/exporter'), { recursive: true });
  cpSync(join(REPO_ROOT, 'ebpf_exporter'), join(copy, 'ebpf_exporter'));
  chmodSync(join(copy, 'ebpf_exporter'), 0o755);
  process.once('exit', () => rmSync(copy, { recursive: true, force: true }));
  launcherCopy = join(copy, 'ebpf_exporter');
  return launcherCopy;
}

const STARTED_LINE = /Started with \d+ programs found in the config in (\d+)ms/;

/** The Node.js the launcher runs by default: the pinned one npm ci installs (package.json). */
export const PINNED_NODE = join(REPO_ROOT, 'node_modules/.bin/node');

export async function startExporter(
  configDir: string,
  names: readonly string[],
  extraFlags: readonly string[] = [],
  /** The Node.js binary the launcher execs (EBPF_EXPORTER_NODE): the footprint section compares runtimes. */
  node: string = PINNED_NODE,
): Promise<ExporterUnderTest> {
  const server = await startChildServer({
    command: exporterLauncher(),
    args: [`--config.dir=${configDir}`, `--config.names=${names.join(',')}`, '--web.listen-address=127.0.0.1:{port}', ...extraFlags],
    // On top of the launcher's own flags: gc() for the memory soak (it changes nothing else about how V8
    // collects) and the probe. The launcher execs node, which keeps the IPC channel.
    env: { ...process.env, EBPF_EXPORTER_NODE: node, NODE_OPTIONS: `--expose-gc --import ${join(BENCH_BUILD, 'loop-delay-probe.mjs')}` },
    cwd: REPO_ROOT,
    readyPattern: /Listening on /,
    readyTimeoutMs: 60_000,
    ipc: true,
  });
  const attachMs = Number(STARTED_LINE.exec(server.output())?.[1] ?? NaN);
  const ask = <T>(request: ProbeRequest, reply: string): Promise<T> =>
    new Promise((resolve) => {
      const onMessage = (message: { type?: string }) => {
        if (message.type !== reply) return;
        server.process.off('message', onMessage);
        resolve(message as T);
      };
      server.process.on('message', onMessage);
      server.process.send(request);
    });
  return {
    ...server,
    baseUrl: `http://127.0.0.1:${server.port}`,
    attachMs,
    loopDelayDuring: async (during) => {
      await ask('loop-delay:reset', 'loop-delay:reset');
      const result = await during();
      const report = await ask<LoopDelayReport>('loop-delay:report', 'loop-delay');
      return { result, maxLoopDelayMs: report.maxMs };
    },
    collectGarbage: async () => {
      await ask('gc', 'gc');
    },
  };
}
