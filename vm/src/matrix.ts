import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_HARNESS_FAILURE, EXIT_USAGE } from './exit-codes.ts';
import { commaList, positiveInteger, usageText, type OptionTable } from './cli-options.ts';
import { checkConfigNames, configNamesIn, configsFailed, CONFIG_COLUMNS, judgeConfigCheck, type ConfigRow } from './config-report.ts';
import { snapshotExporter } from './exporter-snapshot.ts';
import { cacheRoot, KERNELS_FILE, REPO_ROOT, pickEngine, runInGuest, type EngineName } from './guest-runner.ts';
import { KernelMatrixError, loadKernelMatrix, selectKernels, type KernelSpec } from './kernel-matrix.ts';
import { KernelUnavailableError } from './kernel-sources.ts';
import { forEachLimited } from './limited-parallel.ts';
import { applyMinimumKernels, loadMinimumKernels, type MinimumKernel } from './minimum-kernels.ts';
import {
  EXAMPLE_COLUMNS,
  matrixFailed,
  parseRunnerReport,
  renderMarkdown,
  type KernelOutcome,
  type MatrixReport,
  type MatrixRow,
  type ResultColumns,
} from './matrix-report.ts';

/**
 * The example suite's runner (examples/harness/check.ts); run with tsx as an import hook, which spares tsx's CLI process.
 * The guest shares the host's root, so it runs on the very Node.js binary the matrix runs on (24, from node_modules).
 */
export const RUNNER = [process.execPath, '--import', 'tsx', 'examples/harness/check.ts'];

const OPTIONS = {
  kernels: { type: 'string', value: 'a,b', help: 'kernel ids from vm/kernels.yaml (default: all)' },
  examples: { type: 'string', value: 'x,y', help: 'examples to run (default: the runner\'s own default)' },
  'config.dir': { type: 'string', value: 'DIR', help: 'check your own <name>.yaml + <name>.bpf.o configs from DIR instead of the examples' },
  'config.names': { type: 'string', value: 'a,b', help: 'configs of --config.dir to check (default: every yaml with its .bpf.o)' },
  engine: { type: 'string', value: 'vng|qemu', help: 'default: vng when on PATH, else qemu' },
  out: { type: 'string', value: 'DIR', help: 'where matrix.json and matrix.md go (default dist/vm)' },
  timeout: { type: 'string', value: 'SECONDS', help: 'per-kernel limit (default 900)' },
  parallel: { type: 'string', value: 'N', help: 'guests booted at once (default: one per CPU core)' },
  help: { type: 'boolean', help: 'show this help' },
} satisfies OptionTable;

const USAGE = usageText(
  './vm/matrix [options]',
  'Runs the example suite (or, with --config.dir, your own configs under --config.check --config.strict) inside each kernel, one boot per kernel, and writes a matrix.',
  OPTIONS,
);

const log = (message: string) => process.stderr.write(`vm/matrix: ${message}\n`);

/** What runs in each guest and how its results come back: the example suite, or a user's configs. */
interface Suite<Row> {
  columns: ResultColumns<Row>;
  argv(reportDir: string): string[];
  /** The rows the guest left in reportDir; undefined when it left nothing. */
  collect(reportDir: string, spec: KernelSpec): Promise<Row[] | undefined>;
  summary(rows: Row[]): string;
  failed(report: MatrixReport<Row>): boolean;
}

export const MINIMUM_KERNELS_FILE = join(REPO_ROOT, 'vm', 'example-minimum-kernels.yaml');

