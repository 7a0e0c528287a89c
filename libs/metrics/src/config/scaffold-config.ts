// A starting config written from an object's BTF (`ebpf_exporter init <name>.bpf.o`): one metric per map
// that looks like one, labels after the key's members with sizes and paddings that match the struct,
// decoders guessed from member names and types. What BTF cannot say (help texts, bucket ranges and
// units, static_map names) is marked `decide:` for the human who finishes it.
import type { BtfMember, BtfType, MapTypes } from '@ebpf-exporter/map-types';
import { isExplicitPadding, leafMembers, typeSpelling, type LeafMember } from './btf-layout';
import { isPerCpuMapType, ZERO_KEY_SIZE } from './key-layout';

const METRIC_MAP_TYPES = new Set(['hash', 'lru_hash', 'array', 'percpu_hash', 'percpu_array', 'lru_percpu_hash']);

/** Maps that hold per-event state (timestamps keyed by pid or by a kernel object), not metrics. */
const STATE_MAP_NAME = /^(start|starts|ts|timestamps?)$|_at$|^__bpf_|^traced_|_(start|starts|inflight)$/;
const BUCKET_NAME = /(^|_)(bucket|slot|hist_slot|le)$/;
const HISTOGRAM_MAP_NAME = /_(seconds|bytes)$|latency|_dist$/;
const DEFAULT_BUCKET_MAX = 26;

export interface ScaffoldLabel {
  name: string;
  size: number;
  padding: number;
  decoders: ScaffoldDecoder[];
  /** Why a human has to look at this label, when the guess is weak. */
  decide?: string;
}

export interface ScaffoldDecoder {
  name: string;
  staticMap?: readonly { key: string; value: string }[];
}

export interface ScaffoldMetric {
  kind: 'counter' | 'gauge' | 'histogram';
  name: string;
  map: string;
  /** A field of a struct value; absent for a plain u64. */
  value?: { offset: number; size: number; signed: boolean };
  labels: ScaffoldLabel[];
  /** A histogram's struct value member that may be its `sum`. */
  sum?: { offset: number; size: number; field: string };
  bucketMax?: number;
  bucketMultiplier?: number;
  notes: string[];
}

export interface Scaffold {
  metrics: ScaffoldMetric[];
  /** Maps left out, with the reason. */
  skipped: { map: string; reason: string }[];
}

const labelName = (member: string): string => member.replace(/\./g, '_').replace(/^_+/, '') || 'key';

const isByteArray = (type: BtfType): type is Extract<BtfType, { kind: 'array' }> => type.kind === 'array' && type.element.kind === 'int' && type.element.size === 1;

