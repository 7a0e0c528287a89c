// A perf_event_array counter: the kernel sends one record per event and the exporter does the counting,
// as upstream does. Each record is decoded into label values and adds 1 to its series; reset() forgets
// every series, which is what a flush_interval tick does.
import { decodeRecord, SKIP, type CounterConfig, type DecoderRegistry, type MetricFamily, type ScalarSeries } from '@ebpf-exporter/metrics';

/** NUL joins label values into one map key; decoded values practically never contain it. */
const SERIES_KEY_SEPARATOR = '\u0000';

export class PerfEventCounter {
  private readonly series = new Map<string, ScalarSeries>();

  constructor(
    readonly counter: CounterConfig,
    private readonly decoders: DecoderRegistry,
  ) {}

  /**
   * Counts one record; a record whose labels a decoder skipped is dropped silently, as on a map read.
   * @throws Error when the record is too short or a decoder fails.
   */
  count(record: Uint8Array): void {
    const decoded = decodeRecord(this.decoders, this.counter.labels, record);
    if (decoded === SKIP) return;
    const key = decoded.labelValues.join(SERIES_KEY_SEPARATOR);
    const existing = this.series.get(key);
    if (existing) existing.value += 1;
    else this.series.set(key, { labelNames: decoded.labelNames, labelValues: decoded.labelValues, value: 1 });
  }

  reset(): void {
    this.series.clear();
  }

  /** A snapshot: later counts do not change families already handed out (the dashboard keeps them). */
  family(): MetricFamily & { series: ScalarSeries[] } {
    return {
      name: `ebpf_exporter_${this.counter.name}`,
      help: this.counter.help,
      type: 'counter',
      series: [...this.series.values()].map((series) => ({ ...series })),
    };
  }
}
