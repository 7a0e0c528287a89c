import { describe, expect, it } from 'vitest';
import { qemuArguments } from './qemu-engine.ts';

const paths = { elfKernel: '/c/vmlinux', initramfs: '/r/initramfs.cpio', consoleLog: '/r/console.log', statusFile: '/r/status', stdoutSocket: '/r/o.sock', stderrSocket: '/r/e.sock' };

describe('qemuArguments', () => {
  const args = qemuArguments({ cpus: 2, memoryMiB: 1024, accelerator: 'tcg' }, paths, ['/work/out', '/tmp/x']);
  const values = (flag: string) => args.flatMap((arg, index) => (arg === flag ? [args[index + 1]] : []));

  it('boots the ELF kernel with the run initramfs, without reboot or devices we did not ask for', () => {
    expect(values('-kernel')).toEqual(['/c/vmlinux']);
    expect(values('-initrd')).toEqual(['/r/initramfs.cpio']);
    expect(args).toEqual(expect.arrayContaining(['-nodefaults', '-no-reboot', '-smp', '2', '-m', '1024M']));
    expect(values('-accel')).toEqual(['tcg']);
  });

  it('wires the four serial ports in the order the guest init expects', () => {
    expect(values('-serial')).toEqual(['chardev:console', 'chardev:stdout', 'chardev:stderr', 'chardev:status']);
    expect(values('-chardev')).toEqual([
      'file,path=/r/console.log,id=console',
      'socket,path=/r/o.sock,server=off,id=stdout',
      'socket,path=/r/e.sock,server=off,id=stderr',
      'file,path=/r/status,id=status',
    ]);
  });

  it('shares the host root read-only and each writable share under its own tag', () => {
    expect(values('-virtfs')).toEqual([
      'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
      'local,path=/work/out,mount_tag=share0,security_model=none,multidevs=remap',
      'local,path=/tmp/x,mount_tag=share1,security_model=none,multidevs=remap',
    ]);
  });

  it('uses KVM with the host CPU when asked', () => {
    const kvm = qemuArguments({ cpus: 1, memoryMiB: 512, accelerator: 'kvm' }, paths, []);
    expect(kvm.slice(0, 4)).toEqual(['-accel', 'kvm', '-cpu', 'host']);
  });
});
