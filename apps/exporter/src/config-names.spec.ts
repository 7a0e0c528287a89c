import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartupError } from './config-loader';
import { configNamesSource, readConfigNames, splitConfigNames } from './config-names';

describe('config names', () => {
  it('splits on commas, blanks and lines, and drops comments', () => {
    expect(splitConfigNames('timers, biolatency\n# off for now: syscalls\n  cgroup # the noisy one\n\n')).toEqual(['timers', 'biolatency', 'cgroup']);
  });

  it('reads a list given inline as it is, and an @FILE at every call', () => {
    expect(readConfigNames(configNamesSource('a,b'))).toEqual(['a', 'b']);
    const file = join(mkdtempSync(join(tmpdir(), 'names-')), 'names');
    writeFileSync(file, 'a\nb\n');
    const source = configNamesSource(`@${file}`);
    expect(readConfigNames(source)).toEqual(['a', 'b']);
    writeFileSync(file, 'c\n');
    expect(readConfigNames(source)).toEqual(['c']);
  });

  it('names the file when it is missing or lists nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'names-'));
    expect(() => readConfigNames({ file: join(dir, 'missing') })).toThrow(new StartupError(`--config.names: cannot read ${join(dir, 'missing')}: no such file or directory (ENOENT)`));
    writeFileSync(join(dir, 'empty'), '# nothing yet\n');
    expect(() => readConfigNames({ file: join(dir, 'empty') })).toThrow(`--config.names: ${join(dir, 'empty')} lists no config`);
  });
});
