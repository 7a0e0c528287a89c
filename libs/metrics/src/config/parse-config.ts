import type { Node, YAMLMap } from 'yaml';
import { DECODER_NAMES, isDecoderName } from '../decoders/decoder-names';
import { compileGoRegexp, type GoRegexp } from '../decoders/go-regexp';
import { parseGoDuration } from './go-duration';
import { bucketProblem } from './histogram-buckets';
import { bucketLabelIndex, hasPerCpuLabel } from './key-layout';
import { labelNameProblem, metricNameProblem } from './prometheus-names';
import {
  BUCKET_TYPES,
  type BucketType,
  type CgroupIdMapConfig,
  type Config,
  type CounterConfig,
  type DecoderConfig,
  DEFAULT_VALUE_FIELD,
  type GaugeConfig,
  type HistogramConfig,
  type LabelConfig,
  type MapMetricConfig,
  type SpanConfig,
  type ValueField,
} from './types';
import { YamlReader } from './yaml-reader';

const DEFAULT_FLUSH_INTERVAL_MS = 3_600_000;

/** The config name is the file name without directory and `.yaml`, as upstream derives it. */
function configNameOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('.yaml') ? base.slice(0, -'.yaml'.length) : base;
}

class ConfigParser {
  constructor(private readonly yaml: YamlReader) {}

  private required(map: YAMLMap, key: string, path: string): Node {
    const node = this.yaml.get(map, key);
    if (node === undefined) throw this.yaml.error(map, `${path}.${key}`, 'is required');
    return node;
  }

  private requiredString(map: YAMLMap, key: string, path: string): string {
    const value = this.yaml.string(this.required(map, key, path), `${path}.${key}`);
    if (value === '') throw this.yaml.error(this.yaml.get(map, key), `${path}.${key}`, 'must not be empty');
    return value;
  }

  private list<T>(parent: YAMLMap | undefined, key: string, path: string, parse: (map: YAMLMap, path: string) => T): T[] {
    const node = this.yaml.get(parent, key);
    if (node === undefined) return [];
    return this.yaml.items(node, path).map((item, index) => {
      const itemPath = `${path}[${index}]`;
      if (item === undefined) throw this.yaml.error(node, itemPath, 'must be a mapping');
      return parse(this.yaml.map(item, itemPath), itemPath);
    });
  }

  private regexps(map: YAMLMap, path: string): GoRegexp[] {
    const node = this.yaml.get(map, 'regexps');
    if (node === undefined) return [];
    return this.yaml.items(node, `${path}.regexps`).map((item, index) => {
      const itemPath = `${path}.regexps[${index}]`;
      if (item === undefined) throw this.yaml.error(node, itemPath, 'must be a string');
      const source = this.yaml.string(item, itemPath);
      try {
        return compileGoRegexp(source);
      } catch (error) {
        throw this.yaml.error(item, itemPath, (error as Error).message);
      }
    });
  }

  decoder(map: YAMLMap, path: string): DecoderConfig {
    const name = this.requiredString(map, 'name', path);
    if (!isDecoderName(name)) {
      throw this.yaml.error(this.yaml.get(map, 'name'), `${path}.name`, `unknown decoder ${JSON.stringify(name)}, must be one of ${DECODER_NAMES.join(', ')}`);
    }
    const staticMapNode = this.yaml.get(map, 'static_map');
    const allowUnknownNode = this.yaml.get(map, 'allow_unknown');
    const regexps = this.regexps(map, path);
    if (name === 'regexp' && regexps.length === 0) {
      throw this.yaml.error(map, `${path}.regexps`, 'the regexp decoder needs at least one regexp');
    }
    const decoder: DecoderConfig = {
      name,
      allowUnknown: allowUnknownNode === undefined ? false : this.yaml.boolean(allowUnknownNode, `${path}.allow_unknown`),
      regexps,
    };
    if (staticMapNode !== undefined) {
      decoder.staticMap = this.yaml.stringMap(staticMapNode, `${path}.static_map`);
    }
    return decoder;
  }

