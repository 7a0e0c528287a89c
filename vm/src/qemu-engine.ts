import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Accelerator } from './accelerator.ts';
import { packCpio } from './cpio.ts';
import { guestCommandScript, parseGuestStatus, type GuestCommand } from './guest-command.ts';
import type { PreparedKernel } from './kernel-cache.ts';
import { forwardSocketOutput } from './output-socket.ts';

const GUEST_INIT = fileURLToPath(new URL('../guest/init.sh', import.meta.url));

export interface MachineShape {
  cpus: number;
  memoryMiB: number;
  accelerator: Accelerator;
}

export interface QemuPaths {
  elfKernel: string;
  initramfs: string;
  consoleLog: string;
  statusFile: string;
  stdoutSocket: string;
  stderrSocket: string;
}

/** The guest died before the command started (kernel panic, init failure): worth one more boot. */
export class GuestBootError extends Error {}

export interface GuestResult {
  exitCode: number;
  /** Guest uptime when the command started, i.e. kernel boot + init (absent if the guest died first). */
  bootSeconds?: number;
  /** Wall time from QEMU start to QEMU exit. */
  totalSeconds: number;
}

/**
 * QEMU's command line. Four serial ports, each a byte-exact channel (see guest/init.sh): console log,
 * command stdout and stderr (UNIX sockets this process listens on, so output streams live), exit
 * status. The host root is shared read-only over 9p; writable shares follow as share0, share1, ...
 */
export function qemuArguments(machine: MachineShape, paths: QemuPaths, shares: string[]): string[] {
  const accel = machine.accelerator === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg', '-cpu', 'max'];
  const serial = (id: string, backend: string) => ['-chardev', `${backend},id=${id}`, '-serial', `chardev:${id}`];
  return [
    ...accel,
    '-machine', 'pc',
    '-smp', String(machine.cpus),
    '-m', `${machine.memoryMiB}M`,
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-kernel', paths.elfKernel,
    '-initrd', paths.initramfs,
    '-append', 'console=ttyS0 panic=-1 loglevel=4',
    ...serial('console', `file,path=${paths.consoleLog}`),
    ...serial('stdout', `socket,path=${paths.stdoutSocket},server=off`),
    ...serial('stderr', `socket,path=${paths.stderrSocket},server=off`),
    ...serial('status', `file,path=${paths.statusFile}`),
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    ...shares.flatMap((share, index) => ['-virtfs', `local,path=${share},mount_tag=share${index},security_model=none,multidevs=remap`]),
  ];
}

export interface QemuRun {
  kernel: PreparedKernel;
  command: GuestCommand;
  machine: MachineShape;
  shares: string[];
  runsDir: string;
  timeoutSeconds: number;
}

/** Boots the prepared kernel, runs the command in the guest and returns its exit status. */
export async function runInQemu(run: QemuRun): Promise<GuestResult> {
  await mkdir(run.runsDir, { recursive: true });
  const runDir = await mkdtemp(join(run.runsDir, `${run.kernel.id}-`));
  const paths: QemuPaths = {
    elfKernel: run.kernel.elfKernel,
    initramfs: join(runDir, 'initramfs.cpio'),
    consoleLog: join(runDir, 'console.log'),
    statusFile: join(runDir, 'status'),
    stdoutSocket: join(runDir, 'stdout.sock'),
    stderrSocket: join(runDir, 'stderr.sock'),
  };
  try {
    await writeInitramfs(run, runDir, paths.initramfs);
    const started = performance.now();
    const outputs = [await forwardSocketOutput(paths.stdoutSocket, process.stdout), await forwardSocketOutput(paths.stderrSocket, process.stderr)];
    const qemu = await execa('qemu-system-x86_64', qemuArguments(run.machine, paths, run.shares), {
      stdin: 'ignore',
      stdout: 'inherit',
      stderr: 'inherit',
      reject: false,
      timeout: run.timeoutSeconds * 1000,
    });
    await Promise.all(outputs.map((output) => output.drain()));
    const totalSeconds = (performance.now() - started) / 1000;
    const status = parseGuestStatus(await readFile(paths.statusFile, 'utf8').catch(() => ''));
    if (status.exitCode === undefined) {
      const why = qemu.timedOut ? `timed out after ${run.timeoutSeconds} s` : `QEMU exited with ${qemu.exitCode ?? qemu.signal}`;
      const console = await readFile(paths.consoleLog, 'utf8').catch(() => '');
      const message = `the guest reported no exit status (${why}); last console lines:\n${console.split('\n').slice(-25).join('\n')}`;
      throw status.bootSeconds === undefined && !qemu.timedOut ? new GuestBootError(message) : new Error(message);
    }
    return { exitCode: status.exitCode, totalSeconds, ...(status.bootSeconds === undefined ? {} : { bootSeconds: status.bootSeconds }) };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

/** The cached base archive with a second cpio appended: the init, the command, the share list and where the module tree is. */
async function writeInitramfs(run: QemuRun, runDir: string, initramfsPath: string): Promise<void> {
  const staging = join(runDir, 'overlay');
  await mkdir(join(staging, 'run'), { recursive: true });
  await writeFile(join(staging, 'init'), await readFile(GUEST_INIT), { mode: 0o755 });
  await writeFile(join(staging, 'run', 'command.sh'), guestCommandScript(run.command));
  await writeFile(join(staging, 'run', 'shares'), run.shares.map((share) => `${share}\n`).join(''));
  await writeFile(join(staging, 'run', 'modules-root'), run.kernel.modulesRoot ?? '');
  const overlayArchive = join(runDir, 'overlay.cpio');
  await packCpio(staging, overlayArchive);
  // The kernel unpacks concatenated cpio archives in order; later files win.
  await writeFile(initramfsPath, Buffer.concat([await readFile(run.kernel.baseInitramfs), await readFile(overlayArchive)]));
}
