// Writes one Grafana dashboard JSON per config, from the same panel model the bundled dashboard uses:
//   npx tsx libs/dashboard-server/bin/grafana-dashboards.ts --config.dir=examples [--config.names=a,b] [--out=dist/grafana]
// Without --config.names every config in the directory is used.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '@ebpf-exporter/metrics';
import { buildDashboards, grafanaDashboard } from '@ebpf-exporter/dashboard-model';
import { dashboardConfigInfo } from '../src/config-info';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'config.dir': { type: 'string' }, 'config.names': { type: 'string' }, out: { type: 'string', default: 'dist/grafana' } },
  });
  const dir = values['config.dir'];
  if (!dir) throw new UsageError('--config.dir is required');
  const names = values['config.names']
    ? values['config.names'].split(',').filter(Boolean)
    : await configNames(dir);
  const configs = [];
  for (const name of names) {
    const file = join(dir, `${name}.yaml`);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`config ${name}: ${file} not found`);
    });
    configs.push(dashboardConfigInfo(parseConfig(text, file)));
  }
  const out = values.out as string;
  await mkdir(out, { recursive: true });
  for (const dashboard of buildDashboards(configs)) {
    if (dashboard.panels.length === 0) continue;
    const path = join(out, `${dashboard.config}.json`);
    await writeFile(path, `${JSON.stringify(grafanaDashboard(dashboard), null, 2)}\n`);
    console.log(path);
  }
}

/** A config is a `<name>.yaml` with its `<name>.bpf.c` (or built `.bpf.o`); other YAML is not one. */
async function configNames(dir: string): Promise<string[]> {
  const files = new Set(await readdir(dir));
  return [...files]
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .filter((name) => files.has(`${name}.bpf.c`) || files.has(`${name}.bpf.o`))
    .sort();
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  // Users get one line naming the file, line and field, never a stack trace.
  if (error instanceof ConfigError || error instanceof UsageError) console.error(`grafana-dashboards: ${error.message}`);
  else console.error(`grafana-dashboards: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
