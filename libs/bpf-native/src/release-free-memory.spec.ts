import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { releaseFreeMemory } from './index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const rssMiB = () => process.memoryUsage.rss() / 2 ** 20;

/** V8 frees unreachable buffers on a background thread after gc() returns: wait until it has. */
async function collectBuffers(atMostBytes: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  gc();
  while (process.memoryUsage().arrayBuffers > atMostBytes && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  }
}

describe('releaseFreeMemory', () => {
  it('gives back the pages of blocks freed between live ones', async () => {
    const baseline = process.memoryUsage().arrayBuffers;
    // 40,000 blocks of 4 KiB (below the mmap threshold: malloc's heap), every 20th kept alive, so the free
    // space lies between live blocks where glibc does not return it by itself.
    let blocks: Uint8Array[] | undefined = Array.from({ length: 40_000 }, () => new Uint8Array(4096).fill(1));
    const kept = blocks.filter((_, i) => i % 20 === 0);
    blocks = undefined;
    await collectBuffers(baseline + kept.length * 4096 + 16 * 2 ** 20);
    const before = rssMiB();
    expect(releaseFreeMemory()).toBe(true);
    const after = rssMiB();
    expect(before - after).toBeGreaterThan(80);
    // Only free pages go: had a live block's page been handed back too, it would read as zeros now.
    const ones = Buffer.alloc(4096, 1);
    expect(kept.filter((block) => !ones.equals(block))).toHaveLength(0);
  });
});
