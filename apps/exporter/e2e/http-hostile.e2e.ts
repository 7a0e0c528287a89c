// The HTTP surface of the real exporter (examples/timers, dashboard included) under hostile clients:
// random malformed requests, oversized ones, path tricks on /dashboard/, slow and many connections. After
// each attack the process is alive and a normal scrape answers.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExporter, type RunningExporter } from './exporter-process';

let exporter: RunningExporter;
let port: number;

/**
 * Writes raw bytes, then collects what the server sends until it closes or `waitMs` passes. With `halfClose`
 * the client ends its side at once, so an incomplete request is not waited for; a server may then drop a
 * request it would answer asynchronously, so complete requests keep the socket open.
 */
function exchange(bytes: Buffer | string, waitMs = 2000, halfClose = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
    socket.write(bytes, () => halfClose && socket.end());
  });
}

const statusOf = (response: string): number | undefined => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? NaN) || undefined;

async function expectScrapeAnswers(): Promise<void> {
  const response = await fetch(`${exporter.url}/metrics`);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('ebpf_exporter_timer_starts_total');
  expect(exporter.process.exitCode).toBeNull();
}

const rssKiB = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${exporter.process.pid}/status`, 'utf8'))?.[1]);

beforeAll(async () => {
  exporter = await startExporter(['--config.dir=examples', '--config.names=timers', '--web.max-connections=300']);
  port = Number(new URL(exporter.url).port);
});

afterAll(async () => {
  if (exporter && exporter.process.exitCode === null) expect((await exporter.stop()).exitCode).toBe(0);
});

describe('the HTTP surface under hostile clients', () => {
  it('answers random malformed requests with 4xx or a close, never a 5xx', async () => {
    const token = fc.constantFrom('GET', 'POST', 'FOO', ' ', '/', '/metrics', '/dashboard/', '..', '%', '%00', '\0', '\r\n', '\n', ':', 'HTTP/1.1', 'HTTP/9', 'Host: x', 'Content-Length: 5', 'Transfer-Encoding: chunked', 'Content-Length: -1', 'Expect: 100-continue', '0\r\n\r\n', 'ZZ\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(token, fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('latin1'))), { maxLength: 25 }), async (parts) => {
        const response = await exchange(Buffer.from(`${parts.join('')}\r\n\r\n`, 'latin1'), 1500, true);
        const status = statusOf(response);
        if (status !== undefined) expect(status).toBeLessThan(500);
      }),
      { seed: 20261202, numRuns: 150 },
    );
    await expectScrapeAnswers();
  });

  it('refuses oversized headers, URLs and bodies without reading them all', async () => {
    expect(statusOf(await exchange(`GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1 << 20)}\r\n\r\n`))).toBe(431);
    expect(statusOf(await exchange(`GET /${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`))).toBe(431);
    const body = `POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${10 << 20}\r\n\r\n${'{'.repeat(1 << 16)}`;
    expect(statusOf(await exchange(body))).toBe(413);
    await expectScrapeAnswers();
  });

  it('never serves a file from outside the dashboard, whatever the path', async () => {
    const tricks = ['/dashboard/../../../../etc/passwd', '/dashboard/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/dashboard/..%2f..%2f..%2fetc%2fpasswd', '/dashboard//etc/passwd', '/dashboard/..\\..\\..\\etc\\passwd', '/dashboard/%00', '/dashboard/%c0%ae%c0%ae/etc/passwd', `/dashboard/${'x/'.repeat(2000)}`, '/dashboard/?../../etc/passwd', '/dashboard/%'];
    for (const path of tricks) {
      const response = await exchange(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(statusOf(response), path).toBeLessThan(500);
      expect(response, path).not.toContain('root:x:0:0');
    }
    for (const method of ['HEAD', 'OPTIONS', 'TRACE', 'DELETE', 'BREW']) {
      const status = statusOf(await exchange(`${method} /dashboard/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      if (status !== undefined) expect(status, method).toBeLessThan(500);
    }
    expect(statusOf(await exchange('GET http://evil.example/metrics HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'))).toBeLessThan(500);
    await expectScrapeAnswers();
  });

  it('serves scrapes while slow clients trickle, and cuts those clients', async () => {
    const before = rssKiB();
    const slow: Socket[] = [];
    for (let i = 0; i < 100; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      slow.push(socket);
    }
    const trickle = setInterval(() => slow.forEach((socket) => socket.writable && socket.write('a')), 1000);
    try {
      await expectScrapeAnswers();
      // The header timeout (10 s) closes every one of them, however long they keep trickling.
      const closed = await Promise.all(slow.map((socket) => new Promise<boolean>((resolve) => (socket.destroyed ? resolve(true) : socket.once('close', () => resolve(true))))));
      expect(closed.every(Boolean)).toBe(true);
    } finally {
      clearInterval(trickle);
      slow.forEach((socket) => socket.destroy());
    }
    await expectScrapeAnswers();
    // Bound measured here: 100 slow sockets cost the exporter well under 20 MiB; 100 MiB leaves room for GC timing.
    expect(rssKiB() - before).toBeLessThan(100 * 1024);
  }, 45_000);

  it('closes connections over --web.max-connections and stays up', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 1000 }, () => new Promise<Socket>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', () => resolve(socket));
      })),
    );
    try {
      const closed = await Promise.all(sockets.map((socket) => new Promise<boolean>((resolve) => {
        if (socket.destroyed) return resolve(true);
        const timer = setTimeout(() => resolve(false), 2000);
        socket.once('close', () => (clearTimeout(timer), resolve(true)));
      })));
      // The server drops every connection past its limit of 300 at once.
      expect(closed.filter(Boolean).length).toBeGreaterThanOrEqual(700);
    } finally {
      sockets.forEach((socket) => socket.destroy());
    }
    await expectScrapeAnswers();
  });
});
