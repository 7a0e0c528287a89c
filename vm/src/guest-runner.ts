import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectAccelerator } from './accelerator.ts';
import { findOnPath } from './find-on-path.ts';
import type { GuestCommand } from './guest-command.ts';
import { prepareKernel } from './kernel-cache.ts';
import type { KernelSpec } from './kernel-matrix.ts';
import { GuestBootError, runInQemu, type GuestResult } from './qemu-engine.ts';
import { runInVng } from './vng-engine.ts';

export type EngineName = 'vng' | 'qemu';
export const ENGINES: readonly EngineName[] = ['vng', 'qemu'];

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const KERNELS_FILE = join(REPO_ROOT, 'vm', 'kernels.yaml');

/** `.vm-cache/` in the repository (git-ignored); VM_CACHE_DIR moves it, e.g. onto a CI cache volume. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env['VM_CACHE_DIR'] || join(REPO_ROOT, '.vm-cache');
}

/** virtme-ng when `vng` is installed (the maintained tool, fast with KVM); our QEMU launcher otherwise. */
export async function pickEngine(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<EngineName> {
  if (requested !== undefined) {
    if (!(ENGINES as readonly string[]).includes(requested)) throw new Error(`--engine must be one of ${ENGINES.join(', ')}, not "${requested}"`);
    return requested as EngineName;
  }
  return (await findOnPath('vng', env)) ? 'vng' : 'qemu';
}

export interface GuestRunOptions {
  spec: KernelSpec;
  engine: EngineName;
  command: GuestCommand;
  /** Host folders the guest may write to, mounted at the same path. */
  shares: string[];
  cpus: number;
  memoryMiB: number;
  timeoutSeconds: number;
}

export interface GuestRunResult extends GuestResult {
  engine: EngineName;
  accelerator: string;
  /** The exact kernel build booted (Debian entries, both engines), e.g. `linux-image-6.1.0-56-amd64_6.1.158-1`. */
  kernelBuild?: string;
}

/** Boots `spec` with the chosen engine and runs one command in it. */
export async function runInGuest(options: GuestRunOptions): Promise<GuestRunResult> {
  const accelerator = await detectAccelerator();
  const machine = { cpus: options.cpus, memoryMiB: options.memoryMiB, accelerator };
  const runsDir = join(cacheRoot(), 'runs');
  if (options.engine === 'vng') {
    const result = await runInVng({ spec: options.spec, cacheRoot: cacheRoot(), command: options.command, machine, shares: options.shares, runsDir, timeoutSeconds: options.timeoutSeconds });
    return { ...result, engine: 'vng', accelerator };
  }
  const kernel = await prepareKernel(options.spec, cacheRoot());
  const run = () => runInQemu({ kernel, command: options.command, machine, shares: options.shares, runsDir, timeoutSeconds: options.timeoutSeconds });
  const result = await run().catch((error: unknown) => {
    // A 6.12 guest once panicked in enqueue_timer at 4 s of boot under TCG on a heavily loaded host
    // and booted fine on every try after: a boot that dies before the command starts gets one retry.
    if (!(error instanceof GuestBootError)) throw error;
    process.stderr.write(`vm: kernel ${options.spec.id} died while booting, booting once more: ${error.message.split('\n')[0]}\n`);
    return run();
  });
  return { ...result, engine: 'qemu', accelerator, kernelBuild: kernel.key };
}