/** Decoders for a member from its name and type; `decide` when nothing but the size is known. */
function decodersFor(name: string, type: BtfType, size: number, siblings: readonly string[]): Pick<ScaffoldLabel, 'decoders' | 'decide'> {
  const lower = name.toLowerCase();
  if (type.kind === 'pointer') return { decoders: [{ name: 'ksym' }] };
  // struct in6_addr is a union of byte, u16 and u32 views of one IPv6 address.
  if (/in6_addr|in6_u/.test(`${type.name} ${lower}`) && size === 16) return { decoders: [{ name: 'inet_ip' }] };
  // A PCI id: vendor, device, class and subclass together (device alone is a block device).
  const pci = /^(pci_)?(vendor|device|class|subclass)$/.exec(lower)?.[2];
  if (pci && siblings.some((sibling) => /vendor$/.test(sibling))) return { decoders: [{ name: 'uint' }, { name: `pci_${pci}` }] };
  if (type.kind === 'enum') {
    return {
      decoders: [{ name: 'uint' }, { name: 'static_map', staticMap: type.values.map((value) => ({ key: value.value, value: value.name.toLowerCase() })) }],
      decide: `static_map from ${type.name}: keep the names you want to see`,
    };
  }
  if (type.kind === 'array') {
    if (/stack|frames|^ips$/.test(lower) && type.element.size === 8) return { decoders: [{ name: 'kstack' }] };
    if (isByteArray(type) && (type.length === 4 || type.length === 16) && /(ip|addr)$/.test(lower)) return { decoders: [{ name: 'inet_ip' }] };
    if (isByteArray(type)) return { decoders: [{ name: 'string' }], decide: type.element.kind === 'int' && type.element.char ? undefined : 'string, or inet_ip/hex if these bytes are not text' };
    return { decoders: [{ name: 'hex' }], decide: `${typeSpelling(type)}: no decoder reads it as numbers` };
  }
  if (type.kind !== 'int' || ![1, 2, 4, 8].includes(size)) return { decoders: [{ name: 'hex' }], decide: `${typeSpelling(type)}: choose a decoder` };
  if (/^(dev|device|devt|dev_t)$/.test(lower) && size === 4) return { decoders: [{ name: 'majorminor' }] };
  if (/cgroup/.test(lower) && size === 8) return { decoders: [{ name: 'uint' }, { name: 'cgroup' }] };
  if (/^(syscall|syscall_id|syscall_nr|sys_nr)$/.test(lower)) return { decoders: [{ name: 'uint' }, { name: 'syscall' }] };
  if (/^(errno|err|error)$/.test(lower)) return { decoders: [{ name: 'uint' }, { name: 'errno' }] };
  if (/^(ifindex|if_index|interface|ifidx)$/.test(lower) && size === 4) return { decoders: [{ name: 'ifname' }] };
  if (/(^|_)(ip|addr|saddr|daddr)$/.test(lower) && size === 4) return { decoders: [{ name: 'inet_ip' }] };
  return { decoders: [{ name: 'uint' }] };
}

/** Labels for every leaf member, holes and explicit `pad` members folded into the padding before them. */
function labelsFor(key: BtfType, map: MapTypes): ScaffoldLabel[] {
  // A map without labels keeps its one value at index 0 of an array.
  if (map.type.endsWith('array') && key.kind !== 'struct' && map.maxEntries === 1 && key.size === ZERO_KEY_SIZE) return [];
  const leaves = mergeOverlapping(leafMembers(key).filter((leaf) => !isExplicitPadding(leaf)));
  return leaves.map((leaf, index) => {
    const next = leaves[index + 1]?.offset ?? key.size;
    const isKey = key.kind !== 'struct';
    const name = isKey ? keyLabelName(map.name) : labelName(leaf.name);
    const guess = decodersFor(isKey ? name : leaf.name, leaf.type, leaf.size, leaves.map((other) => other.name));
    const decide = leaf.bitfield ? `bitfields ${leaf.name}: a label reads whole bytes, a decoder cannot split them` : (guess.decide ?? (isKey ? 'name this label: the key is a plain number' : undefined));
    return { name, size: leaf.size, padding: next - leaf.offset - leaf.size, decoders: guess.decoders, ...(decide ? { decide } : {}) };
  });
}

/** Bitfields sharing bytes become one leaf over those bytes: a label cannot split a byte. */
function mergeOverlapping(leaves: readonly LeafMember[]): LeafMember[] {
  const merged: LeafMember[] = [];
  for (const leaf of leaves) {
    const previous = merged.at(-1);
    if (previous && leaf.offset < previous.offset + previous.size) {
      const end = Math.max(previous.offset + previous.size, leaf.offset + leaf.size);
      merged[merged.length - 1] = { ...previous, name: `${previous.name}_${leaf.name}`, size: end - previous.offset, type: previous.type, bitfield: true };
    } else merged.push(leaf);
  }
  return merged;
}

/** A plain-number key's label name from what the map counts by, if its name says. */
function keyLabelName(map: string): string {
  for (const hint of ['cgroup', 'syscall', 'errno', 'cpu', 'port', 'pid']) if (map.includes(hint)) return hint;
  return 'key';
}

