import { describe, expect, it } from 'vitest';
import { SKIP } from './decoder';
import { compileGoRegexp } from './go-regexp';
import { regexpDecoder } from './table-decoders';

const decode = (input: string, patterns: string[]) =>
  regexpDecoder.decode(new TextEncoder().encode(input), { name: 'regexp', allowUnknown: false, regexps: patterns.map(compileGoRegexp) });

describe('regexp decoder', () => {
  // The rows of upstream's TestRegexpDecoder (cloudflare/ebpf_exporter decoder/regexp_test.go), unchanged:
  // input, patterns, then the label value or a skipped label set.
  it.each([
    ['systemd-journal', ['^systemd-journal$', '^syslog-ng$'], 'systemd-journal'],
    ['syslog-ng', ['^systemd-journal$', '^syslog-ng$'], 'syslog-ng'],
    ['systemd-bananad', ['^systemd-journal$', '^syslog-ng$'], SKIP],
    ['systemd-bananad', ['^(systemd).*$', '^syslog-ng$'], 'systemd'],
  ])('upstream: %j with %j decodes to %s', (input, patterns, out) => {
    expect(decode(input, patterns)).toBe(out);
  });

  it('tries the patterns in order and passes over one with two or more groups', () => {
    expect(decode('kworker/u8:2', ['^(k)(w)', 'u\\d'])).toBe('u8');
    expect(decode('kworker/u8:2', ['^(?P<pool>kworker)/', 'k'])).toBe('kworker');
  });

  it('decodes a comm that a backtracking engine would never finish', () => {
    expect(decode(`${'a'.repeat(27)}b`, ['(a+)+$'])).toBe(SKIP);
  });
});
