// The exporter's own metrics, with upstream's exact names, labels and help strings so that existing
// alerts (e.g. on `ebpf_exporter_ebpf_program_attached == 0`) keep working.
import type { MetricFamily, ScalarSeries } from '@ebpf-exporter/metrics';

export interface ProgramSnapshot {
  config: string;
  name: string;
  id: number;
  tag: string;
  attached: boolean;
  runTimeNs: bigint;
  runCount: bigint;
}

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  runtimeVersion: string;
  os: string;
  arch: string;
}

export interface BuiltinState {
  configNames: readonly string[];
  programs: readonly ProgramSnapshot[];
  decoderErrors: ReadonlyMap<string, number>;
  /** Scrapes that left a config out for running over --config.scrape-timeout, by config. */
  scrapeTimeouts: ReadonlyMap<string, number>;
  /** Every metric read from a map, by config, and the scrapes that left it out for passing its series limit. */
  mapMetrics: readonly { config: string; metric: string }[];
  seriesLimitSkips: ReadonlyMap<string, number>;
  bpfStatsEnabled: boolean;
  build: BuildInfo;
  reload: ReloadStatus;
}

/** The outcome of the last reload (startup counts as one), as Prometheus reports its own. */
export interface ReloadStatus {
  successful: boolean;
  /** Unix seconds of the last reload that succeeded. */
  lastSuccessSeconds: number;
}

const series = (labelNames: string[], labelValues: string[], value: number): ScalarSeries => ({ labelNames, labelValues, value });

/** The key of a metric in BuiltinState.seriesLimitSkips. */
export const metricKey = (config: string, metric: string): string => `${config}\0${metric}`;

export function builtinFamilies(state: BuiltinState): MetricFamily[] {
  const { build } = state;
  const families: MetricFamily[] = [
    {
      name: 'ebpf_exporter_build_info',
      help: "A metric with a constant '1' value labeled by version, revision, branch, goversion from which ebpf_exporter was built, and the goos and goarch for the build.",
      type: 'gauge',
      series: [
        series(
          ['branch', 'goarch', 'goos', 'goversion', 'revision', 'tags', 'version'],
          [build.branch, build.arch, build.os, build.runtimeVersion, build.revision, '', build.version],
          1,
        ),
      ],
    },
    {
      name: 'ebpf_exporter_enabled_configs',
      help: 'The set of enabled configs',
      type: 'gauge',
      series: state.configNames.map((name) => series(['name'], [name], 1)),
    },
    {
      name: 'ebpf_exporter_ebpf_program_info',
      help: 'Info about ebpf programs',
      type: 'gauge',
      series: state.programs.map((p) => series(['config', 'id', 'program', 'tag'], [p.config, String(p.id), p.name, p.tag], 1)),
    },
    {
      name: 'ebpf_exporter_ebpf_program_attached',
      help: 'Whether a program is attached',
      type: 'gauge',
      series: state.programs.map((p) => series(['id'], [String(p.id)], p.attached ? 1 : 0)),
    },
    {
      name: 'ebpf_exporter_decoder_errors_total',
      help: 'How many times has decoders encountered errors',
      type: 'counter',
      series: state.configNames.map((name) => series(['config'], [name], state.decoderErrors.get(name) ?? 0)),
    },
    {
      name: 'ebpf_exporter_config_scrape_skipped_total',
      help: 'Scrapes that left a whole config out, by reason (timeout: it ran over --config.scrape-timeout)',
      type: 'counter',
      series: state.configNames.map((name) => series(['config', 'reason'], [name, 'timeout'], state.scrapeTimeouts.get(name) ?? 0)),
    },
    {
      name: 'ebpf_exporter_metric_scrape_skipped_total',
      help: 'Scrapes that left one metric out, by reason (series_limit: more series than --config.max-series or its max_series)',
      type: 'counter',
      series: state.mapMetrics.map(({ config, metric }) =>
        series(['config', 'metric', 'reason'], [config, metric, 'series_limit'], state.seriesLimitSkips.get(metricKey(config, metric)) ?? 0),
      ),
    },
    // Prometheus' own names for the same facts, so alerts written for Prometheus' reloads apply unchanged.
    {
      name: 'ebpf_exporter_config_last_reload_successful',
      help: 'Whether the last configuration reload attempt was successful.',
      type: 'gauge',
      series: [series([], [], state.reload.successful ? 1 : 0)],
    },
    {
      name: 'ebpf_exporter_config_last_reload_success_timestamp_seconds',
      help: 'Timestamp of the last successful configuration reload.',
      type: 'gauge',
      series: [series([], [], state.reload.lastSuccessSeconds)],
    },
  ];
  if (state.bpfStatsEnabled) {
    families.push(
      {
        name: 'ebpf_exporter_ebpf_program_run_time_seconds',
        help: 'How long has the program been executing',
        type: 'counter',
        series: state.programs.map((p) => series(['id'], [String(p.id)], Number(p.runTimeNs) / 1e9)),
      },
      {
        name: 'ebpf_exporter_ebpf_program_run_count_total',
        help: 'How many times has the program been executed',
        type: 'counter',
        series: state.programs.map((p) => series(['id'], [String(p.id)], Number(p.runCount))),
      },
    );
  }
  return families;
}
