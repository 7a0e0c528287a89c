/**
 * Writes the exposition lines of series `cursor[0]` on into `chunk` from byte `cursor[1]`, exactly as
 * libs/metrics' column-chunks.ts would, as long as each value is an integer in [0, 1e6) and the next line
 * fits in `size` bytes (counting 7 digits for its value); leaves the next series and the chunk's end in
 * `cursor`. `labelled` is `name{`, `bare` is `name ` and `suffix` follows the digits (`.0` in OpenMetrics).
 * The addon's `writeIntegerLines` copies with memcpy what column-chunks.ts copies word by word in
 * JavaScript; lines of other values are always written there.
 */
export type IntegerLineWriter = (
  chunk: Uint8Array,
  size: number,
  labelled: Uint8Array,
  bare: Uint8Array,
  suffix: Uint8Array,
  arena: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  values: Float64Array,
  cursor: Int32Array,
) => void;
