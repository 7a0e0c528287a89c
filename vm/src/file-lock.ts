import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';

/**
 * Runs `work` while holding an exclusive flock(1) on `lockPath`, so that two runs preparing the same
 * kernel cache wait for each other instead of unpacking over each other. The lock is held by a
 * `flock … cat` child that lives as long as its stdin is open: if this process dies, the pipe closes
 * and the kernel drops the lock — no stale lock files to clean up.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockPath), { recursive: true });
  const holder = execa('flock', ['--exclusive', lockPath, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`cannot lock ${lockPath}: flock exited with ${code}`)));
  });
  try {
    return await work();
  } finally {
    holder.stdin.end();
    await holder;
  }
}
