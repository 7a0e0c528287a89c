import { nativeAddon } from './loader.js';

/**
 * Sends one sd_notify(3) datagram (`READY=1`, `STATUS=...`, several lines at once) to the unix socket at
 * `socketPath`, as systemd passes it in `$NOTIFY_SOCKET`; a leading `@` names an abstract socket.
 * Throws a {@link BpfError} (code `ECONNREFUSED`, `ENOENT`...) when the datagram cannot be sent.
 */
export function sdNotify(socketPath: string, message: string): void {
  if (typeof socketPath !== 'string' || typeof message !== 'string') throw new TypeError('sdNotify: expected a socket path and a message');
  nativeAddon().addon.sdNotify(socketPath, message);
}
