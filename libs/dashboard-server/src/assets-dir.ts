// Where the built dashboard app lives: next to the bundled exporter script in a release, or in the
// workspace's dist/ when the exporter runs from source.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultAssetsDir(moduleUrl: string = import.meta.url, cwd: string = process.cwd()): string | undefined {
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [
    join(here, 'dashboard'),
    resolve(here, '../../../dist/apps/dashboard'),
    resolve(cwd, 'dist/apps/dashboard'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}
