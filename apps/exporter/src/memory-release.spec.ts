import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { GARBAGE_LIMIT_BYTES, memoryReleaser, SMALL_SCRAPE_CHARS, SMALL_SCRAPES_PER_CHECK } from './memory-release';

const buffers = () => process.memoryUsage().arrayBuffers;

describe('memoryReleaser', () => {
  it('collects the buffers a scrape left behind once they exceed the limit', async () => {
    // Earlier tests' garbage, collected now, would otherwise count as what the releaser starts from.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    const release = memoryReleaser();
    const kept = buffers();
    let garbage: Uint8Array[] | undefined;
    // Twice the limit, unreachable: collected before release() returns.
    garbage = Array.from({ length: 4 }, () => new Uint8Array(GARBAGE_LIMIT_BYTES / 2).fill(1));
    expect(garbage.length).toBe(4);
    garbage = undefined;
    release(SMALL_SCRAPE_CHARS);
    // V8 frees collected buffers on a background thread: give it a moment, without collecting again here.
    for (let waited = 0; buffers() - kept >= GARBAGE_LIMIT_BYTES / 4 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(buffers() - kept).toBeLessThan(GARBAGE_LIMIT_BYTES / 4);
  });

  it('looks at memory after every large scrape and once in a while after small ones', () => {
    const release = memoryReleaser();
    const memoryUsage = vi.spyOn(process, 'memoryUsage');
    try {
      release(SMALL_SCRAPE_CHARS);
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
