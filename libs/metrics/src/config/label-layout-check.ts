// Checks each metric's labels against its map's key type from the object's BTF: where every label starts
// and ends relative to the struct's members and holes. Mistakes the sizes alone cannot show (a label that
// starts in padding or inside a member, labels in another order than the members they are named after)
// are errors; layouts that decode but look unintended (a label over two members, over padding, a decoder
// the member's type argues against, a bucket that is not the last member) are warnings.
import type { BtfType, MapTypes } from '@ebpf-exporter/map-types';
import { isExplicitPadding, leafMembers, paddingRanges, renderLayout, typeSpelling, type LeafMember, type PaddingRange } from './btf-layout';
import { ConfigError } from './config-error';
import { bucketLabelIndex, hasCpuLabel, ZERO_KEY_SIZE, type MetricKind } from './key-layout';
import type { Config, LabelConfig, MapMetricConfig, ValueField } from './types';

export interface LayoutFinding {
  severity: 'error' | 'warning';
  /** Points at the label (or the metric's labels, for a problem of the whole key). */
  error: ConfigError;
  /** The metric's field path, e.g. `metrics.counters[0]`: findings of one metric share its layout. */
  metric: string;
  /** The key struct as pahole prints it, with the labels reading each member. */
  layout: string;
}

interface LabelSpan {
  label: LabelConfig;
  index: number;
  start: number;
  /** Exclusive: start + size. */
  end: number;
  /** Exclusive: end + padding. */
  paddedEnd: number;
}

interface MetricUse {
  path: string;
  metric: MapMetricConfig;
  kind: MetricKind;
}

function metricUses(config: Config): MetricUse[] {
  const { counters, gauges, histograms } = config.metrics;
  return [
    // perf_event_array counters read records, not keys: their labels have no key struct to match.
    ...counters.flatMap((metric, index) => (metric.perfEventArray ? [] : [{ path: `metrics.counters[${index}]`, metric, kind: 'counter' as const }])),
    ...gauges.map((metric, index) => ({ path: `metrics.gauges[${index}]`, metric, kind: 'counter' as const })),
    ...histograms.map((metric, index) => ({ path: `metrics.histograms[${index}]`, metric, kind: 'histogram' as const })),
  ];
}

function spansOf(labels: readonly LabelConfig[]): LabelSpan[] {
  let offset = 0;
  return labels.map((label, index) => {
    const span = { label, index, start: offset, end: offset + label.size, paddedEnd: offset + label.size + label.padding };
    offset = span.paddedEnd;
    return span;
  });
}

const overlaps = (a: { offset: number; size: number }, start: number, end: number): boolean => a.offset < end && a.offset + a.size > start;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
const describeLeaf = (leaf: LeafMember): string => `${leaf.name} (${typeSpelling(leaf.type)}, offset ${leaf.offset}, ${plural(leaf.size, 'byte')})`;

/** Byte arrays (not char arrays) of the sizes IPv4 and IPv6 addresses take. */
function isAddressArray(type: BtfType): boolean {
  return type.kind === 'array' && type.element.kind === 'int' && type.element.size === 1 && !type.element.char && (type.length === 4 || type.length === 16);
}

const isCharArray = (type: BtfType): boolean => type.kind === 'array' && type.element.kind === 'int' && type.element.size === 1 && type.element.char;

const ADDRESS_DECODERS = new Set(['ksym', 'kstack', 'hex']);

/** A decoder the member's type speaks against, as a warning text; undefined when nothing stands out. */
function decoderProblem(span: LabelSpan, leaf: LeafMember): string | undefined {
  const first = span.label.decoders[0]?.name;
  if (first === undefined) return undefined;
  const { type } = leaf;
  if (type.kind === 'pointer' && !ADDRESS_DECODERS.has(first)) return `member ${leaf.name} is a pointer (${type.name}): ksym names kernel addresses, ${first} reads it as a number`;
  if (isCharArray(type) && first !== 'string' && first !== 'hex' && first !== 'regexp') return `member ${leaf.name} is ${typeSpelling(type)}, a C string: the string decoder reads it`;
  if (isAddressArray(type) && first === 'uint') return `member ${leaf.name} is ${typeSpelling(type)}: inet_ip (an address), string or hex decode byte arrays, uint does not`;
  // inet_ip over a u32 is an IPv4 address kept as __be32, which is how the kernel holds them.
  if ((type.kind === 'enum' || (type.kind === 'int' && !type.char)) && first === 'string') return `member ${leaf.name} is ${typeSpelling(type)}, a number: string reads it as text`;
  return undefined;
}

