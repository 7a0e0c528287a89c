import { describe, expect, it } from 'vitest';
import { builtinFamilies, metricKey, type BuiltinState } from './builtin-metrics';

const state: BuiltinState = {
  configNames: ['timers', 'biolatency'],
  programs: [
    { config: 'timers', name: 'timer_start', id: 42, tag: 'abcdef0123456789', attached: true, runTimeNs: 1_500_000_000n, runCount: 7n },
    { config: 'biolatency', name: 'rq_insert', id: 43, tag: '0123456789abcdef', attached: false, runTimeNs: 0n, runCount: 0n },
  ],
  decoderErrors: new Map([['timers', 3]]),
  scrapeTimeouts: new Map([['biolatency', 2]]),
  mapMetrics: [
    { config: 'timers', metric: 'timer_starts_total' },
    { config: 'biolatency', metric: 'bio_latency_seconds' },
  ],
  seriesLimitSkips: new Map([[metricKey('biolatency', 'bio_latency_seconds'), 4]]),
  bpfStatsEnabled: false,
  reload: { successful: false, lastSuccessSeconds: 1_700_000_000 },
  build: { version: '0.1.0', revision: 'abc', branch: 'main', runtimeVersion: 'node v20', os: 'linux', arch: 'amd64' },
};

const byName = (families: ReturnType<typeof builtinFamilies>) => new Map(families.map((f) => [f.name, f]));

describe('builtinFamilies', () => {
  it('reports attachment per program id and zero-initialised decoder errors per config', () => {
    const families = byName(builtinFamilies(state));
    expect(families.get('ebpf_exporter_ebpf_program_attached')?.series.map((s) => [s.labelValues, 'value' in s ? s.value : NaN])).toEqual([
      [['42'], 1],
      [['43'], 0],
    ]);
    expect(families.get('ebpf_exporter_decoder_errors_total')?.series.map((s) => ('value' in s ? s.value : NaN))).toEqual([3, 0]);
    expect(families.get('ebpf_exporter_config_scrape_skipped_total')?.series.map((s) => [s.labelValues, 'value' in s ? s.value : NaN])).toEqual([
      [['timers', 'timeout'], 0],
      [['biolatency', 'timeout'], 2],
    ]);
    expect(families.get('ebpf_exporter_metric_scrape_skipped_total')?.series.map((s) => [s.labelValues, 'value' in s ? s.value : NaN])).toEqual([
      [['timers', 'timer_starts_total', 'series_limit'], 0],
      [['biolatency', 'bio_latency_seconds', 'series_limit'], 4],
    ]);
    expect(families.get('ebpf_exporter_ebpf_program_info')?.series[0]?.labelValues).toEqual(['timers', '42', 'timer_start', 'abcdef0123456789']);
  });

  it("reports the last reload under Prometheus' names", () => {
    const families = byName(builtinFamilies(state));
    expect(families.get('ebpf_exporter_config_last_reload_successful')?.series.map((s) => ('value' in s ? s.value : NaN))).toEqual([0]);
    expect(families.get('ebpf_exporter_config_last_reload_success_timestamp_seconds')?.series.map((s) => ('value' in s ? s.value : NaN))).toEqual([1_700_000_000]);
  });

  it('exports run time and count only when kernel.bpf_stats_enabled is on', () => {
    expect(byName(builtinFamilies(state)).has('ebpf_exporter_ebpf_program_run_time_seconds')).toBe(false);
    const families = byName(builtinFamilies({ ...state, bpfStatsEnabled: true }));
    const runTime = families.get('ebpf_exporter_ebpf_program_run_time_seconds');
    expect(runTime?.type).toBe('counter');
    expect(runTime?.series.map((s) => ('value' in s ? s.value : NaN))).toEqual([1.5, 0]);
    expect(families.get('ebpf_exporter_ebpf_program_run_count_total')?.series.map((s) => ('value' in s ? s.value : NaN))).toEqual([7, 0]);
  });
});
