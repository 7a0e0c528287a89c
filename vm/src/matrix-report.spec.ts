import { describe, expect, it } from 'vitest';
import { EXAMPLE_COLUMNS, matrixFailed, parseRunnerReport, renderMarkdown, type MatrixReport } from './matrix-report.ts';

const runnerJson = JSON.stringify([
  { example: 'timers', kernel: '6.1.0-56-amd64', attachTypes: ['tp_btf'], status: 'pass', reason: '' },
  { example: 'kprobe-multi', kernel: '6.1.0-56-amd64', attachTypes: ['kprobe.multi'], status: 'unsupported', reason: 'kprobe.multi: EOPNOTSUPP' },
]);

describe('parseRunnerReport', () => {
  it('keeps the rows and labels them with the matrix kernel id', () => {
    const rows = parseRunnerReport(runnerJson, 'check.json', '6.1');
    expect(rows[1]).toEqual({ example: 'kprobe-multi', kernel: '6.1', kernelRelease: '6.1.0-56-amd64', attachTypes: ['kprobe.multi'], status: 'unsupported', reason: 'kprobe.multi: EOPNOTSUPP' });
  });

  it('names the file, row and field of a malformed result', () => {
    expect(() => parseRunnerReport('{', 'check.json', '6.1')).toThrow(/^check\.json: not JSON/);
    expect(() => parseRunnerReport('{}', 'check.json', '6.1')).toThrow('check.json: expected a JSON array of results');
    expect(() => parseRunnerReport('[{"example":"a","attachTypes":[],"status":"ok"}]', 'check.json', '6.1')).toThrow('check.json: [0].status: expected one of pass, fail, unsupported');
    expect(() => parseRunnerReport('[{"example":"a","attachTypes":"kprobe","status":"pass"}]', 'check.json', '6.1')).toThrow('check.json: [0].attachTypes: expected an array of strings');
  });
});

describe('matrix outcome', () => {
  const report = (overrides: Partial<MatrixReport>): MatrixReport => ({
    generatedAt: '2026-01-01T00:00:00.000Z',
    totalSeconds: 42,
    kernels: [{ id: '6.1', version: '6.1', status: 'ran', engine: 'qemu', accelerator: 'tcg', kernelBuild: 'linux-image-6.1.0-56-amd64', bootSeconds: 3.04, runSeconds: 20 }],
    results: parseRunnerReport(runnerJson, 'check.json', '6.1'),
    ...overrides,
  });

  it('passes with unsupported rows and unavailable kernels, fails on a fail row or a broken kernel run', () => {
    const unavailable = { id: '5.15', version: '5.15', status: 'unavailable' as const, reason: 'cannot fetch https://kernel.ubuntu.com/mainline/v5.15/amd64/: ENOTFOUND' };
    expect(matrixFailed(report({}))).toBe(false);
    expect(matrixFailed(report({ kernels: [...report({}).kernels, unavailable] }))).toBe(false);
    expect(matrixFailed(report({ results: [{ example: 'x', kernel: '6.1', attachTypes: [], status: 'fail', reason: 'no samples' }] }))).toBe(true);
    expect(matrixFailed(report({ kernels: [{ id: '6.12', version: '6.12', status: 'error', reason: 'guest crashed' }] }))).toBe(true);
  });

  it('renders one row per kernel and per kernel x example, saying why a kernel did not run', () => {
    const markdown = renderMarkdown(report({ kernels: [...report({}).kernels, { id: 'host', version: 'host', status: 'unavailable', reason: 'no image | none' }] }), EXAMPLE_COLUMNS);
    expect(markdown).toContain('| 6.1 | linux-image-6.1.0-56-amd64 | qemu/tcg | 3.0 s | 20.0 s | ran |');
    expect(markdown).toContain('| host | — | — | — | — | not available here: no image \\| none |');
    expect(markdown).toContain('| 6.1 | kprobe-multi | kprobe.multi | unsupported | kprobe.multi: EOPNOTSUPP |');
  });
});
