// End-to-end: builds the .deb, installs it on this machine (as root), runs and purges it.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.e2e.ts'], fileParallelism: false, testTimeout: 180_000, hookTimeout: 300_000 } });
