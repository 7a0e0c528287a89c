import { createServer, type Socket } from 'node:net';
import type { Writable } from 'node:stream';

export interface OutputForwarder {
  /** Resolves once everything QEMU sent has been written on (immediately if QEMU never connected). */
  drain(): Promise<void>;
}

/**
 * Listens on a UNIX socket that a QEMU `-chardev socket,server=off` connects to, and copies what
 * arrives to `target` as it comes. A socket rather than a file path: reopening our stdout through
 * /dev/fd fails for Node's socketpair pipes and clobbers regular files from offset 0.
 */
export async function forwardSocketOutput(path: string, target: Writable): Promise<OutputForwarder> {
  let connection: Promise<void> | undefined;
  const server = createServer((socket: Socket) => {
    connection = new Promise((resolve) => {
      socket.pipe(target, { end: false });
      socket.once('close', () => resolve());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    async drain() {
      await connection;
      server.close();
    },
  };
}