  label(map: YAMLMap, path: string): LabelConfig {
    const name = this.requiredString(map, 'name', path);
    const sizeNode = this.required(map, 'size', path);
    const size = this.yaml.integer(sizeNode, `${path}.size`);
    if (size <= 0) throw this.yaml.error(sizeNode, `${path}.size`, 'must be a positive number of bytes');
    const paddingNode = this.yaml.get(map, 'padding');
    const padding = paddingNode === undefined ? 0 : this.yaml.integer(paddingNode, `${path}.padding`);
    if (padding < 0) throw this.yaml.error(paddingNode, `${path}.padding`, 'must not be negative');
    const decoders = this.list(map, 'decoders', `${path}.decoders`, (item, itemPath) => this.decoder(item, itemPath));
    if (decoders.length === 0) throw this.yaml.error(this.yaml.get(map, 'decoders') ?? map, `${path}.decoders`, 'needs at least one decoder');
    return { name, size, padding, decoders, position: this.yaml.position(map) };
  }

  /**
   * Labels of a metric are checked against Prometheus' rules, but not a histogram's bucket label (never
   * exposed) nor those of a span, which become OpenTelemetry attributes.
   */
  private labels(map: YAMLMap, path: string, exposed: 'counter' | 'gauge' | 'histogram' | 'span'): LabelConfig[] {
    const labels = this.list(map, 'labels', `${path}.labels`, (item, itemPath) => this.label(item, itemPath));
    const bucket = exposed === 'histogram' ? bucketLabelIndex(labels) : -1;
    labels.forEach((label, index) => {
      const nameError = (problem: string) => {
        const labelNode = this.yaml.items(this.yaml.get(map, 'labels') as Node, `${path}.labels`)[index];
        return this.yaml.error(this.yaml.get(labelNode as YAMLMap, 'name'), `${path}.labels[${index}].name`, problem);
      };
      const problem = exposed !== 'span' && index !== bucket ? labelNameProblem(label.name, exposed === 'histogram') : undefined;
      if (problem !== undefined) throw nameError(problem);
      // client_golang rejects a series with two labels of the same name, which would fail every scrape.
      if (labels.findIndex((other) => other.name === label.name) !== index) throw nameError(`duplicate label name ${JSON.stringify(label.name)}`);
    });
    return labels;
  }

  /** `value` and `sum`: a field of the map value; `signed` only where the metric may go below zero. */
  private valueField(map: YAMLMap, key: 'value' | 'sum', path: string, signedAllowed: boolean): ValueField | undefined {
    const node = this.yaml.get(map, key);
    if (node === undefined) return undefined;
    const field = `${path}.${key}`;
    const object = this.yaml.map(node, field);
    const offsetNode = this.yaml.get(object, 'offset');
    const sizeNode = this.yaml.get(object, 'size');
    const signedNode = this.yaml.get(object, 'signed');
    const offset = offsetNode === undefined ? DEFAULT_VALUE_FIELD.offset : this.yaml.integer(offsetNode, `${field}.offset`);
    if (offset < 0) throw this.yaml.error(offsetNode, `${field}.offset`, 'must not be negative');
    const size = sizeNode === undefined ? DEFAULT_VALUE_FIELD.size : this.yaml.integer(sizeNode, `${field}.size`);
    if (size !== 1 && size !== 2 && size !== 4 && size !== 8) throw this.yaml.error(sizeNode, `${field}.size`, 'must be 1, 2, 4 or 8 (bytes)');
    const signed = signedNode === undefined ? false : this.yaml.boolean(signedNode, `${field}.signed`);
    if (signed && !signedAllowed) throw this.yaml.error(signedNode, `${field}.signed`, 'only a gauge may read a signed value (counts never go below zero)');
    return { offset, size, signed };
  }

  /** What counters, gauges and histograms share: name, help, the map and value read, labels, max_series. */
  private mapMetric(map: YAMLMap, path: string, kind: 'counter' | 'gauge' | 'histogram'): MapMetricConfig {
    const name = this.metricName(map, path);
    const help = this.requiredString(map, 'help', path);
    const mapNode = this.yaml.get(map, 'map');
    const value = this.valueField(map, 'value', path, kind === 'gauge');
    return {
      name,
      help,
      map: mapNode === undefined ? name : this.yaml.string(mapNode, `${path}.map`),
      value: value ?? DEFAULT_VALUE_FIELD,
      valueGiven: value !== undefined,
      labels: this.labels(map, path, kind),
      ...this.maxSeries(map, path),
      position: this.yaml.position(map),
    };
  }

