import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { withFileLock } from './file-lock.ts';

/**
 * Debian suites whose kernels the harness boots. The machine's own apt sources list only bookworm, but
 * the mirror serves every suite; a private apt state (its own sources.list, lists and cache folders)
 * reaches them without touching the machine's apt configuration or its package cache.
 */
export const DEBIAN_SUITES: { archive: 'debian' | 'debian-security'; suite: string }[] = [
  { archive: 'debian', suite: 'bullseye' }, // 5.10
  { archive: 'debian', suite: 'bookworm' }, // 6.1
  { archive: 'debian-security', suite: 'bookworm-security' }, // 6.1 and 6.12 (+deb12) security builds
  { archive: 'debian', suite: 'bookworm-backports' }, // 6.12 (+deb12)
  { archive: 'debian', suite: 'trixie' }, // 6.12 (+deb13), virtme-ng 1.35
  { archive: 'debian', suite: 'trixie-backports' }, // 6.16 … 7.3
  { archive: 'debian', suite: 'sid' }, // 7.2, virtme-ng 1.41
  { archive: 'debian', suite: 'experimental' }, // release candidates
];

/** Lists older than this are refreshed before a kernel is resolved (an `update` of all suites takes ~5 s). */
const LISTS_MAX_AGE_MS = 12 * 3600 * 1000;

/**
 * Debian's archive keys, named explicitly: on Debian apt trusts them anyway, on an Ubuntu CI runner
 * (package debian-archive-keyring) only a `signed-by` makes it verify Debian's suites with them.
 */
export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export function sourcesList(mirror: string): string {
  const base = mirror.replace(/\/debian\/?$/, '');
  return DEBIAN_SUITES.map(({ archive, suite }) => `deb [signed-by=${DEBIAN_KEYRING}] ${base}/${archive} ${suite} main\n`).join('');
}

/** The `-o` options that point apt-get/apt-cache at the private state in `directory`. */
export function aptOptions(directory: string): string[] {
  return [
    ['Dir::Etc::sourcelist', join(directory, 'sources.list')],
    ['Dir::Etc::sourceparts', '/dev/null'],
    ['Dir::State::Lists', join(directory, 'lists')],
    ['Dir::Cache', join(directory, 'cache')],
    // apt-get download as root writes into folders the _apt user cannot enter; nothing else runs here.
    ['APT::Sandbox::User', 'root'],
  ].flatMap(([name, value]) => ['-o', `${name}=${value}`]);
}

export interface DebianApt {
  /** apt-cache with the private state. */
  cache(args: string[]): Promise<string>;
  /** apt-get download into `directory`. */
  download(packages: string[], directory: string): Promise<void>;
}

/**
 * The private apt state under `<cacheRoot>/apt`, updated when its lists are missing or older than
 * LISTS_MAX_AGE_MS, under a lock so that parallel runs update it once. `VM_DEBIAN_MIRROR` picks
 * another mirror (default deb.debian.org).
 */
export async function debianApt(cacheRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<DebianApt> {
  const directory = join(cacheRoot, 'apt');
  const options = aptOptions(directory);
  await withFileLock(join(cacheRoot, 'apt.lock'), async () => {
    const stamp = join(directory, 'updated');
    const age = await stat(stamp).then((info) => Date.now() - info.mtimeMs, () => Infinity);
    if (age < LISTS_MAX_AGE_MS) return;
    await mkdir(join(directory, 'lists', 'partial'), { recursive: true });
    await mkdir(join(directory, 'cache', 'archives', 'partial'), { recursive: true });
    await writeFile(join(directory, 'sources.list'), sourcesList(env['VM_DEBIAN_MIRROR'] || 'http://deb.debian.org/debian'));
    const update = await execa('apt-get', [...options, '-q', 'update'], { reject: false });
    if (update.exitCode !== 0) throw new Error(`apt-get update (private state ${directory}) failed: ${update.stderr.trim().split('\n').at(-1)}`);
    await writeFile(stamp, `${new Date().toISOString()}\n`);
  });
  return {
    async cache(args) {
      return (await execa('apt-cache', [...options, ...args])).stdout;
    },
    async download(packages, workDir) {
      await execa('apt-get', [...options, '-q', 'download', ...packages], { cwd: workDir });
    },
  };
}

/**
 * From 6.19 on Debian's `linux-image-*` is a small package depending on `linux-binary-*` (the kernel),
 * `linux-modules-*` (the .ko files) and `linux-base-<release>` (modules.builtin, modules.order and the
 * config, without which built-in drivers such as virtio_pci look missing): the packages of the same
 * build that must be unpacked with it. The release-less `linux-base` tool package is not one of them.
 */
export function splitKernelPackages(dependsField: string): string[] {
  const names = dependsField
    .split(',')
    .flatMap((alternatives) => alternatives.split('|'))
    .map((item) => item.trim().split(/\s/)[0]!);
  // Before the split (6.18 and older) the image package also depends on a linux-base-<release> that
  // no suite carries: only a package with a linux-binary-* dependency is a split one.
  if (!names.some((name) => /^linux-binary-\d/.test(name))) return [];
  return names.filter((name) => /^linux-(binary|modules|base)-\d/.test(name));
}
