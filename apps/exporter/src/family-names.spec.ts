import { parseConfig, type Config } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { checkFamilyNames, namesTaken } from './family-names';

const counter = (name: string) => `    - name: ${name}\n      help: h\n      labels: []\n`;
const histogram = (name: string) =>
  `    - name: ${name}\n      help: h\n      bucket_type: exp2\n      bucket_min: 0\n      bucket_max: 1\n      labels:\n        - name: bucket\n          size: 8\n          decoders:\n            - name: uint\n`;
const config = (file: string, { counters = [], histograms = [] }: { counters?: string[]; histograms?: string[] }): Config =>
  parseConfig(
    `metrics:\n${counters.length ? `  counters:\n${counters.map(counter).join('')}` : ''}${histograms.length ? `  histograms:\n${histograms.map(histogram).join('')}` : ''}`,
    file,
  );
const refusal = (configs: Config[]): string => {
  try {
    checkFamilyNames(configs);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('namesTaken', () => {
  it('gives a histogram its series and a counter both OpenMetrics spellings', () => {
    expect(namesTaken('x', 'histogram')).toEqual(['x', 'x_bucket', 'x_sum', 'x_count']);
    expect(namesTaken('x', 'counter')).toEqual(['x', 'x_total']);
    expect(namesTaken('x_total', 'counter')).toEqual(['x_total', 'x']);
    expect(namesTaken('x_total', 'gauge')).toEqual(['x_total']);
  });
});

describe('checkFamilyNames', () => {
  it('accepts distinct names, and names that only share a prefix', () => {
    expect(() => checkFamilyNames([config('/c/a.yaml', { counters: ['x', 'x_sum_of'], histograms: ['y'] }), config('/c/b.yaml', { counters: ['y_counts', 'decoder_errors_totals'] })])).not.toThrow();
  });

  it('refuses one metric in two configs, naming both files and lines', () => {
    const a = config('/c/a.yaml', { counters: ['other', 'x'] });
    const b = config('/c/b.yaml', { counters: ['x'] });
    expect(refusal([a, b])).toBe(
      '/c/b.yaml:3:7: metrics.counters[0].name: counter ebpf_exporter_x collides with counter ebpf_exporter_x at /c/a.yaml:6:7 (metrics.counters[1].name); Prometheus refuses a scrape with one name in two families',
    );
  });

  it('refuses a counter and a histogram of one name in one config', () => {
    expect(refusal([config('/c/a.yaml', { counters: ['x'], histograms: ['x'] })])).toMatch(
      /^\/c\/a\.yaml:7:7: metrics\.histograms\[0\]\.name: histogram ebpf_exporter_x collides with counter ebpf_exporter_x at \/c\/a\.yaml:3:7 \(metrics\.counters\[0\]\.name\);/,
    );
  });

  it.each(['x_count', 'x_sum', 'x_bucket'])('refuses a counter %s beside a histogram x', (name) => {
    const message = refusal([config('/c/a.yaml', { histograms: ['x'] }), config('/c/b.yaml', { counters: [name] })]);
    expect(message).toContain(`/c/b.yaml:3:7: metrics.counters[0].name: counter ebpf_exporter_${name} collides with histogram ebpf_exporter_x at /c/a.yaml:3:7`);
    expect(message).toContain(`: both would expose ebpf_exporter_${name};`);
  });

  it('refuses a histogram whose series a counter defined earlier already has', () => {
    expect(refusal([config('/c/a.yaml', { counters: ['x_count'] }), config('/c/b.yaml', { histograms: ['x'] })])).toContain(
      'histogram ebpf_exporter_x collides with counter ebpf_exporter_x_count at /c/a.yaml:3:7 (metrics.counters[0].name): both would expose ebpf_exporter_x_count',
    );
  });

  it('refuses counters that OpenMetrics would give one family name', () => {
    expect(refusal([config('/c/a.yaml', { counters: ['x', 'x_total'] })])).toContain('counter ebpf_exporter_x_total collides with counter ebpf_exporter_x at /c/a.yaml:3:7');
  });

  it.each([
    ['decoder_errors_total', "counter ebpf_exporter_decoder_errors_total collides with the exporter's own counter ebpf_exporter_decoder_errors_total;"],
    ['enabled_configs', "collides with the exporter's own gauge ebpf_exporter_enabled_configs;"],
    ['ebpf_program_run_count_total', "the exporter's own counter ebpf_exporter_ebpf_program_run_count_total;"],
    ['perf_event_array_lost_events_total', "the exporter's own counter ebpf_exporter_perf_event_array_lost_events_total;"],
    ['tracing_lost_spans', "the exporter's own counter ebpf_exporter_tracing_lost_spans_total: both would expose ebpf_exporter_tracing_lost_spans"],
  ])('refuses a counter %s, one of the exporter’s own names', (name, fragment) => {
    const message = refusal([config('/c/a.yaml', { counters: [name] })]);
    expect(message).toMatch(/^\/c\/a\.yaml:3:7: metrics\.counters\[0\]\.name: /);
    expect(message).toContain(fragment);
  });

  it("refuses a histogram whose series would be one of the exporter's own", () => {
    expect(refusal([config('/c/a.yaml', { histograms: ['build'] }), config('/c/b.yaml', { histograms: ['build_info'] })])).toContain(
      "/c/b.yaml:3:7: metrics.histograms[0].name: histogram ebpf_exporter_build_info collides with the exporter's own gauge ebpf_exporter_build_info;",
    );
  });
});
