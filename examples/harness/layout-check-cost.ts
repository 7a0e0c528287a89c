// What the BTF layout check adds to startup: `npx tsx examples/harness/layout-check-cost.ts [rounds]`
// opens every shipped example's object and prints, per object and in total, the median time of the open
// itself (which startup pays anyway), of mapTypes() (the addon walking the BTF) and of checkLabelLayouts.
import { join } from 'node:path';
import { BpfObject } from '@ebpf-exporter/bpf-native';
import { checkLabelLayouts } from '@ebpf-exporter/metrics';
import { allExampleNames, EXAMPLES_DIR } from './check';
import { exampleConfig } from './scaffold-comparison';

const rounds = Number(process.argv[2] ?? 21);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const totals = { open: 0, mapTypes: 0, check: 0 };
for (const name of allExampleNames()) {
  const config = exampleConfig(name);
  const times = { open: [] as number[], mapTypes: [] as number[], check: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    const object = BpfObject.open(join(EXAMPLES_DIR, `${name}.bpf.o`));
    times.open.push(performance.now() - start);
    start = performance.now();
    const maps = object.mapTypes();
    times.mapTypes.push(performance.now() - start);
    start = performance.now();
    checkLabelLayouts(config, maps);
    times.check.push(performance.now() - start);
    object.close();
  }
  const row = { open: median(times.open), mapTypes: median(times.mapTypes), check: median(times.check) };
  totals.open += row.open;
  totals.mapTypes += row.mapTypes;
  totals.check += row.check;
  console.log(`${name.padEnd(26)} open ${row.open.toFixed(3)} ms  mapTypes ${row.mapTypes.toFixed(3)} ms  check ${row.check.toFixed(3)} ms`);
}
console.log(`${'all examples'.padEnd(26)} open ${totals.open.toFixed(2)} ms  mapTypes ${totals.mapTypes.toFixed(2)} ms  check ${totals.check.toFixed(2)} ms (medians of ${rounds} rounds)`);