function stateMapReason(map: MapTypes): string | undefined {
  if (map.internal) return 'libbpf global data';
  if (!METRIC_MAP_TYPES.has(map.type)) return `a ${map.type} map: not a counter or histogram (events and spans need a human)`;
  if (map.key?.kind === 'pointer') return `keyed by ${map.key.name}: per-object state, not labels`;
  if (STATE_MAP_NAME.test(map.name)) return 'named like per-event state (a start timestamp), not a metric';
  if (!map.key) return 'no BTF for its key (declared with key_size, or built without -g)';
  return undefined;
}

/** Integer members of a struct value, each a metric of its own (`value: { offset, size }`). */
function valueFields(value: BtfType): BtfMember[] {
  return value.kind === 'struct' ? value.members.filter((member) => member.bitSize === 0 && member.type.kind === 'int' && [1, 2, 4, 8].includes(member.type.size)) : [];
}

/** A struct-valued bucket: its first integer is the count; a second one may be what `sum` adds up. */
function histogramValue(value: BtfType | undefined): Pick<ScaffoldMetric, 'value' | 'sum'> {
  const [count, sum] = value ? valueFields(value) : [];
  if (!count) return {};
  return {
    value: { offset: count.offset, size: count.type.size, signed: false },
    ...(sum ? { sum: { offset: sum.offset, size: sum.type.size, field: sum.name } } : {}),
  };
}

function isHistogram(map: MapTypes, leaves: readonly LeafMember[]): boolean {
  const last = leaves.at(-1);
  if (map.key?.kind === 'struct') return last !== undefined && BUCKET_NAME.test(last.name.split('.').pop() ?? '');
  return HISTOGRAM_MAP_NAME.test(map.name) && !map.name.endsWith('_total');
}

function metricsOf(map: MapTypes): ScaffoldMetric[] | string {
  const key = map.key as BtfType;
  const labels = labelsFor(key, map);
  const perCpuNote = isPerCpuMapType(map.type) ? ['a per-CPU map: its CPUs are summed; a last label named cpu (size: 2) gives one series per CPU instead'] : [];
  if (isHistogram(map, leafMembers(key))) {
    const bucket = labels.at(-1);
    if (bucket) {
      bucket.name = 'bucket';
      bucket.decoders = [{ name: 'uint' }];
      delete bucket.decide;
    }
    const onlyBucket = labels.length === 1 && map.type.endsWith('array');
    const seconds = map.name.endsWith('_seconds');
    return [
      {
        kind: 'histogram',
        name: map.name,
        map: map.name,
        labels,
        bucketMax: onlyBucket ? Math.max(0, map.maxEntries - 2) : DEFAULT_BUCKET_MAX,
        ...(seconds ? { bucketMultiplier: 0.000001 } : {}),
        ...histogramValue(map.value),
        notes: perCpuNote,
      },
    ];
  }
  const value = map.value;
  if (value?.kind === 'struct') {
    const fields = valueFields(value);
    if (fields.length === 0) return `value ${value.name} has no integer members to count`;
    return fields.map((field) => ({
      kind: 'counter',
      name: `${map.name.replace(/_total$/, '')}_${labelName(field.name)}_total`,
      map: map.name,
      value: { offset: field.offset, size: field.type.size, signed: false },
      labels: labels.map((label) => ({ ...label, decoders: [...label.decoders] })),
      notes: [`one of ${fields.length} counters from ${value.name}`, ...perCpuNote],
    }));
  }
  if (map.valueSize !== 8) return `${map.valueSize}-byte values: only a u64 is counted without value: { offset, size }`;
  const signed = value?.kind === 'int' && value.signed;
  return [
    {
      kind: signed ? 'gauge' : 'counter',
      name: map.name,
      map: map.name,
      ...(signed ? { value: { offset: 0, size: 8, signed: true } } : {}),
      labels,
      notes: [...(signed ? [`a signed value (${value.name}): a gauge, which may go below zero`] : []), ...perCpuNote],
    },
  ];
}

