import { asBytes, parseUnsigned, type Decoder, type DecoderEnvironment } from './decoder';

function readU32(input: Uint8Array | string, littleEndian: boolean, what: string): number {
  const bytes = asBytes(input);
  if (bytes.byteLength < 4) throw new Error(`${what}: expected at least 4 bytes, got ${bytes.byteLength}`);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, littleEndian);
}

/** Interface index (u32) to its name; names are cached, misses are not (the interface may appear later). */
export function createIfnameDecoder(env: DecoderEnvironment): Decoder {
  const cache = new Map<number, string>();
  return {
    decode(input) {
      const index = readU32(input, env.littleEndian, 'ifname');
      const cached = cache.get(index);
      if (cached !== undefined) return cached;
      const name = env.ifname(index);
      if (name === undefined) return `unknown:${index}`;
      cache.set(index, name);
      return name;
    },
  };
}

function partitionNames(text: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 4 && /^\d+$/.test(fields[0] as string) && /^\d+$/.test(fields[1] as string)) {
      names.set(`${fields[0]}:${fields[1]}`, fields[3] as string);
    }
  }
  return names;
}

/**
 * A u32 device number to its block device name from /proc/partitions, else `unknown:<major>:<minor>`.
 * The split is glibc's `major()`/`minor()` on the 32-bit value.
 */
export function createMajorMinorDecoder(env: DecoderEnvironment): Decoder {
  const cache = new Map<number, string>();
  return {
    decode(input) {
      const dev = readU32(input, env.littleEndian, 'majorminor');
      const cached = cache.get(dev);
      if (cached !== undefined) return cached;
      const major = (dev >>> 8) & 0xfff;
      const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
      const name = partitionNames(env.partitions()).get(`${major}:${minor}`);
      if (name === undefined) return `unknown:${major}:${minor}`;
      cache.set(dev, name);
      return name;
    },
  };
}

/** A decimal cgroup id (inode of the cgroup v2 directory) to its path, else `unknown_cgroup_id:<id>`. */
export function createCgroupDecoder(env: DecoderEnvironment): Decoder {
  return {
    decode(input) {
      const id = parseUnsigned(input, 'cgroup');
      return env.cgroupPath(id) ?? `unknown_cgroup_id:${id}`;
    },
  };
}
