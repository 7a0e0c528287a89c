// Prepares the host for the kernel tests: tracefs/bpffs mounted (they are not at boot on these machines)
// and every test-fixtures/*.bpf.c compiled with clang, only when its source changed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ADDON_BUILD_PATH, FIXTURE_BUILD_DIR, FIXTURE_SOURCE_DIR, fixture } from './fixtures.js';

const MOUNTS: ReadonlyArray<{ type: string; target: string }> = [
  { type: 'tracefs', target: '/sys/kernel/tracing' },
  { type: 'bpf', target: '/sys/fs/bpf' },
];

function mountIfMissing(type: string, target: string): void {
  const mounted = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === target);
  if (!mounted) execFileSync('mount', ['-t', type, type, target]);
}

function compileFixture(source: string, output: string): void {
  if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) return;
  execFileSync('clang', [
    '-target', 'bpf', '-g', '-O2', '-D__TARGET_ARCH_x86',
    // <asm/types.h> lives in the multiarch include directory, which clang -target bpf does not search.
    '-I/usr/include/x86_64-linux-gnu',
    // The uprobe fixture hooks post_attach_mark in the addon this test run loads.
    `-DADDON_PATH="${ADDON_BUILD_PATH}"`,
    '-c', source, '-o', output,
  ], { stdio: 'inherit' });
}

export default function setup(): void {
  for (const { type, target } of MOUNTS) mountIfMissing(type, target);
  mkdirSync(FIXTURE_BUILD_DIR, { recursive: true });
  for (const file of readdirSync(FIXTURE_SOURCE_DIR)) {
    if (file.endsWith('.bpf.c')) compileFixture(join(FIXTURE_SOURCE_DIR, file), fixture(file.slice(0, -'.bpf.c'.length)));
  }
}
