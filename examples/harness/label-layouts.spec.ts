// The BTF layout check and the scaffold against every shipped example: each config passes the check
// unchanged on the x86 objects and on the arm64 ones (examples:build-arm64), and the scaffold of each
// object gets the labels' sizes and paddings of the real config right (the rest is in
// examples/scaffold-comparison.md, which must be current). Only opens objects: no root needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLabelLayouts, parseConfig, renderScaffold, scaffoldMetrics } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { allExampleNames, EXAMPLES_DIR } from './check';
import { allComparisons, comparisonTable, exampleConfig, exampleMapTypes } from './scaffold-comparison';

const names = allExampleNames();
const objectPath = (arch: 'host' | 'arm64', name: string): string => (arch === 'host' ? join(EXAMPLES_DIR, `${name}.bpf.o`) : join(EXAMPLES_DIR, 'build/arm64', `${name}.bpf.o`));

describe.each(['host', 'arm64'] as const)('shipped examples against their %s objects', (arch) => {
  it.each(names)('%s passes the layout check without a finding', (name) => {
    const findings = checkLabelLayouts(exampleConfig(name), exampleMapTypes(objectPath(arch, name)));
    expect(findings.map((finding) => finding.error.message)).toEqual([]);
  });
});

it('the arm64 objects describe every map key as the host objects do', () => {
  for (const name of names) {
    const keys = (arch: 'host' | 'arm64'): unknown[] => exampleMapTypes(objectPath(arch, name)).filter((map) => !map.internal).map(({ name: map, key, keySize }) => ({ map, key, keySize }));
    expect(keys('arm64'), name).toEqual(keys('host'));
  }
});

describe('the scaffold of every example', () => {
  const comparisons = allComparisons();

  it('finds every metric, of the right kind, with the sizes and paddings of the real config', () => {
    const wrong = comparisons.filter((row) => !row.found || !row.kind || !row.layout).map((row) => `${row.example}: ${row.metric}`);
    expect(wrong).toEqual([]);
    expect(comparisons.length).toBeGreaterThan(30);
  });

  it('is a config the exporter parses and the layout check passes', () => {
    for (const name of names) {
      const maps = exampleMapTypes(objectPath('host', name));
      const scaffold = scaffoldMetrics(maps);
      // init refuses an object without a metric map (perf_event_array records only: oomkill, signals).
      if (scaffold.metrics.length === 0) {
        expect(maps.some((map) => map.type === 'perf_event_array'), name).toBe(true);
        continue;
      }
      const config = parseConfig(renderScaffold(`${name}.bpf.o`, scaffold), `${name}.scaffold.yaml`);
      expect(checkLabelLayouts(config, maps).filter((finding) => finding.severity === 'error').map((finding) => finding.error.message), name).toEqual([]);
    }
  });

  it('matches the comparison table in examples/scaffold-comparison.md', () => {
    expect(readFileSync(join(EXAMPLES_DIR, 'scaffold-comparison.md'), 'utf8')).toContain(comparisonTable(comparisons));
  });
});
