import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAssetsDir } from './assets-dir';

let root: string;
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('defaultAssetsDir', () => {
  it('prefers dashboard/ next to the bundled exporter script', async () => {
    root = await mkdtemp(join(tmpdir(), 'assets-'));
    await mkdir(join(root, 'bundle/dashboard'), { recursive: true });
    await writeFile(join(root, 'bundle/dashboard/index.html'), '');
    expect(defaultAssetsDir(pathToFileURL(join(root, 'bundle/main.js')).href, root)).toBe(join(root, 'bundle/dashboard'));
  });
  it('falls back to dist/apps/dashboard of the working directory, and to nothing', async () => {
    root = await mkdtemp(join(tmpdir(), 'assets-'));
    const moduleUrl = pathToFileURL(join(root, 'a/b/c/d/module.js')).href;
    expect(defaultAssetsDir(moduleUrl, root)).toBeUndefined();
    await mkdir(join(root, 'dist/apps/dashboard'), { recursive: true });
    await writeFile(join(root, 'dist/apps/dashboard/index.html'), '');
    expect(defaultAssetsDir(moduleUrl, root)).toBe(join(root, 'dist/apps/dashboard'));
  });
});
