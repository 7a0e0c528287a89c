import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { extractElfKernel, locatePayload } from './bzimage.ts';

/** A minimal bzImage: a boot sector and setup header pointing at `payload` (the layout the boot protocol defines). */
function fakeBzImage(payload: Buffer): Buffer {
  const setupSectors = 1;
  const header = Buffer.alloc((setupSectors + 1) * 512 + 16);
  header.writeUInt8(setupSectors, 0x1f1);
  header.write('HdrS', 0x202, 'latin1');
  header.writeUInt32LE(16, 0x248);
  header.writeUInt32LE(payload.length, 0x24c);
  return Buffer.concat([header, payload, Buffer.from('trailing setup data')]);
}

describe('locatePayload', () => {
  it('finds the payload from the setup header and picks its decompressor', () => {
    const payload = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from('rest')]);
    const located = locatePayload(fakeBzImage(payload));
    expect(located.payload.equals(payload)).toBe(true);
    expect(located.command).toEqual(['zstd', '-dc']);
  });

  it('rejects files that are not bzImages and unknown compressions', () => {
    expect(() => locatePayload(Buffer.alloc(4096))).toThrow('not an x86 bzImage');
    expect(() => locatePayload(fakeBzImage(Buffer.from('plain')))).toThrow('unknown bzImage payload compression (first bytes 706c61696e)');
  });
});

describe('extractElfKernel', () => {
  it('decompresses an xz payload with the real xz into a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bzimage-'));
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(1000, 7)]);
    const { stdout: xz } = await execa('xz', ['--format=xz', '--check=crc32', '-c'], { input: elf, encoding: 'buffer' });
    await writeFile(join(dir, 'vmlinuz'), fakeBzImage(Buffer.from(xz)));
    await extractElfKernel(join(dir, 'vmlinuz'), join(dir, 'vmlinux'));
    expect((await readFile(join(dir, 'vmlinux'))).equals(elf)).toBe(true);
  });

  it('says so when the payload does not hold an ELF kernel', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bzimage-'));
    const { stdout: gz } = await execa('gzip', ['-c'], { input: 'not an elf', encoding: 'buffer' });
    await writeFile(join(dir, 'vmlinuz'), fakeBzImage(Buffer.from(gz)));
    await expect(extractElfKernel(join(dir, 'vmlinuz'), join(dir, 'vmlinux'))).rejects.toThrow(/gzip did not produce an ELF kernel/);
  });
});
