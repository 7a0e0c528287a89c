// Runs against this machine's real cgroup filesystems (hybrid layout, as root) with the real fanotify watch;
// only the clock is injected, so grace periods pass without waiting ten minutes. Each hierarchy is watched
// from a directory of this test's own, so cgroups other tests make at the same time do not count.
import { mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupWatch, type CgroupEvent } from '@ebpf-exporter/bpf-native';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CgroupMonitor, type CgroupChange, type CgroupMonitorOptions } from './cgroup-monitor';
import { parseCgroupMounts, type CgroupMount } from './cgroup-mounts';

const SYSTEM_MOUNTS = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
const SYSTEM_V2 = SYSTEM_MOUNTS.find((m) => m.version === 2);
const SYSTEM_V1 = SYSTEM_MOUNTS.find((m) => m.version === 1);
const own = (mount: CgroupMount | undefined): CgroupMount | undefined =>
  mount && { path: join(mount.path, `monitor-spec-${process.pid}`), version: mount.version };
const V2 = own(SYSTEM_V2);
const V1 = own(SYSTEM_V1);
const MOUNTS = [V2, V1].filter((m) => m !== undefined);
const MINUTE = 60_000;

const monitors: CgroupMonitor[] = [];
const created: string[] = [];
let clock = 0;

function monitor(options: Partial<CgroupMonitorOptions> = {}): CgroupMonitor {
  const started = new CgroupMonitor({
    mounts: MOUNTS,
    watch: (paths, onEvents) => CgroupWatch.open(paths, onEvents),
    now: () => clock,
    // Misses never re-walk unless a test says so: what is found came from events.
    rewalkIntervalMs: Number.POSITIVE_INFINITY,
    gcIntervalMs: 0,
    pollIntervalMs: 0,
    ...options,
  });
  monitors.push(started);
  return started;
}

function makeCgroup(parent: string, name: string): { path: string; id: bigint } {
  const path = join(parent, `${name}-${process.pid}`);
  mkdirSync(path);
  created.push(path);
  return { path, id: statSync(path, { bigint: true }).ino };
}

function removeCgroup(path: string): void {
  rmdirSync(path);
  created.splice(created.indexOf(path), 1);
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the monitor');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(() => {
  for (const mount of MOUNTS) mkdirSync(mount.path);
});

afterAll(() => {
  for (const mount of MOUNTS) rmdirSync(mount.path);
});

afterEach(() => {
  for (const m of monitors.splice(0)) m.close();
  for (const path of created.splice(0).reverse()) rmdirSync(path);
  clock = 0;
});

