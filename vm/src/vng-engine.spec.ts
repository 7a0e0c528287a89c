import { describe, expect, it } from 'vitest';
import { pickEngine } from './guest-runner.ts';
import type { KernelSpec } from './kernel-matrix.ts';
import { UNPACKED_VNG, vngArguments, vngKernelReference, vngProgram } from './vng-engine.ts';

// Real boots under virtme-ng are in run.e2e.ts and matrix.e2e.ts; these check the pure mapping only.
const machine = { cpus: 2, memoryMiB: 1024, accelerator: 'kvm' as const };
const host: KernelSpec = { id: 'host', version: 'host', arch: 'x86_64', source: { type: 'host' } };

describe('vngArguments', () => {
  it('maps machine, shares, working directory (with a throwaway overlay) and command onto vng flags', () => {
    expect(vngArguments('/c/boot/vmlinuz-6.1.0-1-amd64', { ...machine, accelerator: 'tcg' }, ['/out'], '/work', '/run/c.sh')).toEqual([
      '--run', '/c/boot/vmlinuz-6.1.0-1-amd64', '--cpus', '2', '--memory', '1024M', '--disable-kvm',
      '--overlay-rwdir', '/work', '--rwdir', '/out', '--cwd', '/work', '--exec', 'sh /run/c.sh',
    ]);
  });

  it('boots the host kernel with a bare --run, with KVM, and never overlays the whole root', () => {
    const args = vngArguments(undefined, machine, [], '/', '/c.sh');
    expect(args.slice(0, 2)).toEqual(['--run', '--cpus']);
    expect(args).not.toContain('--disable-kvm');
    expect(args).not.toContain('--overlay-rwdir');
  });

  it('asks virtme-ng for the host kernel with no value and for Ubuntu mainline builds by tag', async () => {
    await expect(vngKernelReference(host, '/nonexistent')).resolves.toEqual({});
    await expect(vngKernelReference({ ...host, source: { type: 'ubuntu-mainline', tag: 'v5.15' } }, '/nonexistent')).resolves.toEqual({ reference: 'v5.15' });
  });
});

describe('finding vng', () => {
  it('is the engine picked by default only when vng is on PATH', async () => {
    await expect(pickEngine(undefined, { PATH: '/opt/virtme-ng/bin' })).resolves.toBe('vng');
    await expect(pickEngine(undefined, { PATH: '/nonexistent' })).resolves.toBe('qemu');
    await expect(pickEngine('docker')).rejects.toThrow('--engine must be one of vng, qemu, not "docker"');
  });

  it('runs the vng on PATH, else the one scripts/setup.sh unpacks', async () => {
    await expect(vngProgram({ PATH: '/opt/virtme-ng/bin' })).resolves.toBe('/opt/virtme-ng/bin/vng');
    await expect(vngProgram({ PATH: '/nonexistent' })).resolves.toBe(UNPACKED_VNG);
  });
});
