import { execa } from 'execa';

/** Packs a directory into a newc cpio archive owned by root, the format the kernel unpacks as initramfs. */
export async function packCpio(directory: string, archivePath: string): Promise<void> {
  await execa('sh', ['-c', 'find . -print0 | LC_ALL=C sort -z | cpio --quiet --null -o -H newc -R 0:0 > "$1"', 'pack', archivePath], {
    cwd: directory,
  });
}
