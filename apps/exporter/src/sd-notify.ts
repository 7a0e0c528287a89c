// systemd Type=notify support: status lines while starting, READY=1 once serving, STOPPING=1 on shutdown.
// Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
import { sdNotify } from '@ebpf-exporter/bpf-native';
import type { Logger } from './logger';

export interface Notifier {
  status(text: string): void;
  ready(status: string): void;
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
    stopping: () => notify('STOPPING=1'),
  };
}
