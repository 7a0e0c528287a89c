// The plugin tests start Fastify with real timers; on a machine shared with kernel and browser tests a
// start can take seconds, so allow more than vitest's default 5 s.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { testTimeout: 30_000 } });
