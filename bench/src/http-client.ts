// Timed HTTP GETs over one keep-alive connection pool, measured from the request to the last body byte.
// No Accept-Encoding header unless `gzip` is asked for: the judged scrapes are uncompressed, so they are
// about producing the exposition; a few gzip scrapes show what Prometheus, which always asks for gzip, waits.
import { Agent, get } from 'node:http';

export interface TimedResponse {
  ms: number;
  status: number;
  bytes: number;
  /** The body, only when asked for (a 1M-series body is ~50 MB). */
  text?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function timedGet(url: string, options: { keepText?: boolean; timeoutMs?: number; gzip?: boolean } = {}): Promise<TimedResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers = options.gzip ? { 'accept-encoding': 'gzip' } : {};
    const request = get(url, { agent, headers, timeout: options.timeoutMs ?? 60_000 }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (options.keepText) chunks.push(chunk);
      });
      response.on('end', () =>
        resolve({
          ms: performance.now() - started,
          status: response.statusCode ?? 0,
          bytes,
          ...(options.keepText ? { text: Buffer.concat(chunks).toString('utf8') } : {}),
        }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: no answer in ${options.timeoutMs ?? 60_000} ms`)));
    request.on('error', reject);
  });
}

/**
 * Sends GET `url` every `intervalMs` until `until` settles and returns the slowest answer: how long other
 * requests wait while the server is busy with a scrape. A request that fails or times out counts with the
 * time it waited, so a server that stops answering shows up as slow, not as a crashed benchmark.
 */
export async function slowestAnswerDuring(url: string, until: Promise<unknown>, intervalMs: number, timeoutMs = 30_000): Promise<number> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  let slowest = 0;
  const pending: Promise<void>[] = [];
  while (!done) {
    const sent = performance.now();
    pending.push(
      timedGet(url, { timeoutMs }).then(
        ({ ms }) => void (slowest = Math.max(slowest, ms)),
        () => void (slowest = Math.max(slowest, performance.now() - sent)),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await Promise.all(pending);
  return slowest;
}
