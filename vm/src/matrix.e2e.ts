import { mkdtemp, readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cacheRoot, REPO_ROOT } from './guest-runner.ts';
import type { MatrixReport } from './matrix-report.ts';

const VM_MATRIX = join(REPO_ROOT, 'vm', 'matrix');
const ubuntuMainlineReachable = await lookup('kernel.ubuntu.com').then(() => true, () => false);

async function runMatrix(args: string[]) {
  const out = await mkdtemp(join(cacheRoot(), 'matrix-e2e-'));
  const result = await execa(VM_MATRIX, [...args, '--out', out], { cwd: REPO_ROOT, reject: false });
  const report = JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as MatrixReport;
  return { result, report, markdown: await readFile(join(out, 'matrix.md'), 'utf8') };
}

describe('./vm/matrix', () => {
  it('runs the example runner inside the kernel and reports its rows', async () => {
    const { result, report, markdown } = await runMatrix(['--kernels', '6.1', '--examples', 'timers']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report.kernels[0]).toMatchObject({ id: '6.1', status: 'ran', engine: 'qemu' });
    expect(report.kernels[0]?.bootSeconds).toBeGreaterThan(0);
    expect(report.results).toEqual([expect.objectContaining({ example: 'timers', kernel: '6.1', status: 'pass', attachTypes: ['tp_btf'] })]);
    expect(report.results[0]?.kernelRelease).toMatch(/^6\.1\./);
    expect(markdown).toContain('| 6.1 | timers | tp_btf | pass |');
  });

  it('lists kernels it cannot boot here with the reason, without failing or passing them', async () => {
    const kernels = ubuntuMainlineReachable ? ['host'] : ['host', '5.15'];
    const { result, report, markdown } = await runMatrix(['--kernels', kernels.join(',')]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report.results).toEqual([]);
    expect(report.kernels.map((kernel) => [kernel.id, kernel.status])).toEqual(kernels.map((id) => [id, 'unavailable']));
    expect(report.kernels[0]?.reason).toMatch(/^no bootable image of the running kernel/);
    if (!ubuntuMainlineReachable) expect(report.kernels[1]?.reason).toMatch(/^cannot fetch https:\/\/kernel\.ubuntu\.com\/mainline\/v5\.15\/amd64\/: /);
    expect(markdown).toContain('| host | — | — | — | — | not available here: no bootable image');
  });
});
