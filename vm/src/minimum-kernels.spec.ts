import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './guest-runner.ts';
import type { MatrixRow } from './matrix-report.ts';
import { applyMinimumKernels, loadMinimumKernels, olderSeries } from './minimum-kernels.ts';

const row = (example: string, status: MatrixRow['status'], reason = ''): MatrixRow => ({ example, kernel: 'x', attachTypes: ['tp_btf'], status, reason });

describe('minimum kernels', () => {
  it('compares series numerically and knows nothing of non-series versions', () => {
    expect(olderSeries('5.10', '5.15')).toBe(true);
    expect(olderSeries('5.15', '5.15')).toBe(false);
    expect(olderSeries('6.1', '5.18')).toBe(false);
    expect(olderSeries('latest', '5.18')).toBeUndefined();
  });

  it('turns a failure below the minimum into unsupported naming what the kernel lacks; nothing else changes', () => {
    const minimums = new Map([['kfree_skb', { minimum: '5.17', lacks: 'no reason argument' }]]);
    const rows = [row('kfree_skb', 'fail', 'exporter exited (1): invalid bpf_context access\nmore'), row('timers', 'fail', 'no samples')];
    expect(applyMinimumKernels(rows, '5.10', minimums)).toEqual([
      row('kfree_skb', 'unsupported', 'needs kernel 5.17+: no reason argument (runner: exporter exited (1): invalid bpf_context access)'),
      row('timers', 'fail', 'no samples'),
    ]);
    // At or above the minimum a failure is a failure, and a pass below it stays a pass.
    expect(applyMinimumKernels(rows, '6.1', minimums)).toEqual(rows);
    expect(applyMinimumKernels([row('kfree_skb', 'pass')], '5.10', minimums)).toEqual([row('kfree_skb', 'pass')]);
  });

  it('reads the shipped table, whose examples all exist', async () => {
    const table = await loadMinimumKernels(join(REPO_ROOT, 'vm', 'example-minimum-kernels.yaml'));
    expect([...table.keys()].sort()).toEqual(['biolatency', 'cachestat', 'ext4dist', 'kfree_skb', 'kstack', 'runqlat-percpu']);
    for (const example of table.keys()) await expect(import('node:fs/promises').then((fs) => fs.access(join(REPO_ROOT, 'examples', `${example}.expect.yaml`)))).resolves.toBeUndefined();
  });

  it('names the file, the example and the field of a bad entry', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'minimums-')), 'm.yaml');
    await writeFile(file, 'biolatency:\n  minimum: 5\n  lacks: x\n');
    await expect(loadMinimumKernels(file)).rejects.toThrow(`${file}: biolatency.minimum: expected a kernel series such as "5.15"`);
  });
});
