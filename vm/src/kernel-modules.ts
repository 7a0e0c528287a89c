import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { filterFile } from './file-filter.ts';

/** What the QEMU engine's init needs: virtio PCI transport, the 9p share and the overlay root. */
export const GUEST_MODULES = ['virtio_pci', '9pnet_virtio', '9p', 'overlay'];

/** Module names are spelled with `-` or `_` interchangeably; the kernel treats them alike. */
export function moduleName(fileOrName: string): string {
  return basename(fileOrName).replace(/\.ko(\.(xz|zst|gz))?$/, '').replaceAll('-', '_');
}

export interface ModuleIndex {
  files: Map<string, string>;
  builtin: Set<string>;
}

/**
 * Indexes a kernel's module tree. Debian's kernel packages ship no modules.dep (depmod runs at
 * install time), so the index comes from the files themselves plus modules.builtin.
 */
export async function indexModules(modulesDir: string): Promise<ModuleIndex> {
  const files = new Map<string, string>();
  for (const entry of await readdir(join(modulesDir, 'kernel'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.ko(\.(xz|zst|gz))?$/.test(entry.name)) {
      files.set(moduleName(entry.name), join(entry.parentPath, entry.name));
    }
  }
  const builtinList = await readFile(join(modulesDir, 'modules.builtin'), 'utf8').catch(() => '');
  const builtin = new Set(builtinList.split('\n').filter(Boolean).map(moduleName));
  return { files, builtin };
}

export async function modinfoDepends(modulePath: string): Promise<string[]> {
  const { stdout } = await execa('modinfo', ['-F', 'depends', modulePath]);
  return stdout.split(',').map((name) => name.trim()).filter(Boolean);
}

/**
 * Orders the modules to insmod so that every module comes after its dependencies; built-in modules
 * are left out. Throws naming the module that the kernel has neither as a file nor built in.
 */
export async function resolveLoadOrder(
  wanted: string[],
  index: ModuleIndex,
  dependsOf: (modulePath: string) => Promise<string[]> = modinfoDepends,
): Promise<string[]> {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = async (rawName: string, neededBy: string | undefined): Promise<void> => {
    const name = moduleName(rawName);
    if (order.includes(name) || index.builtin.has(name) || visiting.has(name)) return;
    const path = index.files.get(name);
    if (!path) {
      const context = neededBy ? ` (needed by ${neededBy})` : '';
      throw new Error(`kernel module ${name}${context} is neither shipped as a file nor built in`);
    }
    visiting.add(name);
    for (const dependency of await dependsOf(path)) await visit(dependency, name);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of wanted) await visit(name, undefined);
  return order;
}

const DECOMPRESS: Record<string, [string, ...string[]]> = { '.xz': ['xz', '-dc'], '.zst': ['zstd', '-dc'], '.gz': ['gzip', '-dc'] };

/**
 * Copies the ordered modules into `destination` as plain `.ko` files (busybox insmod cannot read
 * compressed modules, and 6.12 ships `.ko.xz`) and writes the `load-order` list the init reads.
 */
export async function stageModules(order: string[], index: ModuleIndex, destination: string): Promise<void> {
  for (const name of order) {
    const source = index.files.get(name)!;
    const compression = Object.keys(DECOMPRESS).find((suffix) => source.endsWith(suffix));
    const target = join(destination, `${name}.ko`);
    if (compression) {
      const result = await filterFile(DECOMPRESS[compression]!, source, target);
      if (result.exitCode !== 0) throw new Error(`cannot decompress ${source}: ${String(result.stderr).trim()}`);
    } else {
      await copyFile(source, target);
    }
  }
  await writeFile(join(destination, 'load-order'), order.map((name) => `${name}.ko\n`).join(''));
}
