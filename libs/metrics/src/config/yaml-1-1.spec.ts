// Upstream decodes configs with Go's yaml.v2, which types plain scalars by YAML 1.1 rules; a config that
// works there must mean the same here. Each case is an upstream config fragment and what yaml.v2 makes of it.
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';
import { yamlV2Number } from './yaml-reader';

const FILE = 'examples/foo.yaml';

/** A counter with one label whose size, decoder fields and extra label keys are given as YAML text. */
function counter(labelFields: string, decoder = '{ name: uint }') {
  const config = parseConfig(`metrics:\n  counters:\n    - name: c\n      help: c\n      labels:\n        - name: l\n${labelFields}\n          decoders:\n            - ${decoder}\n`, FILE);
  return config.metrics.counters[0]?.labels[0];
}

describe('YAML 1.1 scalars, as yaml.v2 reads them', () => {
  it('reads a 0-prefixed size as octal, like hex, binary and underscores', () => {
    expect(counter('          size: 010')?.size).toBe(8);
    expect(counter('          size: 0x10')?.size).toBe(16);
    expect(counter('          size: 0b100')?.size).toBe(4);
    expect(counter('          size: 0o10')?.size).toBe(8);
    expect(counter('          size: 1_6')?.size).toBe(16);
    expect(counter('          size: +4')?.size).toBe(4);
    expect(counter('          size: 8.0')?.size).toBe(8);
    // Not octal (8 is no octal digit), so yaml.v2 falls back to reading it as the float 8.
    expect(counter('          size: 08')?.size).toBe(8);
  });

  it('refuses a quoted or fractional size, as yaml.v2 does for an int field', () => {
    expect(() => counter("          size: '8'")).toThrow(ConfigError);
    expect(() => counter('          size: 8.5')).toThrow(/size: must be an integer/);
  });

  it('takes yes, on and y as true and no, off and n as false', () => {
    for (const yes of ['yes', 'Yes', 'on', 'ON', 'y', 'True']) {
      expect(counter('          size: 4', `{ name: static_map, allow_unknown: ${yes}, static_map: { 1: a } }`)?.decoders[0]?.allowUnknown).toBe(true);
    }
    for (const no of ['no', 'OFF', 'n', 'false']) {
      expect(counter('          size: 4', `{ name: static_map, allow_unknown: ${no}, static_map: { 1: a } }`)?.decoders[0]?.allowUnknown).toBe(false);
    }
    expect(() => counter('          size: 4', '{ name: static_map, allow_unknown: "yes", static_map: {} }')).toThrow(/allow_unknown: must be true or false/);
  });

  it('keeps static_map keys 1 and 01 apart, by their spelling', () => {
    const decoder = counter('          size: 4', '{ name: static_map, static_map: { 1: one, 01: zero-one, 0x1: hex-one } }')?.decoders[0];
    expect([...(decoder?.staticMap ?? [])]).toEqual([
      ['1', 'one'],
      ['01', 'zero-one'],
      ['0x1', 'hex-one'],
    ]);
  });

  it('lets a repeated key win over the earlier one, as yaml.v2 outside strict mode does', () => {
    expect(counter('          size: 2\n          size: 4')?.size).toBe(4);
    const decoder = counter('          size: 4', '{ name: static_map, static_map: { 1: first, 1: second } }')?.decoders[0];
    expect(decoder?.staticMap?.get('1')).toBe('second');
  });

  it('keeps the spelling of a scalar read as a string', () => {
    const config = parseConfig('metrics:\n  counters:\n    - name: c\n      help: yes\n    - name: d\n      help: 010\n', FILE);
    expect(config.metrics.counters.map((c) => c.help)).toEqual(['yes', '010']);
  });

  it.each(['~', 'null', 'Null', ''])('reads %j as null, which leaves a field at its default as in yaml.v2', (text) => {
    expect(counter(`          size: 4\n          padding: ${text}`)).toMatchObject({ size: 4, padding: 0 });
  });

  it('expands merge keys', () => {
    const label = counter('          <<: { size: 4, padding: 2 }');
    expect(label).toMatchObject({ size: 4, padding: 2 });
  });

  it.each([
    ['1e-6', 1e-6], // a float in yaml.v2 (a string in YAML 1.1 proper)
    ['.5', 0.5],
    ['-.inf', -Infinity],
    ['1_000.5', 1000.5],
    ['-0x1f', -31],
    ['1:30', undefined], // YAML 1.1 sexagesimal; yaml.v2 leaves it a string
    ['0x', undefined],
    ['yes', undefined],
  ])('resolves %j to %s', (text, value) => {
    expect(yamlV2Number(text)).toBe(value);
  });
});
