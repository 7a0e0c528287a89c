// `ebpf_exporter init`: a config scaffolded from a shipped object's BTF loads as it is and serves that
// object's metrics from the real kernel; init never overwrites; a label layout broken by hand stops
// --config.check before anything is loaded, naming the file, line and label with the struct's layout.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSamples, REPO_ROOT, runExporter, startExporter } from './exporter-process';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-init-'));
  // syscalls: tp_btf, which this host and every kernel of the VM matrix attach; kfree_skb: a padded key.
  for (const name of ['syscalls', 'kfree_skb', 'oomkill']) copyFileSync(join(REPO_ROOT, 'examples', `${name}.bpf.o`), join(dir, `${name}.bpf.o`));
});

describe('ebpf_exporter init', () => {
  it('writes <name>.yaml next to the object, and never over it', async () => {
    const object = join(dir, 'syscalls.bpf.o');
    const first = await runExporter(['init', object]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(join(dir, 'syscalls.yaml'));
    const written = readFileSync(join(dir, 'syscalls.yaml'), 'utf8');
    expect(written).toContain('- name: syscalls_total');

    writeFileSync(join(dir, 'syscalls.yaml'), `${written}# edited by hand\n`);
    const second = await runExporter(['init', object]);
    expect(second.exitCode).toBe(1);
    expect(second.stderr.trim()).toBe(`ebpf_exporter: error: init: ${join(dir, 'syscalls.yaml')} already exists; not overwriting it`);
    expect(readFileSync(join(dir, 'syscalls.yaml'), 'utf8')).toBe(`${written}# edited by hand\n`);
  });

  it('writes nothing for an object without a map that could be a metric', async () => {
    const result = await runExporter(['init', join(dir, 'oomkill.bpf.o')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('looks like a counter or histogram (oom_kills_total: a perf_event_array map: not a counter or histogram');
    expect(existsSync(join(dir, 'oomkill.yaml'))).toBe(false);
  });

  it('scaffolds a config that loads and serves the object metrics', async () => {
    const exporter = await startExporter([`--config.dir=${dir}`, '--config.names=syscalls']);
    try {
      // Syscalls never stop on a running machine (this test's own included): the family fills at once.
      let samples: ReturnType<typeof parseSamples> = [];
      for (let attempt = 0; attempt < 50 && samples.length === 0; attempt++) {
        const text = await (await fetch(`${exporter.url}/metrics`)).text();
        samples = parseSamples(text).filter((sample) => sample.name === 'ebpf_exporter_syscalls_total' && sample.value > 0);
        if (samples.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(samples.length).toBeGreaterThan(0);
      // The scaffold guessed the syscall decoder from the map's name: series are named syscalls, not numbers.
      expect(samples.some((sample) => sample.labels.syscall === 'read' || sample.labels.syscall === 'write' || sample.labels.syscall === 'epoll_wait')).toBe(true);
    } finally {
      const { exitCode } = await exporter.stop();
      expect(exitCode).toBe(0);
    }
  });

  it('refuses, in --config.check, a scaffold whose padding was removed by hand', async () => {
    const init = await runExporter(['init', join(dir, 'kfree_skb.bpf.o')]);
    expect(init.exitCode, init.stderr).toBe(0);
    const file = join(dir, 'kfree_skb.yaml');
    const scaffold = readFileSync(file, 'utf8');
    expect(scaffold).toContain('          padding: 3\n');
    writeFileSync(file, scaffold.replace('          padding: 3\n', ''));
    const check = await runExporter([`--config.dir=${dir}`, '--config.names=kfree_skb', '--config.check']);
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain(`ebpf_exporter: error: config kfree_skb: labels do not match the key structs in kfree_skb.bpf.o:\n${file}:`);
    expect(check.stderr).toMatch(/labels\[3\]: label reason starts at offset 5, in the 3 padding bytes after member ip_proto; member reason starts at offset 8: label ip_proto needs padding: 3/);
    expect(check.stderr).toContain('    u8 pad[3];                           /*     5     3 */  <- reason');
  });
});