/** Where a label's first byte falls when it is not on a member's start: the error text, or a warning. */
function startProblem(span: LabelSpan, spans: readonly LabelSpan[], leaves: readonly LeafMember[], holes: readonly PaddingRange[]): { severity: 'error' | 'warning'; text: string } | undefined {
  const { start, label } = span;
  if (leaves.some((leaf) => leaf.offset === start)) return undefined;
  const inside = leaves.find((leaf) => leaf.offset < start && start < leaf.offset + leaf.size);
  if (inside) {
    const element = inside.type.kind === 'array' ? inside.type.element.size : 0;
    if (element > 0 && (start - inside.offset) % element === 0) {
      return { severity: 'warning', text: `label ${label.name} starts at element ${(start - inside.offset) / element} of member ${describeLeaf(inside)}` };
    }
    return { severity: 'error', text: `label ${label.name} starts at offset ${start}, inside member ${describeLeaf(inside)}` };
  }
  const hole = holes.find((range) => range.offset <= start && start < range.offset + range.size);
  if (!hole) return undefined;
  const next = leaves.find((leaf) => leaf.offset >= hole.offset + hole.size);
  const where = `in the ${plural(hole.size, 'padding byte')} after member ${hole.after?.name ?? '(start)'}`;
  if (!next) return { severity: 'error', text: `label ${label.name} starts at offset ${start}, ${where}, past the last member` };
  const previous = spans[span.index - 1];
  const fix = previous ? `: label ${previous.label.name} needs padding: ${previous.label.padding + next.offset - start}` : '';
  return { severity: 'error', text: `label ${label.name} starts at offset ${start}, ${where}; member ${next.name} starts at offset ${next.offset}${fix}` };
}

/** What a label reads beyond one whole member: warnings. */
function spanWarnings(span: LabelSpan, leaves: readonly LeafMember[], holes: readonly PaddingRange[]): string[] {
  const { start, end, paddedEnd, label } = span;
  const read = leaves.filter((leaf) => overlaps(leaf, start, end));
  const warnings: string[] = [];
  const whole = read.filter((leaf) => leaf.offset >= start && leaf.offset + leaf.size <= end);
  if (read.length > 1) warnings.push(`label ${label.name} spans ${plural(read.length, 'member')}: ${read.map((leaf) => leaf.name).join(', ')}`);
  const cut = read.find((leaf) => leaf.offset + leaf.size > end);
  if (cut && cut.offset >= start && read.length === 1) {
    warnings.push(`label ${label.name} reads the first ${plural(end - cut.offset, 'byte')} of member ${describeLeaf(cut)}; on a big-endian CPU those are its high bytes`);
  }
  const padding = holes.filter((hole) => overlaps(hole, start, end)).reduce((total, hole) => total + Math.min(end, hole.offset + hole.size) - Math.max(start, hole.offset), 0);
  if (padding > 0 && whole.length > 0 && read.length === whole.length) {
    const used = whole.reduce((total, leaf) => Math.max(total, leaf.offset + leaf.size), start) - start;
    warnings.push(`label ${label.name} reads ${plural(padding, 'padding byte')} as part of its value: size: ${used}, padding: ${label.padding + end - start - used} would skip them`);
  }
  const skipped = leaves.filter((leaf) => leaf.offset >= end && leaf.offset + leaf.size <= paddedEnd);
  if (skipped.length > 0) warnings.push(`label ${label.name}'s padding skips member${skipped.length === 1 ? '' : 's'} ${skipped.map((leaf) => leaf.name).join(', ')}: no label reads ${skipped.length === 1 ? 'it' : 'them'}`);
  return warnings;
}

/** Label names equal to a member that sits elsewhere: the order of the labels differs from the struct's. */
function orderProblem(span: LabelSpan, leaves: readonly LeafMember[]): string | undefined {
  const named = leaves.find((leaf) => leaf.name === span.label.name || leaf.name.split('.').pop() === span.label.name);
  if (!named || overlaps(named, span.start, span.end)) return undefined;
  const read = leaves.filter((leaf) => overlaps(leaf, span.start, span.end));
  const what = read.length > 0 ? `member ${read.map((leaf) => leaf.name).join(', ')}` : 'padding';
  return `label ${span.label.name} reads ${what} at offset ${span.start}, but member ${named.name} is at offset ${named.offset}: are the labels in the struct's order?`;
}

