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
      gauges: [],
      histograms: [{ name: 'bio_latency_seconds', help: expect.any(String), labels: ['device', 'operation'], bucketType: 'exp2' }],
    });
  });
  it('keeps every counter label, the per-CPU one included', async () => {
    const info = await load('percpu-softirq');
    expect(info.counters[0]).toMatchObject({ name: 'softirqs_total', labels: ['vec', 'cpu'] });
  });
  it('lists gauges apart from counters, with all their labels', () => {
    const info = fromYaml('tcp-states', ['gauges:', '  - name: tcp_sockets', '    help: Sockets by state', '    labels:', label('family', 4), label('state', 4)]);
    expect(info.counters).toEqual([]);
    expect(info.gauges).toEqual([{ name: 'tcp_sockets', help: 'Sockets by state', labels: ['family', 'state'] }]);
  });
  it('takes the bucket label before the cpu label off a per-CPU histogram and keeps cpu', () => {
    const histogram = ['histograms:', '  - name: runq_latency_seconds', '    help: h', '    bucket_type: exp2', '    bucket_min: 0', '    bucket_max: 20', '    labels:'];
    const perCpu = fromYaml('runqlat-percpu', [...histogram, label('kind', 4), label('bucket', 4), label('cpu', 2)]);
    expect(perCpu.histograms[0]).toMatchObject({ name: 'runq_latency_seconds', labels: ['kind', 'cpu'] });
    // Without a trailing cpu label the last label is the bucket, whatever its name.
    const summed = fromYaml('runqlat', [...histogram, label('cpu', 2), label('bucket', 4)]);
    expect(summed.histograms[0]?.labels).toEqual(['cpu']);
  });
});

/** A config of the given metric lines, as the exporter parses it. */
function fromYaml(name: string, metricLines: readonly string[]) {
  return dashboardConfigInfo(parseConfig(['metrics:', ...metricLines.map((line) => `  ${line}`), ''].join('\n'), `${name}.yaml`));
}

function label(name: string, size: number): string {
  return [`      - name: ${name}`, `        size: ${size}`, '        decoders:', '          - name: uint'].join('\n  ');
}
