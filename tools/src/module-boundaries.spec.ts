// The root eslint.config.js refuses imports against the layering: probe files inside real projects are
// linted as text, so nothing is written. The Nx boundary rule reads the project graph that nx caches before
// it runs a target, and skips itself without one; the refusals below would then fail, not pass unseen.
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BOUNDARIES = '@nx/enforce-module-boundaries';
const RESTRICTED = 'no-restricted-imports';

const eslint = new ESLint({ cwd: REPO_ROOT });

/** The errors ESLint reports for a file at `filePath` (from the repo root) that imports `specifier`. */
async function importErrors(filePath: string, specifier: string): Promise<Pick<Linter.LintMessage, 'ruleId' | 'message'>[]> {
  const [result] = await eslint.lintText(`import * as probe from '${specifier}';\nexport { probe };\n`, { filePath: `${REPO_ROOT}${filePath}` });
  return (result?.messages ?? []).filter((message) => message.severity === 2).map(({ ruleId, message }) => ({ ruleId, message }));
}

describe('module boundaries (eslint.config.js)', () => {
  it.each([
    ['libs/bpf-native/src/probe.ts', '@ebpf-exporter/metrics', 'layer:binding'],
    ['libs/bpf-native/src/probe.ts', '@ebpf-exporter/dashboard-server', 'layer:binding'],
    ['libs/metrics/src/probe.ts', '@ebpf-exporter/dashboard-model', 'layer:domain'],
    ['libs/dashboard-model/src/probe.ts', '@ebpf-exporter/metrics', 'layer:domain'],
    ['libs/dashboard-server/src/probe.ts', '@ebpf-exporter/bpf-native', 'layer:service'],
    ['libs/dashboard-server/src/probe.ts', '@ebpf-exporter/test-support', 'layer:service'],
    ['libs/map-types/src/probe.ts', '@ebpf-exporter/dashboard-model', 'layer:base'],
  ])('%s may not import %s (%s)', async (filePath, specifier, sourceTag) => {
    expect(await importErrors(filePath, specifier)).toEqual([{ ruleId: BOUNDARIES, message: expect.stringContaining(`"${sourceTag}"`) }]);
  });

  // An upward import that closes a cycle is reported as the cycle, before any tag is looked at.
  it.each([
    ['libs/metrics/src/probe.ts', '@ebpf-exporter/dashboard-server'],
    ['libs/map-types/src/probe.ts', '@ebpf-exporter/metrics'],
  ])('%s may not import %s (a cycle)', async (filePath, specifier) => {
    expect(await importErrors(filePath, specifier)).toEqual([{ ruleId: BOUNDARIES, message: expect.stringContaining('Circular dependency') }]);
  });

  it.each([
    ['apps/exporter/src/probe.ts', '@ebpf-exporter/dashboard-server'],
    ['apps/exporter/src/probe.ts', '@ebpf-exporter/bpf-native'],
    ['libs/dashboard-server/src/probe.ts', '@ebpf-exporter/metrics'],
    ['libs/metrics/src/probe.ts', '@ebpf-exporter/map-types'],
    ['libs/bpf-native/src/probe.ts', '@ebpf-exporter/map-types'],
    // Tests follow only the type axis: the binding's tests format with metrics and use test-support.
    ['libs/bpf-native/src/probe.spec.ts', '@ebpf-exporter/metrics'],
    ['libs/bpf-native/test-fixtures/probe.ts', '@ebpf-exporter/test-support'],
  ])('lets %s import %s', async (filePath, specifier) => {
    expect(await importErrors(filePath, specifier)).toEqual([]);
  });
});

describe('layers inside libs/metrics (eslint.config.js)', () => {
  it.each([
    ['libs/metrics/src/config/probe.ts', '../collector/key-decoder'],
    ['libs/metrics/src/config/probe.ts', '../exposition/text-format'],
    ['libs/metrics/src/decoders/probe.ts', '../collector/config-collector'],
    ['libs/metrics/src/decoders/probe.ts', '../exposition'],
  ])('%s may not import %s', async (filePath, specifier) => {
    expect(await importErrors(filePath, specifier)).toEqual([{ ruleId: RESTRICTED, message: expect.stringContaining('below collector and exposition') }]);
  });

  it('still keeps config free of Node built-ins', async () => {
    expect(await importErrors('libs/metrics/src/config/probe.ts', 'node:fs')).toEqual([{ ruleId: RESTRICTED, message: expect.stringContaining('isomorphic') }]);
  });

  it.each([
    ['libs/metrics/src/config/probe.ts', './key-layout'],
    ['libs/metrics/src/collector/probe.ts', '../config/key-layout'],
    ['libs/metrics/src/decoders/probe.spec.ts', '../collector/config-collector'],
  ])('lets %s import %s', async (filePath, specifier) => {
    expect(await importErrors(filePath, specifier)).toEqual([]);
  });
});
