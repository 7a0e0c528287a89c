// Some tests query a real Prometheus server; on a machine shared with kernel and browser tests that can
// take longer than vitest's default 5 s.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { testTimeout: 30_000 } });
