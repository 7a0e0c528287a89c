// Every perf_event_array counter of every config: one perf buffer per counter map, the flush_interval
// reset, and the events lost because a perf buffer (or the addon's queue towards JS) was full. Upstream
// creates a counter for lost events but never exports it; here it is
// ebpf_exporter_perf_event_array_lost_events_total.
import type { EventBuffer } from '@ebpf-exporter/bpf-native';
import type { DecoderRegistry, MetricFamily } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from '../bpf-runtime';
import { checkPerfEventArrayMaps } from './event-map-checks';
import { PerfEventCounter } from './perf-event-counter';
import { repeatEvery, type Repeating } from './repeat-every';

/** Upstream's size: 1024 pages (4 MiB) per CPU, room for bursts while JS is busy with a scrape. */
export const PERF_BUFFER_PAGES = 1024;

export const LOST_EVENTS_METRIC = 'ebpf_exporter_perf_event_array_lost_events_total';

interface CounterStream {
  attached: AttachedConfig;
  /** Index in the config's metrics.counters, for error messages. */
  index: number;
  counter: PerfEventCounter;
  lost: number;
}

/** One config's counters and what reading them holds open. */
interface ConfigCounters {
  streams: CounterStream[];
  buffers: EventBuffer[];
  timers: Repeating[];
}

export type DecoderErrorSink = (config: string, error: Error) => void;

export class PerfEventCounters {
  /** By attached config (a reload may run two objects of one config for a moment), in start order. */
  private readonly configs = new Map<AttachedConfig, ConfigCounters>();

  constructor(private readonly decoders: DecoderRegistry) {}

  /** Opens the perf buffers of one config's counters and starts their flush timers. */
  start(attached: AttachedConfig, onDecoderError: DecoderErrorSink): void {
    checkPerfEventArrayMaps(attached);
    const { config, object } = attached;
    const streams = config.metrics.counters.flatMap((counter, index) =>
      counter.perfEventArray ? [{ attached, index, counter: new PerfEventCounter(counter, this.decoders), lost: 0 }] : [],
    );
    if (streams.length === 0) return;
    const opened: ConfigCounters = { streams, buffers: [], timers: [] };
    try {
      for (const stream of streams) {
        const onRecord = (record: Uint8Array): void => {
          try {
            stream.counter.count(record);
          } catch (error) {
            onDecoderError(config.name, error instanceof Error ? error : new Error(String(error)));
          }
        };
        const { counter } = stream.counter;
        opened.buffers.push(object.openPerfBuffer(counter.map, onRecord, (count) => (stream.lost += count), { pageCount: PERF_BUFFER_PAGES }));
        opened.timers.push(repeatEvery(counter.flushIntervalMs, () => stream.counter.reset()));
      }
    } catch (error) {
      closeCounters(opened);
      throw error;
    }
    this.configs.set(attached, opened);
  }

  /** Closes one config's perf buffers; its counts go with them. */
  stop(attached: AttachedConfig): void {
    const counters = this.configs.get(attached);
    if (counters === undefined) return;
    this.configs.delete(attached);
    closeCounters(counters);
  }

  families(): MetricFamily[] {
    const streams = [...this.configs.values()].flatMap((counters) => counters.streams);
    if (streams.length === 0) return [];
    return [
      ...streams.map((stream) => stream.counter.family()),
      {
        name: LOST_EVENTS_METRIC,
        help: 'Events of a perf_event_array counter lost before they were counted: its perf buffer or the exporter record queue was full',
        type: 'counter',
        series: streams.map((stream) => ({
          labelNames: ['config', 'counter'],
          labelValues: [stream.attached.config.name, stream.counter.counter.name],
          value: stream.lost,
        })),
      },
    ];
  }

  close(): void {
    for (const attached of [...this.configs.keys()]) this.stop(attached);
  }
}

function closeCounters({ buffers, timers }: ConfigCounters): void {
  for (const timer of timers.splice(0)) timer.cancel();
  for (const buffer of buffers.splice(0)) buffer.close();
}