describe.runIf(V2 !== undefined)('CgroupMonitor', { timeout: 20_000 }, () => {
  const v2 = V2?.path ?? '';

  it('resolves the cgroup2 root and cgroups that existed at start', () => {
    const early = makeCgroup(v2, 'early');
    const m = monitor();
    expect(m.resolve(statSync(v2, { bigint: true }).ino)).toBe(v2);
    expect(m.resolve(early.id)).toBe(early.path);
    const system = monitor({ mounts: SYSTEM_MOUNTS });
    const root = SYSTEM_V2?.path ?? '';
    expect(system.resolve(statSync(root, { bigint: true }).ino)).toBe(root);
    expect(system.resolve(early.id)).toBe(early.path);
  });

  it('learns new cgroups from fanotify without walking', async () => {
    const m = monitor();
    expect(m.mode).toBe('fanotify');
    const parent = makeCgroup(v2, 'svc');
    const child = makeCgroup(parent.path, 'child');
    await until(() => m.resolve(child.id) !== undefined);
    expect(m.resolve(parent.id)).toBe(parent.path);
    expect(m.resolve(child.id)).toBe(child.path);
  });

  it.runIf(V1 !== undefined)('resolves directories of v1 controller mounts', async () => {
    const m = monitor();
    const v1 = makeCgroup(V1?.path ?? '', 'v1');
    await until(() => m.resolve(v1.id) !== undefined);
    expect(m.resolve(v1.id)).toBe(v1.path);
  });

  it('keeps a removed cgroup for the grace period after its last use, then forgets it', async () => {
    const m = monitor();
    const baseline = m.size;
    const gone = makeCgroup(v2, 'gone');
    await until(() => m.resolve(gone.id) !== undefined);
    removeCgroup(gone.path);
    await until(() => m.size === baseline + 1 && m.collectGarbage() === 0 && isRemoved(m, gone.path));

    clock += 9 * MINUTE;
    expect(m.resolve(gone.id)).toBe(gone.path); // still used: the grace period restarts
    clock += 9 * MINUTE;
    expect(m.collectGarbage()).toBe(0);
    expect(m.resolve(gone.id)).toBe(gone.path);
    clock += 10 * MINUTE;
    expect(m.collectGarbage()).toBe(1);
    expect(m.resolve(gone.id)).toBeUndefined();
    expect(m.size).toBe(baseline);
  });

  it('stays bounded while cgroups come and go', async () => {
    const m = monitor();
    const baseline = m.size;
    for (let round = 0; round < 5; round++) {
      const batch = Array.from({ length: 20 }, (_, i) => makeCgroup(v2, `churn-${round}-${i}`));
      await until(() => batch.every((c) => m.resolve(c.id) !== undefined));
      for (const c of batch) removeCgroup(c.path);
      await until(() => batch.every((c) => isRemoved(m, c.path)));
      clock += 10 * MINUTE;
      expect(m.collectGarbage()).toBe(20);
      expect(m.size).toBe(baseline);
    }
  });

  it('replays live cgroups to a subscriber, then sends adds and removes', async () => {
    const existing = makeCgroup(v2, 'existing');
    const m = monitor();
    const changes: CgroupChange[] = [];
    m.subscribe((change) => changes.push(change));
    expect(changes).toContainEqual({ kind: 'add', id: existing.id, path: existing.path, version: 2 });
    expect(changes.every((c) => c.kind === 'add')).toBe(true);
    changes.length = 0;

    const fresh = makeCgroup(v2, 'fresh');
    await until(() => changes.length === 1);
    removeCgroup(fresh.path);
    await until(() => changes.length === 2);
    expect(changes).toEqual([
      { kind: 'add', id: fresh.id, path: fresh.path, version: 2 },
      { kind: 'remove', id: fresh.id, path: fresh.path, version: 2 },
    ]);
  });

  it('without fanotify, finds new cgroups by a rate-limited walk on a miss', () => {
    const m = monitor({ watch: undefined, rewalkIntervalMs: 1000 });
    expect(m.mode).toBe('walk');
    clock = 5000;
    m.resolve(1234567890123n); // a miss walks (and finds nothing for this id)
    const late = makeCgroup(v2, 'late');
    expect(m.resolve(late.id)).toBeUndefined(); // the next walk is not due yet
    clock += 1000;
    expect(m.resolve(late.id)).toBe(late.path);
  });

  it('without fanotify, walks periodically so subscribers still see cgroups come and go', async () => {
    const m = monitor({ watch: undefined, pollIntervalMs: 20 });
    const changes: CgroupChange[] = [];
    m.subscribe((change) => changes.push(change));
    changes.length = 0;
    const polled = makeCgroup(v2, 'polled');
    await until(() => changes.length === 1);
    removeCgroup(polled.path);
    await until(() => changes.length === 2);
    expect(changes).toEqual([
      { kind: 'add', id: polled.id, path: polled.path, version: 2 },
      { kind: 'remove', id: polled.id, path: polled.path, version: 2 },
    ]);
  });

  it('after lost events, walks once the rate limit allows', async () => {
    // The kernel's queue overflow cannot be provoked reliably, so the event is handed in directly.
    let deliver: (events: CgroupEvent[]) => void = () => {};
    const m = monitor({
      rewalkIntervalMs: 50,
      watch: (_paths, onEvents) => {
        deliver = onEvents;
        return { close: () => {} };
      },
    });
    const unseen = makeCgroup(v2, 'unseen');
    deliver([{ kind: 'overflow', mount: 0, parentId: 0n, name: '' }]);
    // The fake clock stands still, so resolve() itself never walks: only the scheduled walk can find it.
    expect(m.resolve(unseen.id)).toBeUndefined();
    await until(() => m.resolve(unseen.id) !== undefined);
    expect(m.resolve(unseen.id)).toBe(unseen.path);
  });

  it('falls back to walks when the watch cannot start, and says why', () => {
    // A throwing factory stands in for a kernel without fanotify directory events (< 6.6) or a missing
    // CAP_SYS_ADMIN, neither of which this host can provide.
    const reasons: unknown[] = [];
    const m = monitor({
      watch: () => {
        throw new Error('fanotify: EPERM');
      },
      onWatchUnavailable: (error) => reasons.push(error),
    });
    expect(m.mode).toBe('walk');
    expect(reasons).toEqual([new Error('fanotify: EPERM')]);
  });
});

/** True once the monitor marked `path` removed: its id resolves only through the grace period. */
function isRemoved(m: CgroupMonitor, path: string): boolean {
  const changes: CgroupChange[] = [];
  m.subscribe((change) => changes.push(change))();
  return !changes.some((c) => c.path === path);
}
