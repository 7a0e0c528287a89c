// End-to-end tests: the built exporter (./ebpf_exporter) on the real kernel, as root. One file at a
// time, since they attach real programs and bind ports.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['e2e/**/*.e2e.ts'], fileParallelism: false, testTimeout: 60_000, hookTimeout: 60_000 } });
