import type { LabelConfig } from '../config/types';
import { SKIP, type Skip } from '../decoders/decoder';
import type { DecoderRegistry } from '../decoders/registry';
import { renderLabelPairs } from '../exposition/escape';
import { ByteKeyLru, hashBytes } from './byte-key-lru';
import type { SortSlot } from './series-order';

/** A decoded key, cached per raw key bytes. */
export interface DecodedKey extends SortSlot {
  /** Label values in the emitted (name-sorted) label order; for histograms without the bucket label. */
  labelValues: string[];
  /**
   * The labels as the exposition writes them: rendered once per cached key instead of once per scrape, and
   * the identity of the label set when keys that decode alike are aggregated.
   */
  labelText: string;
  /** Histograms only: the bucket index parsed from the last label. */
  bucket: number;
  /** Counters only: cached raw keys sharing this object (keys with equal labels share one, see `interned`). */
  refs: number;
  /** Counters only: the scrape pass that last visited this series, and the index of its series in that pass. */
  pass: number;
  seriesIndex: number;
}

/** Upstream parses the bucket label with Go's `strconv.ParseUint(s, 0, 64)`: decimal, 0x, 0o, 0b or 0-octal. */
function parseBucketIndex(text: string): number {
  const value = /^(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.test(text)
    ? Number(/^0[0-7]/.test(text) ? `0o${text.slice(1)}` : text)
    : NaN;
  if (Number.isNaN(value)) throw new Error(`cannot parse bucket label value ${JSON.stringify(text)} as an unsigned integer`);
  return value;
}

/** Indexes of `count` labels in the order client_golang emits them: sorted by name. */
function emitOrder(labels: readonly LabelConfig[], count: number): number[] {
  return [...Array(count).keys()].sort((a, b) => {
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
  const order = emitOrder(labels, labels.length);
  return { labelNames: order.map((index) => labels[index]?.name as string), labelValues: order.map((index) => values[index] as string) };
}

export interface KeyDecoderOptions {
  labels: readonly LabelConfig[];
  /** Whether the last label is a histogram bucket index rather than a series label. */
  lastLabelIsBucket: boolean;
  labelCacheSize: number;
  skipCacheSize: number;
}

/**
 * Turns raw map keys into label values through the configured decoders, caching results by key bytes.
 * Label names are emitted sorted, as client_golang does for const metrics.
 */
export class KeyDecoder {
  readonly labelNames: readonly string[];
  /** For each emitted label, the index of the configured label it comes from. */
  private readonly emitOrder: readonly number[];
  private readonly cache: ByteKeyLru<DecodedKey>;
  private readonly skipped: ByteKeyLru<true>;
  readonly labelBytes: number;
  /**
   * Counters: one DecodedKey per label set, so keys that decode to the same labels (recycled cgroup ids)
   * share an object and a scrape can add them up without a lookup table of its own.
   */
  private readonly interned: Map<string, DecodedKey> | undefined;
  /** Interned keys no cached key uses any more; dropped between scrapes so a scrape never sees two. */
  private released: DecodedKey[] = [];

  constructor(
    private readonly decoders: DecoderRegistry,
    private readonly options: KeyDecoderOptions,
  ) {
    this.emitOrder = emitOrder(options.labels, options.labels.length - (options.lastLabelIsBucket ? 1 : 0));
    this.labelNames = this.emitOrder.map((index) => options.labels[index]?.name as string);
    this.labelBytes = options.labels.reduce((total, label) => total + label.size + label.padding, 0);
    this.interned = options.lastLabelIsBucket ? undefined : new Map();
    this.cache = new ByteKeyLru<DecodedKey>(options.labelCacheSize, (evicted) => {
      if (this.interned && --evicted.refs === 0) this.released.push(evicted);
    });
    this.skipped = new ByteKeyLru(options.skipCacheSize);
  }

  /**
   * Decodes `length` bytes of `bytes` at `offset` (which must equal the labels' total size).
   * @returns the decoded key or SKIP; throws when a decoder fails.
   */
  decode(bytes: Uint8Array, offset: number, length: number): DecodedKey | Skip {
    const hash = hashBytes(bytes, offset, length);
    const cached = this.cache.get(bytes, offset, length, hash);
    if (cached !== undefined) return cached;
    if (this.skipped.capacity > 0 && this.skipped.get(bytes, offset, length, hash)) return SKIP;

    let decoded = this.decodeUncached(bytes, offset);
    if (decoded === SKIP) {
      this.skipped.set(bytes, offset, length, hash, true);
      return SKIP;
    }
    if (this.interned) {
      const shared = this.interned.get(decoded.labelText);
      if (shared) decoded = shared;
      else this.interned.set(decoded.labelText, decoded);
      decoded.refs++;
    }
    this.cache.set(bytes, offset, length, hash, decoded);
    return decoded;
  }

  /** Call before each pass over a map: forgets label sets whose keys all left the cache since the last one. */
  beginPass(): void {
    for (const key of this.released) {
      if (key.refs === 0 && this.interned?.get(key.labelText) === key) this.interned.delete(key.labelText);
    }
    this.released = [];
  }

  private decodeUncached(bytes: Uint8Array, offset: number): DecodedKey | Skip {
    const values = decodeLabelValues(this.decoders, this.options.labels, bytes, offset);
    if (values === SKIP) return SKIP;
    const labelValues = this.emitOrder.map((index) => values[index] as string);
    return {
      labelValues,
      labelText: renderLabelPairs(this.labelNames, labelValues),
      bucket: this.options.lastLabelIsBucket ? parseBucketIndex(values[values.length - 1] as string) : 0,
      refs: 0,
      pass: 0,
      seriesIndex: 0,
      sortRank: 0,
      sortPass: 0,
    };
  }
}
