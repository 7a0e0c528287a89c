// DEV ONLY: serves the dashboard plugin with synthetic, evolving metric families so the app can be
// worked on without root, BPF or a kernel. Never used by tests of real behaviour (those run the real
// exporter); run with `npx tsx libs/dashboard-server/dev/dev-host.ts [port]` after `npx nx build dashboard`.
import Fastify from 'fastify';
import type { HistogramSeries, MetricFamily } from '@ebpf-exporter/metrics';
import { dashboardPlugin } from '../src/index';

const port = Number(process.argv[2] ?? 9436);
const bounds = Array.from({ length: 28 }, (_, i) => 2 ** i * 1e-6);
const devices = ['nvme0n1', 'sda'];
const operations = ['read', 'write'];
const functions = ['tick_sched_timer', 'hrtimer_wakeup', 'process_timeout', 'delayed_work_timer_fn', 'it_real_fn'];

const latencyCounts = new Map<string, number[]>();
const timerCounts = new Map<string, number>();

/** Latencies log-normally spread around a per-device median that drifts slowly. */
function step(): void {
  const t = Date.now() / 1000;
  for (const device of devices) {
    for (const operation of operations) {
      const key = `${device}/${operation}`;
      const counts = latencyCounts.get(key) ?? new Array<number>(bounds.length).fill(0);
      const median = (device === 'sda' ? 4e-3 : 8e-5) * (operation === 'write' ? 2 : 1) * (1 + 0.5 * Math.sin(t / 60));
      for (let i = 0; i < 200; i++) {
        const latency = median * Math.exp(0.8 * gaussian());
        const bucket = bounds.findIndex((b) => latency <= b);
        counts[bucket === -1 ? bounds.length - 1 : bucket]! += 1;
      }
      latencyCounts.set(key, counts);
    }
  }
  functions.forEach((fn, i) => timerCounts.set(fn, (timerCounts.get(fn) ?? 0) + Math.round(1000 / (i + 1) * (1 + Math.random()))));
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

async function families(): Promise<MetricFamily[]> {
  step();
  const series: HistogramSeries[] = [...latencyCounts].map(([key, counts]) => {
    let cumulative = 0;
    const buckets = bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: (cumulative += counts[i] ?? 0) }));
    return { labelNames: ['device', 'operation'], labelValues: key.split('/'), buckets, sum: 0, count: cumulative };
  });
  return [
    { name: 'ebpf_exporter_bio_latency_seconds', help: 'Block IO latency histogram', type: 'histogram', series },
    {
      name: 'ebpf_exporter_timer_starts_total',
      help: 'Timers fired in the kernel',
      type: 'counter',
      series: [...timerCounts].map(([fn, value]) => ({ labelNames: ['function'], labelValues: [fn], value })),
    },
  ];
}

const app = Fastify({ logger: { level: 'warn' } });
await app.register(dashboardPlugin, {
  prefix: '/dashboard',
  families,
  configs: [
    { name: 'biolatency', counters: [], histograms: [{ name: 'bio_latency_seconds', help: 'Block IO latency histogram', labels: ['device', 'operation'], bucketType: 'exp2' }] },
    { name: 'timers', counters: [{ name: 'timer_starts_total', help: 'Timers fired in the kernel', labels: ['function'] }], histograms: [] },
  ],
  historyWindowSeconds: 3600,
  historyResolutionSeconds: 1,
});
await app.listen({ host: '127.0.0.1', port });
console.log(`dev host (synthetic data): http://127.0.0.1:${port}/dashboard/`);
