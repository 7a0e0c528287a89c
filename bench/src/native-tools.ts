// Runs the C side of the benchmark (bench/native, built into bench/build) and parses its JSON line.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_BUILD } from './paths';

const run = promisify(execFile);

async function runJson<T>(tool: string, args: readonly (string | number)[]): Promise<T> {
  const path = join(BENCH_BUILD, tool);
  try {
    const { stdout } = await run(path, args.map(String), { timeout: 300_000, maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as T;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${tool} ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
  }
}

/** Fills `map` of process `pid` with `entries` counter keys ({tenant: i/1000, object: i} = i + 1). */
export async function fillCounterMap(pid: number, map: string, entries: number): Promise<void> {
  const { filled } = await runJson<{ filled: number }>('map-tool', ['fill-counter', pid, map, entries]);
  if (filled !== entries) throw new Error(`map-tool filled ${filled} of ${entries} entries of ${map}`);
}

/** Fills a histogram map: `labelSets` shards, each with `slots` bucket keys (the last one is the sum). */
export async function fillHistogramMap(pid: number, map: string, labelSets: number, slots: number): Promise<void> {
  const { filled } = await runJson<{ filled: number }>('map-tool', ['fill-histogram', pid, map, labelSets, slots]);
  if (filled !== labelSets * slots) throw new Error(`map-tool filled ${filled} of ${labelSets * slots} entries of ${map}`);
}

export interface FloorReads {
  entries: number;
  maxEntries: number;
  roundsMs: number[];
  roundsCpuMs: number[];
}

/** Reads the whole map `rounds` times with bpf_map_lookup_batch, from C: the floor of any scrape. */
export function batchReadFloor(pid: number, map: string, rounds: number): Promise<FloorReads> {
  return runJson<FloorReads>('map-tool', ['floor', pid, map, rounds]);
}

export const GETPID_CASES = ['none', 'empty', 'simple_plain', 'simple_helper', 'complex_plain', 'complex_helper'] as const;
export type GetpidCase = (typeof GETPID_CASES)[number];

export interface GetpidRun {
  calls: number;
  /** getpid() calls per slice: every slice runs every case (see bench/native/getpid-bench.c). */
  sliceCalls: number;
  /** CPU ns per call, one sample per slice. */
  nsPerCall: Record<GetpidCase, number[]>;
  /** Program length after the verifier's rewrites, per probe. */
  xlatedInsns: Record<Exclude<GetpidCase, 'none'>, number>;
}

/** getpid() with each sys_enter probe attached in turn, slice by slice on one pinned CPU, over `rounds` rounds. */
export function getpidBenchmark(calls: number, rounds: number): Promise<GetpidRun> {
  return runJson<GetpidRun>('getpid-bench', [join(BENCH_BUILD, 'getpid-probes.bpf.o'), calls, rounds]);
}
