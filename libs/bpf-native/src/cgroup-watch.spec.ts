import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupWatch, type CgroupEvent } from './index.js';

// This host has the hybrid layout: cgroup2 here, v1 controllers beside it.
const CGROUP2 = '/sys/fs/cgroup/unified';
const CPU_V1 = '/sys/fs/cgroup/cpu';

const watches: CgroupWatch[] = [];
const created: string[] = [];

afterEach(() => {
  for (const watch of watches.splice(0)) watch.close();
  for (const dir of created.splice(0).reverse()) rmdirSync(dir, { recursive: false });
});

function watch(mounts: string[]): CgroupEvent[] {
  const events: CgroupEvent[] = [];
  watches.push(CgroupWatch.open(mounts, (batch) => events.push(...batch)));
  return events;
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for cgroup events');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('CgroupWatch', () => {
  it('reports directories created and removed, with the parent id the inode of the parent', async () => {
    const events = watch([CGROUP2, CPU_V1]);
    const parent = join(CGROUP2, `watch-test-${process.pid}`);
    mkdirSync(parent);
    created.push(parent);
    mkdirSync(join(parent, 'child'));
    mkdirSync(join(CPU_V1, `watch-test-${process.pid}`));
    rmdirSync(join(CPU_V1, `watch-test-${process.pid}`));
    rmdirSync(join(parent, 'child'));
    await until(() => events.length >= 5).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(events, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
    });
    const root = statSync(CGROUP2, { bigint: true }).ino;
    const parentId = statSync(parent, { bigint: true }).ino;
    const cpuRoot = statSync(CPU_V1, { bigint: true }).ino;
    // Each mount has its own queue: order holds within a mount, not across them.
    expect(events.filter((event) => event.mount === 0)).toEqual([
      { kind: 'create', mount: 0, parentId: root, name: `watch-test-${process.pid}` },
      { kind: 'create', mount: 0, parentId, name: 'child' },
      { kind: 'delete', mount: 0, parentId, name: 'child' },
    ]);
    expect(events.filter((event) => event.mount === 1)).toEqual([
      { kind: 'create', mount: 1, parentId: cpuRoot, name: `watch-test-${process.pid}` },
      { kind: 'delete', mount: 1, parentId: cpuRoot, name: `watch-test-${process.pid}` },
    ]);
  });

  it('stops reporting once closed', async () => {
    const events = watch([CGROUP2]);
    watches[0]?.close();
    const dir = join(CGROUP2, `watch-closed-${process.pid}`);
    mkdirSync(dir);
    created.push(dir);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual([]);
  });

  it('lets the process exit cleanly with a watch open and events in flight', () => {
    const script = fileURLToPath(new URL('../test-fixtures/exit-with-open-watch.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(output.trim()).toBe('delivered');
  });

  it('names the path it cannot watch', () => {
    expect(() => CgroupWatch.open(['/nonexistent'], () => {})).toThrow(expect.objectContaining({ code: 'ENOENT', message: expect.stringContaining("'/nonexistent'") }));
  });
});
