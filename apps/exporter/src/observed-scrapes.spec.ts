import type { MetricFamily } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { ObservedScrapes } from './observed-scrapes';

const collected: MetricFamily[] = [{ name: 'ebpf_exporter_enabled_configs', help: 'configs', type: 'gauge', series: [] }];

/** A source whose collection finishes when the test says. */
function gatedSource() {
  let finish: (result: MetricFamily[] | Error) => void = () => undefined;
  return {
    source: {
      families: () =>
        new Promise<MetricFamily[]>((resolve, reject) => {
          finish = (result) => (result instanceof Error ? reject(result) : resolve(result));
        }),
    },
    finish: (result: MetricFamily[] | Error) => finish(result),
  };
}

describe('ObservedScrapes', () => {
  it("hands each scrape's families and start time to the listeners before returning them", async () => {
    const gated = gatedSource();
    const scrapes = new ObservedScrapes(gated.source);
    const seen: { startSeconds: number; families: readonly MetricFamily[]; collecting: boolean }[] = [];
    scrapes.subscribe((startSeconds, families) => seen.push({ startSeconds, families, collecting: scrapes.collecting() }));
    const before = Date.now() / 1000;
    const scrape = scrapes.families();
    expect(scrapes.collecting()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const finishedAt = Date.now() / 1000;
    gated.finish(collected);
    expect(await scrape).toBe(collected);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.families).toBe(collected);
    expect(seen[0]?.startSeconds).toBeGreaterThanOrEqual(before);
    expect(seen[0]?.startSeconds).toBeLessThan(finishedAt);
    expect(seen[0]?.collecting).toBe(false);
  });

  it('tells nobody of a failed scrape, and is no longer collecting after it', async () => {
    const gated = gatedSource();
    const scrapes = new ObservedScrapes(gated.source);
    let calls = 0;
    scrapes.subscribe(() => calls++);
    const scrape = scrapes.families();
    gated.finish(new Error('map gone'));
    await expect(scrape).rejects.toThrow('map gone');
    expect(calls).toBe(0);
    expect(scrapes.collecting()).toBe(false);
  });

  it('stops calling a listener once it unsubscribed', async () => {
    const scrapes = new ObservedScrapes({ families: async () => collected });
    let calls = 0;
    const unsubscribe = scrapes.subscribe(() => calls++);
    await scrapes.families();
    unsubscribe();
    await scrapes.families();
    expect(calls).toBe(1);
  });
});
