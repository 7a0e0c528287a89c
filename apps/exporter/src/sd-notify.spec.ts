import { describe, expect, it } from 'vitest';
import type { Logger } from './logger';
import { systemdNotifier } from './sd-notify';

// The real datagram path is covered by libs/bpf-native's sd-notify spec and e2e/sd-notify.e2e.ts; here the
// send function is recorded to check which messages go out when.
function recorder(): { sent: Array<[string, string]>; warnings: string[]; log: Logger } {
  const sent: Array<[string, string]> = [];
  const warnings: string[] = [];
  const log: Logger = { info: () => {}, debug: () => {}, warn: (m) => void warnings.push(m) };
  return { sent, warnings, log };
}

describe('systemdNotifier', () => {
  it('sends status, ready and stopping to $NOTIFY_SOCKET', () => {
    const { sent, log } = recorder();
    const notifier = systemdNotifier({ NOTIFY_SOCKET: '@sock' }, log, (socket, message) => void sent.push([socket, message]));
    notifier.status('parsing config...');
    notifier.ready('ready with 2 configs');
    notifier.stopping();
    expect(sent).toEqual([
      ['@sock', 'STATUS=parsing config...'],
      ['@sock', 'STATUS=ready with 2 configs'],
      ['@sock', 'READY=1'],
      ['@sock', 'STOPPING=1'],
    ]);
  });

  it('announces a reload with the monotonic time systemd pairs it with', () => {
    const { sent, log } = recorder();
    const before = process.hrtime.bigint() / 1000n;
    systemdNotifier({ NOTIFY_SOCKET: '@sock' }, log, (socket, message) => void sent.push([socket, message])).reloading();
    const [, message] = sent[0] ?? ['', ''];
    const [reloading, monotonic] = message.split('\n');
    expect(reloading).toBe('RELOADING=1');
    expect(BigInt(monotonic?.replace('MONOTONIC_USEC=', '') ?? '0')).toBeGreaterThanOrEqual(before);
  });

  it('does nothing without $NOTIFY_SOCKET', () => {
    const { sent, log } = recorder();
    systemdNotifier({}, log, (socket, message) => void sent.push([socket, message])).ready('ready');
    expect(sent).toEqual([]);
  });

  it('warns once and stops trying when a send fails', () => {
    const { warnings, log } = recorder();
    let attempts = 0;
    const notifier = systemdNotifier({ NOTIFY_SOCKET: '/run/gone' }, log, () => {
      attempts++;
      throw new Error('sd_notify to /run/gone failed: No such file or directory');
    });
    notifier.status('a');
    notifier.status('b');
    expect(attempts).toBe(1);
    expect(warnings).toEqual(['sd_notify to /run/gone failed, not notifying systemd any more: sd_notify to /run/gone failed: No such file or directory']);
  });
});
