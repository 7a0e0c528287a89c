import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { dashboardConfigInfo } from './config-info';

const examples = join(import.meta.dirname, '../../../examples');
const load = async (name: string) => dashboardConfigInfo(parseConfig(await readFile(join(examples, `${name}.yaml`), 'utf8'), `${name}.yaml`));

describe('dashboardConfigInfo', () => {
  it('takes the bucket label off histograms', async () => {
    expect(await load('biolatency')).toEqual({
      name: 'biolatency',
      counters: [],
      histograms: [{ name: 'bio_latency_seconds', help: expect.any(String), labels: ['device', 'operation'], bucketType: 'exp2' }],
    });
  });
  it('keeps every counter label, the per-CPU one included', async () => {
    const info = await load('percpu-softirq');
    expect(info.counters[0]).toMatchObject({ name: 'softirqs_total', labels: ['vec', 'cpu'] });
  });
});
