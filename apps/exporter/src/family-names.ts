// One family per name in the whole exposition. Each config is valid alone, but two configs defining the
// same metric, a metric named like one of the exporter's own, or a counter named like a histogram's
// `_count` series make a scrape with one name in two families, which Prometheus refuses whole: every
// scrape would fail. Refused at startup (and so by --config.check), naming both places.
import { ConfigError, type Config, type ScalarType, type SourcePosition } from '@ebpf-exporter/metrics';
import { builtinFamilies } from './builtin-metrics';
import { LOST_EVENTS_METRIC } from './events/perf-event-counters';
import { LOST_SPANS_METRIC } from './events/lost-spans-metric';

/** The namespace the collector (and the perf event counters) put before every config metric's name. */
const NAMESPACE = 'ebpf_exporter_';

type FamilyType = ScalarType | 'histogram';

interface Family {
  exposed: string;
  type: FamilyType;
  /** Where a config defines it; the exporter's own families have none. */
  source?: { file: string; position: SourcePosition; field: string };
}

/**
 * Every name a family takes in either format: the text format's samples (a histogram's `_bucket`, `_sum`
 * and `_count`), and OpenMetrics' family names, which drop a counter's `_total` and give its samples one.
 */
export function namesTaken(name: string, type: FamilyType): string[] {
  if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type !== 'counter') return [name];
  const base = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  return [...new Set([name, base, `${base}_total`])];
}

/**
 * The exporter's own families, all of them (the bpf_stats ones included, which come and go with the
 * sysctl). The process and Node.js families are left out: they are outside the namespace, so no config
 * metric can take their names.
 */
function ownFamilies(): Family[] {
  // An empty state: only the families' names and types are read, and builtinFamilies always has them all.
  const build = { version: '', revision: '', branch: '', runtimeVersion: '', os: '', arch: '' };
  const state = { configNames: [], programs: [], decoderErrors: new Map(), scrapeTimeouts: new Map(), mapMetrics: [], seriesLimitSkips: new Map(), bpfStatsEnabled: true, build, reload: { successful: true, lastSuccessSeconds: 0 } };
  const own: Family[] = builtinFamilies(state).map(({ name, type }) => ({ exposed: name, type }));
  return [...own, { exposed: LOST_EVENTS_METRIC, type: 'counter' }, { exposed: LOST_SPANS_METRIC, type: 'counter' }];
}

function configFamilies(config: Config): Family[] {
  const { file, metrics } = config;
  const family = (name: string, type: FamilyType, position: SourcePosition, field: string): Family => ({
    exposed: `${NAMESPACE}${name}`,
    type,
    source: { file, position, field: `${field}.name` },
  });
  return [
    ...metrics.counters.map((c, i) => family(c.name, 'counter', c.position, `metrics.counters[${i}]`)),
    ...metrics.gauges.map((g, i) => family(g.name, 'gauge', g.position, `metrics.gauges[${i}]`)),
    ...metrics.histograms.map((h, i) => family(h.name, 'histogram', h.position, `metrics.histograms[${i}]`)),
  ];
}

function collision(family: Family, { file, position, field }: NonNullable<Family['source']>, earlier: Family, shared: string): ConfigError {
  const where = earlier.source
    ? ` at ${earlier.source.file}:${earlier.source.position.line}:${earlier.source.position.column} (${earlier.source.field})`
    : '';
  const other = `${earlier.source ? '' : "the exporter's own "}${earlier.type} ${earlier.exposed}${where}`;
  const both = shared === family.exposed && shared === earlier.exposed ? '' : `: both would expose ${shared}`;
  const problem = `${family.type} ${family.exposed} collides with ${other}${both}; Prometheus refuses a scrape with one name in two families`;
  return new ConfigError(file, position.line, position.column, field, problem);
}

/** @throws ConfigError at the later of the first two families that would share a name. */
export function checkFamilyNames(configs: readonly Config[]): void {
  const owners = new Map<string, Family>();
  const take = (family: Family): void => {
    const names = namesTaken(family.exposed, family.type);
    for (const name of names) {
      const earlier = owners.get(name);
      if (earlier && family.source) throw collision(family, family.source, earlier, name);
    }
    for (const name of names) owners.set(name, family);
  };
  for (const family of ownFamilies()) take(family);
  for (const config of configs) for (const family of configFamilies(config)) take(family);
}
