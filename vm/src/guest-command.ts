/** Quotes one word for POSIX sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Variables that describe the host shell session rather than the command's environment. */
const HOST_ONLY_VARIABLES = new Set(['_', 'OLDPWD', 'PWD', 'SHLVL']);

export interface GuestCommand {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the script writes the command's exit status, when the engine has no other way back. */
  statusFile?: string;
  /** Files the command's stdout and stderr go to, for engines without byte-exact channels of their own. */
  outputFiles?: { stdout: string; stderr: string };
  /** Mount bpffs/tracefs/debugfs/cgroup2 first, for engines whose init does not (virtme-ng). */
  mountKernelFilesystems?: boolean;
}

const KERNEL_FILESYSTEMS: [type: string, mountPoint: string][] = [
  ['bpf', '/sys/fs/bpf'],
  ['tracefs', '/sys/kernel/tracing'],
  ['debugfs', '/sys/kernel/debug'],
  ['cgroup2', '/sys/fs/cgroup'],
];

/**
 * The sh script that runs the user's command inside the guest: same environment, same working
 * directory, output straight through. The guest cannot see the host's shell, so everything the
 * command depends on is spelled out here.
 */
export function guestCommandScript(command: GuestCommand): string {
  const lines = ['#!/bin/sh'];
  if (command.mountKernelFilesystems) {
    for (const [type, mountPoint] of KERNEL_FILESYSTEMS) {
      lines.push(`grep -q ' ${mountPoint} ' /proc/mounts || mount -t ${type} ${type} ${mountPoint}`);
    }
  }
  for (const [name, value] of Object.entries(command.env)) {
    if (value !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !HOST_ONLY_VARIABLES.has(name)) {
      lines.push(`export ${name}=${shellQuote(value)}`);
    }
  }
  lines.push(`cd ${shellQuote(command.cwd)} || exit 125`);
  const redirections = command.outputFiles ? ` </dev/null >${shellQuote(command.outputFiles.stdout)} 2>${shellQuote(command.outputFiles.stderr)}` : '';
  const run = command.argv.map(shellQuote).join(' ') + redirections;
  if (command.statusFile) {
    // The boot line lets the host tell boot time from run time, as the QEMU engine's init does.
    const statusFile = shellQuote(command.statusFile);
    lines.push(`echo "boot $(cut -d' ' -f1 /proc/uptime)" > ${statusFile}`, run, `echo "exit $?" >> ${statusFile}`);
  } else {
    lines.push(`exec ${run}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Reads `boot <seconds>` and `exit <code>` lines written by the guest. */
export function parseGuestStatus(text: string): { bootSeconds?: number; exitCode?: number } {
  const boot = /^boot ([\d.]+)$/m.exec(text);
  const exit = /^exit (\d+)$/m.exec(text);
  return {
    ...(boot ? { bootSeconds: Number(boot[1]) } : {}),
    ...(exit ? { exitCode: Number(exit[1]) } : {}),
  };
}
