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

const cpus = ['0', '1', '2', '3'];
const tcpStates = ['established', 'time_wait', 'listen', 'close_wait'];

const latencyCounts = new Map<string, number[]>();
/** Per CPU, run queue latency counts: each CPU busier than the one before, so their heatmaps differ. */
const runqCounts = new Map<string, number[]>();
const timerCounts = new Map<string, number>();

/** Latencies log-normally spread around a per-device (and per-CPU) median that drifts slowly. */
function step(): void {
  const t = Date.now() / 1000;
  for (const device of devices) {
    for (const operation of operations) {
      const key = `${device}/${operation}`;
      const counts = latencyCounts.get(key) ?? new Array<number>(bounds.length).fill(0);
      const median = (device === 'sda' ? 4e-3 : 8e-5) * (operation === 'write' ? 2 : 1) * (1 + 0.5 * Math.sin(t / 60));
      for (let i = 0; i < 200; i++) observe(counts, median * Math.exp(0.8 * gaussian()));
      latencyCounts.set(key, counts);
    }
  }
  for (const cpu of cpus) {
    const counts = runqCounts.get(cpu) ?? new Array<number>(bounds.length).fill(0);
    const median = 2e-6 * 4 ** Number(cpu) * (1 + 0.5 * Math.sin(t / 30 + Number(cpu)));
    for (let i = 0; i < 100; i++) observe(counts, median * Math.exp(0.6 * gaussian()));
    runqCounts.set(cpu, counts);
  }
  functions.forEach((fn, i) => timerCounts.set(fn, (timerCounts.get(fn) ?? 0) + Math.round(1000 / (i + 1) * (1 + Math.random()))));
}

function observe(counts: number[], latency: number): void {
  const bucket = bounds.findIndex((b) => latency <= b);
  counts[bucket === -1 ? bounds.length - 1 : bucket]! += 1;
}

function histogramSeries(labelNames: string[], labelValues: string[], counts: readonly number[]): HistogramSeries {
  let cumulative = 0;
  const buckets = bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: (cumulative += counts[i] ?? 0) }));
  return { labelNames, labelValues, buckets, sum: 0, count: cumulative };
}

/** Socket counts that rise and fall; `close_wait` dips below zero, as tcp-states' can. */
function tcpSockets(state: string, i: number): number {
  const t = Date.now() / 1000;
  return Math.round((state === 'close_wait' ? 5 : 40 / (i + 1)) * Math.sin(t / 20 + i) + (state === 'close_wait' ? 0 : 50 / (i + 1)));
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

async function families(): Promise<MetricFamily[]> {
  step();
  const series = [...latencyCounts].map(([key, counts]) => histogramSeries(['device', 'operation'], key.split('/'), counts));
  const runq = [...runqCounts].map(([cpu, counts]) => histogramSeries(['reason', 'cpu'], ['wakeup', cpu], counts));
  return [
    { name: 'ebpf_exporter_bio_latency_seconds', help: 'Block IO latency histogram', type: 'histogram', series },
    { name: 'ebpf_exporter_run_queue_latency_seconds', help: 'Run queue latency by CPU', type: 'histogram', series: runq },
    {
      name: 'ebpf_exporter_tcp_sockets',
      help: 'TCP sockets by state',
      type: 'gauge',
      series: tcpStates.map((state, i) => ({ labelNames: ['state'], labelValues: [state], value: tcpSockets(state, i) })),
    },
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
  configs: () => [
    { name: 'biolatency', counters: [], histograms: [{ name: 'bio_latency_seconds', help: 'Block IO latency histogram', labels: ['device', 'operation'], bucketType: 'exp2' }] },
    { name: 'runqlat-percpu', counters: [], histograms: [{ name: 'run_queue_latency_seconds', help: 'Run queue latency by CPU', labels: ['reason', 'cpu'], bucketType: 'exp2' }] },
    { name: 'tcp-states', counters: [], gauges: [{ name: 'tcp_sockets', help: 'TCP sockets by state', labels: ['state'] }], histograms: [] },
    { name: 'timers', counters: [{ name: 'timer_starts_total', help: 'Timers fired in the kernel', labels: ['function'] }], histograms: [] },
  ],
  historyWindowSeconds: 3600,
  historyResolutionSeconds: 1,
});
await app.listen({ host: '127.0.0.1', port });
console.log(`dev host (synthetic data): http://127.0.0.1:${port}/dashboard/`);
