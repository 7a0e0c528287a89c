// `npx nx bench bench` (all sizes, writes BENCHMARKS.md) or `... --quick` (small sizes, prints only).
// `--from-json FILE` renders the report again from a saved run (after editing bench/notes.md) without
// measuring anything.
//   tsx bench/src/main.ts [--quick] [--out FILE] [--json FILE] [--from-json FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './paths';
import { renderReport } from './report';
import type { BenchmarkResults } from './results';
import { FULL_PLAN, QUICK_PLAN, runBenchmark } from './run-benchmark';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    json: { type: 'string' },
    'from-json': { type: 'string' },
  },
});
const saved = values['from-json'];
if (!saved && process.getuid?.() !== 0) {
  process.stderr.write('bench: must run as root (it loads BPF objects and reads the exporter\'s maps)\n');
  process.exit(1);
}

const results: BenchmarkResults = saved
  ? (JSON.parse(readFileSync(saved, 'utf8')) as BenchmarkResults)
  : await runBenchmark(values.quick ? QUICK_PLAN : FULL_PLAN, (line) => process.stderr.write(`bench: ${line}\n`));
const report = renderReport(results, readFileSync(join(REPO_ROOT, 'bench/notes.md'), 'utf8'));
process.stdout.write(`${report}\n`);
// Quick runs print only, so a smoke test never replaces the real numbers.
const out = values.out ?? (results.quick ? undefined : join(REPO_ROOT, 'BENCHMARKS.md'));
if (out) writeFileSync(out, report);
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
