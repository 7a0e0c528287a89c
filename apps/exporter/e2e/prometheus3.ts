// Prometheus 3 for the native-histogram tests: Debian sid's package (bookworm has 2.42, which predates
// the protobuf negotiation of Prometheus 3 and custom-bucket native histograms), reached through the VM
// harness's private apt state (vm/src/debian-apt.ts: the machine's apt sources are not touched) and only
// its binary unpacked into the cache: it is a static Go program that needs none of sid's libraries.
// `node --import tsx apps/exporter/e2e/prometheus3.ts` installs it (scripts/setup.sh does so).
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
// vm/ is an application, not a library with a package name: its private apt state and cache folder are
// reused as they are rather than copied, which the project boundary rule has no way to say.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { debianApt } from '../../../vm/src/debian-apt.ts';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { cacheRoot } from '../../../vm/src/guest-runner.ts';

/** The major version wanted; the newest such version sid has is taken. */
const MAJOR = '3.';

export function prometheus3Home(): string {
  return join(cacheRoot(), 'prometheus3');
}

export function prometheus3Binary(): string {
  return join(prometheus3Home(), 'prometheus');
}

/** The newest `prometheus` version of the private apt state that starts with MAJOR (apt-cache madison lists newest first). */
function newestVersion(madison: string): string | undefined {
  return madison
    .split('\n')
    .map((line) => line.split('|')[1]?.trim())
    .find((version) => version?.startsWith(MAJOR));
}

/** The binary's path, unpacked from sid's package first if the cache does not have it yet. */
export async function installPrometheus3(): Promise<string> {
  const binary = prometheus3Binary();
  if (await access(binary).then(() => true, () => false)) return binary;
  const apt = await debianApt(cacheRoot());
  const version = newestVersion(await apt.cache(['madison', 'prometheus']));
  if (version === undefined) throw new Error(`no prometheus ${MAJOR}x in the private apt state's suites (apt-cache madison prometheus)`);
  await mkdir(cacheRoot(), { recursive: true });
  const workDir = await mkdtemp(join(cacheRoot(), 'prometheus3-'));
  try {
    await apt.download([`prometheus=${version}`], workDir);
    const deb = (await readdir(workDir)).find((file) => file.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download prometheus=${version} produced no .deb`);
    await execa('dpkg-deb', ['-x', join(workDir, deb), join(workDir, 'root')]);
    await mkdir(prometheus3Home(), { recursive: true });
    // Renamed into place last, so a run cut short never leaves a partial binary where the tests look.
    await rename(join(workDir, 'root/usr/bin/prometheus'), binary);
    const { stdout } = await execa(binary, ['--version']);
    process.stdout.write(`prometheus3: ${deb} unpacked: ${stdout.split('\n')[0]}\n`);
    return binary;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  installPrometheus3().catch((error: unknown) => {
    process.stderr.write(`prometheus3: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
