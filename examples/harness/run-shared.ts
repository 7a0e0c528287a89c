// Shared mode: ONE exporter carries every selected example's config, the workloads run one after
// another against it, and each example is judged on its own programs and families. Under QEMU without
// KVM starting node and the exporter costs 20-30 s, so one start instead of one per example is what
// makes the kernel matrix fit CI's time.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { Expectation } from './expectations';
import { ExporterStartError, startExporter, type RunningExporter } from './exporter-process';
import { finishExample, prepareExample, proveWith, type ExampleResult, type ExampleRun, type RunOptions } from './run-example';

const execFileAsync = promisify(execFile);

/** Loading and attaching each object adds to the exporter's start; under TCG a few seconds each. */
const START_ALLOWANCE_PER_EXAMPLE_MS = 5_000;

export async function runShared(
  expectations: readonly Expectation[],
  options: RunOptions,
  onResult: (result: ExampleResult) => void = () => undefined,
): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  const report = (result: ExampleResult) => {
    results.push(result);
    onResult(result);
  };
  for (const group of conflictFreeGroups(expectations, options.examplesDir)) await runGroup(group, options, report);
  const order = expectations.map((expectation) => expectation.example);
  return results.sort((a, b) => order.indexOf(a.example) - order.indexOf(b.example));
}

/**
 * Splits examples so that no exporter carries two configs that cannot live together: two configs
 * defining the same metric family (tcp-syn-backlog and its exp2zero twin) would clash in one exposition.
 * Greedy, in the given order; almost always one group.
 */
export function conflictFreeGroups(expectations: readonly Expectation[], examplesDir: string): Expectation[][] {
  const groups: { members: Expectation[]; families: Set<string> }[] = [];
  for (const expectation of expectations) {
    const families = configFamilies(join(examplesDir, `${expectation.example}.yaml`));
    let group = groups.find((candidate) => families.every((family) => !candidate.families.has(family)));
    if (!group) {
      group = { members: [], families: new Set() };
      groups.push(group);
    }
    group.members.push(expectation);
    for (const family of families) group.families.add(family);
  }
  return groups.map((group) => group.members);
}

/** The metric names (counters and histograms) an exporter config defines. */
export function configFamilies(configFile: string): string[] {
  const config = parse(readFileSync(configFile, 'utf8')) as { metrics?: Record<string, unknown> } | null;
  return Object.values(config?.metrics ?? {}).flatMap((metrics) =>
    Array.isArray(metrics) ? metrics.map((metric) => String((metric as { name?: unknown }).name)) : [],
  );
}

/** The config the exporter named when it refused to start: `error: config <name>: ...`. */
export function configNamedInError(message: string): string | undefined {
  return /\bconfig ([\w.-]+):/.exec(message)?.[1];
}

async function runGroup(group: readonly Expectation[], options: RunOptions, report: (result: ExampleResult) => void): Promise<void> {
  // Feature probes first, for all: they load the modules (loop, ext4) whose BTF some objects need to
  // load at all, and in shared mode every object loads before the first workload runs.
  const runs = new Map<Expectation, ExampleRun>();
  for (const expectation of group) runs.set(expectation, await prepareExample(expectation, options));
  const judge = async (expectation: Expectation, outcome: (run: ExampleRun) => Promise<ExampleResult>) => {
    const run = runs.get(expectation)!;
    report(await finishExample(run, await outcome(run)));
  };

  let remaining = [...group];
  let exporter: RunningExporter | undefined;
  while (remaining.length > 0 && !exporter) {
    try {
      exporter = await startExporter({
        command: options.exporterCommand,
        cwd: options.repoRoot,
        configDir: options.examplesDir,
        names: remaining.map((expectation) => expectation.example),
        startTimeoutMs: options.startTimeoutMs + remaining.length * START_ALLOWANCE_PER_EXAMPLE_MS,
      });
    } catch (error) {
      if (!(error instanceof ExporterStartError)) throw error;
      // One object that does not load on this kernel must not sink the others: judge the culprits
      // (fail, or unsupported naming the missing feature) and start again with the rest.
      const culprits = await findCulprits(remaining, error.message, options);
      for (const [culprit, problem] of culprits) await judge(culprit, async (run) => run.verdict(problem));
      remaining = remaining.filter((expectation) => !culprits.has(expectation));
    }
  }
  try {
    for (const expectation of remaining) {
      const running = exporter;
      if (!running) break;
      await judge(expectation, (run) => proveWith(running, run, options));
    }
  } finally {
    await exporter?.stop();
  }
}

/**
 * Which examples kept the shared exporter from starting. The exporter stops at the first config that
 * fails and names it, which costs one restart per culprit. When it names none (a start timeout, say),
 * each example gets its own `--config.check`; if every check passes, the whole group fails together.
 */
async function findCulprits(
  candidates: readonly Expectation[],
  problem: string,
  options: RunOptions,
): Promise<Map<Expectation, string>> {
  const named = candidates.find((expectation) => expectation.example === configNamedInError(problem));
  if (named) return new Map([[named, problem]]);
  const culprits = new Map<Expectation, string>();
  for (const expectation of candidates) {
    const failure = await configCheckFailure(expectation.example, options);
    if (failure !== undefined) culprits.set(expectation, failure);
  }
  if (culprits.size > 0) return culprits;
  return new Map(candidates.map((expectation) => [expectation, `shared exporter did not start: ${problem}`]));
}

/** `ebpf_exporter --config.check` loads and attaches one config, then exits: its error, or undefined. */
async function configCheckFailure(name: string, options: RunOptions): Promise<string | undefined> {
  const [executable = '', ...baseArgs] = options.exporterCommand.split(' ').filter((part) => part !== '');
  try {
    await execFileAsync(executable, [...baseArgs, '--config.check', `--config.dir=${options.examplesDir}`, `--config.names=${name}`], {
      cwd: options.repoRoot,
      timeout: options.startTimeoutMs,
    });
    return undefined;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    return (stderr?.trim().split('\n').slice(-3).join(' | ') || message).slice(-1000);
  }
}
