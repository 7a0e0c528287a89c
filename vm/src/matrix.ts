import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_HARNESS_FAILURE, EXIT_USAGE } from './exit-codes.ts';
import { commaList, positiveInteger, usageText, type OptionTable } from './cli-options.ts';
import { KERNELS_FILE, REPO_ROOT, pickEngine, runInGuest, type EngineName } from './guest-runner.ts';
import { KernelMatrixError, loadKernelMatrix, selectKernels, type KernelSpec } from './kernel-matrix.ts';
import { KernelUnavailableError } from './kernel-sources.ts';
import { matrixFailed, parseRunnerReport, renderMarkdown, type KernelOutcome, type MatrixReport, type MatrixRow } from './matrix-report.ts';

/**
 * The example suite's runner (examples/harness/check.ts); run with tsx as an import hook, which spares tsx's CLI process.
 * The guest shares the host's root, so it runs on the very Node.js binary the matrix runs on (24, from node_modules).
 */
export const RUNNER = [process.execPath, '--import', 'tsx', 'examples/harness/check.ts'];

const OPTIONS = {
  kernels: { type: 'string', value: 'a,b', help: 'kernel ids from vm/kernels.yaml (default: all)' },
  examples: { type: 'string', value: 'x,y', help: 'examples to run (default: the runner\'s own default)' },
  engine: { type: 'string', value: 'vng|qemu', help: 'default: vng when on PATH, else qemu' },
  out: { type: 'string', value: 'DIR', help: 'where matrix.json and matrix.md go (default dist/vm)' },
  timeout: { type: 'string', value: 'SECONDS', help: 'per-kernel limit (default 900)' },
  help: { type: 'boolean', help: 'show this help' },
} satisfies OptionTable;

const USAGE = usageText('./vm/matrix [options]', 'Runs the example suite inside each kernel (one boot per kernel) and writes a pass/fail matrix.', OPTIONS);

const log = (message: string) => process.stderr.write(`vm/matrix: ${message}\n`);

async function runKernel(spec: KernelSpec, engine: EngineName, examples: string[] | undefined, reportDir: string, timeoutSeconds: number): Promise<{ outcome: KernelOutcome; rows: MatrixRow[] }> {
  const base = { id: spec.id, version: spec.version };
  const reportFile = join(reportDir, 'check.json');
  await rm(reportDir, { recursive: true, force: true });
  await mkdir(reportDir, { recursive: true });
  log(`kernel ${spec.id}: booting`);
  let outcome: KernelOutcome;
  let exitCode: number | undefined;
  try {
    const result = await runInGuest({
      spec,
      engine,
      command: { argv: [...RUNNER, ...(examples ? ['--examples', examples.join(',')] : []), '--report', reportFile], cwd: REPO_ROOT, env: process.env },
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
  // Read whatever report exists even after a failed run: rows the runner wrote before a timeout count.
  const text = await readFile(reportFile, 'utf8').catch(() => undefined);
  if (text === undefined) {
    if (outcome.status === 'ran') outcome = { ...outcome, status: 'error', reason: `the example runner exited ${exitCode} without writing ${reportFile}` };
    return { outcome, rows: [] };
  }
  const rows = parseRunnerReport(text, reportFile, spec.id);
  log(`kernel ${spec.id}: ${rows.filter((row) => row.status === 'pass').length}/${rows.length} passed`);
  return { outcome, rows };
}

async function writeReport(report: MatrixReport, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'matrix.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'matrix.md'), renderMarkdown(report));
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
  const outDir = values.out ?? join(REPO_ROOT, 'dist', 'vm');
  // 4–6.5 min per kernel measured (shared exporter, TCG, loaded machine): 900 s leaves room for a slower
  // machine without letting one hung guest eat CI's whole budget.
  const timeoutSeconds = positiveInteger(values.timeout, '--timeout', 900);
  const started = performance.now();
  const report: MatrixReport = { generatedAt: new Date().toISOString(), totalSeconds: 0, kernels: [], results: [] };
  // One kernel at a time: each guest already uses both of CI's cores. The report is rewritten after
  // every kernel, so a run cut short by a CI time limit still leaves what it found.
  for (const spec of specs) {
    const { outcome, rows } = await runKernel(spec, engine, commaList(values.examples), join(outDir, 'reports', spec.id), timeoutSeconds);
    report.kernels.push(outcome);
    report.results.push(...rows);
    report.totalSeconds = (performance.now() - started) / 1000;
    await writeReport(report, outDir);
  }
  log(`wrote ${join(outDir, 'matrix.json')} and matrix.md in ${report.totalSeconds.toFixed(0)} s`);
  return matrixFailed(report) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof KernelMatrixError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    log((error as Error).message);
    process.exit(usage ? EXIT_USAGE : EXIT_HARNESS_FAILURE);
  },
);
