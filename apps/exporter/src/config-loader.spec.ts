import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigs, StartupError } from './config-loader';

const YAML = 'metrics:\n  counters:\n    - name: events_total\n      help: Events\n      labels: []\n';
const dir = mkdtempSync(join(tmpdir(), 'config-loader-'));
writeFileSync(join(dir, 'good.yaml'), YAML);
writeFileSync(join(dir, 'good.bpf.o'), 'ELF');
mkdirSync(join(dir, 'yaml-dir.yaml'));
writeFileSync(join(dir, 'object-dir.yaml'), YAML);
mkdirSync(join(dir, 'object-dir.bpf.o'));
writeFileSync(join(dir, 'no-object.yaml'), YAML);

const refusal = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('loadConfigs', () => {
  it('loads a yaml + object pair', () => expect(loadConfigs(dir, ['good'])).toMatchObject([{ config: { name: 'good' }, objectPath: join(dir, 'good.bpf.o') }]));

  it.each([
    [join(dir, 'missing'), ['good'], `--config.dir: cannot read ${join(dir, 'missing')}: no such file or directory (ENOENT)`],
    [join(dir, 'good.yaml'), ['good'], `--config.dir: ${join(dir, 'good.yaml')} is not a directory`],
    [dir, ['missing'], `config missing: cannot read ${join(dir, 'missing.yaml')}: no such config (is "missing" spelled right in --config.names?)`],
    [dir, ['yaml-dir'], `config yaml-dir: cannot read ${join(dir, 'yaml-dir.yaml')}: is a directory (EISDIR)`],
    [dir, ['no-object'], `config no-object: BPF object ${join(dir, 'no-object.bpf.o')} not found (build it first, e.g. npx nx build examples)`],
    [dir, ['object-dir'], `config object-dir: cannot read BPF object ${join(dir, 'object-dir.bpf.o')}: is a directory (EISDIR)`],
    [dir, ['good', 'good'], '--config.names: config good is listed twice'],
  ])('refuses %s %j with the cause', (configDir, names, message) => expect(refusal(() => loadConfigs(configDir, names))).toBe(message));
});
