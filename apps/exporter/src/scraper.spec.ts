// Coalesced collections. The process metrics source is a test double that holds each collection open
// until the test lets it finish; no configs are served, so no kernel objects are needed.
import { createDecoderRegistry, type MetricFamily, type ScalarSeries } from '@ebpf-exporter/metrics';
import { hostlessEnvironment } from '@ebpf-exporter/metrics/testing';
import { describe, expect, it } from 'vitest';
import { Scraper } from './scraper';

function heldSource() {
  const pending: (() => void)[] = [];
  let collections = 0;
  return {
    source: {
      families: () =>
        new Promise<MetricFamily[]>((resolve) => {
          const collection = ++collections;
          pending.push(() => resolve([{ name: 'process_collection', help: 'n', type: 'gauge', series: [{ labelNames: [], labelValues: [], value: collection }] }]));
        }),
    },
    collections: () => collections,
    finishAll: () => pending.splice(0).forEach((finish) => finish()),
  };
}

const scraperWith = (processMetrics: ReturnType<typeof heldSource>['source']) =>
  new Scraper({
    decoders: createDecoderRegistry(hostlessEnvironment()),
    processMetrics,
    build: { version: '0', revision: 'r', branch: 'b', runtimeVersion: 'v24', os: 'linux', arch: 'x64' },
    log: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    labelCacheSize: 0,
    skipCacheSize: 0,
    maxSeries: 0,
    scrapeTimeoutMs: 0,
    reloadStatus: () => ({ successful: true, lastSuccessSeconds: 0 }),
    bpfStatsEnabled: () => false,
  });

const collectionOf = (families: MetricFamily[]) => (families.find(({ name }) => name === 'process_collection')?.series[0] as ScalarSeries | undefined)?.value;

describe('Scraper.families', () => {
  it('gives scrapes that arrive during a collection that collection, and the next scrape a new one', async () => {
    const held = heldSource();
    const scraper = scraperWith(held.source);
    await scraper.serve([]);
    const burst = Array.from({ length: 50 }, () => scraper.families());
    expect(held.collections()).toBe(1);
    held.finishAll();
    const results = await Promise.all(burst);
    expect(new Set(results.map(collectionOf))).toEqual(new Set([1]));
    const next = scraper.families();
    expect(held.collections()).toBe(2);
    held.finishAll();
    expect(collectionOf(await next)).toBe(2);
  });

  it('never gives a scrape after a reload the collection of the set served before', async () => {
    const held = heldSource();
    const scraper = scraperWith(held.source);
    await scraper.serve([]);
    const before = scraper.families();
    const reloaded = scraper.serve([]);
    const after = scraper.families();
    expect(held.collections()).toBe(2);
    held.finishAll();
    expect([collectionOf(await before), collectionOf(await after)]).toEqual([1, 2]);
    await reloaded;
  });

  it('starts afresh after a collection that failed', async () => {
    let calls = 0;
    const scraper = scraperWith({ families: () => (calls++ === 0 ? Promise.reject(new Error('proc unreadable')) : Promise.resolve([])) });
    await scraper.serve([]);
    await expect(Promise.all([scraper.families(), scraper.families()])).rejects.toThrow('proc unreadable');
    await expect(scraper.families()).resolves.toBeInstanceOf(Array);
    expect(calls).toBe(2);
  });
});
