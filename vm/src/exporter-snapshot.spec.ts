import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotExporter } from './exporter-snapshot.ts';

describe('snapshotExporter', () => {
  it('keeps the bundle as it was when the matrix started, whatever a rebuild does to dist/ later', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'snapshot-'));
    await mkdir(join(repo, 'dist', 'apps', 'exporter'), { recursive: true });
    await writeFile(join(repo, 'dist', 'apps', 'exporter', 'main.mjs'), 'first build');
    await writeFile(join(repo, 'ebpf_exporter'), '#!/bin/sh\n', { mode: 0o755 });
    const snapshot = await snapshotExporter(repo, join(repo, 'runs'));
    await writeFile(join(repo, 'dist', 'apps', 'exporter', 'main.mjs'), 'rebuilt');
    const copy = join(snapshot.command, '..');
    expect(await readFile(join(copy, 'dist', 'apps', 'exporter', 'main.mjs'), 'utf8')).toBe('first build');
    expect(snapshot.command).toMatch(/\/runs\/exporter-[^/]+\/ebpf_exporter$/);
    await snapshot.remove();
    await expect(readFile(snapshot.command)).rejects.toThrow();
  });

  it('refuses to start without a build, saying how to make one', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'snapshot-'));
    await expect(snapshotExporter(repo, join(repo, 'runs'))).rejects.toThrow(`${repo}/dist/apps/exporter/main.mjs does not exist: build first (npx nx run exporter:build)`);
  });
});
