// Long loops over big maps share the thread with the HTTP server. They give the event loop a turn once they
// have run for a slice of time, not after every fixed number of items: a turn runs timers, I/O and other
// requests, so taking one every few thousand items of a fast loop spent more of a 100k-series scrape
// waiting for turns than working, while a slow loop (cold decoding) could still hold the thread too long.

/** Longest stretch of work between two turns of the event loop: other requests wait at most about this. */
export const SLICE_MS = 20;

type Turn = () => Promise<void>;

/** One event-loop turn: setImmediate where it exists (Node), else a zero timeout (browsers). */
const nextTurn: Turn =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? () => new Promise((resolve) => (globalThis as unknown as { setImmediate: (run: () => void) => void }).setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(
    private readonly sliceMs = SLICE_MS,
    private readonly turn: Turn = nextTurn,
  ) {}

  /** Resolves at once while the slice has time left, else after one turn of the event loop (a new slice). */
  async pause(): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await this.turn();
    this.sliceStart = performance.now();
  }
}

/** The one slicer of this thread: collection and exposition run on the same event loop, so they share it. */
export const threadSlicer = new TimeSlicer();
