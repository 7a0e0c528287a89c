// BPF needs bpffs (pinning, libbpf probes) and tracefs (tracepoint ids, kprobe/uprobe events). Many hosts
// and containers boot without them; mount them when missing, or say exactly which command would.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from './logger';

interface RequiredMount {
  type: string;
  path: string;
}

const REQUIRED_MOUNTS: readonly RequiredMount[] = [
  { type: 'bpf', path: '/sys/fs/bpf' },
  { type: 'tracefs', path: '/sys/kernel/tracing' },
];

export function mountedTypes(mounts: string): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const line of mounts.split('\n')) {
    const [, path, type] = line.split(' ');
    if (path && type) byPath.set(path, type);
  }
  return byPath;
}

export function ensureKernelMounts(log: Logger, readMounts: () => string = () => readFileSync('/proc/mounts', 'utf8')): void {
  const mounted = mountedTypes(readMounts());
  for (const { type, path } of REQUIRED_MOUNTS) {
    if (mounted.get(path) === type) continue;
    const command = ['mount', '-t', type, type, path];
    try {
      if (!existsSync(path)) throw new Error(`${path} does not exist`);
      execFileSync(command[0] as string, command.slice(1), { stdio: 'pipe' });
      log.info(`Mounted ${type} at ${path}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log.warn(`${type} is not mounted at ${path} and mounting it failed (${reason}); run: ${command.join(' ')}`);
    }
  }
}
