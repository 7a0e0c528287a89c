// The map types event streams need, checked before anything is opened: a reload refuses a config whose
// counters or spans name the wrong map while the old set keeps running. Kept apart from span-streams so
// checking a config loads no OpenTelemetry.
import type { AttachedConfig } from '../bpf-runtime';
import { StartupError } from '../config-loader';

const mapType = (attached: AttachedConfig, map: string): string | undefined => attached.object.maps().find((info) => info.name === map)?.type;

function wrongMapType(attached: AttachedConfig, field: string, position: { line: number; column: number }, map: string, expected: string): StartupError {
  const type = mapType(attached, map);
  return new StartupError(`${attached.config.file}:${position.line}:${position.column}: ${field}: map ${JSON.stringify(map)} is a ${type ?? 'missing'} map, not a ${expected}`);
}

/** @throws StartupError naming the file, line and field of the first counter whose map is not a perf_event_array. */
export function checkPerfEventArrayMaps(attached: AttachedConfig): void {
  attached.config.metrics.counters.forEach((counter, index) => {
    if (counter.perfEventArray && mapType(attached, counter.map) !== 'perf_event_array') {
      throw wrongMapType(attached, `metrics.counters[${index}].perf_event_array`, counter.position, counter.map, 'perf_event_array');
    }
  });
}

/** @throws StartupError naming the file, line and field of the first span whose map is not a ringbuf. */
export function checkRingbufMaps(attached: AttachedConfig): void {
  attached.config.tracing.spans.forEach((span, index) => {
    if (mapType(attached, span.ringbuf) !== 'ringbuf') throw wrongMapType(attached, `tracing.spans[${index}].ringbuf`, span.position, span.ringbuf, 'ringbuf');
  });
}
