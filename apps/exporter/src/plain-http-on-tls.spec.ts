// A real HTTPS server on loopback, spoken to by a raw socket (plain HTTP) and by Node's TLS client.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPlainHttpOnTls, PLAIN_HTTP_ANSWER } from './plain-http-on-tls';
import { selfSigned } from './testing/self-signed';

let server: Server;
let port: number;

beforeAll(async () => {
  const pair = selfSigned(mkdtempSync(join(tmpdir(), 'plain-http-')), 'server');
  server = createServer({ cert: readFileSync(pair.cert), key: readFileSync(pair.key) }, (_request, response) => response.end('over tls\n'));
  answerPlainHttpOnTls(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const plainRequest = (bytes: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });

const tlsRequest = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });

describe('answerPlainHttpOnTls', () => {
  it('answers plain HTTP with a 400 that says what happened, then closes', async () => {
    expect(await plainRequest('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n')).toBe(PLAIN_HTTP_ANSWER);
    expect(await plainRequest('P')).toBe(PLAIN_HTTP_ANSWER);
  });

  it('leaves TLS connections to TLS, whole requests included', async () => {
    for (let i = 0; i < 3; i++) expect(await tlsRequest()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*over tls\n$/);
  });

  it('closes a connection whose first bytes are neither, as a failed handshake', async () => {
    expect(await plainRequest('\x00\x01garbage')).toBe('');
  });
});
