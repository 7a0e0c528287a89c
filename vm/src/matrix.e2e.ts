import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
  try {
    const result = await execa(VM_MATRIX, [...args, '--out', out], { cwd: REPO_ROOT, reject: false });
    const report = JSON.parse(await readFile(join(out, 'matrix.json'), 'utf8')) as MatrixReport;
    return { result, report, markdown: await readFile(join(out, 'matrix.md'), 'utf8') };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
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

  // Two guests at once, as `vm/matrix --parallel 2` runs them; each matrix bounds its own kernel run
  // (--timeout) below the test's timeout, so a slow guest fails with the matrix's message, not vitest's.
  it('gives the same report under both engines for the same kernel (QEMU and virtme-ng boot the same 6.12 build)', { timeout: 600_000 }, async () => {
    // One example per kind of outcome: tp_btf, kprobe and fentry passes, and llcstat unsupported (no PMU under TCG).
    const args = ['--kernels', '6.12', '--examples', 'timers,icmp-ip,tcp-retransmit,llcstat', '--timeout', '480'];
    const [qemu, vng] = await Promise.all([runMatrix([...args, '--engine', 'qemu']), runMatrix([...args, '--engine', 'vng'])]);
    for (const { result } of [qemu, vng]) expect(result.exitCode, result.stderr).toBe(0);
    expect(qemu.report.kernels[0]).toMatchObject({ status: 'ran', engine: 'qemu', kernelBuild: expect.stringMatching(/^linux-image-6\.12\./) });
    expect(vng.report.kernels[0]).toMatchObject({ status: 'ran', engine: 'vng', kernelBuild: qemu.report.kernels[0]?.kernelBuild });
    const outcome = ({ report }: Awaited<ReturnType<typeof runMatrix>>) =>
      report.results.map(({ example, kernelRelease, attachTypes, status, reason }) => ({ example, kernelRelease, attachTypes, status, reason }));
    expect(outcome(vng)).toEqual(outcome(qemu));
    expect(outcome(qemu).map((row) => `${row.example} ${row.status}`).sort()).toEqual(['icmp-ip pass', 'llcstat unsupported', 'tcp-retransmit pass', 'timers pass']);
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
