import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { debianApt } from './debian-apt.ts';
import { cacheRoot } from './guest-runner.ts';

/** Debian's virtme-ng (sid; `Architecture: all`, pure Python), unpacked rather than installed: bookworm has no package of it. */
export const VIRTME_NG_PACKAGE = 'virtme-ng';
export const VIRTME_NG_HOME = '/opt/virtme-ng';
/** The commands vng runs: `vng` itself, and `virtme-run`, which it starts through the shell by name. */
const COMMANDS = ['vng', 'virtme-run', 'virtme-mkinitramfs', 'virtme-prep-kdir-mods'];

/**
 * A wrapper per command in `<home>/bin` that finds the unpacked Python package and puts the other
 * wrappers first on PATH. `<home>/bin` is NOT linked onto the machine's PATH: the harness picks vng
 * by default only where it is on PATH (GitHub runners with KVM); here `--engine vng` asks for it.
 */
export function wrapperScript(home: string, command: string): string {
  return [
    '#!/bin/sh',
    `# virtme-ng from Debian's package, unpacked under ${home} by vm/src/install-virtme-ng.ts`,
    `export PATH="${home}/bin:$PATH"`,
    `export PYTHONPATH="${home}/usr/lib/python3/dist-packages\${PYTHONPATH:+:$PYTHONPATH}"`,
    `exec /usr/bin/python3 "${home}/usr/bin/${command}" "$@"`,
    '',
  ].join('\n');
}

async function install(home: string): Promise<void> {
  const apt = await debianApt(cacheRoot());
  const workDir = await mkdtemp(join(cacheRoot(), 'virtme-ng-'));
  try {
    await apt.download([VIRTME_NG_PACKAGE], workDir);
    const deb = (await readdir(workDir)).find((file) => file.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${VIRTME_NG_PACKAGE} produced no .deb`);
    await rm(home, { recursive: true, force: true });
    await execa('dpkg-deb', ['-x', join(workDir, deb), home]);
    await mkdir(join(home, 'bin'), { recursive: true });
    for (const command of COMMANDS) {
      const wrapper = join(home, 'bin', command);
      await writeFile(wrapper, wrapperScript(home, command));
      await chmod(wrapper, 0o755);
    }
    const { stdout } = await execa(join(home, 'bin', 'vng'), ['--version']);
    process.stdout.write(`install-virtme-ng: ${deb} unpacked in ${home}: ${stdout.trim()}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  install(process.argv[2] ?? VIRTME_NG_HOME).catch((error: unknown) => {
    process.stderr.write(`install-virtme-ng: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
