import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileFollower {
  /** Copies what is left, then stops following. */
  stop(): Promise<void>;
}

const POLL_MS = 200;

/**
 * Copies what a guest appends to a file in a shared folder to `target` while the guest runs (as
 * `tail -f` would), byte-exact. virtme-ng's own output channels are virtio-serial ports that its init
 * finds only through udev's /dev/virtio-ports links, and udev is not installed on our machines, so
 * the command writes its streams into the writable run folder instead.
 */
export function followFile(path: string, target: Writable): FileFollower {
  let stopping = false;
  const copyNew = async (offset: number): Promise<number> => {
    const file = await open(path, 'r').catch(() => undefined);
    if (!file) return offset;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) return offset;
        offset += bytesRead;
        if (!target.write(Buffer.from(buffer.subarray(0, bytesRead)))) await new Promise((resolve) => target.once('drain', resolve));
      }
    } finally {
      await file.close();
    }
  };
  const loop = (async () => {
    let offset = 0;
    while (!stopping) {
      offset = await copyNew(offset);
      await sleep(POLL_MS);
    }
    await copyNew(offset);
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
