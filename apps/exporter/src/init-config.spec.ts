import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlagError, parseCommandLine } from './flags';
import { initConfig } from './init-config';
import { compileLabelLayouts } from './testing/label-layouts-object';

describe('init on the command line', () => {
  it('is an action of its own, with one object path', () => {
    expect(parseCommandLine(['init', 'examples/timers.bpf.o'])).toEqual({ action: 'init', objectPath: 'examples/timers.bpf.o' });
  });

  it.each([[['init']], [['init', 'a.bpf.o', 'b.bpf.o']], [['init', '--config.dir=x']]])('refuses %j with its usage', (argv) => {
    expect(() => parseCommandLine(argv)).toThrow(new FlagError('usage: ebpf_exporter init <dir>/<name>.bpf.o'));
  });
});

describe('initConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'init-config-'));

  it('needs a <name>.bpf.o, whose stem names the config', () => {
    expect(() => initConfig(join(dir, 'timers.o'))).toThrow(`init: ${join(dir, 'timers.o')} is not named <name>.bpf.o, which the config's name comes from`);
  });

  it('says when the object cannot be opened, and writes nothing', () => {
    expect(() => initConfig(join(dir, 'missing.bpf.o'))).toThrow(/^init: cannot open .*missing\.bpf\.o: /);
    expect(existsSync(join(dir, 'missing.yaml'))).toBe(false);
  });

  it('writes once and then leaves the file alone', () => {
    compileLabelLayouts('x86', join(dir, 'timers.bpf.o'));
    expect(initConfig(join(dir, 'timers.bpf.o'))).toBe(join(dir, 'timers.yaml'));
    writeFileSync(join(dir, 'timers.yaml'), 'mine\n');
    expect(() => initConfig(join(dir, 'timers.bpf.o'))).toThrow(`init: ${join(dir, 'timers.yaml')} already exists; not overwriting it`);
    expect(readFileSync(join(dir, 'timers.yaml'), 'utf8')).toBe('mine\n');
  });
});
