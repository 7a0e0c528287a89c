// Browser and end-to-end tests: the built exporter on the real kernel (root), Debian's Chromium and a
// real Prometheus. One file at a time: they attach BPF programs, bind ports and drive disk IO.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
