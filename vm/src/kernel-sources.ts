import { access, readdir, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { KernelSpec } from './kernel-matrix.ts';

/** A kernel that cannot be booted on this machine; the message says why. Never a silent pass. */
export class KernelUnavailableError extends Error {}

/** A kernel package unpacked on disk: the bzImage and the module tree that goes with it. */
export interface UnpackedKernel {
  bzImage: string;
  modulesDir: string;
}

/** A resolved kernel: `key` names the exact build (cache directory), `unpack` fetches it. */
export interface ResolvedKernel {
  key: string;
  unpack(workDir: string): Promise<UnpackedKernel>;
}

export const UBUNTU_MAINLINE_URL = 'https://kernel.ubuntu.com/mainline/';
const FETCH_TIMEOUT_MS = 20_000;

export async function resolveKernel(spec: KernelSpec): Promise<ResolvedKernel> {
  switch (spec.source.type) {
    case 'debian':
      return resolveDebianKernel(spec.source.package);
    case 'ubuntu-mainline':
      return resolveUbuntuMainlineKernel(spec.source.tag);
    case 'host':
      return resolveHostKernel(release());
  }
}

/** Picks the highest package name, comparing the numbers in it numerically (6.1.0-9 < 6.1.0-10). */
export function newestPackage(names: string[], pattern: RegExp): string | undefined {
  const collator = new Intl.Collator('en', { numeric: true });
  return names.filter((name) => pattern.test(name)).sort(collator.compare).at(-1);
}

async function resolveDebianKernel(pattern: RegExp): Promise<ResolvedKernel> {
  const { stdout } = await execa('apt-cache', ['pkgnames', 'linux-image-']);
  const name = newestPackage(stdout.split('\n'), pattern);
  if (!name) {
    throw new KernelUnavailableError(`no package matching /${pattern.source}/ in apt's lists (run apt-get update)`);
  }
  return {
    key: name,
    async unpack(workDir) {
      await execa('apt-get', ['download', '-q', name], { cwd: workDir });
      const deb = (await readdir(workDir)).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
      if (!deb) throw new KernelUnavailableError(`apt-get download ${name} produced no .deb`);
      return unpackDebs(workDir, [join(workDir, deb)]);
    },
  };
}

async function unpackDebs(workDir: string, debs: string[]): Promise<UnpackedKernel> {
  const root = join(workDir, 'root');
  for (const deb of debs) await execa('dpkg-deb', ['-x', deb, root]);
  const bzImage = (await readdir(join(root, 'boot'))).find((file) => file.startsWith('vmlinuz-'));
  if (!bzImage) throw new KernelUnavailableError(`${debs.join(', ')} holds no boot/vmlinuz-*`);
  const kernelRelease = bzImage.slice('vmlinuz-'.length);
  return { bzImage: join(root, 'boot', bzImage), modulesDir: join(root, 'lib', 'modules', kernelRelease) };
}

async function fetchText(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new KernelUnavailableError(`cannot fetch ${url}: ${cause}`);
  }
}

/** The newest stable release directory (`v6.17.8/`, never `-rc`) in Ubuntu's mainline index. */
export function latestStableTag(indexHtml: string): string | undefined {
  const tags = [...indexHtml.matchAll(/href="(v\d+\.\d+(?:\.\d+)?)\/"/g)].map((match) => match[1]!);
  const collator = new Intl.Collator('en', { numeric: true });
  return [...new Set(tags)].sort(collator.compare).at(-1);
}

/** The generic image and modules packages listed in a mainline build's `amd64/` directory. */
export function mainlinePackages(indexHtml: string): { image: string; modules: string } | undefined {
  const links = [...indexHtml.matchAll(/href="([^"/]+_amd64\.deb)"/g)].map((match) => match[1]!);
  const image = links.find((link) => /^linux-image-(unsigned-)?[^_]+-generic_/.test(link));
  const modules = links.find((link) => /^linux-modules-[^_]+-generic_/.test(link));
  return image && modules ? { image, modules } : undefined;
}

/** Resolves a mainline tag (or `latest`) the way virtme-ng's `--run <tag>` does, from Ubuntu's builds. */
export async function resolveMainlineTag(tag: string): Promise<string> {
  if (tag !== 'latest') return tag;
  const resolved = latestStableTag(await fetchText(UBUNTU_MAINLINE_URL));
  if (!resolved) throw new KernelUnavailableError(`no stable release listed at ${UBUNTU_MAINLINE_URL}`);
  return resolved;
}

async function resolveUbuntuMainlineKernel(tag: string): Promise<ResolvedKernel> {
  const directory = `${UBUNTU_MAINLINE_URL}${await resolveMainlineTag(tag)}/amd64/`;
  const packages = mainlinePackages(await fetchText(directory));
  if (!packages) throw new KernelUnavailableError(`no generic linux-image/linux-modules .deb listed at ${directory}`);
  return {
    key: packages.image.replace(/\.deb$/, ''),
    async unpack(workDir) {
      const debs: string[] = [];
      for (const file of [packages.image, packages.modules]) {
        const response = await fetch(directory + file, { signal: AbortSignal.timeout(10 * FETCH_TIMEOUT_MS) });
        if (!response.ok) throw new KernelUnavailableError(`cannot fetch ${directory}${file}: HTTP ${response.status}`);
        const path = join(workDir, file);
        await writeFile(path, Buffer.from(await response.arrayBuffer()));
        debs.push(path);
      }
      return unpackDebs(workDir, debs);
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function resolveHostKernel(kernelRelease: string): Promise<ResolvedKernel> {
  const candidates = [`/boot/vmlinuz-${kernelRelease}`, `/lib/modules/${kernelRelease}/vmlinuz`];
  let bzImage: string | undefined;
  for (const candidate of candidates) if (!bzImage && (await exists(candidate))) bzImage = candidate;
  if (!bzImage) {
    throw new KernelUnavailableError(
      `no bootable image of the running kernel ${kernelRelease}: neither ${candidates.join(' nor ')} exists ` +
        '(the machine is booted by its hypervisor from a kernel kept outside it)',
    );
  }
  const image = bzImage;
  return { key: kernelRelease, unpack: async () => ({ bzImage: image, modulesDir: `/lib/modules/${kernelRelease}` }) };
}
