// Compiles testing/label-layouts.bpf.c (the key structs of the layout tests) for one architecture.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '../../../..');
const SOURCE = join(import.meta.dirname, 'label-layouts.bpf.c');

/** clang -target bpf against include/<arch>/vmlinux.h, with BTF (-g). */
export function compileLabelLayouts(arch: 'x86' | 'arm64', output: string): void {
  const libbpf = execFileSync('pkg-config', ['--cflags', 'libbpf'], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean);
  execFileSync('clang', ['-g', '-O2', '-target', 'bpf', `-D__TARGET_ARCH_${arch}`, `-I${REPO_ROOT}/include/${arch}`, ...libbpf, '-c', SOURCE, '-o', output]);
}
