// Lint rules for the whole workspace. Module boundaries are enforced on three tag axes:
// type (app may use lib, lib may only use lib), runtime (isomorphic code imports nothing Node- or
// browser-only, so the dashboard can reuse libs/metrics) and layer (imports only point down, see below).
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
// Layers, top to bottom; a project imports only from layers below its own, never from a peer:
// - layer:app      what runs: exporter, dashboard, bench, vm, packaging, examples, tools.
// - layer:service  libraries that put the domain to work for apps and tests: dashboard-server, test-support.
// - layer:domain   the isomorphic core: metrics (config, decoders, collection, exposition), dashboard-model.
// - layer:binding  bpf-native, the node-addon-api binding to libbpf: it knows no domain, only the base types,
//                  so the native side never depends on how metrics are collected.
// - layer:base     plain types shared across the layers (map-types); imports no library at all.
const layerConstraints = [
  { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:service', 'layer:domain', 'layer:binding', 'layer:base'] },
  { sourceTag: 'layer:service', onlyDependOnLibsWithTags: ['layer:domain', 'layer:base'] },
  { sourceTag: 'layer:domain', onlyDependOnLibsWithTags: ['layer:base'] },
  { sourceTag: 'layer:binding', onlyDependOnLibsWithTags: ['layer:base'] },
  { sourceTag: 'layer:base', onlyDependOnLibsWithTags: [] },
];
const moduleBoundaries = (depConstraints) => ['error', { allow: [], depConstraints }];

// Tests in libs/metrics may use Node and every part of the library (the decoders' fuzz test formats what it
// collects).
const METRICS_TESTS = ['libs/metrics/src/**/*.spec.ts', 'libs/metrics/src/testing/**'];
const ISOMORPHIC_IMPORTS = {
  group: ['node:*', 'fs', 'path', 'os', 'child_process'],
  message: 'libs/metrics must stay isomorphic: inject I/O from the caller.',
};
const BELOW_COLLECTION = {
  group: ['**/collector', '**/collector/**', '**/exposition', '**/exposition/**'],
  message: 'config and decoders are below collector and exposition in libs/metrics: move what both need down (e.g. config/key-layout.ts).',
};

export default [
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '**/.nx/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries([...typeConstraints, ...runtimeConstraints, ...layerConstraints]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests (and their fixtures) run under Node whatever their project runs on, and test a layer from above,
    // so they may use Node libraries and higher layers (test-support's real Prometheus and exporter
    // processes, metrics' formatter in the binding's tests); the type axis still holds.
    files: ['**/*.spec.ts', '**/e2e/**/*.ts', '**/test-fixtures/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(typeConstraints) },
  },
  {
    // libs/metrics is pure TypeScript: no Node built-ins outside its tests.
    files: ['libs/metrics/src/**/*.ts'],
    ignores: METRICS_TESTS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [ISOMORPHIC_IMPORTS] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    // Inside libs/metrics, config and decoders sit below collection and exposition: they describe what to
    // read and how to decode it, the collector and the formatters use them. (A later entry replaces a rule's
    // options instead of merging them, hence the isomorphic patterns again.)
    files: ['libs/metrics/src/config/**/*.ts', 'libs/metrics/src/decoders/**/*.ts'],
    ignores: METRICS_TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [ISOMORPHIC_IMPORTS, BELOW_COLLECTION] }] },
  },
];
