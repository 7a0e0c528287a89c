import { defineConfig } from 'vitest/config';

// The smoke test starts real exporters and loads BPF objects; one file at a time keeps it predictable.
export default defineConfig({ test: { include: ['src/**/*.spec.ts'], fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000 } });
