// Paths of the BPF test objects compiled by global-setup.ts.
import { fileURLToPath } from 'node:url';

export const FIXTURE_SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURE_BUILD_DIR = fileURLToPath(new URL('./build/', import.meta.url));
export const ADDON_BUILD_PATH = fileURLToPath(new URL('../build/Release/bpf_native.node', import.meta.url));

/** `fixture('maps')` is the compiled `test-fixtures/maps.bpf.c`. */
export function fixture(name: string): string {
  return `${FIXTURE_BUILD_DIR}${name}.bpf.o`;
}