  private metricName(map: YAMLMap, path: string): string {
    const name = this.requiredString(map, 'name', path);
    const problem = metricNameProblem(name);
    if (problem !== undefined) throw this.yaml.error(this.yaml.get(map, 'name'), `${path}.name`, problem);
    return name;
  }

  /** `max_series`: the collector's cap on this metric's series; validated here, enforced there. */
  private maxSeries(map: YAMLMap, path: string): { maxSeries?: number } {
    const node = this.yaml.get(map, 'max_series');
    if (node === undefined) return {};
    const maxSeries = this.yaml.integer(node, `${path}.max_series`);
    if (maxSeries < 1) throw this.yaml.error(node, `${path}.max_series`, 'must be a positive integer');
    return { maxSeries };
  }

  counter(map: YAMLMap, path: string): CounterConfig {
    const perfNode = this.yaml.get(map, 'perf_event_array');
    const flushNode = this.yaml.get(map, 'flush_interval');
    const metric = this.mapMetric(map, path, 'counter');
    return {
      ...metric,
      perfEventArray: perfNode === undefined ? false : this.yaml.boolean(perfNode, `${path}.perf_event_array`),
      flushIntervalMs: flushNode === undefined ? DEFAULT_FLUSH_INTERVAL_MS : this.flushInterval(flushNode, `${path}.flush_interval`),
    };
  }

  gauge(map: YAMLMap, path: string): GaugeConfig {
    return this.mapMetric(map, path, 'gauge');
  }

  private flushInterval(node: Node, field: string): number {
    try {
      const ms = parseGoDuration(this.yaml.string(node, field));
      if (ms <= 0) throw new Error('must be a positive duration');
      return ms;
    } catch (error) {
      throw this.yaml.error(node, field, `${(error as Error).message} (expected a Go duration such as 1h or 90s)`);
    }
  }

  histogram(map: YAMLMap, path: string): HistogramConfig {
    const metric = this.mapMetric(map, path, 'histogram');
    const typeNode = this.required(map, 'bucket_type', path);
    const bucketType = this.yaml.string(typeNode, `${path}.bucket_type`);
    if (!(BUCKET_TYPES as readonly string[]).includes(bucketType)) {
      throw this.yaml.error(typeNode, `${path}.bucket_type`, `${JSON.stringify(bucketType)} is not one of ${BUCKET_TYPES.join(', ')}`);
    }
    const integerOr0 = (key: string): number => {
      const node = this.yaml.get(map, key);
      return node === undefined ? 0 : this.yaml.integer(node, `${path}.${key}`);
    };
    const bucketMin = integerOr0('bucket_min');
    const bucketMax = integerOr0('bucket_max');
    const multiplierNode = this.yaml.get(map, 'bucket_multiplier');
    const multiplier = multiplierNode === undefined ? 0 : this.yaml.number(multiplierNode, `${path}.bucket_multiplier`);
    const keysNode = this.yaml.get(map, 'bucket_keys');
    const bucketKeys =
      keysNode === undefined
        ? []
        : this.yaml.items(keysNode, `${path}.bucket_keys`).map((item, index) =>
            this.yaml.number(item ?? keysNode, `${path}.bucket_keys[${index}]`),
          );
    const problem = bucketProblem({ bucketType: bucketType as BucketType, bucketMin, bucketMax, bucketKeys, bucketMultiplier: multiplier });
    if (problem !== undefined) {
      const keyNode = this.yaml.get(map, problem.key);
      const node = problem.index === undefined || keyNode === undefined ? keyNode : this.yaml.items(keyNode, `${path}.bucket_keys`)[problem.index];
      const index = problem.index === undefined ? '' : `[${problem.index}]`;
      throw this.yaml.error(node ?? map, `${path}.${problem.key}${index}`, problem.problem);
    }
    if (metric.labels.length === 0) {
      throw this.yaml.error(this.yaml.get(map, 'labels') ?? map, `${path}.labels`, 'needs at least one label: the last one is the bucket index');
    }
    const sum = this.valueField(map, 'sum', path, false);
    const histogram: HistogramConfig = {
      ...metric,
      bucketType: bucketType as BucketType,
      bucketMultiplier: multiplier === 0 ? 1 : multiplier,
      bucketMin,
      bucketMax,
      bucketKeys,
      perCpu: hasPerCpuLabel(metric.labels),
    };
    if (sum !== undefined) histogram.sum = sum;
    return histogram;
  }

