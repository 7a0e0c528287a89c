// The proof on the host kernel: every example runs through the real runner CLI (shared mode: one
// exporter for all examples) against the real exporter and real BPF. Examples whose kernel features this host lacks (on the 6.18 dev machines:
// kprobes, fentry, a hardware PMU, CONFIG_KALLSYMS_ALL) must come out "unsupported" naming that
// feature; every other example must pass. The VM harness proves the rest on kernels that have them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { allExampleNames, EXAMPLES_DIR, loadExpectations, REPO_ROOT } from './check';
import { missingFeatures } from './kernel-features';
import { configuredKaddrs, type ExampleResult } from './run-example';

const run = promisify(execFile);
const names = allExampleNames();
const expectations = loadExpectations(names);
const isRoot = process.getuid?.() === 0;
const fentryRefused = isRoot && (await missingOnThisKernel('tcp-retransmit')).length > 0;

async function missingOnThisKernel(name: string): Promise<string[]> {
  const expectation = expectations.find((candidate) => candidate.example === name);
  return missingFeatures(expectation?.features ?? [], {
    kaddrs: configuredKaddrs(join(EXAMPLES_DIR, `${name}.yaml`)),
    fentryProbeObject: join(EXAMPLES_DIR, 'harness', 'fentry-probe.bpf.o'),
  });
}

// Loading BPF programs needs root (CAP_BPF + CAP_PERFMON): without it nothing here can be proven.
describe.skipIf(!isRoot)('examples on the host kernel (needs root for BPF)', () => {
  let results: ExampleResult[] = [];

  beforeAll(async () => {
    const report = join(mkdtempSync('/tmp/examples-check-'), 'report.json');
    // The runner exits 1 when an example fails; the assertions below say which and why.
    await run(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['examples/harness/check.ts', '--report', report], {
      cwd: REPO_ROOT,
      timeout: 540_000,
    }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 1) throw error;
    });
    results = JSON.parse(readFileSync(report, 'utf8')) as ExampleResult[];
  }, 600_000);

  it('reports every example once, for this kernel', () => {
    expect(results.map((result) => result.example)).toEqual(names);
    expect(new Set(results.map((result) => result.kernel)).size).toBe(1);
  });

  it.each(names)('%s: passes, or is unsupported naming the feature this kernel lacks', async (name) => {
    const result = results.find((candidate) => candidate.example === name);
    const missing = await missingOnThisKernel(name);
    if (missing.length === 0) {
      expect(result, result?.reason).toMatchObject({ status: 'pass' });
    } else {
      expect(result?.status).toBe('unsupported');
      for (const reason of missing) expect(result?.reason).toContain(reason);
    }
  });

  it('reports kprobe and fentry examples as unsupported where the kernel lacks them', async () => {
    const kprobesMissing = (await missingFeatures(['kprobes'], { kaddrs: [], fentryProbeObject: '' })).length > 0;
    const attachTypes = (name: string) => results.find((result) => result.example === name)?.attachTypes ?? [];
    for (const result of results) {
      if (kprobesMissing && attachTypes(result.example).some((type) => type === 'kprobe' || type === 'kretprobe')) {
        expect(result, result.example).toMatchObject({ status: 'unsupported', reason: expect.stringContaining('CONFIG_KPROBES') });
      }
    }
  });

  // The default above is shared mode (one exporter for all); --isolated must reach the same verdicts.
  it('--isolated (one exporter per example) agrees with shared mode', async () => {
    const report = join(mkdtempSync('/tmp/examples-check-'), 'isolated.json');
    const picked = ['timers', 'tcp-retransmit', 'tcp-syn-backlog-exp2zero'];
    await run(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['examples/harness/check.ts', '--isolated', '--examples', picked.join(','), '--report', report], {
      cwd: REPO_ROOT,
      timeout: 170_000,
    }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== 1) throw error;
    });
    const isolated = JSON.parse(readFileSync(report, 'utf8')) as ExampleResult[];
    const status = (rows: ExampleResult[]) => picked.map((name) => [name, rows.find((row) => row.example === name)?.status]);
    expect(status(isolated)).toEqual(status(results));
  }, 180_000);

  describe('exporter --config.check --config.strict', () => {
    const configCheck = (configNames: string[]) =>
      run('./ebpf_exporter', ['--config.check', '--config.strict', '--config.dir=examples', `--config.names=${configNames.join(',')}`], {
        cwd: REPO_ROOT,
        timeout: 120_000,
      });

    it('attaches every example this kernel supports, then exits 0', async () => {
      const capable: string[] = [];
      for (const name of names) if ((await missingOnThisKernel(name)).length === 0) capable.push(name);
      expect(capable.length).toBeGreaterThan(10);
      await expect(configCheck(capable)).resolves.toBeDefined();
    }, 180_000);

    it.runIf(fentryRefused)('fails for an fentry example (only where the kernel refuses fentry, as here)', async () => {
      await expect(configCheck(['timers', 'tcp-retransmit'])).rejects.toMatchObject({ code: expect.any(Number) });
    }, 180_000);
  });
});
