// exec-trace end to end: real tp_btf programs put process spans into a ring buffer, the exporter turns them
// into OpenTelemetry spans and sends them over OTLP/HTTP to a receiver in this test (a plain node:http
// server: no collector binary is available here), which checks what arrived.
import { execa } from 'execa';
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, parseSamples, runExporter, startExporter, type RunningExporter } from './exporter-process';

interface OtlpRequest {
  contentType: string;
  body: Buffer;
}

interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string>;
}

/** OTLP/HTTP receiver: every POST to /v1/traces is kept and answered with an empty success. */
async function startReceiver(): Promise<{ server: Server; endpoint: string; requests: OtlpRequest[] }> {
  const requests: OtlpRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if (request.method === 'POST' && request.url === '/v1/traces') requests.push({ contentType: request.headers['content-type'] ?? '', body });
      const json = request.headers['content-type'] === 'application/json';
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('receiver has no address');
  return { server, endpoint: `http://127.0.0.1:${address.port}`, requests };
}

type JsonValue = { stringValue?: string; intValue?: string | number };
interface JsonSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: { key: string; value: JsonValue }[];
}
interface JsonRequest {
  resourceSpans: { resource: { attributes: { key: string; value: JsonValue }[] }; scopeSpans: { spans: JsonSpan[] }[] }[];
}

/** Spans of OTLP http/json requests (the JSON the SDK's JsonTraceSerializer writes). */
function jsonSpans(requests: readonly OtlpRequest[]): ReceivedSpan[] {
  const attributes = (list: { key: string; value: JsonValue }[] = []) =>
    Object.fromEntries(list.map(({ key, value }) => [key, String(value.stringValue ?? value.intValue)]));
  return requests.flatMap((request) => {
    expect(request.contentType).toBe('application/json');
    return (JSON.parse(request.body.toString('utf8')) as JsonRequest).resourceSpans.flatMap((resourceSpans) =>
      resourceSpans.scopeSpans.flatMap((scope) =>
        scope.spans.map((span) => ({
          service: attributes(resourceSpans.resource.attributes)['service.name'] ?? '',
          name: span.name,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          startNs: BigInt(span.startTimeUnixNano),
          endNs: BigInt(span.endTimeUnixNano),
          attributes: attributes(span.attributes),
        })),
      ),
    );
  });
}

/** A shell (root span) running two commands (child spans); `:` at the end keeps bash from exec'ing the last one. */
async function runShell(): Promise<number> {
  const shell = execa('bash', ['-c', '/bin/sleep 0.2; /bin/true; :']);
  await shell;
  return shell.pid as number;
}

async function until<T>(what: string, find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const OTEL_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_BSP_SCHEDULE_DELAY', 'OTEL_SERVICE_NAME'];

/** The launcher inherits this process's environment, which is how the OTEL_* variables reach it. */
function setOtelEnv(values: Record<string, string>): void {
  for (const name of OTEL_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}

describe('exec-trace spans over OTLP', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    setOtelEnv({});
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  it('sends a span per process with the parent/child ids, service, attributes and times of the kernel records', async () => {
    receiver.requests.length = 0;
    setOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' });
    const exporter: RunningExporter = await startExporter(['--config.dir=examples', '--config.names=exec-trace']);
    try {
      const startedNs = BigInt(Date.now()) * 1_000_000n;
      const shellPid = await runShell();
      const shell = await until('the shell span', () => jsonSpans(receiver.requests).find((span) => span.attributes.pid === String(shellPid)));
      const children = await until('two child spans', () => {
        const found = jsonSpans(receiver.requests).filter((span) => span.attributes.ppid === String(shellPid));
        return found.length >= 2 ? found : undefined;
      });
      const finishedNs = BigInt(Date.now()) * 1_000_000n;

      expect(shell).toMatchObject({ service: 'exec-trace', name: 'bash', parentSpanId: '' });
      expect(shell.attributes['ebpf_exporter.config']).toBe('exec-trace');
      expect(shell.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(children.map((span) => span.name).sort()).toEqual(['sleep', 'true']);
      for (const child of children) {
        expect(child).toMatchObject({ service: 'exec-trace', traceId: shell.traceId, parentSpanId: shell.spanId });
        expect(child.spanId).not.toBe(shell.spanId);
        // One kernel clock and one conversion: a child lies within its parent.
        expect(child.startNs).toBeGreaterThanOrEqual(shell.startNs);
        expect(child.endNs).toBeLessThanOrEqual(shell.endNs);
      }
      for (const span of [shell, ...children]) {
        expect(span.endNs).toBeGreaterThan(span.startNs);
        // The monotonic-to-wall conversion puts the spans within this test's run (50 ms slack for clocks).
        expect(span.startNs).toBeGreaterThan(startedNs - 50_000_000n);
        expect(span.endNs).toBeLessThan(finishedNs + 50_000_000n);
      }
      const sleep = children.find((span) => span.name === 'sleep');
      expect(Number((sleep?.endNs ?? 0n) - (sleep?.startNs ?? 0n)) / 1e9).toBeGreaterThanOrEqual(0.2);

      const metrics = parseSamples(await (await fetch(`${exporter.url}/metrics`)).text());
      expect(metrics.filter((s) => s.name === 'ebpf_exporter_tracing_lost_spans_total')).toEqual([
        { name: 'ebpf_exporter_tracing_lost_spans_total', labels: { config: 'exec-trace', span: 'exec' }, value: 0 },
      ]);
      expect(metrics.find((s) => s.name === 'ebpf_exporter_decoder_errors_total')?.value).toBe(0);
    } finally {
      expect((await exporter.stop()).exitCode).toBe(0);
    }
  });

  it('flushes spans still queued when it is stopped, over the default http/protobuf', async () => {
    receiver.requests.length = 0;
    // A batch delay far beyond the test: spans can only arrive through the flush on SIGTERM.
    setOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '600000' });
    const exporter = await startExporter(['--config.dir=examples', '--config.names=exec-trace']);
    const shellPid = await runShell();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.requests).toHaveLength(0);
    expect((await exporter.stop()).exitCode).toBe(0);

    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((request) => request.contentType === 'application/x-protobuf')).toBe(true);
    // No protobuf request decoder ships with the SDK; the span's strings are stored verbatim in the message.
    const body = Buffer.concat(receiver.requests.map((request) => request.body));
    for (const text of ['exec-trace', 'ebpf_exporter.config', String(shellPid), 'sleep']) expect(body.includes(Buffer.from(text))).toBe(true);
  });

  it('logs spans it could not send at shutdown and still exits cleanly', async () => {
    setOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_BSP_SCHEDULE_DELAY: '600000' });
    const exporter = await startExporter(['--config.dir=examples', '--config.names=exec-trace']);
    await runShell();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { exitCode, output } = await exporter.stop();
    expect(exitCode).toBe(0);
    expect(output).toMatch(/OpenTelemetry: spans lost at shutdown: .*ECONNREFUSED/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('sets up no tracing for --config.check', async () => {
    receiver.requests.length = 0;
    setOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '10' });
    // Processes exec and exit all through the check (it attaches the programs for real), then a little longer.
    const workload = execa('bash', ['-c', 'for i in $(seq 40); do /bin/true; /bin/sleep 0.1; done']);
    const { exitCode, stderr } = await runExporter(['--config.dir=examples', '--config.names=exec-trace', '--config.check']);
    await workload;
    expect(exitCode).toBe(0);
    expect(stderr).toContain('Config check successful, exiting');
    expect(receiver.requests).toHaveLength(0);
  });
});