function exampleSuite(examples: string[] | undefined, exporterCommand: string, minimums: Map<string, MinimumKernel>): Suite<MatrixRow> {
  return {
    columns: EXAMPLE_COLUMNS,
    argv: (reportDir) => [...RUNNER, ...(examples ? ['--examples', examples.join(',')] : []), '--exporter', exporterCommand, '--report', join(reportDir, 'check.json')],
    async collect(reportDir, spec) {
      const reportFile = join(reportDir, 'check.json');
      // Read whatever report exists even after a failed run: rows the runner wrote before a timeout count.
      const text = await readFile(reportFile, 'utf8').catch(() => undefined);
      return text === undefined ? undefined : applyMinimumKernels(parseRunnerReport(text, reportFile, spec.id), spec.version, minimums);
    },
    summary: (rows) => `${rows.filter((row) => row.status === 'pass').length}/${rows.length} passed`,
    failed: matrixFailed,
  };
}

export const CHECK_CONFIGS = join(REPO_ROOT, 'vm', 'guest', 'check-configs.sh');

function configSuite(configDir: string, names: string[], exporterCommand: string): Suite<ConfigRow> {
  return {
    columns: CONFIG_COLUMNS,
    argv: (reportDir) => ['sh', CHECK_CONFIGS, exporterCommand, configDir, reportDir, ...names],
    async collect(reportDir, { id: kernelId }) {
      const release = await readFile(join(reportDir, 'kernel-release'), 'utf8').catch(() => undefined);
      if (release === undefined) return undefined;
      const rows: ConfigRow[] = [];
      for (const name of names) {
        const exit = await readFile(join(reportDir, `${name}.exit`), 'utf8').catch(() => undefined);
        if (exit === undefined) continue;
        const row = judgeConfigCheck(name, kernelId, Number(exit.trim()), await readFile(join(reportDir, `${name}.log`), 'utf8').catch(() => ''));
        rows.push({ ...row, kernelRelease: release.trim() });
      }
      return rows;
    },
    summary: (rows) => `${rows.filter((row) => row.status === 'attached').length}/${rows.length} attached`,
    failed: configsFailed,
  };
}

async function runKernel<Row>(spec: KernelSpec, engine: EngineName, suite: Suite<Row>, reportDir: string, timeoutSeconds: number): Promise<{ outcome: KernelOutcome; rows: Row[] }> {
  const base = { id: spec.id, version: spec.version };
  await rm(reportDir, { recursive: true, force: true });
  await mkdir(reportDir, { recursive: true });
  log(`kernel ${spec.id}: booting`);
  let outcome: KernelOutcome;
  let exitCode: number | undefined;
  try {
    const result = await runInGuest({
      spec,
      engine,
      command: { argv: suite.argv(reportDir), cwd: REPO_ROOT, env: process.env },
      shares: [reportDir],
      cpus: 2,
      memoryMiB: 2048,
      timeoutSeconds,
    });
    exitCode = result.exitCode;
    outcome = {
      ...base,
      status: 'ran',
      engine: result.engine,
      accelerator: result.accelerator,
      ...(result.kernelBuild ? { kernelBuild: result.kernelBuild } : {}),
      ...(result.bootSeconds === undefined ? {} : { bootSeconds: result.bootSeconds, runSeconds: result.totalSeconds - result.bootSeconds }),
    };
    log(`kernel ${spec.id}: boot ${outcome.bootSeconds?.toFixed(1) ?? '?'} s, total ${result.totalSeconds.toFixed(1)} s`);
  } catch (error) {
    if (error instanceof KernelUnavailableError) {
      log(`kernel ${spec.id}: not available here: ${error.message}`);
      return { outcome: { ...base, status: 'unavailable', reason: error.message }, rows: [] };
    }
    log(`kernel ${spec.id}: ${(error as Error).message}`);
    outcome = { ...base, status: 'error', reason: (error as Error).message.split('\n')[0]! };
  }
  const rows = await suite.collect(reportDir, spec);
  if (rows === undefined) {
    if (outcome.status === 'ran') outcome = { ...outcome, status: 'error', reason: `the guest command exited ${exitCode} without writing its report into ${reportDir}` };
    return { outcome, rows: [] };
  }
  log(`kernel ${spec.id}: ${suite.summary(rows)}`);
  return { outcome, rows };
}

