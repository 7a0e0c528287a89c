import { defineConfig } from 'vitest/config';

// The first lint loads typescript-eslint and the Nx plugin, which takes seconds on a shared machine.
export default defineConfig({ test: { include: ['src/**/*.spec.ts'], testTimeout: 60_000 } });
