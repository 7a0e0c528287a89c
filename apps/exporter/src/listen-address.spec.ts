import { describe, expect, it } from 'vitest';
import { parseListenAddress } from './listen-address';

describe('parseListenAddress', () => {
  it.each([
    [':9435', { host: '::', port: 9435 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['localhost:9100', { host: 'localhost', port: 9100 }],
  ])('%s', (input, expected) => expect(parseListenAddress(input)).toEqual(expected));

  it('rejects what Go would reject', () => {
    expect(() => parseListenAddress('9435')).toThrow(/not host:port/);
    expect(() => parseListenAddress(':99999')).toThrow(/out of range/);
  });
});
