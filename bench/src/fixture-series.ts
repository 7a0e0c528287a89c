// What the scrape fixture holds once bench/native/map-tool.c has filled it, in exposition terms. Must
// agree with map-tool's fill-counter / fill-histogram and with the configs below.

/** Counter map: key {u64 tenant = i / 1000, u64 object = i}, value i + 1. */
export function counterSeries(entries: number) {
  return {
    metricName: 'ebpf_exporter_ops_total',
    help: 'Operations by tenant and object (benchmark fixture)',
    entries,
    tenant: (i: number) => String(Math.floor(i / 1000)),
    object: (i: number) => String(i),
    value: (i: number) => i + 1,
  };
}

export const HISTOGRAM_LABEL_SETS = 100;
/** exp2 buckets 0..27 plus the sum slot at 28. */
export const HISTOGRAM_BUCKET_MAX = 27;
export const HISTOGRAM_SLOTS = HISTOGRAM_BUCKET_MAX + 2;

export const COUNTER_CONFIG = `metrics:
  counters:
    - name: ops_total
      help: ${counterSeries(0).help}
      labels:
        - name: tenant
          size: 8
          decoders:
            - name: uint
        - name: object
          size: 8
          decoders:
            - name: uint
`;

export const HISTOGRAM_CONFIG = `metrics:
  histograms:
    - name: op_latency_seconds
      help: Operation latency by shard (benchmark fixture)
      bucket_type: exp2
      bucket_min: 0
      bucket_max: ${HISTOGRAM_BUCKET_MAX}
      bucket_multiplier: 0.000001
      labels:
        - name: shard
          size: 8
          decoders:
            - name: uint
        - name: bucket
          size: 8
          decoders:
            - name: uint
`;

/** Counts the samples of `metric` in exposition text (one per series for a counter). */
export function countSamples(text: string, sampleName: string): number {
  let count = 0;
  const needle = `\n${sampleName}{`;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}
