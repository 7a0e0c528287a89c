import { access, cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/** A private copy of the built exporter, which the guests run instead of the checkout's dist/. */
export interface ExporterSnapshot {
  /** The launcher to pass as the runner's --exporter. */
  command: string;
  remove(): Promise<void>;
}

/**
 * Copies `dist/apps/exporter` and the `ebpf_exporter` launcher into a folder of its own. The guests
 * see the host root live, so a rebuild of dist/ on the host (another session, an IDE watcher) while
 * a matrix runs used to make a guest find no bundle at all and fail every example; the copy is
 * taken once, before the first guest boots.
 */
export async function snapshotExporter(repoRoot: string, runsDir: string): Promise<ExporterSnapshot> {
  const bundle = join(repoRoot, 'dist', 'apps', 'exporter');
  if (!(await access(join(bundle, 'main.mjs')).then(() => true, () => false))) {
    throw new Error(`${bundle}/main.mjs does not exist: build first (npx nx run exporter:build)`);
  }
  await mkdir(runsDir, { recursive: true });
  const folder = await mkdtemp(join(runsDir, 'exporter-'));
  await cp(bundle, join(folder, 'dist', 'apps', 'exporter'), { recursive: true });
  await cp(join(repoRoot, 'ebpf_exporter'), join(folder, 'ebpf_exporter'));
  // The launcher runs node_modules/.bin/node beside itself: the checkout's, which a build does not touch.
  await symlink(join(repoRoot, 'node_modules'), join(folder, 'node_modules'));
  return { command: join(folder, 'ebpf_exporter'), remove: () => rm(folder, { recursive: true, force: true }) };
}
