// Builds the HTTP application; never listens (main.ts does), so tests can drive it with inject().
import { finished } from 'node:stream';
import type { Server as TlsServer } from 'node:tls';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { expositionPool, type HistogramEncoding, type IntegerLineWriter } from '@ebpf-exporter/metrics';
import { CONTENT_CODINGS, registerContentCoding } from './content-coding';
import { COMPRESSIBLE_EXPOSITIONS, negotiateExposition } from './exposition-format';
import { ExpositionStream } from './exposition-stream';
import { landingPage } from './landing-page';
import type { ReloadOutcome } from './live-configs';
import { answerPlainHttpOnTls } from './plain-http-on-tls';
import type { FamilySource } from './scraper';
import { accessControl, type WebConfig } from './web-config';

export interface AppOptions {
  families: FamilySource;
  telemetryPath: string;
  /** The configs running now (a reload changes them). */
  configNames: () => readonly string[];
  /** With --web.enable-lifecycle: reloads the configs (POST or PUT /-/reload, as Prometheus). */
  reload?: () => Promise<ReloadOutcome>;
  /** With --debug only: a text dump of every map. */
  mapsDump?: () => Promise<string>;
  /** Registers the dashboard under /dashboard/ when present. */
  registerDashboard?: (app: FastifyInstance) => Promise<void>;
  /** TLS and authentication from --web.config.file. */
  webConfig?: WebConfig;
  /** The addon's writer for integer-valued lines (see IntegerLineWriter); tests leave it to JavaScript. */
  integerLines?: IntegerLineWriter;
  /** What histograms carry in the protobuf exposition (--histograms.native, --histograms.classic). */
  histograms?: HistogramEncoding;
  /** Called once each scrape's answer is sent, with its size in bytes (the exporter gives malloc's free pages back to the kernel). */
  afterScrape?: (exposedBytes: number) => void;
  /** Scrapes served at once (`--web.max-requests`); more are answered 503 at once. 0 = no limit. */
  maxRequests?: number;
  /** Open connections (`--web.max-connections`); more are closed as they arrive. 0 = no limit. */
  maxConnections?: number;
}

