// What the kernel has loaded, read with bpftool, to prove an exporter left nothing behind.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function loadedProgramIds(): Promise<Set<number>> {
  const { stdout } = await run('bpftool', ['prog', 'show', '--json'], { maxBuffer: 64 << 20 });
  return new Set((JSON.parse(stdout) as { id: number }[]).map((p) => p.id));
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
