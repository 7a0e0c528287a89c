// How long a config check takes on a huge static_map (issue #22: a 1.18M-entry map did not parse in 120 s):
// parseConfig in-process, on a generated file of about 50 bytes per entry.
import { parseConfig } from '@ebpf-exporter/metrics';
import { median } from './stats';

export interface ConfigParsePlan {
  entries: number;
  runs: number;
}

export interface ConfigParseResult {
  plan: ConfigParsePlan;
  megabytes: number;
  /** Median over the runs. */
  parseMs: number;
}

/** One counter whose static_map names every key, the way a map of all of a fleet's cgroup ids would. */
export function staticMapConfig(entries: number): string {
  const head = 'metrics:\n  counters:\n    - name: cgroup_events_total\n      help: Events per service\n      labels:\n        - name: service\n          size: 8\n          decoders:\n            - name: uint\n            - name: static_map\n              static_map:\n';
  const lines = Array.from({ length: entries }, (_, index) => `                ${1_000_000_000 + index}: cgroup-service-${String(index).padStart(7, '0')}\n`);
  return head + lines.join('');
}

/** The report's section: a blank line, a heading and one sentence. */
export function renderConfigParse(result: ConfigParseResult): string {
  const { plan } = result;
  return `\n## Config check (parseConfig, in-process)\n\nA generated ${result.megabytes.toFixed(0)} MB config whose static_map has ${plan.entries} entries: median ${result.parseMs.toFixed(0)} ms over ${plan.runs} run${plan.runs === 1 ? '' : 's'}.\n`;
}

export function measureConfigParse(plan: ConfigParsePlan): ConfigParseResult {
  const text = staticMapConfig(plan.entries);
  const times = Array.from({ length: plan.runs }, () => {
    const started = performance.now();
    parseConfig(text, 'bench/static-map.yaml');
    return performance.now() - started;
  });
  return { plan, megabytes: Buffer.byteLength(text) / 1e6, parseMs: median(times) };
}
