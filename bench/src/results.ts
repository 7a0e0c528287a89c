import type { ConfigParseResult } from './config-parse';
import type { FloodResult } from './flood';
import type { FootprintResult } from './footprint';
import type { KernelOverhead } from './kernel-overhead';
import type { PhaseBreakdown } from './phase-breakdown';
import { historyOff, type BaselineResult, type ScrapeCaseResult } from './scrape-cases';
import type { StartupResult } from './startup';

export interface MachineState {
  kernel: string;
  cpus: number;
  /** 1-minute load average when the run started and ended: this machine is shared. */
  loadStart: number;
  loadEnd: number;
}

export interface BenchmarkResults {
  quick: boolean;
  date: string;
  revision: string;
  machine: MachineState;
  scrapes: ScrapeCaseResult[];
  /** Optional: runs saved before the section existed still render with --from-json. */
  flood?: FloodResult;
  baselines: BaselineResult[];
  phases: PhaseBreakdown[];
  kernel: KernelOverhead;
  startup: StartupResult;
  /** Optional like flood. */
  configParse?: ConfigParseResult;
  footprint: FootprintResult;
}

/** The scrape case of a fixture measured on the scrape path alone (dashboard history off). */
export function scrapeOf(results: BenchmarkResults, fixture: string): ScrapeCaseResult | undefined {
  return results.scrapes.find((r) => r.fixture.name === fixture && historyOff(r.flags));
}
