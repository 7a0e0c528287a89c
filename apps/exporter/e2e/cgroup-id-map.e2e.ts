// cgroup_id_map and the cgroup decoder on the real cgroup2 mount: a cgroup made after the exporter started
// gets into the BPF filter map, its task's syscalls are counted and decoded to its path, and its entry goes
// when the cgroup is removed. A second cgroup that the regexps do not match stays filtered out.
import { execa } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bpftoolJson, parseSamples, REPO_ROOT, runExporter, startExporter, type RunningExporter } from './exporter-process';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const CGROUP2 = readFileSync('/proc/self/mountinfo', 'utf8')
  .split('\n')
  .find((line) => line.split(' - ')[1]?.startsWith('cgroup2 '))
  ?.split(' ')[4];

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

async function compile(output: string, defines: string[]): Promise<void> {
  await execa('clang', [
    '-g', '-O2', '-target', 'bpf', '-D__TARGET_ARCH_x86',
    `-I${join(REPO_ROOT, 'include/x86')}`, `-I${join(REPO_ROOT, 'include')}`, '-I/usr/include/x86_64-linux-gnu',
    ...defines, '-c', join(FIXTURES, 'cgroup-id-map.bpf.c'), '-o', output,
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-cgroup-id-map-'));
  const yaml = readFileSync(join(FIXTURES, 'cgroup-id-map.yaml'), 'utf8');
  await compile(join(dir, 'hash.bpf.o'), []);
  writeFileSync(join(dir, 'hash.yaml'), yaml);
  await compile(join(dir, 'storage.bpf.o'), ['-DCGRP_STORAGE']);
  writeFileSync(join(dir, 'storage.yaml'), yaml.replace('type: hash', 'type: cgrp_storage'));
  copyFileSync(join(dir, 'hash.bpf.o'), join(dir, 'missing-map.bpf.o'));
  writeFileSync(join(dir, 'missing-map.yaml'), yaml.replace('name: e2e_cg_filter', 'name: no_such_filter'));
  copyFileSync(join(dir, 'hash.bpf.o'), join(dir, 'wrong-size.bpf.o'));
  writeFileSync(join(dir, 'wrong-size.yaml'), yaml.replace('type: hash', 'type: cgrp_storage'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A cgroup under the v2 mount with a shell in it that makes syscalls (a sleep every 50 ms). */
function cgroupWithTask(name: string): { path: string; id: bigint; stopTask: () => Promise<void> } {
  const path = join(CGROUP2 ?? '', `${name}-${process.pid}`);
  mkdirSync(path);
  const task: ChildProcess = spawn('sh', ['-c', 'while :; do sleep 0.05; done'], { stdio: 'ignore' });
  writeFileSync(join(path, 'cgroup.procs'), String(task.pid));
  const stopTask = async (): Promise<void> => {
    if (task.exitCode === null && task.signalCode === null) {
      task.kill('SIGKILL');
      await new Promise((resolve) => task.once('exit', resolve));
    }
    // The last sleep may outlive the shell for a moment.
    await until(() => (readFileSync(join(path, 'cgroup.procs'), 'utf8').trim() === '' ? true : undefined), `${path} to empty`);
  };
  cleanups.push(async () => {
    if (!existsSync(path)) return;
    await stopTask();
    rmdirSync(path);
  });
  return { path, id: statSync(path, { bigint: true }).ino, stopTask };
}

/** Cgroup ids in the hash filter map (bpftool shows raw key bytes, host order; map names are cut at 15 characters). */
async function filterMapIds(): Promise<bigint[]> {
  const entries = (await bpftoolJson('map', 'dump', 'name', 'e2e_cg_filter')) as Array<{ key: string[] }>;
  return entries.map(({ key }) => Buffer.from(key.map((byte) => Number.parseInt(byte, 16))).readBigUInt64LE());
}

async function syscallsByCgroup(exporter: RunningExporter): Promise<Map<string, number>> {
  const response = await fetch(`${exporter.url}/metrics`);
  const samples = parseSamples(await response.text());
  return new Map(samples.filter((s) => s.name === 'ebpf_exporter_cgroup_syscalls_total').map((s) => [s.labels.cgroup ?? '', s.value]));
}

describe.runIf(CGROUP2 !== undefined)('cgroup_id_map', () => {
  it('hash: new matching cgroups enter the map, are counted under their path, and leave when removed', async () => {
    // Capabilities dropped: keeping the map in step needs none, nor does the fanotify watch once open.
    const exporter = await startExporter([`--config.dir=${dir}`, '--config.names=hash', '--capabilities.keep=none']);
    cleanups.push(async () => void (await exporter.stop()));
    const watched = cgroupWithTask('ebpf-exporter-e2e-hash');
    const ignored = cgroupWithTask('unmatched-e2e-hash');

    await until(async () => ((await filterMapIds()).includes(watched.id) ? true : undefined), 'the filter map entry');
    expect(await filterMapIds()).not.toContain(ignored.id);
    const counted = await until(async () => (await syscallsByCgroup(exporter)).get(watched.path), 'the decoded metric');
    expect(counted).toBeGreaterThan(0);
    expect([...(await syscallsByCgroup(exporter)).keys()]).toEqual([watched.path]);

    await watched.stopTask();
    rmdirSync(watched.path);
    await until(async () => ((await filterMapIds()).includes(watched.id) ? undefined : true), 'the entry to be removed');
    // Recorded samples of the removed cgroup still decode to its path during the grace period.
    expect((await syscallsByCgroup(exporter)).get(watched.path)).toBeGreaterThanOrEqual(counted);
    const { exitCode } = await exporter.stop();
    expect(exitCode).toBe(0);
  });

  it('cgrp_storage: a matching cgroup made after start gets storage and is counted', async () => {
    // Storage is created through a descriptor of the cgroup directory, which needs no capability either.
    const exporter = await startExporter([`--config.dir=${dir}`, '--config.names=storage', '--capabilities.keep=none']);
    cleanups.push(async () => void (await exporter.stop()));
    const watched = cgroupWithTask('ebpf-exporter-e2e-storage');
    const ignored = cgroupWithTask('unmatched-e2e-storage');
    const counted = await until(async () => (await syscallsByCgroup(exporter)).get(watched.path), 'the decoded metric');
    expect(counted).toBeGreaterThan(0);
    expect((await syscallsByCgroup(exporter)).has(ignored.path)).toBe(false);
    const { exitCode } = await exporter.stop();
    expect(exitCode).toBe(0);
  });

  it('a cgroup_id_map naming a missing map, or with the wrong key size, is a startup error', async () => {
    const missing = await runExporter([`--config.dir=${dir}`, '--config.names=missing-map', '--config.check']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('missing-map');
    expect(missing.stderr).toContain('no_such_filter');
    const wrong = await runExporter([`--config.dir=${dir}`, '--config.names=wrong-size', '--config.check']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toMatch(/wrong-size.*e2e_cg_filter/);
    expect(wrong.stderr).toContain('needs 4-byte keys');
  });
});
