// What the kernel holds, read with bpftool, to prove an exporter left nothing behind.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * `bpftool --json <args>`, parsed. Listings walk objects by id and fail as a whole (exit 255, "can't get
 * prog by id: Resource temporarily unavailable") when another process's object is being freed at that
 * moment, so a failure is retried a few times before it counts.
 */
export async function bpftoolJson(...args: string[]): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await run('bpftool', ['--json', ...args], { maxBuffer: 64 << 20 });
      return JSON.parse(stdout);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function loadedProgramIds(): Promise<Set<number>> {
  return new Set(((await bpftoolJson('prog', 'show')) as { id: number }[]).map((p) => p.id));
}

/**
 * Waits for programs to leave the kernel and returns the ids still loaded at the deadline.
 * Closing the last fd does not free a program at once: the kernel frees it from a work queue after an
 * RCU grace period, so `bpftool prog show` can list it for a moment after its owner has exited.
 */
export async function programsStillLoaded(ids: readonly number[], timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const loaded = await loadedProgramIds();
    const remaining = ids.filter((id) => loaded.has(id));
    if (remaining.length === 0 || Date.now() >= deadline) return remaining;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
