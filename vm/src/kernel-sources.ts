import { access, readdir, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { debianApt, splitKernelPackages } from './debian-apt.ts';
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

export async function resolveKernel(spec: KernelSpec, cacheRoot: string): Promise<ResolvedKernel> {
  switch (spec.source.type) {
    case 'debian':
      return resolveDebianKernel(spec.source.package, cacheRoot);
    case 'ubuntu-mainline':
      return resolveUbuntuMainlineKernel(spec.source.tag);
    case 'host':
      return resolveHostKernel(release());
  }
}

/** Newest first, comparing the numbers in package names numerically. */
export function newestFirst(names: string[], pattern: RegExp): string[] {
  const collator = new Intl.Collator('en', { numeric: true });
  return names.filter((name) => pattern.test(name)).sort(collator.compare).reverse();
}

async function resolveDebianKernel(pattern: RegExp, cacheRoot: string): Promise<ResolvedKernel> {
  const apt = await debianApt(cacheRoot);
  // pkgnames also lists names that are only referenced (no version in any suite): take the newest real one.
  for (const name of newestFirst((await apt.cache(['pkgnames', 'linux-image-'])).split('\n'), pattern)) {
    const record = await apt.cache(['show', '--no-all-versions', name]).catch(() => '');
    const version = /^Version: (.+)$/m.exec(record)?.[1];
    if (!version) continue;
    const packages = [`${name}=${version}`, ...splitKernelPackages(/^Depends: (.+)$/m.exec(record)?.[1] ?? '').map((dependency) => `${dependency}=${version}`)];
    return {
      key: `${name}_${version}`,
      async unpack(workDir) {
        await apt.download(packages, workDir);
        const debs = (await readdir(workDir)).filter((file) => file.endsWith('.deb')).map((file) => join(workDir, file));
        if (debs.length !== packages.length) throw new KernelUnavailableError(`apt-get download ${packages.join(' ')} produced ${debs.length} .deb files`);
        return unpackDebs(workDir, debs);
      },
    };
  }
  throw new KernelUnavailableError(`no package matching /${pattern.source}/ in the Debian suites ${cacheRoot}/apt/sources.list lists`);
}

/**
 * Where a kernel package keeps its image and modules: the image in `/boot/vmlinuz-<release>` (up to
 * 6.18) or `/usr/lib/modules/<release>/vmlinuz` (6.19+), the modules in `/lib/modules/<release>` (up to
 * 6.12) or `/usr/lib/modules/<release>` (trixie's merged /usr, 6.16+).
 */
export function kernelLayout(root: string, bootFiles: string[], libModuleReleases: string[], usrModuleReleases: string[]): UnpackedKernel | undefined {
  const bootImage = bootFiles.find((file) => file.startsWith('vmlinuz-'));
  const kernelRelease = bootImage?.slice('vmlinuz-'.length) ?? usrModuleReleases[0];
  if (!kernelRelease) return undefined;
  const modulesDir = libModuleReleases.includes(kernelRelease) ? join(root, 'lib', 'modules', kernelRelease) : join(root, 'usr', 'lib', 'modules', kernelRelease);
  return { bzImage: bootImage ? join(root, 'boot', bootImage) : join(modulesDir, 'vmlinuz'), modulesDir };
}

async function unpackDebs(workDir: string, debs: string[]): Promise<UnpackedKernel> {
  const root = join(workDir, 'root');
  for (const deb of debs) await execa('dpkg-deb', ['-x', deb, root]);
  const list = (folder: string) => readdir(join(root, folder)).catch(() => [] as string[]);
  const layout = kernelLayout(root, await list('boot'), await list('lib/modules'), await list('usr/lib/modules'));
  if (!layout || !(await exists(layout.bzImage)) || !(await exists(layout.modulesDir))) {
    throw new KernelUnavailableError(`${debs.join(', ')} holds no boot/vmlinuz-* or usr/lib/modules/*/vmlinuz with its modules`);
  }
  return layout;
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
