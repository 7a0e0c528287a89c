// Finds `<dir>/<name>.yaml` + `<dir>/<name>.bpf.o` pairs, the layout upstream users already have.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type Config } from '@ebpf-exporter/metrics';

export interface LoadedConfig {
  config: Config;
  objectPath: string;
}

/** A startup error meant for the user: printed as one line, no stack trace, exit 1. */
export class StartupError extends Error {}

export function loadConfigs(dir: string, names: readonly string[]): LoadedConfig[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new StartupError(`--config.dir: ${dir} is not a directory`);
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) throw new StartupError(`--config.names: config ${name} is listed twice`);
    seen.add(name);
    const file = join(dir, `${name}.yaml`);
    const objectPath = join(dir, `${name}.bpf.o`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new StartupError(`config ${name}: cannot read ${file}: no such config (is "${name}" spelled right in --config.names?)`);
    }
    const config = parseConfig(text, file);
    if (!existsSync(objectPath)) {
      throw new StartupError(`config ${name}: BPF object ${objectPath} not found (build it first, e.g. npx nx build examples)`);
    }
    return { config, objectPath };
  });
}
