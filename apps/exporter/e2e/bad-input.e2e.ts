// Bad input at startup: one clear line naming the config and the cause, exit code 1, no stack trace.
// Partial attachment: a program whose attach target this kernel lacks is not fatal unless --config.strict.
import { execa } from 'execa';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selfSigned } from '../src/testing/self-signed';
import { LAUNCHER, parseSamples, REPO_ROOT, runExporter, startExporter } from './exporter-process';

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

/** A refusal made before any BPF object was loaded: no program started, so none can be left attached. */
function expectRefusedBeforeAttaching(result: { exitCode: number | undefined; stderr: string }, ...fragments: string[]): void {
  expectOneLineError(result, ...fragments);
  expect(result.stderr).not.toContain('Started with');
}

const HISTOGRAM_YAML = (name: string) =>
  `metrics:\n  histograms:\n    - name: ${name}\n      help: h\n      bucket_type: exp2\n      bucket_min: 0\n      bucket_max: 3\n      labels:\n        - name: bucket\n          size: 4\n          decoders:\n            - name: uint\n`;

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
  addConfig('good-again', GOOD_YAML);
  addConfig('own-name', GOOD_YAML.replace('events_total', 'decoder_errors_total'));
  addConfig('histogram', HISTOGRAM_YAML('events'));
  addConfig('count-counter', GOOD_YAML.replace('events_total', 'events_count'));
  mkdirSync(join(dir, 'yaml-dir.yaml'));
  writeFileSync(join(dir, 'object-dir.yaml'), GOOD_YAML);
  mkdirSync(join(dir, 'object-dir.bpf.o'));
  // Mode 000 keeps out only a process without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (see runWithoutDacOverride).
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  copyFileSync(join(dir, 'good.yaml'), join(locked, 'good.yaml'));
  copyFileSync(join(dir, 'good.bpf.o'), join(locked, 'good.bpf.o'));
  chmodSync(locked, 0);
  const server = selfSigned(dir, 'server');
  const other = selfSigned(dir, 'other');
  writeFileSync(join(dir, 'web-swapped.yml'), `tls_server_config:\n  cert_file: ${server.key}\n  key_file: ${server.cert}\n`);
  writeFileSync(join(dir, 'web-mismatched.yml'), `tls_server_config:\n  cert_file: ${server.cert}\n  key_file: ${other.key}\n`);
});

const run = (names: string, ...extra: string[]) => runExporter([`--config.dir=${dir}`, `--config.names=${names}`, '--config.check', ...extra]);

/** Root without the capabilities that let it read what file modes forbid, as an unprivileged user would be. */
async function runWithoutDacOverride(args: string[]): Promise<{ exitCode: number | undefined; stderr: string }> {
  const result = await execa('capsh', ['--drop=cap_dac_override,cap_dac_read_search', '--', '-c', 'exec "$@"', 'capsh', LAUNCHER, ...args], {
    reject: false,
    cwd: REPO_ROOT,
    timeout: 60_000,
  });
  return { exitCode: result.exitCode, stderr: result.stderr };
}

describe('startup errors', () => {
  it('a config that does not exist', async () => expectOneLineError(await run('missing'), 'config missing', 'missing.yaml'));
  it('a config without its object', async () => expectOneLineError(await run('no-object'), 'no-object.bpf.o', 'not found'));
  it('malformed YAML', async () => expectOneLineError(await run('malformed'), 'malformed.yaml:5:1'));
  it('an unknown decoder', async () => expectOneLineError(await run('bad-decoder'), 'bad-decoder.yaml:9:', 'decoders[0]', 'unit'));
  it('an unknown bucket type', async () => expectOneLineError(await run('bad-bucket'), 'bad-bucket.yaml:5:', 'bucket_type', 'exp3'));
  it('label sizes that do not add up to the key size, with the key type from BTF printed after the error', async () => {
    const result = await run('bad-sizes');
    expect(result.exitCode).toBe(1);
    const errorLine = result.stderr.split('\n').find((line) => line.includes('error:')) ?? '';
    expect(errorLine).toContain('config bad-sizes');
    expect(result.stderr).toContain('events_total');
    expect(result.stderr).toContain('__u32 key');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
  it('an object the verifier rejects', async () => expectOneLineError(await run('reject'), 'config reject', 'reject.bpf.o'));
  it('a --btf.path that does not exist', async () => expectOneLineError(await run('good', '--btf.path=/nonexistent/vmlinux'), '--btf.path: /nonexistent/vmlinux does not exist'));
  it('a YAML path that is a directory', async () =>
    expectRefusedBeforeAttaching(await run('yaml-dir'), `config yaml-dir: cannot read ${join(dir, 'yaml-dir.yaml')}: is a directory (EISDIR)`));
  it('an object path that is a directory', async () =>
    expectRefusedBeforeAttaching(await run('object-dir'), `config object-dir: cannot read BPF object ${join(dir, 'object-dir.bpf.o')}: is a directory (EISDIR)`));
  it('a config directory the exporter may not read', async () => {
    const locked = join(dir, 'locked');
    const result = await runWithoutDacOverride([`--config.dir=${locked}`, '--config.names=good', '--config.check']);
    expectRefusedBeforeAttaching(result, `config good: cannot read ${join(locked, 'good.yaml')}: permission denied (EACCES)`);
  });
  it('a --web.config.file that is a directory', async () =>
    expectRefusedBeforeAttaching(await run('good', `--web.config.file=${dir}`), `--web.config.file: cannot read ${dir}: is a directory (EISDIR)`));
  it('a TLS certificate and key the wrong way round, before attaching', async () =>
    expectRefusedBeforeAttaching(
      await run('good', `--web.config.file=${join(dir, 'web-swapped.yml')}`),
      'web-swapped.yml:2:14: tls_server_config.cert_file:',
      'holds no PEM certificate, it holds a private key (cert_file and key_file the wrong way round?)',
    ));
  it('a TLS key that is not the certificate’s', async () =>
    expectRefusedBeforeAttaching(
      await run('good', `--web.config.file=${join(dir, 'web-mismatched.yml')}`),
      'web-mismatched.yml:3:13: tls_server_config.key_file:',
      `${join(dir, 'other.key')} is not the key of the certificate in cert_file ${join(dir, 'server.crt')}`,
    ));
  it('one metric in two configs', async () =>
    expectRefusedBeforeAttaching(
      await run('good,good-again'),
      `${join(dir, 'good-again.yaml')}:3:7: metrics.counters[0].name: counter ebpf_exporter_events_total collides with counter ebpf_exporter_events_total at ${join(dir, 'good.yaml')}:3:7 (metrics.counters[0].name)`,
    ));
  it("a metric named like one of the exporter's own", async () =>
    expectRefusedBeforeAttaching(await run('own-name'), 'own-name.yaml:3:7:', "counter ebpf_exporter_decoder_errors_total collides with the exporter's own counter ebpf_exporter_decoder_errors_total"));
  it("a counter named like a histogram's _count series", async () =>
    expectRefusedBeforeAttaching(
      await run('histogram,count-counter'),
      'count-counter.yaml:3:7:',
      `counter ebpf_exporter_events_count collides with histogram ebpf_exporter_events at ${join(dir, 'histogram.yaml')}:3:7`,
      'both would expose ebpf_exporter_events_count',
    ));
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
