import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
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
  /**
   * Folder holding `lib/modules/<release>` with a modules.dep, bound over /lib/modules in the guest so
   * that `modprobe` works there (examples load loop, ext4, ...). Absent when the modules already live
   * at /lib/modules on this machine (the host kernel).
   */
  modulesRoot?: string;
}

/** Bumped when the cache layout changes, so older entries are rebuilt instead of misread. */
const CACHE_LAYOUT = 'layout 2';

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
    const marker = await readFile(ready, 'utf8').catch(() => '');
    if (marker.startsWith(CACHE_LAYOUT)) {
      const modulesRoot = marker.split('\n')[1];
      return modulesRoot ? { ...prepared, modulesRoot } : prepared;
    }
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory, { recursive: true });
    const workDir = await mkdtemp(join(cacheRoot, 'unpack-'));
    try {
      const unpacked = await kernel.unpack(workDir);
      await extractElfKernel(unpacked.bzImage, prepared.elfKernel);
      await buildBaseInitramfs(unpacked.modulesDir, join(workDir, 'initramfs'), prepared.baseInitramfs);
      const modulesRoot = unpacked.modulesDir.startsWith(workDir) ? await keepModuleTree(unpacked.modulesDir, join(directory, 'modules')) : undefined;
      await writeFile(ready, `${CACHE_LAYOUT}\n${modulesRoot ?? ''}\n${new Date().toISOString()}\n`);
      return modulesRoot ? { ...prepared, modulesRoot } : prepared;
    } finally {
      // The rest of the unpacked package (docs, the bzImage) is not needed again.
      await rm(workDir, { recursive: true, force: true });
    }
  });
}

/** Moves the package's module tree into the cache and runs depmod, which Debian's postinst would have run. */
async function keepModuleTree(modulesDir: string, modulesRoot: string): Promise<string> {
  const release = basename(modulesDir);
  await mkdir(join(modulesRoot, 'lib', 'modules'), { recursive: true });
  await rename(modulesDir, join(modulesRoot, 'lib', 'modules', release));
  await execa('depmod', ['-b', modulesRoot, release]);
  return modulesRoot;
}

async function buildBaseInitramfs(modulesDir: string, stagingDir: string, archivePath: string): Promise<void> {
  for (const folder of ['bin', 'modules', 'proc', 'sys', 'dev', 'run']) await mkdir(join(stagingDir, folder), { recursive: true });
  await copyFile(BUSYBOX, join(stagingDir, 'bin', 'busybox'));
  const index = await indexModules(modulesDir);
  const order = await resolveLoadOrder(GUEST_MODULES, index);
  await stageModules(order, index, join(stagingDir, 'modules'));
  await packCpio(stagingDir, archivePath);
}
