import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { indexModules, moduleName, resolveLoadOrder, stageModules, type ModuleIndex } from './kernel-modules.ts';

describe('moduleName', () => {
  it('strips the path and compression suffix and treats - as _', () => {
    expect(moduleName('kernel/net/9p/9pnet-virtio.ko.xz')).toBe('9pnet_virtio');
    expect(moduleName('overlay')).toBe('overlay');
  });
});

describe('resolveLoadOrder', () => {
  // Dependencies as `modinfo -F depends` reports them for Debian 6.1 (checked on the real modules).
  const depends: Record<string, string[]> = {
    '/m/9p.ko': ['netfs', '9pnet'],
    '/m/9pnet_virtio.ko': ['virtio_ring', '9pnet', 'virtio'],
    '/m/virtio_pci.ko': ['virtio_ring', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio'],
  };
  const dependsOf = async (path: string) => depends[path] ?? [];
  const index = (names: string[], builtin: string[] = []): ModuleIndex => ({
    files: new Map(names.map((name) => [name, `/m/${name}.ko`])),
    builtin: new Set(builtin),
  });
  const all = ['9p', '9pnet_virtio', 'virtio_pci', 'netfs', '9pnet', 'virtio_ring', 'virtio', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'overlay'];

  it('puts every module after its dependencies, each once', async () => {
    const order = await resolveLoadOrder(['virtio_pci', '9pnet_virtio', '9p', 'overlay'], index(all), dependsOf);
    expect(new Set(order).size).toBe(order.length);
    for (const [path, dependencies] of Object.entries(depends)) {
      const module = moduleName(path);
      for (const dependency of dependencies) expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(module));
    }
    expect(order).toHaveLength(all.length);
  });

  it('leaves out built-in modules (virtio is built in on 6.12)', async () => {
    const order = await resolveLoadOrder(['virtio_pci', '9pnet_virtio'], index(['9pnet_virtio', '9pnet'], ['virtio_pci', 'virtio', 'virtio_ring']), dependsOf);
    expect(order).toEqual(['9pnet', '9pnet_virtio']);
  });

  it('names a module that is missing and what needed it', async () => {
    await expect(resolveLoadOrder(['9p'], index(['9p', 'netfs']), dependsOf)).rejects.toThrow('kernel module 9pnet (needed by 9p) is neither shipped as a file nor built in');
  });
});

describe('indexModules + stageModules', () => {
  it('finds .ko and .ko.xz files and stages them uncompressed with a load order', async () => {
    const root = await mkdtemp(join(tmpdir(), 'modules-'));
    await mkdir(join(root, 'kernel', 'fs', 'overlayfs'), { recursive: true });
    await mkdir(join(root, 'kernel', 'net', '9p'), { recursive: true });
    await writeFile(join(root, 'kernel', 'fs', 'overlayfs', 'overlay.ko'), 'overlay module');
    await execa('sh', ['-c', `printf '9p module' | xz -c > ${join(root, 'kernel', 'net', '9p', '9pnet.ko.xz')}`]);
    await writeFile(join(root, 'modules.builtin'), 'kernel/drivers/virtio/virtio.ko\n');
    const index = await indexModules(root);
    expect([...index.files.keys()].sort()).toEqual(['9pnet', 'overlay']);
    expect(index.builtin.has('virtio')).toBe(true);
    const staged = await mkdtemp(join(tmpdir(), 'staged-'));
    await stageModules(['9pnet', 'overlay'], index, staged);
    expect(await readFile(join(staged, '9pnet.ko'), 'utf8')).toBe('9p module');
    expect(await readFile(join(staged, 'overlay.ko'), 'utf8')).toBe('overlay module');
    expect(await readFile(join(staged, 'load-order'), 'utf8')).toBe('9pnet.ko\noverlay.ko\n');
  });
});
