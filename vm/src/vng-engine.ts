import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { MachineShape, GuestResult } from './qemu-engine.ts';
import { guestCommandScript, parseGuestStatus, type GuestCommand } from './guest-command.ts';
import { findOnPath } from './find-on-path.ts';
import { followFile } from './output-file.ts';
import { prepareKernel } from './kernel-cache.ts';
import type { KernelSpec } from './kernel-matrix.ts';
import { resolveMainlineTag } from './kernel-sources.ts';

/** Where scripts/setup.sh unpacks Debian's virtme-ng (install-virtme-ng.ts); used when `vng` is not on PATH. */
export const UNPACKED_VNG = '/opt/virtme-ng/bin/vng';

/** The vng to run: the one on PATH, else the unpacked one setup installs. */
export async function vngProgram(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return (await findOnPath('vng', env)) ?? UNPACKED_VNG;
}

/**
 * The kernel virtme-ng should boot. Debian entries boot the very build the QEMU engine boots: the
 * cache keeps its bzImage as `<root>/boot/vmlinuz-<release>` beside `<root>/lib/modules/<release>`
 * (with a modules.dep), the layout from which vng takes the 9p/virtio modules into its initramfs and
 * links the module tree into the guest. Ubuntu mainline entries are tags that vng fetches itself;
 * the host kernel is `--run` without a value.
 */
export async function vngKernelReference(spec: KernelSpec, cacheRoot: string): Promise<{ reference?: string; kernelBuild?: string }> {
  switch (spec.source.type) {
    case 'host':
      return {};
    case 'debian': {
      const kernel = await prepareKernel(spec, cacheRoot);
      return { reference: kernel.bzImage, kernelBuild: kernel.key };
    }
    case 'ubuntu-mainline':
      return { reference: await resolveMainlineTag(spec.source.tag) };
  }
}

export function vngArguments(kernelReference: string | undefined, machine: MachineShape, shares: string[], cwd: string, scriptPath: string): string[] {
  return [
    '--run', ...(kernelReference ? [kernelReference] : []),
    '--cpus', String(machine.cpus),
    '--memory', `${machine.memoryMiB}M`,
    ...(machine.accelerator === 'tcg' ? ['--disable-kvm'] : []),
    // The working directory gets a throwaway overlay, like the QEMU engine's whole root: vng itself
    // overlays only /etc, /usr, /var, /tmp and the like, and the command may write where it runs.
    ...(cwd === '/' ? [] : ['--overlay-rwdir', cwd]),
    ...shares.flatMap((share) => ['--rwdir', share]),
    '--cwd', cwd,
    '--exec', `sh ${scriptPath}`,
  ];
}

export interface VngRun {
  spec: KernelSpec;
  cacheRoot: string;
  command: GuestCommand;
  machine: MachineShape;
  shares: string[];
  runsDir: string;
  timeoutSeconds: number;
}

/**
 * Runs the command under virtme-ng. The script lives in a run folder under the repository (which
 * virtme-ng shares into the guest) and that folder is shared writable, so the script can write the
 * exit status back explicitly instead of trusting vng's own exit code.
 */
export async function runInVng(run: VngRun): Promise<GuestResult & { kernelBuild?: string }> {
  await mkdir(run.runsDir, { recursive: true });
  const runDir = await mkdtemp(join(run.runsDir, `${run.spec.id}-`));
  const scriptPath = join(runDir, 'command.sh');
  const statusFile = join(runDir, 'status');
  try {
    const outputFiles = { stdout: join(runDir, 'stdout'), stderr: join(runDir, 'stderr') };
    await writeFile(scriptPath, guestCommandScript({ ...run.command, statusFile, outputFiles, mountKernelFilesystems: true }));
    const kernel = await vngKernelReference(run.spec, run.cacheRoot);
    const started = performance.now();
    const args = vngArguments(kernel.reference, run.machine, [runDir, ...run.shares], run.command.cwd, scriptPath);
    const followers = [followFile(outputFiles.stdout, process.stdout), followFile(outputFiles.stderr, process.stderr)];
    // vng's own output (boot warnings, the guest console in console-fallback mode) is not the command's: kept for errors only.
    const vng = await execa(await vngProgram(), args, { stdin: 'ignore', all: true, reject: false, timeout: run.timeoutSeconds * 1000 });
    await Promise.all(followers.map((follower) => follower.stop()));
    const totalSeconds = (performance.now() - started) / 1000;
    const { exitCode, bootSeconds } = parseGuestStatus(await readFile(statusFile, 'utf8').catch(() => ''));
    if (exitCode === undefined) {
      const why = vng.timedOut ? `timed out after ${run.timeoutSeconds} s` : `vng exited with ${vng.exitCode ?? vng.signal}`;
      const lastLines = (vng.all ?? '').split('\n').slice(-25).join('\n');
      throw new Error(`virtme-ng reported no exit status for the command (${why}); last lines of its output:\n${lastLines}`);
    }
    return { exitCode, totalSeconds, ...(bootSeconds === undefined ? {} : { bootSeconds }), ...(kernel.kernelBuild ? { kernelBuild: kernel.kernelBuild } : {}) };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}
