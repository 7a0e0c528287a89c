// @prometheus-io/client publishes its default collectors one file each but types only
// collectDefaultMetrics(), which starts all of them; process-metrics.ts picks some (see why there).
declare module '@prometheus-io/client/lib/metrics/*.js' {
  import type { Registry } from '@prometheus-io/client';

  const registerCollector: (registry: Registry, config?: { prefix?: string }) => void;
  export default registerCollector;
}
