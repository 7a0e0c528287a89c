import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pickEngine } from './guest-runner.ts';
import type { KernelSpec } from './kernel-matrix.ts';
import { runInVng, vngArguments, vngKernelReference } from './vng-engine.ts';

// virtme-ng cannot be installed on this machine (PyPI is unreachable and Debian bookworm has no
// package), so this `vng` on PATH is a test double: it records its arguments and runs the --exec
// command on the host, as virtme-ng would inside the guest — in a private mount namespace, so the
// script's bpffs/tracefs/debugfs mounts cannot leak onto the host.
const FAKE_VNG = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_VNG_ARGS"
while [ $# -gt 0 ]; do
  if [ "$1" = --exec ]; then exec unshare --mount --propagation private sh -c "$2"; fi
  shift
done
exit 99
`;

const debian61: KernelSpec = { id: '6.1', version: '6.1', arch: 'x86_64', source: { type: 'debian', package: /x/ } };
const machine = { cpus: 2, memoryMiB: 1024, accelerator: 'kvm' as const };

describe('vngArguments', () => {
  it('maps machine, shares, working directory and command onto vng flags', () => {
    expect(vngArguments('v6.1', { ...machine, accelerator: 'tcg' }, ['/out'], '/work', '/run/c.sh')).toEqual([
      '--run', 'v6.1', '--cpus', '2', '--memory', '1024M', '--disable-kvm', '--rwdir', '/out', '--cwd', '/work', '--exec', 'sh /run/c.sh',
    ]);
    expect(vngArguments(undefined, machine, [], '/', '/c.sh').slice(0, 2)).toEqual(['--run', '--cpus']);
  });

  it('asks virtme-ng for the upstream release of a Debian series, and for the host kernel with no value', async () => {
    await expect(vngKernelReference(debian61)).resolves.toBe('v6.1');
    await expect(vngKernelReference({ ...debian61, source: { type: 'ubuntu-mainline', tag: 'v5.15' } })).resolves.toBe('v5.15');
    await expect(vngKernelReference({ ...debian61, source: { type: 'host' } })).resolves.toBeUndefined();
  });
});

describe('runInVng with a fake vng on PATH', () => {
  let bin: string;
  const savedPath = process.env['PATH'];

  beforeEach(async () => {
    bin = await mkdtemp(join(tmpdir(), 'fake-vng-'));
    await writeFile(join(bin, 'vng'), FAKE_VNG);
    await chmod(join(bin, 'vng'), 0o755);
    process.env['PATH'] = `${bin}:${savedPath}`;
    process.env['FAKE_VNG_ARGS'] = join(bin, 'args');
  });
  afterEach(() => {
    process.env['PATH'] = savedPath;
  });

  it('is the engine picked when vng is on PATH', async () => {
    await expect(pickEngine(undefined, { PATH: bin })).resolves.toBe('vng');
    await expect(pickEngine(undefined, { PATH: '/nonexistent' })).resolves.toBe('qemu');
    await expect(pickEngine('docker')).rejects.toThrow('--engine must be one of vng, qemu, not "docker"');
  });

  it('passes the arguments and brings the exit status back through the shared run folder', async () => {
    const runsDir = join(bin, 'runs');
    const share = join(bin, 'share');
    await mkdir(share);
    const result = await runInVng({
      spec: debian61,
      command: { argv: ['sh', '-c', 'echo "$1" > out.txt; exit 5', 'sh', 'from the guest'], cwd: share, env: {} },
      machine,
      shares: [share],
      runsDir,
      timeoutSeconds: 30,
    });
    expect(result.exitCode).toBe(5);
    expect(await readFile(join(share, 'out.txt'), 'utf8')).toBe('from the guest\n');
    const args = (await readFile(join(bin, 'args'), 'utf8')).trimEnd().split('\n');
    expect(args.slice(0, 6)).toEqual(['--run', 'v6.1', '--cpus', '2', '--memory', '1024M']);
    expect(args).not.toContain('--disable-kvm');
    const rwdirs = args.flatMap((arg, index) => (arg === '--rwdir' ? [args[index + 1]] : []));
    expect(rwdirs).toHaveLength(2);
    expect(rwdirs[0]).toMatch(new RegExp(`^${runsDir}/6\\.1-`));
    expect(rwdirs[1]).toBe(share);
    expect(args.slice(-4)).toEqual(['--cwd', share, '--exec', `sh ${rwdirs[0]}/command.sh`]);
  });

  it('fails loudly when vng exits without the command having reported a status', async () => {
    await writeFile(join(bin, 'vng'), '#!/bin/sh\nexit 1\n');
    const run = runInVng({ spec: debian61, command: { argv: ['true'], cwd: '/', env: {} }, machine, shares: [], runsDir: join(bin, 'runs'), timeoutSeconds: 30 });
    await expect(run).rejects.toThrow('virtme-ng reported no exit status for the command (vng exited with 1)');
  });
});
