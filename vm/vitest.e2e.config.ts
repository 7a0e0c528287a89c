// End-to-end tests: real kernels booted in QEMU (TCG here, ~10 s each). One file at a time, since each
// guest already uses both of CI's cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.e2e.ts'], fileParallelism: false, testTimeout: 300_000, hookTimeout: 600_000 } });
