// Every perf_event_array counter of every config: one perf buffer per counter map, the flush_interval
// reset, and the events lost because a perf buffer (or the addon's queue towards JS) was full. Upstream
// creates a counter for lost events but never exports it; here it is
// ebpf_exporter_perf_event_array_lost_events_total.
import type { EventBuffer } from '@ebpf-exporter/bpf-native';
import type { DecoderRegistry, MetricFamily } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from '../bpf-runtime';
import { StartupError } from '../config-loader';
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

export type DecoderErrorSink = (config: string, error: Error) => void;

export class PerfEventCounters {
  private readonly streams: CounterStream[];
  private readonly buffers: EventBuffer[] = [];
  private readonly timers: Repeating[] = [];

  constructor(attached: readonly AttachedConfig[], decoders: DecoderRegistry) {
    this.streams = attached.flatMap((entry) =>
      entry.config.metrics.counters.flatMap((counter, index) =>
        counter.perfEventArray ? [{ attached: entry, index, counter: new PerfEventCounter(counter, decoders), lost: 0 }] : [],
      ),
    );
  }

  /** Opens the perf buffers and starts the flush timers. */
  start(onDecoderError: DecoderErrorSink): void {
    for (const stream of this.streams) {
      const { config, object } = stream.attached;
      const { counter } = stream.counter;
      const map = object.maps().find((info) => info.name === counter.map);
      if (map?.type !== 'perf_event_array') {
        const { line, column } = counter.position;
        throw new StartupError(
          `${config.file}:${line}:${column}: metrics.counters[${stream.index}].perf_event_array: map ${JSON.stringify(counter.map)} is a ${map?.type ?? 'missing'} map, not a perf_event_array`,
        );
      }
      const onRecord = (record: Uint8Array): void => {
        try {
          stream.counter.count(record);
        } catch (error) {
          onDecoderError(config.name, error instanceof Error ? error : new Error(String(error)));
        }
      };
      this.buffers.push(object.openPerfBuffer(counter.map, onRecord, (count) => (stream.lost += count), { pageCount: PERF_BUFFER_PAGES }));
      this.timers.push(repeatEvery(counter.flushIntervalMs, () => stream.counter.reset()));
    }
  }

  families(): MetricFamily[] {
    if (this.streams.length === 0) return [];
    return [
      ...this.streams.map((stream) => stream.counter.family()),
      {
        name: LOST_EVENTS_METRIC,
        help: 'Events of a perf_event_array counter lost before they were counted: its perf buffer or the exporter record queue was full',
        type: 'counter',
        series: this.streams.map((stream) => ({
          labelNames: ['config', 'counter'],
          labelValues: [stream.attached.config.name, stream.counter.counter.name],
          value: stream.lost,
        })),
      },
    ];
  }

  close(): void {
    for (const timer of this.timers.splice(0)) timer.cancel();
    for (const buffer of this.buffers.splice(0)) buffer.close();
  }
}
