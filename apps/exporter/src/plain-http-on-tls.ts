// Plain HTTP sent to the TLS port gets a 400 that says so, as Go's servers answer (node_exporter and
// upstream behind exporter-toolkit), instead of the silent close of a failed handshake that leaves the
// user guessing. The first bytes of each connection are looked at before TLS takes the socket: a TLS
// record starts with a content type byte (0x14 to 0x17), an HTTP request with an uppercase method name.
import type { Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';

export const PLAIN_HTTP_ANSWER = 'HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

/** How long a new connection may stay silent before its first bytes; TLS's own handshake timeout starts after. */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

const looksLikeHttp = (first: Buffer): boolean => (first[0] ?? 0) >= 0x41 && (first[0] ?? 0) <= 0x5a;

/**
 * Puts the guard in front of the server's TLS connection handling. The bytes read are put back with
 * unshift: Node's TLS socket takes over data a socket had already buffered when it wraps it.
 */
export function answerPlainHttpOnTls(server: TlsServer): void {
  const tlsListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    // A client that resets before its first bytes must not become an uncaught error.
    socket.on('error', () => undefined);
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      if (looksLikeHttp(first)) {
        socket.end(PLAIN_HTTP_ANSWER);
        return;
      }
      socket.unshift(first);
      for (const listener of tlsListeners) listener.call(server, socket);
    });
  });
}