// Limits on what a client can make the server hold, after Go's net/http as node_exporter and
// exporter-toolkit configure it: no endpoint takes a body, a request's headers and the whole request must
// arrive within seconds (slowloris: a client trickling a byte now and then would otherwise keep its socket,
// and the memory behind it, forever), and headers are capped by Node's default of 16 KiB (431).
const SERVER_LIMITS = {
  bodyLimit: 16 * 1024,
  requestTimeout: 10_000,
  // An idle keep-alive connection is closed after 30 s (Fastify's default is 72 s): long enough for scrapes
  // every 15 s to reuse theirs, short enough that idle clients do not pile up sockets. A client scraping less
  // often reconnects, which Prometheus' Go client does by itself.
  keepAliveTimeout: 30_000,
  // Node checks those timeouts every connectionsCheckingInterval (30 s by default): every 2 s instead.
  http: { headersTimeout: 10_000, connectionsCheckingInterval: 2_000 },
} as const;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const https = options.webConfig?.https;
  const app = (https ? Fastify({ logger: false, https, ...SERVER_LIMITS }) : Fastify({ logger: false, ...SERVER_LIMITS })) as unknown as FastifyInstance;
  if (https) answerPlainHttpOnTls(app.server as unknown as TlsServer);
  if (options.maxConnections) app.server.maxConnections = options.maxConnections;
  if (options.webConfig) app.addHook('onRequest', accessControl(options.webConfig));
  // gzip at level 1, not zlib's default 6: Prometheus always asks for gzip, and a 100k-series exposition
  // (5.5 MB) then takes 13 ms of compression instead of 28, for an 11% larger body (588 KB instead of 528).
  // OpenMetrics and protobuf are compressible too: Prometheus 3 asks for one of them first, and
  // @fastify/compress's own list (mime-db) does not know their types.
  // A body sent whole (one exposition chunk: the usual scrape) is coded in one synchronous call: a zlib stream
  // per response (@fastify/compress's choice above 8 KiB on 2 cores) cost ~1 ms of CPU for the starter
  // configs' 18 KB, the call ~0.2 ms. Larger expositions are streamed, and stay streamed.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    syncThreshold: expositionPool.chunkBytes,
    zlibOptions: { level: 1 },
    customTypes: COMPRESSIBLE_EXPOSITIONS,
    encodings: [...CONTENT_CODINGS],
  });
  registerContentCoding(app);

  const afterScrape = options.afterScrape;
  const exposed = new WeakMap<object, { bytes: number }>();
  const routeOptions = afterScrape ? { onResponse: async (request: object) => afterScrape(exposed.get(request)?.bytes ?? 0) } : {};
  const inFlight = { scrapes: 0 };
  app.get(options.telemetryPath, routeOptions, async (request, reply) => {
    // As promhttp's MaxRequestsInFlight (node_exporter's --web.max-requests): refuse at once, never queue,
    // so a flood of scrapes cannot pile up collections and their memory.
    if (options.maxRequests && inFlight.scrapes >= options.maxRequests) {
      return reply.code(503).type('text/plain; charset=utf-8').send(`Limit of concurrent requests reached (${options.maxRequests}), try again later.\n`);
    }
    inFlight.scrapes++;
    reply.raw.once('close', () => inFlight.scrapes--);
    const exposition = negotiateExposition(request.headers.accept, { integerLines: options.integerLines, histograms: options.histograms });
    const families = await options.families.families();
    reply.header('content-type', exposition.contentType);
    const chunks = exposition.chunks(families);
    const sent = { bytes: 0 };
    exposed.set(request, sent);
    const first = chunks.next();
    if (first.done) return reply.send('');
    const second = chunks.next();
    if (second.done) {
      // An exposition of one chunk (the usual case: the starter configs write ~10 KB) goes out whole, without
      // the stream and pauses a large one needs. Its buffer is free once the response is sent (compress's
      // gzip, if any, has read it by then); a response that fails leaves it to the garbage collector.
      const chunk = first.value;
      sent.bytes = chunk.length;
      finished(reply.raw, (error) => {
        if (!error) expositionPool.give(chunk);
      });
      return reply.send(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    return reply.send(new ExpositionStream([first.value, second.value], chunks, expositionPool, sent));
  });

  const mapsDump = options.mapsDump;
  if (mapsDump) {
    app.get('/maps', async (_request, reply) => {
      try {
        return reply.type('text/plain; charset=utf-8').send(await mapsDump());
      } catch (error) {
        return reply.code(500).type('text/plain; charset=utf-8').send(error instanceof Error ? error.message : String(error));
      }
    });
  }

  if (options.registerDashboard) await options.registerDashboard(app);

  const reload = options.reload;
  // Prometheus' lifecycle endpoint, its answers included: 403 while the flag is off, 500 with the error
  // when a reload fails; 400 here when the configs were refused before anything was loaded.
  app.route({
    method: ['POST', 'PUT'],
    url: '/-/reload',
    handler: async (_request, reply) => {
      const text = reply.type('text/plain; charset=utf-8');
      if (!reload) return text.code(403).send('Lifecycle API is not enabled.\n');
      const outcome = await reload();
      if (outcome.ok) return text.code(200).send(`${outcome.summary}\n`);
      return text.code(outcome.phase === 'config' ? 400 : 500).send(`failed to reload config: ${outcome.error}\n`);
    },
  });

  const page = (): string =>
    landingPage({
      telemetryPath: options.telemetryPath,
      configNames: options.configNames(),
      dashboard: options.registerDashboard !== undefined,
      debug: mapsDump !== undefined,
    });
  // Upstream's Go mux answers every unknown path with the landing page; keep that for reading methods.
  // Any other method is refused with the methods that path takes (RFC 9110's 405 and Allow): a POST to
  // /metrics that answered 200 would tell a client its write had been taken.
  app.setNotFoundHandler((request, reply) => {
    const allow = request.url.split('?')[0] === '/-/reload' ? ['POST', 'PUT'] : ['GET', 'HEAD'];
    if (allow.includes(request.method)) return reply.code(200).type('text/html; charset=utf-8').send(page());
    return reply.code(405).header('allow', allow.join(', ')).type('text/plain; charset=utf-8').send(`Method Not Allowed: ${request.method} (this path takes ${allow.join(', ')})\n`);
  });
  return app;
}
