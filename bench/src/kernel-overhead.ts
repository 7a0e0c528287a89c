// The getpid benchmark: nanoseconds a sys_enter program adds to each syscall, relative to no probe in the
// same slice of the run, for upstream's cases, each written with the plain idiom and with
// include/maps.bpf.h.
import { GETPID_CASES, getpidBenchmark, type GetpidCase } from './native-tools';
import { median } from './stats';

export interface ProbeCost {
  probe: GetpidCase;
  /** Median over slices of CPU ns per getpid() with this probe attached. */
  nsPerCall: number;
  /** Median over slices of (this case - no probe), each slice against its own no-probe reference. */
  addedNs: number;
  /** Instructions the kernel runs the program as (0 for no probe). */
  xlatedInsns: number;
  /** Helper cases: median over slices of (this case - its plain twin in the same slice). */
  vsPlainNs?: number;
}

export interface KernelOverhead {
  calls: number;
  rounds: number;
  costs: ProbeCost[];
}

// Slice by slice, because cases measured in different slices differ by tens of ns on this shared machine
// (see bench/native/getpid-bench.c) while cases of the same slice see the same neighbours.
function pairedMedian(samples: readonly number[], reference: readonly number[]): number {
  return median(samples.map((ns, slice) => ns - (reference[slice] as number)));
}

export async function measureKernelOverhead(calls: number, rounds: number): Promise<KernelOverhead> {
  const run = await getpidBenchmark(calls, rounds);
  const reference = run.nsPerCall.none;
  const costs = GETPID_CASES.map((probe): ProbeCost => {
    const samples = run.nsPerCall[probe];
    if (samples.length === 0 || samples.length !== reference.length) {
      throw new Error(`getpid-bench returned ${samples.length} slices of ${probe} and ${reference.length} without a probe`);
    }
    const plainTwin = probe.endsWith('_helper') ? run.nsPerCall[probe.replace('_helper', '_plain') as GetpidCase] : undefined;
    return {
      probe,
      nsPerCall: median(samples),
      addedNs: pairedMedian(samples, reference),
      xlatedInsns: probe === 'none' ? 0 : run.xlatedInsns[probe],
      ...(plainTwin ? { vsPlainNs: pairedMedian(samples, plainTwin) } : {}),
    };
  });
  return { calls, rounds, costs };
}
