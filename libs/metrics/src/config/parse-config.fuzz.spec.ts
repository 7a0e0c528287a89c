// Every example config, mutated at random: the parser must accept the result or refuse it with one
// ConfigError naming the file, line and column, never fail any other way. Seeded and bounded.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';

const EXAMPLES = join(import.meta.dirname, '../../../../examples');
const CONFIGS = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.yaml') && !file.endsWith('.expect.yaml'))
  .map((file) => ({ file, text: readFileSync(join(EXAMPLES, file), 'utf8') }));

const SCALARS = ['~', 'null', 'yes', '010', '0x1f', '-1', '1e400', '.nan', '"', "'", '[', '{', '*x', '&x', '!!binary', '!!set', '%TAG', '|', '>-', '---', '...', '- -', ':', '? ', '\t', '\u0000', '😀', 'x'.repeat(10_000)];

type Mutation = (lines: string[]) => string[];

const arbitraryMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ at: fc.nat(), scalar: fc.constantFrom(...SCALARS) }).map(({ at, scalar }) => (lines: string[]) => {
    const index = at % lines.length;
    const line = lines[index] as string;
    const colon = line.indexOf(': ');
    return lines.with(index, colon >= 0 ? `${line.slice(0, colon + 2)}${scalar}` : `${line}${scalar}`);
  }),
  fc.nat().map((at) => (lines: string[]) => lines.toSpliced(at % lines.length, 1)),
  fc.nat().map((at) => (lines: string[]) => lines.toSpliced(at % lines.length, 0, lines[at % lines.length] as string)),
  fc.record({ at: fc.nat(), shift: fc.integer({ min: -4, max: 4 }) }).map(({ at, shift }) => (lines: string[]) => {
    const index = at % lines.length;
    const line = lines[index] as string;
    return lines.with(index, shift > 0 ? `${' '.repeat(shift)}${line}` : line.slice(-shift));
  }),
  fc.nat().map((at) => (lines: string[]) => lines.slice(0, at % (lines.length + 1))),
  fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => (lines: string[]) => {
    const text = lines.join('\n');
    const index = at % Math.max(1, text.length);
    return `${text.slice(0, index)}${String.fromCharCode(byte)}${text.slice(index + 1)}`.split('\n');
  }),
);

function expectCleanOutcome(text: string, file: string): void {
  try {
    parseConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: `));
    expect((error as Error).message).not.toContain('\n    at ');
  }
}

describe('parseConfig under mutated example configs', () => {
  it('accepts a mutation or refuses it with one ConfigError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONFIGS), fc.array(arbitraryMutation, { minLength: 1, maxLength: 4 }), ({ file, text }, mutations) => {
        // A mutation may leave no line at all; the next ones then have nothing to change.
        const mutated = mutations.reduce((lines, mutate) => (lines.length === 0 ? lines : mutate(lines)), text.split('\n')).join('\n');
        expectCleanOutcome(mutated, file);
      }),
      { seed: 20261202, numRuns: 600 },
    );
  });

  it('refuses an alias bomb without expanding it', () => {
    const bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let level = 1; level < 12; level++) bomb.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    bomb.push('metrics:\n  counters:\n    - name: c\n      help: *l\n');
    expectCleanOutcome(bomb.join('\n'), 'bomb.yaml');
  });

  it('takes deep nesting and a long document', () => {
    expectCleanOutcome(`metrics: ${'['.repeat(5000)}${']'.repeat(5000)}`, 'deep.yaml');
    expectCleanOutcome(`metrics:\n  counters:\n${'    - { name: c, help: c }\n'.repeat(20_000)}`, 'long.yaml');
    // ~2 s on an idle machine (the yaml package on 20k flow mappings): far more on a loaded CI machine.
  }, 60_000);
});
