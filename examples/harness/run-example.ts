// Proves one example: drive its workload against a running exporter, scrape, check (isolated mode starts
// an exporter with only its config; shared mode, run-shared.ts, one exporter for many examples).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AttachType, Expectation } from './expectations';
import { delay, ExporterStartError, startExporter, type RunningExporter } from './exporter-process';
import { exposedTypes, parseExposition, type Sample } from './exposition';
import { missingFeatures } from './kernel-features';
import { checkMetrics } from './metric-checks';
import { runScript } from './workload';

export type ExampleStatus = 'pass' | 'fail' | 'unsupported';

/** One row of the `--report` JSON (the format the VM harness collects across kernels). */
export interface ExampleResult {
  example: string;
  kernel: string;
  attachTypes: AttachType[];
  status: ExampleStatus;
  reason: string;
}

export interface RunOptions {
  repoRoot: string;
  examplesDir: string;
  exporterCommand: string;
  startTimeoutMs: number;
  workloadTimeoutMs: number;
  /** How long metrics may take to show up after the workload (perf buffers, 1 Hz samplers). */
  settleMs: number;
}

/** What proving one example needs, whichever exporter it runs in: its verdicts and its scratch directory. */
export interface ExampleRun {
  expectation: Expectation;
  result: (status: ExampleStatus, reason: string) => ExampleResult;
  /** A failure only counts as "unsupported" when the kernel really lacks something the example needs. */
  verdict: (problem: string) => ExampleResult;
  script: Parameters<typeof runScript>[1];
}

export async function prepareExample(expectation: Expectation, options: RunOptions): Promise<ExampleRun> {
  const result = (status: ExampleStatus, reason: string): ExampleResult => ({
    example: expectation.example,
    kernel: release(),
    attachTypes: expectation.attach,
    status,
    reason,
  });
  const missing = await missingFeatures(expectation.features, {
    kaddrs: configuredKaddrs(join(options.examplesDir, `${expectation.example}.yaml`)),
    fentryProbeObject: join(options.examplesDir, 'harness', 'fentry-probe.bpf.o'),
  });
  const verdict = (problem: string) => (missing.length > 0 ? result('unsupported', missing.join('; ')) : result('fail', problem));
  const workdir = mkdtempSync(join('/tmp', `ebpf-example-${expectation.example}-`));
  return { expectation, result, verdict, script: { cwd: options.examplesDir, workdir, timeoutMs: options.workloadTimeoutMs } };
}

/** Runs the cleanup (whatever the outcome) and removes the scratch directory. */
export async function finishExample(run: ExampleRun, outcome: ExampleResult): Promise<ExampleResult> {
  let final = outcome;
  if (run.expectation.cleanup) {
    const cleanup = await runScript(run.expectation.cleanup, run.script);
    if (!cleanup.ok && outcome.status === 'pass') final = run.result('fail', `cleanup failed: ${cleanup.detail}`);
  }
  rmSync(run.script.workdir, { recursive: true, force: true });
  return final;
}

/** Isolated mode: an exporter of its own, with only this example's config. */
export async function runExample(expectation: Expectation, options: RunOptions): Promise<ExampleResult> {
  const run = await prepareExample(expectation, options);
  let exporter: RunningExporter | undefined;
  let outcome: ExampleResult;
  try {
    exporter = await startExporter({
      command: options.exporterCommand,
      cwd: options.repoRoot,
      configDir: options.examplesDir,
      names: [expectation.example],
      startTimeoutMs: options.startTimeoutMs,
    });
    outcome = await proveWith(exporter, run, options);
  } catch (error) {
    if (!(error instanceof ExporterStartError)) throw error;
    outcome = run.verdict(error.message);
  } finally {
    await exporter?.stop();
  }
  return finishExample(run, outcome);
}

/**
 * Checks that the example's programs attached, drives its workload and scrapes until its metrics hold.
 * The exporter may carry other examples' configs too (shared mode): only this example's programs count.
 */
export async function proveWith(exporter: RunningExporter, run: ExampleRun, options: RunOptions): Promise<ExampleResult> {
  const { expectation, verdict, result } = run;
  const detached = programsNotAttached(parseExposition(await exporter.scrape()), expectation.example);
  if (detached.length > 0) return verdict(`programs not attached: ${detached.join(', ')}; exporter log: ${exporter.output()}`);

  const workload = await runScript(expectation.workload, run.script);
  if (!workload.ok) return verdict(`workload failed: ${workload.detail}`);

  const deadline = Date.now() + options.settleMs;
  for (;;) {
    const text = await exporter.scrape();
    const problems = checkMetrics(parseExposition(text), expectation.metrics, exposedTypes(text));
    if (problems.length === 0) return result('pass', '');
    if (Date.now() >= deadline) return verdict(problems.join('; '));
    await delay(500);
  }
}

/** `program` names (from ebpf_program_info, of one config when given) whose ebpf_program_attached gauge is 0. */
export function programsNotAttached(samples: readonly Sample[], config?: string): string[] {
  const programById = new Map(
    samples
      .filter((s) => s.name === 'ebpf_exporter_ebpf_program_info' && (config === undefined || s.labels.config === config))
      .map((s) => [s.labels.id, s.labels.program ?? '?']),
  );
  return samples
    .filter((s) => s.name === 'ebpf_exporter_ebpf_program_attached' && s.value === 0 && (config === undefined || programById.has(s.labels.id)))
    .map((s) => programById.get(s.labels.id) ?? `id ${s.labels.id}`);
}

/** The `kaddrs` symbols of an exporter config (the kallsyms_all probe checks exactly those). */
export function configuredKaddrs(configFile: string): string[] {
  const config = parse(readFileSync(configFile, 'utf8')) as { kaddrs?: unknown } | null;
  return Array.isArray(config?.kaddrs) ? config.kaddrs.map(String) : [];
}
