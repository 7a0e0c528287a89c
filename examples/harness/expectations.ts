// The proof contract for one example: `examples/<name>.expect.yaml` (shared with the VM harness).
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Document } from 'yaml';
import { KERNEL_FEATURES, type KernelFeature } from './kernel-features';

export const ATTACH_TYPES = [
  'tp_btf',
  'raw_tp',
  'tracepoint',
  'kprobe',
  'kretprobe',
  'fentry',
  'fexit',
  'uprobe',
  'usdt',
  'perf_event',
  'xdp',
] as const;
export type AttachType = (typeof ATTACH_TYPES)[number];

/** A label value to look for: a literal, or `/regexp/`. */
export type LabelMatcher = Record<string, string>;

export interface MetricExpectation {
  /** Full exposition name, e.g. `ebpf_exporter_bio_latency_seconds`. */
  name: string;
  /** A gauge must be exposed as `# TYPE <name> gauge`; its values may be negative. */
  type: 'counter' | 'gauge' | 'histogram';
  /** Each matcher needs at least one series with all those labels and a non-zero value (or count). */
  series: LabelMatcher[];
  /** Labels whose decoded values must never start with `unknown` (the decoder knew the answer). */
  known: string[];
  /** Every series must match these (proves that a filtering decoder dropped the rest). */
  only: LabelMatcher;
}

export interface Expectation {
  example: string;
  file: string;
  attach: AttachType[];
  features: KernelFeature[];
  /** bash script run from `examples/` with $WORKDIR set to a fresh scratch directory. */
  workload: string;
  /** Run after the scrape, whether the checks passed or not. */
  cleanup: string;
  metrics: MetricExpectation[];
}

export function loadExpectation(file: string, example: string): Expectation {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  const fail = (path: (string | number)[], message: string): never => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const at = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    const where = at ? `${file}:${at.line}:${at.col}` : file;
    throw new Error(`${where}: ${path.join('.') || '(document)'}: ${message}`);
  };
  if (doc.errors.length > 0) fail([], doc.errors[0]?.message ?? 'invalid YAML');
  if (!isMap(doc.contents)) fail([], 'must be a mapping');

  return {
    example,
    file,
    attach: stringList(doc, ['attach'], fail).map((value, i) =>
      (ATTACH_TYPES as readonly string[]).includes(value)
        ? (value as AttachType)
        : fail(['attach', i], `unknown attach type "${value}" (one of ${ATTACH_TYPES.join(', ')})`),
    ),
    features: stringList(doc, ['features'], fail).map((value, i) =>
      (KERNEL_FEATURES as readonly string[]).includes(value)
        ? (value as KernelFeature)
        : fail(['features', i], `unknown kernel feature "${value}" (one of ${KERNEL_FEATURES.join(', ')})`),
    ),
    workload: requiredString(doc, ['workload'], fail),
    cleanup: optionalString(doc, ['cleanup'], fail) ?? '',
    metrics: metricList(doc, fail),
  };
}

type Fail = (path: (string | number)[], message: string) => never;

function metricList(doc: Document, fail: Fail): MetricExpectation[] {
  const node = doc.getIn(['metrics'], true);
  if (!isSeq(node) || node.items.length === 0) return fail(['metrics'], 'must be a non-empty list');
  return node.items.map((_, i) => {
    const type = requiredString(doc, ['metrics', i, 'type'], fail);
    if (type !== 'counter' && type !== 'gauge' && type !== 'histogram') return fail(['metrics', i, 'type'], 'must be counter, gauge or histogram');
    const seriesNode = doc.getIn(['metrics', i, 'series'], true);
    if (!isSeq(seriesNode) || seriesNode.items.length === 0) {
      return fail(['metrics', i, 'series'], 'must be a non-empty list of label matchers ({} for no labels)');
    }
    return {
      name: requiredString(doc, ['metrics', i, 'name'], fail),
      type,
      series: seriesNode.items.map((__, j) => labelMatcher(doc, ['metrics', i, 'series', j], fail)),
      known: stringList(doc, ['metrics', i, 'known'], fail),
      only: doc.hasIn(['metrics', i, 'only']) ? labelMatcher(doc, ['metrics', i, 'only'], fail) : {},
    };
  });
}

function labelMatcher(doc: Document, path: (string | number)[], fail: Fail): LabelMatcher {
  const node = doc.getIn(path, true);
  if (!isMap(node)) return fail(path, 'must be a mapping of label name to value or /regexp/');
  const matcher: LabelMatcher = {};
  for (const [label, expected] of Object.entries(node.toJSON() as Record<string, unknown>)) {
    if (typeof expected !== 'string') return fail([...path, label], 'must be a string (quote numbers)');
    if (isRegexp(expected)) {
      try {
        new RegExp(expected.slice(1, -1));
      } catch (error) {
        return fail([...path, label], `bad regexp: ${(error as Error).message}`);
      }
    }
    matcher[label] = expected;
  }
  return matcher;
}

export function isRegexp(pattern: string): boolean {
  return pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/');
}

function stringList(doc: Document, path: (string | number)[], fail: Fail): string[] {
  if (!doc.hasIn(path)) return [];
  const node = doc.getIn(path, true);
  if (!isSeq(node)) return fail(path, 'must be a list of strings');
  return node.items.map((_, i) => {
    const item: unknown = doc.getIn([...path, i]);
    return typeof item === 'string' ? item : fail([...path, i], 'must be a string');
  });
}

function requiredString(doc: Document, path: (string | number)[], fail: Fail): string {
  return optionalString(doc, path, fail) ?? fail(path, 'is required');
}

function optionalString(doc: Document, path: (string | number)[], fail: Fail): string | undefined {
  if (!doc.hasIn(path)) return undefined;
  const value: unknown = doc.getIn(path);
  return typeof value === 'string' && value.trim() !== '' ? value : fail(path, 'must be a non-empty string');
}
