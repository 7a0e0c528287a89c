import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  const fixed = new Date(2026, 0, 2, 3, 4, 5);

  it('prefixes Go-style timestamps unless told not to', () => {
    const lines: string[] = [];
    createLogger({ timestamps: true, debug: false, write: (l) => lines.push(l), now: () => fixed }).info('Started');
    createLogger({ timestamps: false, debug: false, write: (l) => lines.push(l) }).info('Started');
    expect(lines).toEqual(['2026/01/02 03:04:05 Started\n', 'Started\n']);
  });

  it('drops debug lines without --debug', () => {
    const lines: string[] = [];
    const quiet = createLogger({ timestamps: false, debug: false, write: (l) => lines.push(l) });
    const loud = createLogger({ timestamps: false, debug: true, write: (l) => lines.push(l) });
    quiet.debug('libbpf: hidden');
    loud.debug('libbpf: shown\n');
    expect(lines).toEqual(['libbpf: shown\n']);
  });
});
