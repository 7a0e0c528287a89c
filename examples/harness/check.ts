// Proof runner: `npx tsx examples/harness/check.ts [--examples a,b] [--report file.json] [--exporter cmd] [--isolated]`.
// Starts one exporter with every selected example (or, with --isolated, one per example), drives each
// workload in turn, checks its metrics, prints one line per example and exits non-zero if any failed. Runs unchanged inside the VM harness's guests: it writes
// only under /tmp (and the --report file) and needs no network.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadExpectation, type Expectation } from './expectations';
import { ensureLoopbackUp } from './loopback';
import { runExample, type ExampleResult, type RunOptions } from './run-example';
import { runShared } from './run-shared';

export const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(EXAMPLES_DIR, '..');

/** Every example with an expectation file, sorted by name. */
export function allExampleNames(examplesDir = EXAMPLES_DIR): string[] {
  return readdirSync(examplesDir)
    .filter((file) => file.endsWith('.expect.yaml'))
    .map((file) => file.slice(0, -'.expect.yaml'.length))
    .sort();
}

export function loadExpectations(names: readonly string[], examplesDir = EXAMPLES_DIR): Expectation[] {
  return names.map((name) => {
    const file = join(examplesDir, `${name}.expect.yaml`);
    if (!existsSync(file)) throw new Error(`unknown example "${name}": ${file} does not exist`);
    for (const artifact of [`${name}.yaml`, `${name}.bpf.o`]) {
      if (!existsSync(join(examplesDir, artifact))) {
        throw new Error(`examples/${artifact} is missing: build the examples first (npx nx run examples:build)`);
      }
    }
    return loadExpectation(file, name);
  });
}

export async function runExamples(
  expectations: readonly Expectation[],
  options: RunOptions,
  onResult: (result: ExampleResult) => void = () => undefined,
): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  for (const expectation of expectations) {
    const result = await runExample(expectation, options);
    onResult(result);
    results.push(result);
  }
  return results;
}

export function formatResult(result: ExampleResult): string {
  const line = `${result.status.toUpperCase().padEnd(11)} ${result.example.padEnd(26)} [${result.attachTypes.join(',')}]`;
  return result.reason ? `${line}: ${result.reason}` : line;
}

function writeReport(file: string, results: readonly ExampleResult[]): void {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      examples: { type: 'string' },
      report: { type: 'string' },
      exporter: { type: 'string', default: './ebpf_exporter' },
      isolated: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: check.ts [--examples a,b] [--report results.json] [--exporter "./ebpf_exporter"] [--isolated]');
    return 0;
  }
  const names = values.examples ? values.examples.split(',').filter((name) => name !== '') : allExampleNames();
  const expectations = loadExpectations(names);
  if (await ensureLoopbackUp()) console.log('note: brought the loopback interface up');
  const run = values.isolated || expectations.length < 2 ? runExamples : runShared;
  const done: ExampleResult[] = [];
  const results = await run(
    expectations,
    {
      repoRoot: REPO_ROOT,
      examplesDir: EXAMPLES_DIR,
      exporterCommand: values.exporter ?? './ebpf_exporter',
      // Generous: starting node and loading BPF under QEMU without KVM, on a busy host, can take a minute.
      startTimeoutMs: 120_000,
      workloadTimeoutMs: 60_000,
      settleMs: 5_000,
    },
    (result) => {
      console.log(formatResult(result));
      // After every example, so a run cut short (the VM matrix's timeout) still leaves its results.
      done.push(result);
      if (values.report) writeReport(values.report, done);
    },
  );
  if (values.report) writeReport(values.report, results);
  const count = (status: string) => results.filter((result) => result.status === status).length;
  console.log(`${count('pass')} passed, ${count('unsupported')} unsupported, ${count('fail')} failed`);
  return count('fail') > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`check: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
