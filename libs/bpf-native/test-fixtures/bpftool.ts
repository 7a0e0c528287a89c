import { execFileSync } from 'node:child_process';

/**
 * `bpftool --json <args>`, parsed. A listing walks objects by id and fails as a whole (exit 255, "can't get
 * link by id: Resource temporarily unavailable") when another process's object is being freed at that
 * moment, so a failure is retried a few times before it counts.
 */
export function bpftoolJson(...args: string[]): unknown {
  for (let attempt = 1; ; attempt++) {
    try {
      return JSON.parse(execFileSync('bpftool', ['--json', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } catch (error) {
      if (attempt >= 5) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}
