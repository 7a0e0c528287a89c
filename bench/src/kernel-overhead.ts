// The getpid benchmark: nanoseconds a sys_enter program adds to each syscall, relative to no probe in the
// same run, for upstream's cases, each written with the plain idiom and with include/maps.bpf.h.
import { GETPID_CASES, getpidBenchmark, type GetpidCase } from './native-tools';
import { median } from './stats';

export interface ProbeCost {
  probe: GetpidCase;
  /** Median over rounds of ns per getpid() with this probe attached. */
  nsPerCall: number;
  /** Median over rounds of (this case - no probe), each round against its own no-probe reference. */
  addedNs: number;
  /** Instructions the kernel runs the program as (0 for no probe). */
  xlatedInsns: number;
  /** Helper cases: median over rounds of (this case - its plain twin measured just before it). */
  vsPlainNs?: number;
}

export interface KernelOverhead {
  calls: number;
  rounds: number;
  costs: ProbeCost[];
}

export async function measureKernelOverhead(calls: number, rounds: number): Promise<KernelOverhead> {
  const run = await getpidBenchmark(calls, rounds);
  const reference = run.nsPerCall.none;
  const costs = GETPID_CASES.map((probe): ProbeCost => {
    const samples = run.nsPerCall[probe];
    if (samples.length !== rounds) throw new Error(`getpid-bench returned ${samples.length} rounds of ${probe}, expected ${rounds}`);
    const plainTwin = probe.endsWith('_helper') ? run.nsPerCall[probe.replace('_helper', '_plain') as GetpidCase] : undefined;
    return {
      probe,
      nsPerCall: median(samples),
      addedNs: median(samples.map((ns, round) => ns - (reference[round] as number))),
      xlatedInsns: probe === 'none' ? 0 : run.xlatedInsns[probe],
      ...(plainTwin ? { vsPlainNs: median(samples.map((ns, round) => ns - (plainTwin[round] as number))) } : {}),
    };
  });
  return { calls, rounds, costs };
}
