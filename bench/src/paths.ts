import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Output of `npx nx build bench`: BPF fixtures, C tools, the loop-delay probe. */
export const BENCH_BUILD = join(REPO_ROOT, 'bench/build');
