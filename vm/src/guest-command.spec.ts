import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { guestCommandScript, parseGuestStatus, shellQuote } from './guest-command.ts';

/** Runs a generated script with the host's real sh, the same shell the guest uses. */
async function runScript(script: string) {
  const dir = await mkdtemp(join(tmpdir(), 'guest-command-'));
  await writeFile(join(dir, 'command.sh'), script);
  return execa('sh', [join(dir, 'command.sh')], { reject: false, env: {}, extendEnv: false });
}

describe('guestCommandScript', () => {
  it('passes awkward arguments through unchanged, in the given directory and environment', async () => {
    const argv = ['sh', '-c', 'printf "%s|" "$0" "$@" "$PWD" "$GREETING"', "it's", 'two words', '$HOME', '*'];
    const result = await runScript(guestCommandScript({ argv, cwd: '/usr', env: { GREETING: "o'hai \"there\"", 'BAD-NAME': 'x', PWD: '/nope' } }));
    expect(result.stdout).toBe(`it's|two words|$HOME|*|/usr|o'hai "there"|`);
  });

  it('hands the exit status back, through exec or through the status file (with the uptime the command started at)', async () => {
    expect((await runScript(guestCommandScript({ argv: ['sh', '-c', 'exit 7'], cwd: '/', env: {} }))).exitCode).toBe(7);
    const dir = await mkdtemp(join(tmpdir(), 'status-'));
    const statusFile = join(dir, 'status');
    await runScript(guestCommandScript({ argv: ['sh', '-c', 'exit 9'], cwd: '/', env: {}, statusFile }));
    const uptime = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
    const status = parseGuestStatus(await readFile(statusFile, 'utf8'));
    expect(status.exitCode).toBe(9);
    expect(status.bootSeconds).toBeGreaterThan(0);
    expect(status.bootSeconds).toBeLessThanOrEqual(uptime);
  });

  it('fails with 125 when the working directory does not exist in the guest', async () => {
    expect((await runScript(guestCommandScript({ argv: ['true'], cwd: '/does/not/exist', env: {} }))).exitCode).toBe(125);
  });

  it('mounts the kernel filesystems only when asked, and only where missing', () => {
    const script = guestCommandScript({ argv: ['true'], cwd: '/', env: {}, mountKernelFilesystems: true });
    expect(script).toContain("grep -q ' /sys/fs/bpf ' /proc/mounts || mount -t bpf bpf /sys/fs/bpf");
    expect(script).toContain('mount -t tracefs tracefs /sys/kernel/tracing');
    expect(guestCommandScript({ argv: ['true'], cwd: '/', env: {} })).not.toContain('mount');
  });
});

describe('shellQuote', () => {
  it('quotes single quotes', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });
});

describe('parseGuestStatus', () => {
  it('reads boot time and exit code, and tolerates a guest that died before either', () => {
    expect(parseGuestStatus('boot 3.25\nexit 0\n')).toEqual({ bootSeconds: 3.25, exitCode: 0 });
    expect(parseGuestStatus('boot 3.25\n')).toEqual({ bootSeconds: 3.25 });
    expect(parseGuestStatus('')).toEqual({});
  });
});
