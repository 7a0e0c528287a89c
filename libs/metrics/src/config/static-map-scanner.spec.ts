import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';
import { scanStaticMaps } from './static-map-scanner';
import type { Config } from './types';

const FILE = 'examples/foo.yaml';
const EXAMPLES = join(import.meta.dirname, '../../../../examples');

function withStaticMap(body: string, after = ''): string {
  return `metrics:\n  counters:\n    - name: c\n      help: c\n      labels:\n        - name: l\n          size: 4\n          decoders:\n            - name: uint\n            - name: static_map\n              static_map:\n${body}${after}`;
}

function staticMaps(config: Config): [string, string][][] {
  return config.metrics.counters.flatMap((metric) =>
    metric.labels.flatMap((label) => label.decoders.flatMap((decoder) => (decoder.staticMap ? [[...decoder.staticMap]] : []))),
  );
}

/** The same file read by the yaml package alone: an anchor on the key line is a shape the scanner leaves. */
function viaYamlPackage(text: string): string {
  return text.replaceAll(/static_map:(?=[ \n])/g, 'static_map: &scanner_off');
}

describe('the static_map scanner', () => {
  const bodies: [string, string][] = [
    ['plain keys and values, spelling kept', '                1: read\n                0x10: flush\n                010: octal\n                -1: minus\n'],
    ['quoted keys and values', '                "1": "read"\n                \'2\': \'write it\'\n'],
    ['comments, blank lines and trailing spaces', '                # ops\n                1: read   # first\n\n                2: write  \n                   # indented comment\n'],
    ['null values and keys', '                1:\n                2: ~\n                3: null # none\n                null: x\n'],
    ['a repeated key, which wins', '                1: first\n                2: two\n                1: second\n'],
    ['values with inner punctuation', '                1: a:b#c d,e[f]{g}\n                2: http://x/y?z\n                3: ~tilde\n'],
  ];

  it.each(bodies)('reads %s as the yaml package does', (_, body) => {
    const text = withStaticMap(body, '    - name: d\n      help: d\n');
    expect(scanStaticMaps(text).maps).toHaveLength(1);
    expect(staticMaps(parseConfig(text, FILE))).toEqual(staticMaps(parseConfig(viaYamlPackage(text), FILE)));
  });

  const leftToYaml: [string, string][] = [
    ['a multi-line value', withStaticMap('                1: read\n                  more\n')],
    ['a nested mapping', withStaticMap('                1:\n                  a: b\n')],
    ['an uneven indent', withStaticMap('                1: read\n                  2: write\n')],
    ['a tab', withStaticMap('                1:\tread\n')],
    ['an escape', withStaticMap('                1: "re\\tad"\n')],
    ['a non-ASCII value', withStaticMap('                1: café\n')],
    ['flow style', withStaticMap('                { 1: read }\n')],
    ['a lone carriage return, a line break to YAML', withStaticMap('                1: a\rb: c\n')],
    ['a line separator inside a value', withStaticMap('                1: a\u2028b\n')],
  ];

  it.each(leftToYaml)('leaves %s to the yaml package', (_, text) => {
    expect(scanStaticMaps(text).maps).toHaveLength(0);
  });

  it('reads CRLF lines as the yaml package does', () => {
    const text = withStaticMap('                1: read\n\n                2: write # w\n', '    - name: d\n      help: d\n').replaceAll('\n', '\r\n');
    expect(scanStaticMaps(text).maps).toHaveLength(1);
    expect(staticMaps(parseConfig(text, FILE))).toEqual([[['1', 'read'], ['2', 'write']]]);
    expect(staticMaps(parseConfig(viaYamlPackage(text), FILE))).toEqual([[['1', 'read'], ['2', 'write']]]);
  });

  it('falls back to the yaml package when the key line sits in a block scalar', () => {
    const text = withStaticMap('                1: read\n').replace('help: c', 'help: |\n        static_map:\n          1: not a map\n');
    expect(scanStaticMaps(text).maps).toHaveLength(2);
    const config = parseConfig(text, FILE);
    expect(config.metrics.counters[0]?.help).toBe('static_map:\n  1: not a map\n');
    expect(staticMaps(config)).toEqual([[['1', 'read']]]);
  });

  it('keeps line and column of what follows a scanned map', () => {
    const text = withStaticMap('                1: read\n                2: write\n', '    - name: d\n      help: d\n      labels: [{ name: "bad-name", size: 4, decoders: [{ name: uint }] }]\n');
    expect(() => parseConfig(text, FILE)).toThrow(ConfigError);
    expect(() => parseConfig(text, FILE)).toThrow(/^examples\/foo\.yaml:16:24: metrics\.counters\[1\]\.labels\[0\]\.name: /);
    const syntax = `${withStaticMap('                1: read\n')}  counters: [\n`;
    expect(() => parseConfig(syntax, FILE)).toThrow(/^examples\/foo\.yaml:1[34]:\d+: /);
  });

  it('reads every example static_map as the yaml package does', () => {
    const examples = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml') && !file.endsWith('.expect.yaml'));
    const withMaps = examples.map((file) => readFileSync(join(EXAMPLES, file), 'utf8')).filter((text) => scanStaticMaps(text).maps.length > 0);
    expect(withMaps.length).toBeGreaterThan(0);
    for (const text of withMaps) expect(staticMaps(parseConfig(text, FILE))).toEqual(staticMaps(parseConfig(viaYamlPackage(text), FILE)));
  });

  it('reads random maps as the yaml package does, or refuses them with the same error', () => {
    const scalar = fc.constantFrom('1', '01', '-1', 'a_b', 'null', '~', '"q"', "'s'", 'a:b', 'a#b', 'x y', 'a: b', 'a #c', '[a]', '&x a', '*x', '"', '- a', 'é', '');
    const entry = fc
      .tuple(fc.constantFrom(16, 16, 16, 14, 18, 0), scalar, fc.constantFrom(': ', ':', ':\t', ' :'), scalar, fc.constantFrom('', ' # c', '# c'))
      .map(([indent, key, separator, value, comment]) => `${' '.repeat(indent)}${key}${separator}${value}${comment}`);
    const after = fc.constantFrom('', '    - name: d\n      help: d\n', '                more\n', '  # c\n');
    const outcome = (text: string): unknown => {
      try {
        return staticMaps(parseConfig(text, FILE));
      } catch (error) {
        // The anchor moves columns on the key line only.
        return (error as Error).message.replace(/^([^:]+:\d+):\d+/, '$1');
      }
    };
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 5, arbitrary: entry }, fc.constantFrom('', '   # note')), { minLength: 1, maxLength: 6 }), after, (lines, tail) => {
        const text = withStaticMap(`${lines.join('\n')}\n`, tail);
        if (scanStaticMaps(text).maps.length > 0) expect(outcome(text)).toEqual(outcome(viaYamlPackage(text)));
      }),
      { seed: 20261203, numRuns: 1500 },
    );
  });

  it('parses in time linear in the number of entries', () => {
    const entries = (count: number) => Array.from({ length: count }, (_, index) => `                ${index}: value_${index}\n`).join('');
    // Eight times the entries: linear work takes ~8x as long, the quadratic duplicate-key check took ~64x,
    // and a bound between them with room for a garbage collection landing in one run holds on a busy machine.
    const small = withStaticMap(entries(12_500));
    const large = withStaticMap(entries(100_000));
    const fastest = (text: string) => {
      const started = performance.now();
      parseConfig(text, FILE);
      return performance.now() - started;
    };
    // Interleaved, the fastest of five each: other work on the machine only ever adds time.
    let [smallTime, largeTime] = [Infinity, Infinity];
    for (let round = 0; round < 5; round++) [smallTime, largeTime] = [Math.min(smallTime, fastest(small)), Math.min(largeTime, fastest(large))];
    expect(largeTime / smallTime).toBeLessThan(24);
    // Ten parses of up to 100k entries: seconds on a loaded machine.
  }, 60_000);
});