function checkMetric(config: Config, use: MetricUse, map: MapTypes, key: BtfType): LayoutFinding[] {
  const { metric, kind, path } = use;
  const inKey = hasCpuLabel(map.type, metric.labels, kind) ? metric.labels.slice(0, -1) : metric.labels;
  const spans = spansOf(inKey);
  const total = spans.at(-1)?.paddedEnd ?? 0;
  // No labels read index 0 of an array: the key is not label bytes.
  if (total === 0 && map.keySize === ZERO_KEY_SIZE) return [];
  // Members named pad/reserved are holes the C code spelled out: the check treats them as padding.
  const leaves = leafMembers(key).filter((leaf) => !isExplicitPadding(leaf));
  const holes = paddingRanges(leaves, key.size);
  const owners = (offset: number, size: number): string[] =>
    spans.flatMap((span) => {
      if (overlaps({ offset, size }, span.start, span.end)) return [`<- ${span.label.name}`];
      if (overlaps({ offset, size }, span.end, span.paddedEnd)) return [`<- ${span.label.name} (padding)`];
      return [];
    });
  const layout = renderLayout(key, owners);
  const findings: LayoutFinding[] = [];
  const add = (severity: 'error' | 'warning', field: string, position: { line: number; column: number }, text: string): void => {
    findings.push({ severity, metric: path, layout, error: new ConfigError(config.file, position.line, position.column, field, text) });
  };
  const labelField = (span: LabelSpan): string => `${path}.labels[${span.index}]`;

  if (total !== key.size) {
    const unread = leaves.filter((leaf) => leaf.offset + leaf.size > total).map((leaf) => leaf.name);
    const detail = total < key.size ? `; the last ${plural(key.size - total, 'byte')} (${unread.length > 0 ? `member ${unread.join(', ')}` : 'tail padding'}) are not read` : '';
    add('error', `${path}.labels`, metric.position, `labels take ${total} bytes (sizes plus paddings) but map ${map.name}'s key ${key.name} is ${plural(key.size, 'byte')}${detail}`);
  }
  for (const span of spans) {
    if (span.start >= key.size) {
      add('error', labelField(span), span.label.position, `label ${span.label.name} starts at offset ${span.start}, past the end of ${key.name} (${plural(key.size, 'byte')})`);
      continue;
    }
    const start = startProblem(span, spans, leaves, holes);
    if (start) add(start.severity, labelField(span), span.label.position, start.text);
    const order = orderProblem(span, leaves);
    if (order) add('error', labelField(span), span.label.position, order);
    if (start?.severity === 'error') continue;
    for (const text of spanWarnings(span, leaves, holes)) add('warning', labelField(span), span.label.position, text);
    const leaf = leaves.find((candidate) => candidate.offset === span.start);
    const decoder = leaf ? decoderProblem(span, leaf) : undefined;
    if (decoder) add('warning', labelField(span), span.label.position, decoder);
    if (leaf?.bitfield) add('warning', labelField(span), span.label.position, `member ${leaf.name} is a bitfield: label ${span.label.name} reads whole bytes, its neighbours' bits included`);
  }
  if (kind === 'histogram') {
    const bucket = spans[bucketLabelIndex(inKey)];
    const last = leaves.at(-1);
    if (bucket && last && !overlaps(last, bucket.start, bucket.end) && bucket.end <= key.size) {
      add('warning', labelField(bucket), bucket.label.position, `bucket label ${bucket.label.name} does not read the key's last member ${last.name}: the bucket index is expected there`);
    }
  }
  return findings;
}

/**
 * Every layout finding for the config's metrics whose map has a BTF key type. Metrics whose map is missing
 * or has no BTF are left to {@link validateConfigAgainstMaps}, which checks sizes only.
 */
export function checkLabelLayouts(config: Config, maps: readonly MapTypes[]): LayoutFinding[] {
  const byName = new Map(maps.map((map) => [map.name, map]));
  return metricUses(config).flatMap((use) => {
    const map = byName.get(use.metric.map);
    const keyFindings = map?.key ? checkMetric(config, use, map, map.key) : [];
    return map?.value?.kind === 'struct' ? [...keyFindings, ...checkValueFields(config, use, map.value)] : keyFindings;
  });
}

/** `value` and `sum` fields of a struct value: each must be one whole integer member of it. */
function checkValueFields(config: Config, use: MetricUse, value: BtfType): LayoutFinding[] {
  const leaves = leafMembers(value);
  const layout = renderLayout(value);
  const sum = 'sum' in use.metric ? (use.metric as { sum?: ValueField }).sum : undefined;
  const fields = [...(use.metric.valueGiven ? [{ field: 'value', read: use.metric.value }] : []), ...(sum ? [{ field: 'sum', read: sum }] : [])];
  return fields.flatMap(({ field, read }) => {
    const member = leaves.find((leaf) => leaf.offset === read.offset);
    const add = (severity: 'error' | 'warning', problem: string): LayoutFinding => ({
      severity,
      metric: use.path,
      layout,
      error: new ConfigError(config.file, use.metric.position.line, use.metric.position.column, `${use.path}.${field}`, problem),
    });
    if (!member) return [add('error', `${plural(read.size, 'byte')} at offset ${read.offset} do not start a member of ${value.name}`)];
    if (member.size !== read.size) return [add('error', `reads ${plural(read.size, 'byte')} at offset ${read.offset}, but member ${describeLeaf(member)} is ${plural(member.size, 'byte')}`)];
    const signed = member.type.kind === 'int' && member.type.signed;
    if (signed !== read.signed && use.kind === 'counter' && field === 'value' && signed) {
      return [add('warning', `member ${describeLeaf(member)} is signed: a gauge reading it wants signed: true`)];
    }
    return [];
  });
}

/** Findings as the user reads them: each message, then once per metric the layout they refer to. */
export function formatLayoutFindings(findings: readonly LayoutFinding[]): string {
  const byMetric = new Map<string, LayoutFinding[]>();
  for (const finding of findings) byMetric.set(finding.metric, [...(byMetric.get(finding.metric) ?? []), finding]);
  return [...byMetric.values()]
    .map((group) => [...group.map((finding) => finding.error.message), (group[0] as LayoutFinding).layout].join('\n'))
    .join('\n');
}
