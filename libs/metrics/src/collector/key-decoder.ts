import type { LabelConfig } from '../config/types';
import { SKIP, type Skip } from '../decoders/decoder';
import type { DecoderRegistry } from '../decoders/registry';
import { renderLabelPairs } from '../exposition/escape';

/** Upstream parses the bucket label with Go's `strconv.ParseUint(s, 0, 64)`: decimal, 0x, 0o, 0b or 0-octal. */
function parseBucketIndex(text: string): number {
  const value = /^(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.test(text)
    ? Number(/^0[0-7]/.test(text) ? `0o${text.slice(1)}` : text)
    : NaN;
  if (Number.isNaN(value)) throw new Error(`cannot parse bucket label value ${JSON.stringify(text)} as an unsigned integer`);
  return value;
}

/** Indexes of the labels but `except` (a histogram's bucket label), in the order client_golang emits them: sorted by name. */
function emitOrder(labels: readonly LabelConfig[], except = -1): number[] {
  return [...labels.keys()]
    .filter((index) => index !== except)
    .sort((a, b) => {
      const left = labels[a]?.name as string;
      const right = labels[b]?.name as string;
      return left < right ? -1 : left > right ? 1 : 0;
    });
}

/**
 * Runs every label's decoders over its bytes (`size` bytes, then `padding` skipped) starting at `offset`.
 * @returns the values in config order, or SKIP; throws when a decoder fails.
 */
function decodeLabelValues(decoders: DecoderRegistry, labels: readonly LabelConfig[], bytes: Uint8Array, offset: number): string[] | Skip {
  const values: string[] = [];
  let position = offset;
  for (const label of labels) {
    const value = decoders.decode(bytes.subarray(position, position + label.size), label.decoders);
    if (value === SKIP) return SKIP;
    values.push(value);
    position += label.size + label.padding;
  }
  return values;
}

export interface DecodedRecord {
  /** Sorted by name, as emitted. */
  labelNames: string[];
  labelValues: string[];
}

/**
 * Decodes one perf event or ring buffer record (uncached, as upstream): the record is cut to the labels'
 * total size, like upstream does, and must be at least that long.
 */
export function decodeRecord(decoders: DecoderRegistry, labels: readonly LabelConfig[], record: Uint8Array): DecodedRecord | Skip {
  const size = labels.reduce((total, label) => total + label.size + label.padding, 0);
  if (record.byteLength < size) throw new Error(`record has ${record.byteLength} bytes, labels need ${size}`);
  const values = decodeLabelValues(decoders, labels, record, 0);
  if (values === SKIP) return SKIP;
  const order = emitOrder(labels);
  return { labelNames: order.map((index) => labels[index]?.name as string), labelValues: order.map((index) => values[index] as string) };
}

export interface KeyDecoderOptions {
  labels: readonly LabelConfig[];
  /** The label that is a histogram's bucket index rather than a series label (see bucketLabelIndex), or -1. */
  bucketLabel: number;
}

/** A decoded map key: its series' labels as the exposition writes them, and its histogram bucket index. */
export interface DecodedMapKey {
  labelText: string;
  /** The bucket index parsed from the last label of a histogram; 0 otherwise. */
  bucket: number;
}

/**
 * Turns raw map keys into label texts through the configured decoders, uncached: a metric's series table
 * is the cache (see series-table.ts). Label names are emitted sorted, as client_golang does for const
 * metrics.
 */
export class KeyDecoder {
  readonly labelNames: readonly string[];
  /** For each emitted label, the index of the configured label it comes from. */
  private readonly emitOrder: readonly number[];
  readonly labelBytes: number;
  /** See KeyDecoderOptions.bucketLabel. */
  readonly bucketLabel: number;

  constructor(
    private readonly decoders: DecoderRegistry,
    private readonly options: KeyDecoderOptions,
  ) {
    this.emitOrder = emitOrder(options.labels, options.bucketLabel);
    this.bucketLabel = options.bucketLabel;
    this.labelNames = this.emitOrder.map((index) => options.labels[index]?.name as string);
    this.labelBytes = options.labels.reduce((total, label) => total + label.size + label.padding, 0);
  }

  /** Decodes the labels at `offset`. @returns them or SKIP; throws when a decoder fails. */
  decode(bytes: Uint8Array, offset: number): DecodedMapKey | Skip {
    const values = decodeLabelValues(this.decoders, this.options.labels, bytes, offset);
    if (values === SKIP) return SKIP;
    return {
      labelText: renderLabelPairs(this.labelNames, this.emitOrder.map((index) => values[index] as string)),
      bucket: this.options.bucketLabel >= 0 ? parseBucketIndex(values[this.options.bucketLabel] as string) : 0,
    };
  }
}
