import { describe, expect, it } from 'vitest';
import { activatedSocketFd } from './socket-activation';

describe('activatedSocketFd', () => {
  it('maps fd://N to descriptor 3+N', () => {
    expect(activatedSocketFd('fd://0', { LISTEN_FDS: '1', LISTEN_PID: '42' }, 42)).toBe(3);
    expect(activatedSocketFd('fd://1', { LISTEN_FDS: '2' }, 42)).toBe(4);
  });

  it('leaves host:port addresses alone', () => {
    expect(activatedSocketFd(':9435', {}, 1)).toBeUndefined();
  });

  it('says why activation cannot work', () => {
    expect(() => activatedSocketFd('fd://0', {}, 1)).toThrow('systemd passed 0 sockets (LISTEN_FDS), no socket 0');
    expect(() => activatedSocketFd('fd://0', { LISTEN_FDS: '1', LISTEN_PID: '7' }, 8)).toThrow(/LISTEN_PID=7 is not this process/);
    expect(() => activatedSocketFd('fd://x', {}, 1)).toThrow(/is not fd:\/\/N/);
  });
});