/** What `init` would write, as data (the tests compare it with the shipped configs). */
export function scaffoldMetrics(maps: readonly MapTypes[]): Scaffold {
  const scaffold: Scaffold = { metrics: [], skipped: [] };
  for (const map of maps) {
    const reason = stateMapReason(map);
    const metrics = reason ?? metricsOf(map);
    if (typeof metrics === 'string') scaffold.skipped.push({ map: map.name, reason: metrics });
    else scaffold.metrics.push(...metrics);
  }
  return scaffold;
}

const SECTION: Record<ScaffoldMetric['kind'], string> = { counter: 'counters', gauge: 'gauges', histogram: 'histograms' };

function renderLabel(label: ScaffoldLabel): string[] {
  const lines = [`        - name: ${label.name}${label.decide ? ` # decide: ${label.decide}` : ''}`, `          size: ${label.size}`];
  if (label.padding > 0) lines.push(`          padding: ${label.padding}`);
  lines.push('          decoders:');
  for (const decoder of label.decoders) {
    lines.push(`            - name: ${decoder.name}`);
    if (decoder.staticMap) {
      lines.push('              static_map:');
      for (const { key, value } of decoder.staticMap) lines.push(`                ${key}: ${JSON.stringify(value)}`);
    }
  }
  return lines;
}

function renderMetric(metric: ScaffoldMetric): string[] {
  const lines = [`    - name: ${metric.name}`, `      help: ${JSON.stringify(metric.name.replace(/_/g, ' '))} # decide: say what it counts`];
  for (const note of metric.notes) lines.push(`      # ${note}`);
  if (metric.map !== metric.name) lines.push(`      map: ${metric.map}`);
  if (metric.kind === 'histogram') {
    lines.push('      bucket_type: exp2 # decide: exp2, exp2zero, linear or fixed, as the program computes the bucket');
    lines.push('      bucket_min: 0');
    lines.push(`      bucket_max: ${metric.bucketMax ?? DEFAULT_BUCKET_MAX} # decide: the largest bucket the program writes (its sum goes to bucket_max + 1)`);
    if (metric.bucketMultiplier !== undefined) lines.push(`      bucket_multiplier: ${metric.bucketMultiplier} # decide: the unit the program measures in (microseconds here)`);
  }
  if (metric.value) {
    lines.push('      value:', `        offset: ${metric.value.offset}`, `        size: ${metric.value.size}`);
    if (metric.value.signed) lines.push('        signed: true');
  }
  if (metric.sum) lines.push(`      sum: # decide: whether ${metric.sum.field} adds up into _sum (else drop this for a sum key at bucket_max + 1)`, `        offset: ${metric.sum.offset}`, `        size: ${metric.sum.size}`);
  if (metric.labels.length > 0) lines.push('      labels:', ...metric.labels.flatMap(renderLabel));
  return lines;
}

/** The YAML `init` writes for `objectFile` (a scaffold with at least one metric): a config the exporter loads as it is, with `decide:` comments. */
export function renderScaffold(objectFile: string, scaffold: Scaffold): string {
  const lines = [
    `# Written by \`ebpf_exporter init ${objectFile}\` from the object's BTF: the labels' sizes and paddings`,
    '# follow the key structs; names, decoders and buckets are guesses. Read every "decide:" comment.',
  ];
  if (scaffold.skipped.length > 0) {
    lines.push('# Maps left out:');
    for (const { map, reason } of scaffold.skipped) lines.push(`#   ${map}: ${reason}`);
  }
  lines.push('metrics:');
  for (const kind of ['counter', 'gauge', 'histogram'] as const) {
    const metrics = scaffold.metrics.filter((metric) => metric.kind === kind);
    if (metrics.length > 0) lines.push(`  ${SECTION[kind]}:`, ...metrics.flatMap(renderMetric));
  }
  return `${lines.join('\n')}\n`;
}
