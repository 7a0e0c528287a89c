import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allExampleNames, EXAMPLES_DIR } from './check';
import { loadExpectation, type AttachType } from './expectations';

/** Attach types of an example, read from the SEC() names in its C source. */
function attachTypesInSource(example: string): AttachType[] {
  const source = readFileSync(join(EXAMPLES_DIR, `${example}.bpf.c`), 'utf8');
  const sections = [...source.matchAll(/SEC\("([^"]+)"\)/g)].map((match) => match[1] ?? '');
  const types = sections.filter((section) => section !== 'license' && section !== '.maps').map((section) => section.split('/')[0] as AttachType);
  return [...new Set(types)].sort();
}

describe('example expectations', () => {
  const names = allExampleNames();

  it('exist for at least 25 examples, each with its C source and YAML config', () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
    const sources = names.filter((name) => readFileSync(join(EXAMPLES_DIR, `${name}.bpf.c`), 'utf8').startsWith('// SPDX-License-Identifier:'));
    expect(sources).toEqual(names);
  });

  it.each(names)('%s: parses and declares exactly the attach types its program uses', (name) => {
    const expectation = loadExpectation(join(EXAMPLES_DIR, `${name}.expect.yaml`), name);
    expect([...expectation.attach].sort()).toEqual(attachTypesInSource(name));
  });

  it('together cover every attach type', () => {
    const used = new Set(names.flatMap((name) => attachTypesInSource(name)));
    expect([...used].sort()).toEqual(
      ['fentry', 'fexit', 'kprobe', 'kretprobe', 'perf_event', 'raw_tp', 'tp_btf', 'tracepoint', 'uprobe', 'usdt', 'xdp'].sort(),
    );
  });

  it('reject bad input with the file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'expect-'));
    const file = join(dir, 'bad.expect.yaml');
    writeFileSync(file, 'attach: [tp_btf]\nworkload: "true"\nmetrics:\n  - name: x\n    type: gauge\n    series: [{}]\n');
    expect(() => loadExpectation(file, 'bad')).toThrow(`${file}:5:11: metrics.0.type: must be counter or histogram`);
    writeFileSync(file, 'attach: [kprobes]\nworkload: "true"\nmetrics: []\n');
    expect(() => loadExpectation(file, 'bad')).toThrow(/bad.expect.yaml:1:10: attach.0: unknown attach type "kprobes"/);
  });
});
