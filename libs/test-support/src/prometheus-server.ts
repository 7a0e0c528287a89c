// Runs the real Debian `prometheus` binary for tests: on loopback, with a temporary config and TSDB,
// stopped and removed afterwards. Used where our PromQL-equivalent code must agree with Prometheus.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface PrometheusServer {
  url: string;
  dataDir: string;
  /** Instant query; the vector's sample values as Prometheus formats them (`"NaN"`, `"+Inf"`, `"0.5"`). */
  instantValues(query: string, time: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** `prepare` may fill the TSDB directory (e.g. `promtool tsdb create-blocks-from`) before the server starts. */
export async function startPrometheus(options: {
  scrapeConfigs?: object[];
  scrapeIntervalSeconds?: number;
  prepare?: (dataDir: string) => Promise<void>;
  /** Another Prometheus than Debian's (e.g. a Prometheus 3 from the cache), with flags of its own. */
  binary?: string;
  flags?: string[];
}): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'dashboard-prometheus-'));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'prometheus.yml');
  const config = {
    global: { scrape_interval: `${options.scrapeIntervalSeconds ?? 15}s`, evaluation_interval: '15s' },
    scrape_configs: options.scrapeConfigs ?? [],
  };
  // JSON is valid YAML, so no YAML writer is needed for the config.
  await writeFile(configFile, JSON.stringify(config));
  await options.prepare?.(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    options.binary ?? 'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...(options.flags ?? [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntilReady(url, child, () => stderr);
  return {
    url,
    dataDir,
    async instantValues(query, time) {
      const params = new URLSearchParams({ query, time: String(time) });
      const response = await fetch(`${url}/api/v1/query?${params}`);
      const body = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: { value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
      return body.data.result.map((sample) => sample.value[1]);
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`prometheus not ready within 30s: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
