import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
  /**
   * The package's bzImage, for virtme-ng: kept as `<modulesRoot>/boot/vmlinuz-<release>` beside
   * `<modulesRoot>/lib/modules/<release>`, the layout in which vng finds a kernel's modules by itself.
   */
  bzImage: string;
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
const CACHE_LAYOUT = 'layout 3';

/** Static busybox from Debian's busybox-static package: the initramfs has no libc to link against. */
export const BUSYBOX = '/bin/busybox';

/**
 * Fetches and unpacks the kernel once per build into `<cacheRoot>/kernels/<id>/<key>/`, under a
 * per-id flock so that concurrent runs wait instead of colliding. A `ready` marker is written
 * last, so a run killed half-way leaves nothing that looks usable.
 */
export async function prepareKernel(spec: KernelSpec, cacheRoot: string, resolved?: ResolvedKernel): Promise<PreparedKernel> {
  const kernel = resolved ?? (await resolveKernel(spec, cacheRoot));
  const directory = join(cacheRoot, 'kernels', spec.id, kernel.key);
  const base = { id: spec.id, key: kernel.key, elfKernel: join(directory, 'vmlinux'), baseInitramfs: join(directory, 'initramfs.cpio') };
  // The marker's lines: layout, bzImage, modules root (empty for the host kernel), time.
  const fromMarker = (marker: string): PreparedKernel => {
    const [, bzImage, modulesRoot] = marker.split('\n');
    return { ...base, bzImage: bzImage!, ...(modulesRoot ? { modulesRoot } : {}) };
  };
  const ready = join(directory, 'ready');
  return withFileLock(join(cacheRoot, 'kernels', `${spec.id}.lock`), async () => {
    const marker = await readFile(ready, 'utf8').catch(() => '');
    if (marker.startsWith(CACHE_LAYOUT)) return fromMarker(marker);
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory, { recursive: true });
    const workDir = await mkdtemp(join(cacheRoot, 'unpack-'));
    try {
      const unpacked = await kernel.unpack(workDir);
      await extractElfKernel(unpacked.bzImage, base.elfKernel);
      await buildBaseInitramfs(unpacked.modulesDir, join(workDir, 'initramfs'), base.baseInitramfs);
      let bzImage = unpacked.bzImage;
      let modulesRoot = '';
      if (unpacked.modulesDir.startsWith(workDir)) {
        modulesRoot = join(directory, 'modules');
        bzImage = join(modulesRoot, 'boot', `vmlinuz-${basename(unpacked.modulesDir)}`);
        await mkdir(dirname(bzImage), { recursive: true });
        await copyFile(unpacked.bzImage, bzImage);
        await keepModuleTree(unpacked.modulesDir, modulesRoot);
      }
      const text = `${CACHE_LAYOUT}\n${bzImage}\n${modulesRoot}\n${new Date().toISOString()}\n`;
      await writeFile(ready, text);
      return fromMarker(text);
    } finally {
      // The rest of the unpacked package (docs, headers) is not needed again.
      await rm(workDir, { recursive: true, force: true });
    }
  });
}

/** Moves the package's module tree into the cache and runs depmod, which Debian's postinst would have run. */
async function keepModuleTree(modulesDir: string, modulesRoot: string): Promise<void> {
  const release = basename(modulesDir);
  await mkdir(join(modulesRoot, 'lib', 'modules'), { recursive: true });
  await rename(modulesDir, join(modulesRoot, 'lib', 'modules', release));
  await execa('depmod', ['-b', modulesRoot, release]);
}

async function buildBaseInitramfs(modulesDir: string, stagingDir: string, archivePath: string): Promise<void> {
  for (const folder of ['bin', 'modules', 'proc', 'sys', 'dev', 'run']) await mkdir(join(stagingDir, folder), { recursive: true });
  await copyFile(BUSYBOX, join(stagingDir, 'bin', 'busybox'));
  const index = await indexModules(modulesDir);
  const order = await resolveLoadOrder(GUEST_MODULES, index);
  await stageModules(order, index, join(stagingDir, 'modules'));
  await packCpio(stagingDir, archivePath);
}
