// Accept-Encoding as RFC 9110 (12.5.3) reads it, where @fastify/compress alone does not: a client that
// refuses identity (`identity;q=0`, or `*;q=0` without an identity entry) must get a coding it accepts or
// 406, never the plain body it said it cannot take. @fastify/compress picks the coding (the same
// negotiator, the same list); this only covers what it leaves plain: no acceptable coding at all, and
// bodies under its size threshold.
import * as zlib from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Coding = 'zstd' | 'br' | 'gzip' | 'deflate' | 'identity';

// zstd only where the runtime has it (Node 22.15+), as @fastify/compress decides too: the benchmark still
// runs the bundle on the machine's old Node 20 to compare runtimes.
const zstdCompressSync = (zlib as { zstdCompressSync?: (body: Buffer) => Buffer }).zstdCompressSync;

/** The codings served, in the server's order of preference (the order @fastify/compress uses). */
export const CONTENT_CODINGS: readonly Coding[] = zstdCompressSync ? ['zstd', 'br', 'gzip', 'deflate', 'identity'] : ['br', 'gzip', 'deflate', 'identity'];

const COMPRESS_SYNC: Record<Exclude<Coding, 'identity'>, (body: Buffer) => Buffer> = {
  zstd: (body) => (zstdCompressSync as (body: Buffer) => Buffer)(body),
  br: (body) => zlib.brotliCompressSync(body),
  gzip: (body) => zlib.gzipSync(body, { level: 1 }),
  deflate: (body) => zlib.deflateSync(body, { level: 1 }),
};

/** Whether the header says the client cannot take an uncoded body. */
export function identityRefused(header: string): boolean {
  let identity: number | undefined;
  let any: number | undefined;
  for (const entry of header.split(',')) {
    const [name = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    const weight = q === undefined ? 1 : Number(q.replace(/^q\s*=\s*/, ''));
    if (name === 'identity') identity = weight;
    else if (name === '*') any = weight;
  }
  return identity === 0 || (identity === undefined && any === 0);
}

/** The coding to answer with: one of CONTENT_CODINGS, or null when none is acceptable. */
export function negotiatedCoding(header: string | undefined): Coding | null {
  if (header === undefined) return 'identity';
  // As @fastify/compress: header tokens are case-insensitive, x-gzip is gzip.
  const chosen = negotiate(header.toLowerCase().replace(/x-gzip/g, 'gzip'), [...CONTENT_CODINGS]);
  if (chosen !== null) return chosen;
  return identityRefused(header) ? null : 'identity';
}

/**
 * Registers the two hooks; call it after @fastify/compress, so the onSend hook runs after its own and
 * sees what it left uncoded.
 */
export function registerContentCoding(app: FastifyInstance): void {
  // The coding of each request that refused identity and accepts one, decided once: onSend then has
  // nothing to parse for the usual `Accept-Encoding: gzip`.
  const mustCode = new WeakMap<FastifyRequest, Exclude<Coding, 'identity'>>();
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['accept-encoding'];
    const coding = negotiatedCoding(header);
    if (coding !== null) {
      if (coding !== 'identity' && identityRefused(header as string)) mustCode.set(request, coding);
      return;
    }
    return reply
      .code(406)
      .header('vary', 'Accept-Encoding')
      .type('text/plain; charset=utf-8')
      .send(`Not Acceptable: no content coding of ${CONTENT_CODINGS.join(', ')} is acceptable to this Accept-Encoding\n`);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const coding = mustCode.get(request);
    if (coding === undefined || reply.hasHeader('content-encoding')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    // Only small bodies reach here (@fastify/compress codes larger ones), so a synchronous coding is cheap.
    const coded = COMPRESS_SYNC[coding](Buffer.from(payload));
    reply.header('content-encoding', coding).header('vary', 'Accept-Encoding').header('content-length', coded.length);
    return coded;
  });
}