  span(map: YAMLMap, path: string): SpanConfig {
    const ringbuf = this.requiredString(map, 'ringbuf', path);
    const nameNode = this.yaml.get(map, 'name');
    const serviceNode = this.yaml.get(map, 'service');
    const span: SpanConfig = {
      name: nameNode === undefined ? ringbuf : this.yaml.string(nameNode, `${path}.name`),
      ringbuf,
      labels: this.labels(map, path, 'span'),
      position: this.yaml.position(map),
    };
    if (serviceNode !== undefined) span.service = this.yaml.string(serviceNode, `${path}.service`);
    return span;
  }

  cgroupIdMap(map: YAMLMap, path: string): CgroupIdMapConfig {
    const typeNode = this.yaml.get(map, 'type');
    const type = typeNode === undefined ? 'hash' : this.yaml.string(typeNode, `${path}.type`);
    if (type !== 'hash' && type !== 'cgrp_storage') throw this.yaml.error(typeNode, `${path}.type`, 'must be one of hash, cgrp_storage');
    return {
      name: this.requiredString(map, 'name', path),
      type,
      regexps: this.regexps(map, path),
      position: this.yaml.position(map),
    };
  }

  config(file: string): Config {
    const root = this.yaml.root();
    const metricsNode = this.yaml.get(root, 'metrics');
    const metrics = metricsNode === undefined ? undefined : this.yaml.map(metricsNode, 'metrics');
    const tracingNode = this.yaml.get(root, 'tracing');
    const tracing = tracingNode === undefined ? undefined : this.yaml.map(tracingNode, 'tracing');
    const config: Config = {
      name: configNameOf(file),
      file,
      metrics: {
        counters: this.list(metrics, 'counters', 'metrics.counters', (map, path) => this.counter(map, path)),
        gauges: this.list(metrics, 'gauges', 'metrics.gauges', (map, path) => this.gauge(map, path)),
        histograms: this.list(metrics, 'histograms', 'metrics.histograms', (map, path) => this.histogram(map, path)),
      },
      tracing: { spans: this.list(tracing, 'spans', 'tracing.spans', (map, path) => this.span(map, path)) },
      kaddrs: this.kaddrs(root),
    };
    const { counters, gauges, histograms } = config.metrics;
    if (counters.length + gauges.length + histograms.length + config.tracing.spans.length === 0) {
      throw this.yaml.error(root, '', 'no metrics.counters, metrics.gauges, metrics.histograms or tracing.spans defined');
    }
    const cgroupNode = this.yaml.get(root, 'cgroup_id_map');
    if (cgroupNode !== undefined) config.cgroupIdMap = this.cgroupIdMap(this.yaml.map(cgroupNode, 'cgroup_id_map'), 'cgroup_id_map');
    return config;
  }

  private kaddrs(root: YAMLMap | undefined): string[] {
    const node = this.yaml.get(root, 'kaddrs');
    if (node === undefined) return [];
    return this.yaml.items(node, 'kaddrs').map((item, index) => this.yaml.string(item ?? node, `kaddrs[${index}]`));
  }
}

/**
 * Parses one upstream-format config file. Unknown keys are ignored as upstream does; what upstream only
 * notices at scrape time (unknown decoder or bucket type, bad label sizes, ...) is rejected here.
 * @param file the path used in error messages; its stem becomes the config name.
 * @throws ConfigError
 */
export function parseConfig(text: string, file: string): Config {
  return new ConfigParser(new YamlReader(text, file)).config(file);
}
