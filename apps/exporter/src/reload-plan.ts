// What a reload does to each config, decided from content hashes alone: the YAML and the object as they
// are on disk now against what is running. Pure, so every case is a table test.
import type { LoadedConfig } from './config-loader';

/** A config running now: what it was loaded from. */
export interface RunningConfig {
  loaded: LoadedConfig;
}

export type ReloadAction<T extends RunningConfig> =
  /** Same YAML and object: programs, maps, collector and series stay as they are. */
  | { kind: 'keep'; name: string; running: T }
  /** New YAML, same object: the new layout is served from the next scrape, programs and maps stay. */
  | { kind: 'relayout'; name: string; running: T; next: LoadedConfig }
  /** New object: loaded and attached beside the old one, which is then detached. */
  | { kind: 'replace'; name: string; running: T; next: LoadedConfig }
  | { kind: 'add'; name: string; next: LoadedConfig }
  | { kind: 'remove'; name: string; running: T };

/** kaddrs are written into the object before it loads: a change to them needs a new load. */
const sameKaddrs = (a: LoadedConfig, b: LoadedConfig): boolean => a.config.kaddrs.join('\0') === b.config.kaddrs.join('\0');

function actionFor<T extends RunningConfig>(running: T, next: LoadedConfig): ReloadAction<T> {
  const name = next.config.name;
  const { loaded } = running;
  if (loaded.objectHash !== next.objectHash || loaded.objectPath !== next.objectPath || !sameKaddrs(loaded, next)) return { kind: 'replace', name, running, next };
  if (loaded.yamlHash !== next.yamlHash || loaded.config.file !== next.config.file) return { kind: 'relayout', name, running, next };
  return { kind: 'keep', name, running };
}

/** One action per config, in the new --config.names order, then the removals in their old order. */
export function planReload<T extends RunningConfig>(running: ReadonlyMap<string, T>, next: readonly LoadedConfig[]): ReloadAction<T>[] {
  const names = new Set(next.map(({ config }) => config.name));
  return [
    ...next.map((loaded): ReloadAction<T> => {
      const current = running.get(loaded.config.name);
      return current === undefined ? { kind: 'add', name: loaded.config.name, next: loaded } : actionFor(current, loaded);
    }),
    ...[...running].filter(([name]) => !names.has(name)).map(([name, current]): ReloadAction<T> => ({ kind: 'remove', name, running: current })),
  ];
}
