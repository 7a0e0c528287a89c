// The protobuf wire format, as much of it as io.prometheus.client.MetricFamily needs: varints, zigzag
// varints, doubles, strings and nested messages, written straight into one growing buffer. A nested message's
// length is only known once it is written, so a byte is kept for it and the message moved along in the rare
// case its length needs more (a family of more than 127 bytes, a label value of more than 127 bytes): one
// memmove, where writers that build a tree of pieces first (protobufjs' fork/ldelim) allocate per field.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;

const encoder = new TextEncoder();

/** Bytes of the varint of `value` (a non-negative safe integer). */
function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

export class ProtoWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private length = 0;
  /** Where each open message's contents start (its length byte is just before). */
  private readonly open: number[] = [];

  constructor(initialBytes = 64 * 1024) {
    this.bytes = new Uint8Array(initialBytes);
    this.view = new DataView(this.bytes.buffer);
  }

  get byteLength(): number {
    return this.length;
  }

  private reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** A non-negative integer up to 2^53 (counts are integers well below that). */
  varint(value: number): void {
    this.reserve(10);
    const bytes = this.bytes;
    let at = this.length;
    while (value >= 0x80) {
      bytes[at++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    bytes[at++] = value;
    this.length = at;
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  uint64Field(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
  }

  /** sint32 and sint64 alike: zigzag, so small negative numbers stay short. */
  sintField(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  doubleField(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  stringField(field: number, value: string): void {
    this.begin(field);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.reserve(value.length * 3);
    this.length += encoder.encodeInto(value, this.bytes.subarray(this.length)).written;
    this.end();
  }

  /** `source[from..to)` as a length-delimited field (UTF-8 copied as it is, never decoded). */
  bytesField(field: number, source: Uint8Array, from: number, to: number): void {
    this.tag(field, WIRE_LENGTH);
    this.varint(to - from);
    this.reserve(to - from);
    this.bytes.set(source.subarray(from, to), this.length);
    this.length += to - from;
  }

  /** Bytes already encoded (a field written once and repeated). */
  raw(encoded: Uint8Array): void {
    this.reserve(encoded.length);
    this.bytes.set(encoded, this.length);
    this.length += encoded.length;
  }

  /** Opens a nested message in `field`; end() closes it. */
  begin(field: number): void {
    this.tag(field, WIRE_LENGTH);
    this.beginDelimited();
  }

  /** Opens a message preceded by its length only (the `encoding=delimited` stream's framing). */
  beginDelimited(): void {
    this.reserve(1);
    this.length++;
    this.open.push(this.length);
  }

  end(): void {
    const start = this.open.pop();
    if (start === undefined) throw new Error('ProtoWriter.end() without begin()');
    const size = this.length - start;
    const extra = varintSize(size) - 1;
    if (extra > 0) {
      this.reserve(extra);
      this.bytes.copyWithin(start + extra, start, this.length);
      this.length += extra;
    }
    // The varint goes where the kept byte is (and the room made after it): no reserve() there, which
    // would copy only up to that point.
    let at = start - 1;
    let rest = size;
    while (rest >= 0x80) {
      this.bytes[at++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[at] = rest;
  }

  /** The bytes written so far; the writer starts over in a new buffer. */
  take(): Uint8Array {
    if (this.open.length > 0) throw new Error('ProtoWriter.take() inside an open message');
    const written = this.bytes.subarray(0, this.length);
    this.bytes = new Uint8Array(this.bytes.length);
    this.view = new DataView(this.bytes.buffer);
    this.length = 0;
    return written;
  }
}
