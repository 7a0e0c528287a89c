import { describe, expect, it } from 'vitest';
import { captureGroupCount, compileGoRegexp } from './go-regexp';

describe('compileGoRegexp', () => {
  it.each([
    ['^(?P<unit>[a-z]+)\\.service$', 'cron.service', 'cron.service'],
    ['(?i)^KWORKER', 'kworker/0:1', 'kworker'],
    ['(?s)a.b', 'a\nb', 'a\nb'],
    ['\\Akube\\-pods\\z', 'kube-pods', 'kube-pods'],
    ['^[[:alpha:]_]+[[:digit:]]', 'ksoftirqd_7/0', 'ksoftirqd_7'],
  ])('%s matches %j as %j', (source, input, match) => {
    expect(compileGoRegexp(source).exec(input)?.[0]).toBe(match);
  });

  it('anchors \\z at the very end only', () => {
    expect(compileGoRegexp('abc\\z').test('abc\n')).toBe(false);
  });

  it.each([
    ['(?U)a+', /ungreedy/],
    ['(unclosed', /invalid regular expression "\(unclosed"/],
    ['[[:nope:]]', /unknown character class \[:nope:\]/],
  ])('rejects %s', (source, message) => {
    expect(() => compileGoRegexp(source)).toThrow(message);
  });
});

describe('captureGroupCount', () => {
  it.each([
    [/abc/, 0],
    [/(a)(?:b)/, 1],
    [/(a)|(b(c))/, 3],
    [/(?<name>x)/, 1],
  ])('%s has %i groups', (regexp, count) => {
    expect(captureGroupCount(regexp)).toBe(count);
  });
});
