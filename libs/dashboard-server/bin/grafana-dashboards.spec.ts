import { execa } from 'execa';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'grafana-dashboards.ts');
const examples = join(import.meta.dirname, '../../../examples');
const run = (...args: string[]) => execa('npx', ['tsx', script, ...args], { reject: false });

let dir: string;
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('grafana-dashboards script', () => {
  it('writes one dashboard per named config', async () => {
    dir = await mkdtemp(join(tmpdir(), 'grafana-'));
    const result = await run(`--config.dir=${examples}`, '--config.names=biolatency,timers', `--out=${dir}`);
    expect(result.exitCode).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['biolatency.json', 'timers.json']);
    const dashboard = JSON.parse(await readFile(join(dir, 'biolatency.json'), 'utf8'));
    expect(dashboard.panels.map((p: { type: string }) => p.type)).toEqual(['heatmap', 'timeseries']);
  }, 60_000);

  it('reports a bad config as one line naming file, line and field', async () => {
    dir = await mkdtemp(join(tmpdir(), 'grafana-'));
    await writeFile(join(dir, 'broken.yaml'), 'metrics:\n  histograms:\n    - name: x\n      help: h\n      bucket_type: exp3\n');
    const result = await run(`--config.dir=${dir}`, '--config.names=broken', `--out=${dir}/out`);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^grafana-dashboards: .*broken\.yaml:\d+:\d+: .*bucket_type/);
  }, 60_000);
});
