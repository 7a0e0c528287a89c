// Lint rules for the whole workspace. Module boundaries are enforced on two tag axes:
// type (app may use lib, lib may only use lib) and runtime (isomorphic code imports nothing Node- or
// browser-only, so the dashboard can reuse libs/metrics).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const typeConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
];
const runtimeConstraints = [
  { sourceTag: 'runtime:isomorphic', onlyDependOnLibsWithTags: ['runtime:isomorphic'] },
  { sourceTag: 'runtime:browser', onlyDependOnLibsWithTags: ['runtime:browser', 'runtime:isomorphic'] },
  { sourceTag: 'runtime:node', onlyDependOnLibsWithTags: ['runtime:node', 'runtime:isomorphic'] },
];
const moduleBoundaries = (depConstraints) => ['error', { allow: [], depConstraints }];

export default [
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '**/.nx/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries([...typeConstraints, ...runtimeConstraints]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests run under Node whatever their project runs on, so they may use Node libraries (test-support's
    // real Prometheus and exporter processes); the type axis still holds.
    files: ['**/*.spec.ts', '**/e2e/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(typeConstraints) },
  },
  {
    // libs/metrics is pure TypeScript: no Node built-ins outside its tests.
    files: ['libs/metrics/src/**/*.ts'],
    ignores: ['libs/metrics/src/**/*.spec.ts', 'libs/metrics/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'libs/metrics must stay isomorphic: inject I/O from the caller.' }] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
];
