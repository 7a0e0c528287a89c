import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheRoot, REPO_ROOT } from './guest-runner.ts';
import { EXIT_KERNEL_UNAVAILABLE } from './exit-codes.ts';

const VM_RUN = join(REPO_ROOT, 'vm', 'run');
// Built under the repository, not /tmp: the guest sees the host root, but /tmp is not special there
// and a fresh clone keeps everything in one place.
const FIXTURES = join(cacheRoot(), 'test-fixtures');

beforeAll(async () => {
  await mkdir(FIXTURES, { recursive: true });
  const source = join(REPO_ROOT, 'vm', 'test-fixtures');
  await execa('clang', ['-O2', '-g', '-target', 'bpf', '-I/usr/include/x86_64-linux-gnu', '-c', join(source, 'probes.bpf.c'), '-o', join(FIXTURES, 'probes.bpf.o')]);
  await execa('cc', ['-O2', '-Wall', join(source, 'probe-loader.c'), '-o', join(FIXTURES, 'probe-loader'), '-lbpf']);
});

// Both engines boot the same cached Debian builds: ours from the ELF kernel and a busybox initramfs,
// virtme-ng (Debian's 1.41, unpacked by scripts/setup.sh) from the bzImage beside the module tree.
describe.each([
  { kernel: '6.1', engine: 'qemu', release: /^6\.1\.\d+-\d+-amd64$/ },
  { kernel: '6.12', engine: 'qemu', release: /^6\.12\.\d+\+deb12-amd64$/ },
  { kernel: '7.3', engine: 'qemu', release: /^7\.3\.\d+\+deb13-amd64$/ },
  { kernel: '6.1', engine: 'vng', release: /^6\.1\.\d+-\d+-amd64$/ },
  { kernel: '7.3', engine: 'vng', release: /^7\.3\.\d+\+deb13-amd64$/ },
])('./vm/run --kernel $kernel --engine $engine', ({ kernel, engine, release }) => {
  // One boot per kernel (each costs ~10 s under TCG): the guest script checks everything at once.
  let result: Awaited<ReturnType<typeof execa>> & { stdout: string; stderr: string };
  let share: string;
  const marker = `vanish-${kernel}-${engine}-${process.pid}`;

  beforeAll(async () => {
    await mkdir(join(cacheRoot(), 'e2e'), { recursive: true });
    share = await mkdtemp(join(cacheRoot(), 'e2e', `${kernel}-${engine}-`));
    const script = [
      'uname -r',
      `${FIXTURES}/probe-loader ${FIXTURES}/probes.bpf.o || echo "probe-loader exited $?"`,
      'echo "events $(wc -l < /sys/kernel/tracing/available_events)"',
      'bpftool feature probe kernel 2>/dev/null | grep -E "program_type (kprobe|tracing|lsm) is"',
      'modprobe loop && test -e /dev/loop-control && echo "modprobe loop ok"',
      'echo "cwd $PWD"',
      'echo "to stderr" >&2',
      `touch ${marker} && echo "wrote ${marker}"`,
      `echo "written in the guest" > ${share}/from-guest`,
      'exit 7',
    ].join('\n');
    const args = ['--kernel', kernel, '--engine', engine, '--share', share, '--', 'sh', '-c', script];
    result = (await execa(VM_RUN, args, { cwd: REPO_ROOT, reject: false })) as typeof result;
  });

  it('runs in that kernel, in the same directory, and hands back the exit status and both streams', () => {
    expect(result.exitCode, result.stderr).toBe(7);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(release);
    expect(lines).toContain(`cwd ${REPO_ROOT.replace(/\/$/, '')}`);
    expect(result.stderr).toContain('to stderr');
    expect(result.stdout).not.toContain('to stderr');
  });

  it('attaches and fires a kprobe and an fentry program (which the host kernel refuses)', () => {
    expect(result.stdout).not.toContain('probe-loader exited');
    expect(Number(/^kprobe_vfs_read (\d+)$/m.exec(result.stdout)?.[1])).toBeGreaterThan(0);
    expect(Number(/^fentry_vfs_read (\d+)$/m.exec(result.stdout)?.[1])).toBeGreaterThan(0);
    for (const type of ['kprobe', 'tracing', 'lsm']) expect(result.stdout).toContain(`eBPF program_type ${type} is available`);
  });

  it('has tracefs mounted with the kernel events listed', () => {
    expect(Number(/^events (\d+)$/m.exec(result.stdout)?.[1])).toBeGreaterThan(1000);
  });

  it('loads the guest kernel\'s own modules with modprobe', () => {
    expect(result.stdout).toContain('modprobe loop ok');
  });

  it('throws guest writes away, except in a shared folder', async () => {
    expect(result.stdout).toContain(`wrote ${marker}`);
    await expect(access(join(REPO_ROOT, marker))).rejects.toThrow();
    expect(await readFile(join(share, 'from-guest'), 'utf8')).toBe('written in the guest\n');
    await rm(share, { recursive: true, force: true });
  });
});

describe('kernels that cannot be booted here', () => {
  it('reports the host kernel as not available, with the reason, instead of passing', async () => {
    const result = await execa(VM_RUN, ['--kernel', 'host', '--', 'true'], { reject: false });
    expect(result.exitCode).toBe(EXIT_KERNEL_UNAVAILABLE);
    expect(result.stderr).toMatch(/^vm\/run: kernel not available here: no bootable image of the running kernel /);
  });

  it('names the unknown kernel id and lists the known ones', async () => {
    const result = await execa(VM_RUN, ['--kernel', '4.4', '--', 'true'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('vm/run: unknown kernel id "4.4"; known: 5.10, 6.1, 6.12, 6.16, 6.18, 7.2, 7.3, host, 5.15, 6.6, mainline');
  });
});
