// Builds the HTTP application; never listens (main.ts does), so tests can drive it with inject().
import { Readable } from 'node:stream';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { negotiateFormat, textChunks, threadSlicer, type IntegerLineWriter } from '@ebpf-exporter/metrics';
import { landingPage } from './landing-page';
import type { FamilySource } from './scraper';
import { accessControl, type WebConfig } from './web-config';

export interface AppOptions {
  families: FamilySource;
  telemetryPath: string;
  configNames: readonly string[];
  /** With --debug only: a text dump of every map. */
  mapsDump?: () => Promise<string>;
  /** Registers the dashboard under /dashboard/ when present. */
  registerDashboard?: (app: FastifyInstance) => Promise<void>;
  /** TLS and authentication from --web.config.file. */
  webConfig?: WebConfig;
  /** The addon's writer for integer-valued lines (see IntegerLineWriter); tests leave it to JavaScript. */
  integerLines?: IntegerLineWriter;
  /** Runs once a scrape's response is sent (the exporter gives malloc's free pages back to the kernel). */
  /** Called once each scrape's answer is sent, with its size in characters. */
  afterScrape?: (exposedChars: number) => void;
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
  // Node checks those timeouts every connectionsCheckingInterval (30 s by default): every 2 s instead.
  http: { headersTimeout: 10_000, connectionsCheckingInterval: 2_000 },
} as const;

/** Expositions longer than this are streamed; shorter ones are sent as one string. */
const STREAM_ABOVE_CHARS = 64 * 1024;

/**
 * The exposition chunk by chunk, letting the event loop run whenever the thread's time slice is used up.
 * Backpressure alone does not: on a fast (loopback) connection every socket write completes at once, so a
 * stream over the plain chunk iterator formatted a 1M-series scrape in one go and held every other request
 * for seconds. `sent` counts the characters handed on.
 */
async function* yieldingChunks(head: readonly string[], rest: Iterator<string>, sent: { chars: number }): AsyncGenerator<string> {
  for (const chunk of head) {
    sent.chars += chunk.length;
    yield chunk;
    await threadSlicer.pause();
  }
  for (let next = rest.next(); !next.done; next = rest.next()) {
    sent.chars += next.value.length;
    yield next.value;
    await threadSlicer.pause();
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const https = options.webConfig?.https;
  const app = (https ? Fastify({ logger: false, https, ...SERVER_LIMITS }) : Fastify({ logger: false, ...SERVER_LIMITS })) as unknown as FastifyInstance;
  if (options.maxConnections) app.server.maxConnections = options.maxConnections;
  if (options.webConfig) app.addHook('onRequest', accessControl(options.webConfig));
  // gzip at level 1, not zlib's default 6: Prometheus always asks for gzip, and a 100k-series exposition
  // (5.5 MB) then takes 13 ms of compression instead of 28, for an 11% larger body (588 KB instead of 528).
  await app.register(compress, { global: true, threshold: 1024, zlibOptions: { level: 1 } });

  const afterScrape = options.afterScrape;
  const exposed = new WeakMap<object, { chars: number }>();
  const routeOptions = afterScrape ? { onResponse: async (request: object) => afterScrape(exposed.get(request)?.chars ?? 0) } : {};
  const inFlight = { scrapes: 0 };
  app.get(options.telemetryPath, routeOptions, async (request, reply) => {
    // As promhttp's MaxRequestsInFlight (node_exporter's --web.max-requests): refuse at once, never queue,
    // so a flood of scrapes cannot pile up collections and their memory.
    if (options.maxRequests && inFlight.scrapes >= options.maxRequests) {
      return reply.code(503).type('text/plain; charset=utf-8').send(`Limit of concurrent requests reached (${options.maxRequests}), try again later.\n`);
    }
    inFlight.scrapes++;
    reply.raw.once('close', () => inFlight.scrapes--);
    const { format, contentType } = negotiateFormat(request.headers.accept);
    const families = await options.families.families();
    reply.header('content-type', contentType);
    const chunks = textChunks(families, format, options.integerLines ? { integerLines: options.integerLines } : {})[Symbol.iterator]();
    // A small exposition (the usual case: the starter configs write ~10 KB) goes out as one string,
    // without the stream, generator and pauses a large one needs.
    const head: string[] = [];
    let headChars = 0;
    let next = chunks.next();
    for (; !next.done && headChars < STREAM_ABOVE_CHARS; next = chunks.next()) {
      head.push(next.value);
      headChars += next.value.length;
    }
    const sent = { chars: 0 };
    exposed.set(request, sent);
    if (next.done) {
      sent.chars = headChars;
      return reply.send(head.join(''));
    }
    head.push(next.value);
    return reply.send(Readable.from(yieldingChunks(head, chunks, sent)));
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

  const page = landingPage({
    telemetryPath: options.telemetryPath,
    configNames: options.configNames,
    dashboard: options.registerDashboard !== undefined,
    debug: mapsDump !== undefined,
  });
  // Upstream's Go mux answers every unknown path with the landing page; keep that.
  app.setNotFoundHandler((_request, reply) => reply.code(200).type('text/html; charset=utf-8').send(page));
  return app;
}
