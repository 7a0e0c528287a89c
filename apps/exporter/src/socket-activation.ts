// `--web.listen-address=fd://N`: serve on the N-th socket systemd passed in (socket activation), the
// way go-systemd's activation package does: fds start at 3, and LISTEN_PID must name this process.
const SD_LISTEN_FDS_START = 3;

export function activatedSocketFd(address: string, env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): number | undefined {
  const match = /^fd:\/\/(\d+)$/.exec(address);
  if (!match) {
    if (address.startsWith('fd://')) throw new Error(`--web.listen-address: "${address}" is not fd://N`);
    return undefined;
  }
  const index = Number.parseInt(match[1] as string, 10);
  const count = Number.parseInt(env.LISTEN_FDS ?? '0', 10);
  if (env.LISTEN_PID !== undefined && Number.parseInt(env.LISTEN_PID, 10) !== pid) {
    throw new Error(`--web.listen-address=${address}: LISTEN_PID=${env.LISTEN_PID} is not this process (${pid}); sockets were meant for another process`);
  }
  if (!(index < count)) {
    throw new Error(`--web.listen-address=${address}: systemd passed ${count} socket${count === 1 ? '' : 's'} (LISTEN_FDS), no socket ${index}`);
  }
  return SD_LISTEN_FDS_START + index;
}
