import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bpftoolJson } from '@ebpf-exporter/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from '../test-fixtures/fixtures.js';
import { readU64, u32, u64 } from '../test-fixtures/bytes.js';
import { BpfError, BpfObject, setLogHandler } from './index.js';

const SYS_KILL = 62n; // x86_64
const opened: BpfObject[] = [];

function open(name: string, options?: { btfPath?: string }): BpfObject {
  const object = BpfObject.open(fixture(name), options);
  opened.push(object);
  return object;
}

/** maps.bpf.o loaded and attached, counting this process's syscalls. */
async function countingObject(marker = 0n): Promise<BpfObject> {
  const object = open('maps');
  object.setGlobalU64('target_tgid', BigInt(process.pid));
  object.setGlobalU64('kaddr_marker', marker);
  await object.load();
  object.attachAll();
  return object;
}

function makeSyscalls(count: number): void {
  for (let i = 0; i < count; i++) process.kill(process.pid, 0);
}

afterEach(() => {
  for (const object of opened.splice(0)) object.close();
  setLogHandler(null);
});

describe('BpfObject lifecycle', () => {
  it('opens, loads and attaches a tp_btf program that fills a hash, an array and a per-CPU array', async () => {
    const object = await countingObject();
    expect(object.name).toBe('maps');
    expect(object.path).toBe(fixture('maps'));
    const [program] = object.programs();
    expect(program).toMatchObject({ name: 'count_syscalls', section: 'tp_btf/sys_enter', attached: true });
    expect(program?.id).toBeGreaterThan(0);
    expect(program?.tag).toMatch(/^[0-9a-f]{16}$/);

    makeSyscalls(50);

    const killCount = object.map('syscall_counts').lookup(Buffer.from(new BigUint64Array([SYS_KILL]).buffer));
    expect(killCount && readU64(killCount)).toBeGreaterThanOrEqual(50n);
    const total = object.map('totals').lookup(u32(0));
    expect(total && readU64(total)).toBeGreaterThanOrEqual(50n);
    const perCpu = object.map('percpu_events').lookup(u32(0));
    const cpus = object.map('percpu_events').info.valuesPerKey;
    let sum = 0;
    for (let cpu = 0; cpu < cpus; cpu++) sum += perCpu ? Buffer.from(perCpu).readUInt32LE(cpu * 8) : 0;
    expect(sum).toBeGreaterThanOrEqual(50);
  });

  it('writes const volatile globals before load, visible to the program', async () => {
    const object = await countingObject(0xffff_ffff_8123_4567n);
    makeSyscalls(1);
    const marker = object.map('totals').lookup(u32(1));
    expect(marker && readU64(marker)).toBe(0xffff_ffff_8123_4567n);
  });

  it('refuses unknown globals, and globals after load', async () => {
    const object = open('maps');
    expect(() => object.setGlobalU64('kaddr_missing', 1n)).toThrow(expect.objectContaining({ code: 'ENOENT', object: 'maps' }));
    expect(() => object.setGlobalU64('bad name', 1n)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => object.setGlobalU64('kaddr_marker', -1n)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    await object.load();
    expect(() => object.setGlobalU64('kaddr_marker', 1n)).toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringMatching(/already loaded/) }));
  });

  it('accepts an external BTF file', async () => {
    const object = open('maps', { btfPath: '/sys/kernel/btf/vmlinux' });
    await object.load();
    expect(object.attachAll().every((program) => program.attached)).toBe(true);
  });

  it('reports run time and count once kernel.bpf_stats_enabled is 1', async () => {
    const previous = readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim();
    execFileSync('sysctl', ['-w', 'kernel.bpf_stats_enabled=1']);
    try {
      const object = await countingObject();
      makeSyscalls(20);
      const [program] = object.programs();
      expect(program?.runCount).toBeGreaterThanOrEqual(20n);
      expect(program?.runTimeNs).toBeGreaterThan(0n);
    } finally {
      execFileSync('sysctl', ['-w', `kernel.bpf_stats_enabled=${previous}`]);
    }
  });

  it('close() detaches every program and frees it; calling it again is harmless', async () => {
    const object = await countingObject();
    const [program] = object.programs();
    const id = program?.id ?? 0;
    const linksOf = async () => ((await bpftoolJson('link', 'show')) as Array<{ prog_id: number }>).filter((link) => link.prog_id === id);
    expect(await linksOf()).toHaveLength(1);

    object.close();
    object.close();

    // The kernel frees links and programs after an RCU grace period, not synchronously with the last close.
    await vi.waitFor(async () => expect(await linksOf()).toHaveLength(0), { timeout: 10_000 });
    await vi.waitFor(() => expect(() => execFileSync('bpftool', ['prog', 'show', 'id', String(id)], { stdio: 'pipe' })).toThrow(), { timeout: 10_000 });
    expect(() => object.programs()).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('detaches and closes an object nobody references any more, without close()', () => {
    const script = fileURLToPath(new URL('../test-fixtures/finalize-unreferenced-object.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output.trim()).toMatch(/^detached \d+$/);
  });

  it('close() during a map read lets the read finish on its own copy of the map fd', async () => {
    const object = open('maps');
    await object.load();
    object.map('totals').update(u32(2), u64(99n));
    const reading = object.map('totals').read();
    object.close();
    const dump = await reading;
    expect(dump.count).toBe(4);
    expect(readU64(dump.values, 16)).toBe(99n);
    await expect(async () => object.map('totals').read()).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('close() during load waits for the load to finish, then releases everything', async () => {
    const object = open('maps');
    const loading = object.load();
    expect(() => object.attachAll()).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    object.close();
    await loading;
    expect(() => object.maps()).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});

describe('BpfObject.attachAll', () => {
  const kprobesAvailable = existsSync('/sys/bus/event_source/devices/kprobe') || existsSync('/sys/kernel/tracing/kprobe_events');

  it.skipIf(kprobesAvailable)('reports a kprobe that cannot attach (kernel without KPROBES) and attaches the rest', async () => {
    const object = open('partial-attach');
    await object.load();
    const programs = object.attachAll();
    const kprobe = programs.find((program) => program.name === 'on_nanosleep');
    expect(kprobe).toMatchObject({ attached: false, error: { code: 'ENOENT', errno: 2 } });
    expect(kprobe?.error?.message).toMatch(/kprobe/);
    expect(programs.find((program) => program.name === 'on_sys_enter')).toMatchObject({ attached: true });
    expect(programs.find((program) => program.name === 'on_sys_enter')?.error).toBeUndefined();
    // A second call retries only what failed.
    expect(object.attachAll().filter((program) => program.attached).map((program) => program.name)).toEqual(['on_sys_enter']);
  });

  it('refuses to attach before load', () => {
    const object = open('partial-attach');
    expect(() => object.attachAll()).toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringMatching(/call load\(\) first/) }));
  });
});

describe('BpfObject errors', () => {
  it('names a missing file with ENOENT', () => {
    let caught: unknown;
    try {
      BpfObject.open('/nonexistent/object.bpf.o');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BpfError);
    expect(caught).toMatchObject({ code: 'ENOENT', errno: 2, object: '/nonexistent/object.bpf.o' });
  });

  it('refuses a file that is not a BPF object', () => {
    const path = `/tmp/bpf-native-not-elf-${process.pid}.o`;
    writeFileSync(path, 'not an ELF file\n');
    expect(() => BpfObject.open(path)).toThrow(expect.objectContaining({ code: 'LIBBPF_ERRNO__FORMAT', object: path }));
    expect(() => BpfObject.open('/bin/true')).toThrow(expect.objectContaining({ code: 'LIBBPF_ERRNO__FORMAT' }));
  });

  it('rejects a program the verifier refuses, with its verdict, and logs the verifier output', async () => {
    const lines: Array<[string, string]> = [];
    setLogHandler((level, message) => lines.push([level, message]));
    const object = open('verifier-reject');
    const failure = object.load();
    await expect(failure).rejects.toBeInstanceOf(BpfError);
    await expect(failure).rejects.toMatchObject({
      code: 'EACCES',
      object: 'verifier-reject',
      program: 'unchecked_lookup',
      message: expect.stringMatching(/rejected by the verifier: R0 invalid mem access 'map_value_or_null'/),
    });
    await vi.waitFor(() => expect(lines.some(([level, message]) => level === 'warn' && message.includes('BEGIN PROG LOAD LOG'))).toBe(true));
  });

  it('names a missing map with ENOENT', async () => {
    const object = open('maps');
    await object.load();
    expect(() => object.map('no_such_map')).toThrow(expect.objectContaining({ code: 'ENOENT', object: 'maps', map: 'no_such_map' }));
  });
});
