import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigNames, configNamesIn, configsFailed, judgeConfigCheck } from './config-report.ts';

// Output of the real exporter (`--config.check --config.strict`) on this machine's kernel for the
// fixtures in test-fixtures/user-configs, trimmed to the lines that matter.
const MISSED_ATTACH = [
  "2026/12/04 12:47:25 config missing-function: program no_such_function (kprobe/vm_matrix_no_such_function) failed to attach: prog 'no_such_function': failed to create kprobe 'vm_matrix_no_such_function+0x0' perf event: No such file or directory",
  '2026/12/04 12:47:25 Started with 1 programs found in the config in 16ms',
  'ebpf_exporter: error: Missed attachments (module:prog): missing-function:no_such_function',
].join('\n');
const VERIFIER_REJECT = [
  '2026/12/04 12:47:33 Using on-demand resolution for cgroups (fanotify not available: fanotify on \'/sys/fs/cgroup\' failed: No such device)',
  "ebpf_exporter: error: config verifier-reject: loading /u/verifier-reject.bpf.o failed: program 'timer_start' rejected by the verifier: R0 invalid mem access 'map_value_or_null' (EACCES) (run with --debug for the verifier log)",
].join('\n');

describe('judgeConfigCheck', () => {
  it('calls a config that checked clean attached', () => {
    expect(judgeConfigCheck('timer-starts', '6.1', 0, 'Config check successful, exiting\n')).toEqual({ config: 'timer-starts', kernel: '6.1', status: 'attached', detail: '' });
  });

  it('names the program and libbpf\'s reason when a program loaded but did not attach', () => {
    expect(judgeConfigCheck('missing-function', '6.1', 1, MISSED_ATTACH)).toMatchObject({
      status: 'not attached',
      detail: "program no_such_function (kprobe/vm_matrix_no_such_function): prog 'no_such_function': failed to create kprobe 'vm_matrix_no_such_function+0x0' perf event: No such file or directory",
    });
  });

  it('keeps the verifier\'s message when the object was refused', () => {
    expect(judgeConfigCheck('verifier-reject', '6.1', 1, VERIFIER_REJECT)).toMatchObject({
      status: 'load failed',
      detail: "loading /u/verifier-reject.bpf.o failed: program 'timer_start' rejected by the verifier: R0 invalid mem access 'map_value_or_null' (EACCES) (run with --debug for the verifier log)",
    });
  });

  it('falls back to the last line, or says there was no output', () => {
    expect(judgeConfigCheck('x', '6.1', 134, 'line one\nAborted (core dumped)\n').detail).toBe('Aborted (core dumped)');
    expect(judgeConfigCheck('x', '6.1', 137, '').detail).toBe('the exporter exited 137 without output');
  });
});

describe('config names', () => {
  it('takes every yaml that has its object, never expectation files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'configs-'));
    for (const file of ['b.yaml', 'b.bpf.o', 'a.yaml', 'a.bpf.o', 'lonely.yaml', 'a.expect.yaml', 'orphan.bpf.o']) await writeFile(join(dir, file), '');
    await expect(configNamesIn(dir)).resolves.toEqual(['a', 'b']);
    await expect(checkConfigNames(dir, ['a', 'b'])).resolves.toBeUndefined();
    await expect(checkConfigNames(dir, ['a', 'lonely'])).rejects.toThrow(`--config.names: ${dir}/lonely.bpf.o does not exist`);
  });
});

describe('configsFailed', () => {
  const report = { generatedAt: '', totalSeconds: 0, kernels: [{ id: '6.1', version: '6.1', status: 'ran' as const }], results: [] };
  it('fails on any config that is not attached, or a kernel that broke; unavailable kernels are listed only', () => {
    expect(configsFailed({ ...report, results: [{ config: 'a', kernel: '6.1', status: 'attached', detail: '' }] })).toBe(false);
    expect(configsFailed({ ...report, results: [{ config: 'a', kernel: '6.1', status: 'not attached', detail: 'x' }] })).toBe(true);
    expect(configsFailed({ ...report, kernels: [{ id: '5.15', version: '5.15', status: 'unavailable', reason: 'x' }] })).toBe(false);
    expect(configsFailed({ ...report, kernels: [{ id: '6.1', version: '6.1', status: 'error', reason: 'x' }] })).toBe(true);
  });
});
