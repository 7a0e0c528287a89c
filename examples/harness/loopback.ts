// The runner talks to the exporter over 127.0.0.1 and every network workload uses loopback. A minimal
// VM guest boots with `lo` down (nothing runs ifup), which makes 127.0.0.1 unreachable.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const IFF_UP = 0x1;

export function loopbackIsUp(flagsFile = '/sys/class/net/lo/flags'): boolean {
  return (Number.parseInt(readFileSync(flagsFile, 'utf8').trim(), 16) & IFF_UP) !== 0;
}

/** Brings `lo` up when it is down; returns whether it had to. */
export async function ensureLoopbackUp(): Promise<boolean> {
  if (loopbackIsUp()) return false;
  await promisify(execFile)('ip', ['link', 'set', 'lo', 'up'], { timeout: 10_000 });
  if (!loopbackIsUp()) throw new Error('could not bring the loopback interface up (ip link set lo up)');
  return true;
}