async function writeReport<Row>(report: MatrixReport<Row>, columns: ResultColumns<Row>, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'matrix.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'matrix.md'), renderMarkdown(report, columns));
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const all = await loadKernelMatrix(KERNELS_FILE);
  const specs = selectKernels(all, commaList(values.kernels) ?? all.map((kernel) => kernel.id));
  const engine = await pickEngine(values.engine);
  // Absolute: the report folders are shared into the guest at the same path.
  const outDir = resolve(values.out ?? join(REPO_ROOT, 'dist', 'vm'));
  // 4–6.5 min per kernel measured (shared exporter, TCG, loaded machine): 900 s leaves room for a slower
  // machine without letting one hung guest eat CI's whole budget.
  const timeoutSeconds = positiveInteger(values.timeout, '--timeout', 900);
  // One guest per core by default: a guest's work is mostly one Node.js thread (the exporter, the
  // runner, the workloads take turns), so two guests on two cores roughly halve the wall time.
  const parallel = positiveInteger(values.parallel, '--parallel', availableParallelism());
  const configDir = values['config.dir'];
  if (values['config.names'] !== undefined && configDir === undefined) throw new UsageError('--config.names needs --config.dir');
  if (configDir !== undefined && values.examples !== undefined) throw new UsageError('--examples and --config.dir exclude each other');
  const exporter = await snapshotExporter(REPO_ROOT, join(cacheRoot(), 'runs'));
  try {
    if (configDir === undefined) {
      const suite = exampleSuite(commaList(values.examples), exporter.command, await loadMinimumKernels(MINIMUM_KERNELS_FILE));
      return await runMatrix(specs, engine, suite, outDir, timeoutSeconds, parallel);
    }
    const directory = await realpath(configDir).catch(() => {
      throw new UsageError(`--config.dir: ${configDir} does not exist`);
    });
    const names = commaList(values['config.names']) ?? (await configNamesIn(directory));
    await checkConfigNames(directory, names).catch((error: Error) => {
      throw new UsageError(error.message);
    });
    if (names.length === 0) throw new UsageError(`--config.dir: ${directory} holds no <name>.yaml with a <name>.bpf.o beside it`);
    return await runMatrix(specs, engine, configSuite(directory, names, exporter.command), outDir, timeoutSeconds, parallel);
  } finally {
    await exporter.remove();
  }
}

/** A bad flag value: exit 2, like parseArgs' own errors. */
class UsageError extends Error {}

async function runMatrix<Row>(specs: KernelSpec[], engine: EngineName, suite: Suite<Row>, outDir: string, timeoutSeconds: number, parallel: number): Promise<number> {
  const started = performance.now();
  const report: MatrixReport<Row> = { generatedAt: new Date().toISOString(), totalSeconds: 0, kernels: [], results: [] };
  // The report is rewritten after every kernel (in kernels.yaml order), so a run cut short by a CI
  // time limit still leaves what it found.
  const done = new Map<string, { outcome: KernelOutcome; rows: Row[] }>();
  let writing = Promise.resolve();
  const rewriteReport = () => {
    const finished = specs.flatMap((each) => done.get(each.id) ?? []);
    report.kernels = finished.map((each) => each.outcome);
    report.results = finished.flatMap((each) => each.rows);
    report.totalSeconds = (performance.now() - started) / 1000;
    // Chained, so two kernels finishing together never write the files at once.
    writing = writing.then(() => writeReport(report, suite.columns, outDir));
    return writing;
  };
  await forEachLimited(specs, parallel, async (spec) => {
    done.set(spec.id, await runKernel(spec, engine, suite, join(outDir, 'reports', spec.id), timeoutSeconds));
    await rewriteReport();
  });
  await rewriteReport();
  log(`wrote ${join(outDir, 'matrix.json')} and matrix.md in ${report.totalSeconds.toFixed(0)} s`);
  return suite.failed(report) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof KernelMatrixError || error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    log((error as Error).message);
    process.exit(usage ? EXIT_USAGE : EXIT_HARNESS_FAILURE);
  },
);
