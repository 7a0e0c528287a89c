// Bad input at startup: one clear line naming the config and the cause, exit code 1, no stack trace.
// Partial attachment: a program whose attach target this kernel lacks is not fatal unless --config.strict.
import { execa } from 'execa';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSamples, runExporter, startExporter } from './exporter-process';

const FIXTURE = join(import.meta.dirname, 'fixtures/events.bpf.c');
const GOOD_YAML = `metrics:
  counters:
    - name: events_total
      help: Events by kind
      labels:
        - name: kind
          size: 4
          decoders:
            - name: uint
`;

let dir: string;

async function compile(output: string, defines: string[] = []): Promise<void> {
  await execa('clang', ['-g', '-O2', '-target', 'bpf', '-D__TARGET_ARCH_x86', '-I/usr/include/x86_64-linux-gnu', ...defines.map((d) => `-D${d}`), '-c', FIXTURE, '-o', output]);
}

function addConfig(name: string, yaml: string, object = 'events'): void {
  writeFileSync(join(dir, `${name}.yaml`), yaml);
  copyFileSync(join(dir, `${object}.o`), join(dir, `${name}.bpf.o`));
}

function expectOneLineError(result: { exitCode: number | undefined; stderr: string }, ...fragments: string[]): void {
  expect(result.exitCode).toBe(1);
  const lines = result.stderr.trim().split('\n');
  const errorLine = lines.at(-1) ?? '';
  for (const fragment of fragments) expect(errorLine).toContain(fragment);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-bad-input-'));
  await compile(join(dir, 'events.o'));
  await compile(join(dir, 'events-kprobe.o'), ['WITH_KPROBE']);
  await compile(join(dir, 'events-reject.o'), ['WITH_VERIFIER_ERROR']);
  addConfig('good', GOOD_YAML);
  addConfig('kprobe', GOOD_YAML, 'events-kprobe');
  addConfig('reject', GOOD_YAML, 'events-reject');
  addConfig('malformed', 'metrics:\n  counters:\n    - name: events_total\n      help: [unclosed\n');
  addConfig('bad-decoder', GOOD_YAML.replace('name: uint', 'name: unit'));
  addConfig('bad-sizes', GOOD_YAML.replace('size: 4', 'size: 8'));
  addConfig('bad-bucket', 'metrics:\n  histograms:\n    - name: events_total\n      help: h\n      bucket_type: exp3\n      bucket_min: 0\n      bucket_max: 3\n      labels:\n        - name: bucket\n          size: 4\n          decoders:\n            - name: uint\n');
  writeFileSync(join(dir, 'no-object.yaml'), GOOD_YAML);
});

const run = (names: string, ...extra: string[]) => runExporter([`--config.dir=${dir}`, `--config.names=${names}`, '--config.check', ...extra]);

describe('startup errors', () => {
  it('a config that does not exist', async () => expectOneLineError(await run('missing'), 'config missing', 'missing.yaml'));
  it('a config without its object', async () => expectOneLineError(await run('no-object'), 'no-object.bpf.o', 'not found'));
  it('malformed YAML', async () => expectOneLineError(await run('malformed'), 'malformed.yaml:5:1'));
  it('an unknown decoder', async () => expectOneLineError(await run('bad-decoder'), 'bad-decoder.yaml:9:', 'decoders[0]', 'unit'));
  it('an unknown bucket type', async () => expectOneLineError(await run('bad-bucket'), 'bad-bucket.yaml:5:', 'bucket_type', 'exp3'));
  it('label sizes that do not add up to the key size', async () => expectOneLineError(await run('bad-sizes'), 'bad-sizes', 'events_total', '8', '4'));
  it('an object the verifier rejects', async () => expectOneLineError(await run('reject'), 'config reject', 'reject.bpf.o'));
  it('a --btf.path that does not exist', async () => expectOneLineError(await run('good', '--btf.path=/nonexistent/vmlinux'), '--btf.path: /nonexistent/vmlinux does not exist'));
  it('a bad flag', async () => {
    const result = await runExporter(['--config.dir=x', '--config.names=y', '--web.listen-adress=:1']);
    expectOneLineError(result, "unknown long flag '--web.listen-adress'");
  });
});

describe('attachment', () => {
  it('--config.check succeeds on a good config', async () => {
    const result = await run('good');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('Config check successful, exiting');
  });

  it('--btf.path loads against the given BTF', async () => {
    const result = await run('good', '--btf.path=/sys/kernel/btf/vmlinux');
    expect(result.stderr).toContain('Config check successful, exiting');
    expect(result.exitCode).toBe(0);
  });

  it('a missing kprobe target is reported, not fatal', async () => {
    const exporter = await startExporter([`--config.dir=${dir}`, '--config.names=kprobe']);
    try {
      const samples = parseSamples(await (await fetch(`${exporter.url}/metrics`)).text());
      const attached = samples.filter((s) => s.name === 'ebpf_exporter_ebpf_program_attached').map((s) => s.value).sort();
      expect(attached).toEqual([0, 1]);
      expect(exporter.output()).toMatch(/program on_nanosleep \(kprobe\/do_nanosleep\) failed to attach/);
      const events = samples.find((s) => s.name === 'ebpf_exporter_events_total' && s.labels.kind === '1');
      expect(events?.value).toBeGreaterThan(0);
    } finally {
      expect((await exporter.stop()).exitCode).toBe(0);
    }
  });

  it('--config.strict turns a missed attachment into a startup error', async () => {
    expectOneLineError(await run('kprobe', '--config.strict'), 'Missed attachments (module:prog): kprobe:on_nanosleep');
  });
});
