// Where a scrape's time goes, phase by phase, measured in this process on a real map: the same fixture
// object loaded through the addon, filled by map-tool, then read (BpfMap.read: batch lookups on a libuv
// worker), collected (decode + aggregate + order) and formatted (the byte chunks the server streams, integer
// lines written by the addon as in the exporter).
import { BpfObject, integerLineWriter } from '@ebpf-exporter/bpf-native';
import { ConfigCollector, createDecoderRegistry, expositionChunks, expositionPool, parseConfig, type MapDump } from '@ebpf-exporter/metrics';
import { hostlessEnvironment } from '@ebpf-exporter/metrics/testing';
import { join } from 'node:path';
import { COUNTER_CONFIG } from './fixture-series';
import { fillCounterMap } from './native-tools';
import { BENCH_BUILD } from './paths';
import type { FixtureCase } from './scrape-cases';
import { median } from './stats';

/** Untimed rounds before the timed ones (see measurePhases). */
export const WARM_UP_ROUNDS = 3;

export interface PhaseBreakdown {
  fixture: FixtureCase;
  rounds: number;
  /** Median wall-clock milliseconds of each phase. */
  readMs: number;
  collectMs: number;
  formatMs: number;
  /** Bytes of exposition text. */
  bytes: number;
}

export async function measurePhases(fixture: FixtureCase, rounds: number): Promise<PhaseBreakdown> {
  const object = BpfObject.open(join(BENCH_BUILD, `scrape-fixture-${fixture.name}.bpf.o`));
  try {
    await object.load();
    await fillCounterMap(process.pid, 'ops_total', fixture.entries);
    const map = object.map('ops_total');
    // The fixture's labels only use `uint`, which never asks the host.
    const collector = new ConfigCollector(parseConfig(COUNTER_CONFIG, 'bench_phases.yaml'), createDecoderRegistry(hostlessEnvironment()));
    const readMs: number[] = [];
    const collectMs: number[] = [];
    const formatMs: number[] = [];
    let bytes = 0;
    // As the exporter formats: integer-valued lines by the addon.
    const integerLines = integerLineWriter();
    // Warm-up rounds first, as the exporter's first scrapes: one fills the label cache (a first pass), one
    // puts the label texts in series order, and one more lets V8 optimize the steady-state code.
    for (let round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
      let started = performance.now();
      const dump: MapDump = await map.read();
      const read = performance.now() - started;
      started = performance.now();
      const { families, errors } = await collector.collect({ readMap: async () => dump });
      if (errors.length > 0) throw new Error(`collect failed: ${errors[0]?.error.message}`);
      const collect = performance.now() - started;
      started = performance.now();
      bytes = 0;
      for (const chunk of expositionChunks(families, 'text', { integerLines })) {
        bytes += chunk.length;
        expositionPool.give(chunk);
      }
      const format = performance.now() - started;
      if (round < WARM_UP_ROUNDS) continue;
      readMs.push(read);
      collectMs.push(collect);
      formatMs.push(format);
    }
    return { fixture, rounds, readMs: median(readMs), collectMs: median(collectMs), formatMs: median(formatMs), bytes };
  } finally {
    object.close();
  }
}
