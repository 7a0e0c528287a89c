import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { MachineShape, GuestResult } from './qemu-engine.ts';
import { guestCommandScript, parseGuestStatus, type GuestCommand } from './guest-command.ts';
import type { KernelSpec } from './kernel-matrix.ts';
import { resolveMainlineTag } from './kernel-sources.ts';

/**
 * The kernel virtme-ng should boot: its `--run` takes a release tag and fetches Ubuntu's prebuilt
 * mainline kernel for it; without a value it boots the host kernel. Debian entries map to the
 * upstream release of the same series, which is what virtme-ng can fetch.
 */
export async function vngKernelReference(spec: KernelSpec): Promise<string | undefined> {
  switch (spec.source.type) {
    case 'host':
      return undefined;
    case 'debian':
      return `v${spec.version}`;
    case 'ubuntu-mainline':
      return resolveMainlineTag(spec.source.tag);
  }
}

export function vngArguments(kernelReference: string | undefined, machine: MachineShape, shares: string[], cwd: string, scriptPath: string): string[] {
  return [
    '--run', ...(kernelReference ? [kernelReference] : []),
    '--cpus', String(machine.cpus),
    '--memory', `${machine.memoryMiB}M`,
    ...(machine.accelerator === 'tcg' ? ['--disable-kvm'] : []),
    ...shares.flatMap((share) => ['--rwdir', share]),
    '--cwd', cwd,
    '--exec', `sh ${scriptPath}`,
  ];
}

export interface VngRun {
  spec: KernelSpec;
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
export async function runInVng(run: VngRun): Promise<GuestResult> {
  await mkdir(run.runsDir, { recursive: true });
  const runDir = await mkdtemp(join(run.runsDir, `${run.spec.id}-`));
  const scriptPath = join(runDir, 'command.sh');
  const statusFile = join(runDir, 'status');
  try {
    await writeFile(scriptPath, guestCommandScript({ ...run.command, statusFile, mountKernelFilesystems: true }));
    const started = performance.now();
    const args = vngArguments(await vngKernelReference(run.spec), run.machine, [runDir, ...run.shares], run.command.cwd, scriptPath);
    const vng = await execa('vng', args, { stdin: 'ignore', stdout: 'inherit', stderr: 'inherit', reject: false, timeout: run.timeoutSeconds * 1000 });
    const totalSeconds = (performance.now() - started) / 1000;
    const { exitCode } = parseGuestStatus(await readFile(statusFile, 'utf8').catch(() => ''));
    if (exitCode === undefined) {
      throw new Error(`virtme-ng reported no exit status for the command (vng exited with ${vng.exitCode ?? vng.signal})`);
    }
    return { exitCode, totalSeconds };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}
