import { constants, performance, PerformanceObserver, type NodeGCPerformanceDetail, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { GARBAGE_LIMIT_BYTES, memoryReleaser, SMALL_SCRAPE_BYTES, SMALL_SCRAPES_PER_CHECK } from './memory-release';

const buffers = () => process.memoryUsage().arrayBuffers;

/** Unreachable buffers of `bytes` in all, as a scrape leaves them behind. */
function leaveGarbage(bytes: number): void {
  const piece = 16 * 2 ** 20;
  for (let left = bytes; left > 0; left -= piece) new Uint8Array(Math.min(piece, left)).fill(1);
}

interface Span {
  from: number;
  to: number;
}

function during(action: () => void): Span {
  const from = performance.now();
  action();
  return { from, to: performance.now() };
}

/**
 * The collections V8 reports as forced, from now on: here only gc() forces one, so these are the releaser's.
 * V8 reports them a little later, in the order they ran.
 */
function forcedCollections() {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as PerformanceEntry & { detail: NodeGCPerformanceDetail };
      if ((detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0) starts.push(entry.startTime);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const within = (span: Span) => starts.filter((start) => start >= span.from && start <= span.to).length;
  return {
    within,
    /** Waits until a collection that started in `span` was reported, or 5 s went by. */
    async reported(span: Span): Promise<void> {
      for (let waited = 0; within(span) === 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    stop: () => observer.disconnect(),
  };
}

describe('memoryReleaser', () => {
  it('collects at once when a scrape left more buffers than the limit, and leaves less to V8', async () => {
    // Earlier tests' garbage, collected now, would otherwise count as what the releaser starts from.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    const release = memoryReleaser();
    const kept = buffers();
    const forced = forcedCollections();
    try {
      leaveGarbage(GARBAGE_LIMIT_BYTES / 2);
      const withinLimit = during(() => release(SMALL_SCRAPE_BYTES));
      // 1.5 limits in all (48 MiB): V8 by itself waits for 64 MiB of new buffers, so only the releaser
      // collects them while this test runs.
      leaveGarbage(GARBAGE_LIMIT_BYTES);
      const beyondLimit = during(() => release(SMALL_SCRAPE_BYTES));
      await forced.reported(beyondLimit);
      expect(forced.within(withinLimit)).toBe(0);
      expect(forced.within(beyondLimit)).toBe(1);
    } finally {
      forced.stop();
    }
    // V8 frees collected buffers on a background thread: give it a moment, without collecting again here.
    for (let waited = 0; buffers() - kept >= GARBAGE_LIMIT_BYTES / 4 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(buffers() - kept).toBeLessThan(GARBAGE_LIMIT_BYTES / 4);
  });

  it('looks at memory after every large scrape and once in a while after small ones', () => {
    const release = memoryReleaser();
    const memoryUsage = vi.spyOn(process, 'memoryUsage');
    try {
      release(SMALL_SCRAPE_BYTES);
      expect(memoryUsage).toHaveBeenCalled();
      memoryUsage.mockClear();
      release(100); // the first small one
      expect(memoryUsage).toHaveBeenCalled();
      memoryUsage.mockClear();
      for (let i = 1; i < SMALL_SCRAPES_PER_CHECK; i++) release(100);
      expect(memoryUsage).not.toHaveBeenCalled();
      release(100);
      expect(memoryUsage).toHaveBeenCalled();
    } finally {
      memoryUsage.mockRestore();
    }
  });
});
