import { defineConfig } from 'vitest/config';

// These tests load real BPF programs into the running kernel (as root). They share kernel state
// (bpf_stats_enabled, attached programs), so files run one after another.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    globalSetup: ['./test-fixtures/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
