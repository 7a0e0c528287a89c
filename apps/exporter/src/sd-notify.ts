// systemd Type=notify support: status lines while starting, READY=1 once serving, RELOADING=1 while a
// reload runs (READY=1 again after it), STOPPING=1 on shutdown.
// Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
import { sdNotify } from '@ebpf-exporter/bpf-native';
import type { Logger } from './logger';

export interface Notifier {
  status(text: string): void;
  ready(status: string): void;
  reloading(): void;
  stopping(): void;
}

export function systemdNotifier(env: NodeJS.ProcessEnv, log: Logger, send: typeof sdNotify = sdNotify): Notifier {
  const socket = env.NOTIFY_SOCKET;
  let failed = false;
  const notify = (message: string): void => {
    if (!socket || failed) return;
    try {
      send(socket, message);
    } catch (error) {
      // systemd gone or the socket wrong: worth one warning, never worth stopping the exporter.
      failed = true;
      log.warn(`sd_notify to ${socket} failed, not notifying systemd any more: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return {
    status: (text) => notify(`STATUS=${text}`),
    ready: (status) => {
      notify(`STATUS=${status}`);
      notify('READY=1');
    },
    // systemd pairs RELOADING=1 with the CLOCK_MONOTONIC time of the request; libuv's hrtime is that clock.
    reloading: () => notify(`RELOADING=1\nMONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`),
    stopping: () => notify('STOPPING=1'),
  };
}
