// Runs an expectation's workload or cleanup script: bash, from examples/, bounded in time.
import { spawn } from 'node:child_process';

export interface ScriptResult {
  ok: boolean;
  /** Exit status or the reason it was stopped, plus the tail of its output. */
  detail: string;
}

export function runScript(script: string, options: { cwd: string; workdir: string; timeoutMs: number }): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: options.cwd,
      env: { ...process.env, WORKDIR: options.workdir },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout also stops what the script started.
      detached: true,
    });
    let output = '';
    const append = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-2000));
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const tail = output.trim().split('\n').slice(-3).join(' | ');
      if (timedOut) resolve({ ok: false, detail: `timed out after ${options.timeoutMs} ms${tail ? `: ${tail}` : ''}` });
      else if (code === 0) resolve({ ok: true, detail: '' });
      else resolve({ ok: false, detail: `exit ${code ?? signal}${tail ? `: ${tail}` : ''}` });
    });
  });
}
