import { access, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractElfKernel } from './bzimage.ts';
import { packCpio } from './cpio.ts';
import { withFileLock } from './file-lock.ts';
import type { KernelSpec } from './kernel-matrix.ts';
import { GUEST_MODULES, indexModules, resolveLoadOrder, stageModules } from './kernel-modules.ts';
import { resolveKernel, type ResolvedKernel } from './kernel-sources.ts';

/** A kernel ready to boot with the QEMU engine. */
export interface PreparedKernel {
  id: string;
  /** The exact build, e.g. the Debian package name. */
  key: string;
  /** Uncompressed ELF kernel, booted through PVH. */
  elfKernel: string;
  /** busybox + the modules the init loads; the per-run init and command are appended to it. */
  baseInitramfs: string;
}

/** Static busybox from Debian's busybox-static package: the initramfs has no libc to link against. */
export const BUSYBOX = '/bin/busybox';

/**
 * Fetches and unpacks the kernel once per build into `<cacheRoot>/kernels/<id>/<key>/`, under a
 * per-id flock so that concurrent runs wait instead of colliding. A `ready` marker is written
 * last, so a run killed half-way leaves nothing that looks usable.
 */
export async function prepareKernel(spec: KernelSpec, cacheRoot: string, resolved?: ResolvedKernel): Promise<PreparedKernel> {
  const kernel = resolved ?? (await resolveKernel(spec));
  const directory = join(cacheRoot, 'kernels', spec.id, kernel.key);
  const prepared: PreparedKernel = {
    id: spec.id,
    key: kernel.key,
    elfKernel: join(directory, 'vmlinux'),
    baseInitramfs: join(directory, 'initramfs.cpio'),
  };
  const ready = join(directory, 'ready');
  return withFileLock(join(cacheRoot, 'kernels', `${spec.id}.lock`), async () => {
    if (await access(ready).then(() => true, () => false)) return prepared;
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory, { recursive: true });
    const workDir = await mkdtemp(join(cacheRoot, 'unpack-'));
    try {
      const unpacked = await kernel.unpack(workDir);
      await extractElfKernel(unpacked.bzImage, prepared.elfKernel);
      await buildBaseInitramfs(unpacked.modulesDir, join(workDir, 'initramfs'), prepared.baseInitramfs);
      await writeFile(ready, `${new Date().toISOString()}\n`);
    } finally {
      // The unpacked package is hundreds of MB; only the ELF kernel and the initramfs are kept.
      await rm(workDir, { recursive: true, force: true });
    }
    return prepared;
  });
}

async function buildBaseInitramfs(modulesDir: string, stagingDir: string, archivePath: string): Promise<void> {
  for (const folder of ['bin', 'modules', 'proc', 'sys', 'dev', 'run']) await mkdir(join(stagingDir, folder), { recursive: true });
  await copyFile(BUSYBOX, join(stagingDir, 'bin', 'busybox'));
  const index = await indexModules(modulesDir);
  const order = await resolveLoadOrder(GUEST_MODULES, index);
  await stageModules(order, index, join(stagingDir, 'modules'));
  await packCpio(stagingDir, archivePath);
}
