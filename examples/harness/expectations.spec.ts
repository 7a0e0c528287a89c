import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  it('together use every decoder, bucket type and collection mode of the config format', () => {
    interface Label { decoders?: { name: string }[] }
    interface Config {
      metrics?: { counters?: { perf_event_array?: boolean; labels?: Label[] }[]; histograms?: { bucket_type: string; labels?: Label[] }[] };
      kaddrs?: string[];
    }
    const configs = names.map((name) => parse(readFileSync(join(EXAMPLES_DIR, `${name}.yaml`), 'utf8')) as Config);
    const labels = configs.flatMap((config) => [...(config.metrics?.counters ?? []), ...(config.metrics?.histograms ?? [])].flatMap((metric) => metric.labels ?? []));
    const decoders = new Set(labels.flatMap((label) => (label.decoders ?? []).map((decoder) => decoder.name)));
    expect([...decoders].sort()).toEqual(
      ['cgroup', 'dname', 'errno', 'hex', 'ifname', 'inet_ip', 'kstack', 'ksym', 'majorminor', 'pci_class', 'pci_device', 'pci_subclass', 'pci_vendor', 'regexp', 'static_map', 'string', 'syscall', 'uint'],
    );
    const bucketTypes = new Set(configs.flatMap((config) => (config.metrics?.histograms ?? []).map((histogram) => histogram.bucket_type)));
    expect([...bucketTypes].sort()).toEqual(['exp2', 'exp2zero', 'fixed', 'linear']);
    expect(configs.some((config) => config.metrics?.counters?.some((counter) => counter.perf_event_array))).toBe(true);
    expect(configs.some((config) => (config.kaddrs ?? []).length > 0)).toBe(true);
  });

  it('reject bad input with the file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'expect-'));
    const file = join(dir, 'bad.expect.yaml');
    writeFileSync(file, 'attach: [tp_btf]\nworkload: "true"\nmetrics:\n  - name: x\n    type: summary\n    series: [{}]\n');
    expect(() => loadExpectation(file, 'bad')).toThrow(`${file}:5:11: metrics.0.type: must be counter, gauge or histogram`);
    writeFileSync(file, 'attach: [kprobes]\nworkload: "true"\nmetrics: []\n');
    expect(() => loadExpectation(file, 'bad')).toThrow(/bad.expect.yaml:1:10: attach.0: unknown attach type "kprobes"/);
  });
});
