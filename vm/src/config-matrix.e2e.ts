import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfigReport } from './config-report.ts';
import { cacheRoot, REPO_ROOT } from './guest-runner.ts';

const VM_MATRIX = join(REPO_ROOT, 'vm', 'matrix');
const SOURCES = join(REPO_ROOT, 'vm', 'test-fixtures', 'user-configs');
const FIXTURES = ['timer-starts', 'missing-function', 'verifier-reject'];
// A user's folder: just <name>.yaml + <name>.bpf.o, no expectation files (built under the repository's cache, which the guest sees).
const USER_DIR = join(cacheRoot(), 'test-fixtures', 'user-configs');

beforeAll(async () => {
  await mkdir(USER_DIR, { recursive: true });
  for (const name of FIXTURES) {
    const flags = ['-g', '-O2', '-Wall', '-target', 'bpf', '-D__TARGET_ARCH_x86', `-I${REPO_ROOT}/include/x86`, `-I${REPO_ROOT}/include`, '-idirafter', '/usr/include/x86_64-linux-gnu'];
    await execa('clang', [...flags, '-c', join(SOURCES, `${name}.bpf.c`), '-o', join(USER_DIR, `${name}.bpf.o`)]);
    await copyFile(join(SOURCES, `${name}.yaml`), join(USER_DIR, `${name}.yaml`));
  }
});

async function runConfigMatrix(args: string[]) {
  const out = await mkdtemp(join(cacheRoot(), 'config-matrix-e2e-'));
  const result = await execa(VM_MATRIX, ['--config.dir', USER_DIR, ...args, '--out', out], { cwd: REPO_ROOT, reject: false });
  const report = JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as ConfigReport;
  return { result, report, markdown: await readFile(join(out, 'matrix.md'), 'utf8') };
}

describe('./vm/matrix --config.dir (a user\'s own configs)', () => {
  it('reports per config and kernel: attached, loaded but not attached, refused by the verifier; and fails', async () => {
    const { result, report, markdown } = await runConfigMatrix(['--kernels', '6.12']);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(report.kernels).toEqual([expect.objectContaining({ id: '6.12', status: 'ran' })]);
    const byName = Object.fromEntries(report.results.map((row) => [row.config, row]));
    expect(Object.keys(byName).sort()).toEqual(['missing-function', 'timer-starts', 'verifier-reject']);
    expect(byName['timer-starts']).toMatchObject({ status: 'attached', detail: '', kernelRelease: expect.stringMatching(/^6\.12\./) });
    expect(byName['missing-function']).toMatchObject({ status: 'not attached' });
    expect(byName['missing-function']?.detail).toMatch(/^program no_such_function \(kprobe\/vm_matrix_no_such_function\): .*failed to create kprobe/);
    expect(byName['verifier-reject']).toMatchObject({ status: 'load failed' });
    expect(byName['verifier-reject']?.detail).toContain("rejected by the verifier: R0 invalid mem access 'map_value_or_null'");
    expect(markdown).toContain('| 6.12 | timer-starts | attached |  |');
  });

  it('passes when the named configs all attach', async () => {
    const { result, report } = await runConfigMatrix(['--config.names', 'timer-starts', '--kernels', '6.1']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report.results).toEqual([expect.objectContaining({ config: 'timer-starts', kernel: '6.1', status: 'attached' })]);
  });

  it('refuses a name without its object before booting anything', async () => {
    const result = await execa(VM_MATRIX, ['--config.dir', USER_DIR, '--config.names', 'nope', '--kernels', '6.1'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`vm/matrix: --config.names: ${USER_DIR}/nope.yaml does not exist`);
  });
});
