// The configs running now, and the reload that changes them without a restart (SIGHUP, POST /-/reload).
// A reload is all or nothing: every new config is parsed, every new object loaded and attached next to the
// running set first; only when all of that worked does the exporter switch, and a failure closes what it
// opened and leaves the running set as it was. Unchanged configs are not touched at all, so their programs
// stay attached and their maps, collectors and series carry on.
import { postAttachMark } from '@ebpf-exporter/bpf-native';
import { validateConfigAgainstMaps } from '@ebpf-exporter/metrics';
import { attachConfig, detachAll, missedAttachments, type AttachedConfig } from './bpf-runtime';
import type { ReloadStatus } from './builtin-metrics';
import { syncCgroupIdMaps } from './cgroup-id-map';
import type { CgroupMonitor } from './cgroups/cgroup-monitor';
import { loadConfigs, type LoadedConfig } from './config-loader';
import { readConfigNames, type ConfigNamesSource } from './config-names';
import { EventStreams } from './events/event-streams';
import { checkFamilyNames } from './family-names';
import type { Logger } from './logger';
import { planReload, type ReloadAction } from './reload-plan';
import type { Scraper } from './scraper';

interface LiveConfig {
  loaded: LoadedConfig;
  attached: AttachedConfig;
  stopCgroupSync: () => void;
}

export interface LiveConfigsOptions {
  configDir: string;
  configNames: ConfigNamesSource;
  btfPath: string;
  /** --config.strict: a program that fails to attach fails the reload too. */
  strict: boolean;
  scraper: Scraper;
  events: EventStreams;
  cgroups: CgroupMonitor;
  log: Logger;
  /** Set when the process can no longer load configs (capabilities dropped): why. */
  reloadImpossible?: string;
  now?: () => number;
}

export type ReloadOutcome =
  | { ok: true; summary: string }
  /** `phase` tells a config the exporter refused (bad YAML, unknown name) from one the kernel refused. */
  | { ok: false; phase: 'config' | 'kernel'; error: string };

/** The failure of one phase of a reload, with the message naming the config. */
class ReloadFailure extends Error {
  constructor(
    readonly phase: 'config' | 'kernel',
    message: string,
  ) {
    super(message);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class LiveConfigs {
  /** By name, in --config.names order. */
  private live = new Map<string, LiveConfig>();
  private lastReload: ReloadStatus;
  /** The reload running or last run; reloads never overlap. */
  private last: Promise<unknown> = Promise.resolve();
  /** A reload not started yet: requests arriving meanwhile share it, since it reads the files after them. */
  private waiting: Promise<ReloadOutcome> | undefined;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: LiveConfigsOptions) {
    this.now = options.now ?? Date.now;
    this.lastReload = { successful: true, lastSuccessSeconds: this.now() / 1000 };
  }

  /** Serves the set attached at startup (its checks passed there); a failure here is a startup error. */
  async start(loaded: readonly LoadedConfig[], attached: readonly AttachedConfig[]): Promise<void> {
    const next = new Map<string, LiveConfig>();
    try {
      for (const [index, entry] of attached.entries()) {
        const fresh = await this.startStreams({ loaded: loaded[index] as LoadedConfig, attached: entry });
        next.set(entry.config.name, fresh);
      }
    } catch (error) {
      for (const entry of next.values()) this.stopStreams(entry);
      throw error;
    }
    this.live = next;
    await this.options.scraper.serve(this.attached);
    this.lastReload = { successful: true, lastSuccessSeconds: this.now() / 1000 };
  }

  get attached(): AttachedConfig[] {
    return [...this.live.values()].map(({ attached }) => attached);
  }

  status(): ReloadStatus {
    return this.lastReload;
  }

  /**
   * Reads --config.names and the configs again and applies what changed. Never rejects: the outcome says
   * what happened. A storm of requests costs at most one reload running and one waiting.
   */
  reload(): Promise<ReloadOutcome> {
    if (this.waiting) return this.waiting;
    const waiting = this.last.then(() => {
      this.waiting = undefined;
      return this.reloadNow();
    });
    this.waiting = waiting;
    this.last = waiting;
    return waiting;
  }

  /** Detaches everything, once any reload in progress has ended. */
  async close(): Promise<void> {
    this.closed = true;
    await this.last;
    for (const entry of this.live.values()) this.stopStreams(entry);
    detachAll(this.attached);
    this.live.clear();
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const { log } = this.options;
    if (this.closed) return { ok: false, phase: 'config', error: 'shutting down' };
    const started = performance.now();
    let outcome: ReloadOutcome;
    try {
      if (this.options.reloadImpossible) throw new ReloadFailure('kernel', this.options.reloadImpossible);
      const actions = planReload(this.live, this.readConfigs());
      outcome = { ok: true, summary: await this.apply(actions) };
    } catch (error) {
      outcome = error instanceof ReloadFailure ? { ok: false, phase: error.phase, error: error.message } : { ok: false, phase: 'kernel', error: messageOf(error) };
    }
    const ms = Math.round(performance.now() - started);
    if (outcome.ok) {
      this.lastReload = { successful: true, lastSuccessSeconds: this.now() / 1000 };
      log.info(`Reloaded configs in ${ms}ms: ${outcome.summary}`);
    } else {
      this.lastReload = { ...this.lastReload, successful: false };
      log.warn(`Reload failed, the running configs are unchanged: ${outcome.error}`);
    }
    return outcome;
  }

  /** --config.names and every config it lists, parsed and checked: nothing is loaded yet. */
  private readConfigs(): LoadedConfig[] {
    try {
      const loaded = loadConfigs(this.options.configDir, readConfigNames(this.options.configNames));
      checkFamilyNames(loaded.map(({ config }) => config));
      return loaded;
    } catch (error) {
      throw new ReloadFailure('config', messageOf(error));
    }
  }

  /** Prepares every change, then switches; returns what was done, for the log and the HTTP answer. */
  private async apply(actions: readonly ReloadAction<LiveConfig>[]): Promise<string> {
    const prepared = await this.prepare(actions);
    const next = new Map<string, LiveConfig>();
    const retiring: LiveConfig[] = [];
    for (const action of actions) {
      if (action.kind === 'keep') next.set(action.name, action.running);
      else if (action.kind === 'remove') retiring.push(action.running);
      else {
        // A relayout's streams read the same maps as before, so the old ones stop before the new ones open;
        // a new object's streams replace the old object's at once, so no scrape shows both.
        if (action.kind !== 'add') this.stopStreams(action.running);
        if (action.kind === 'replace') retiring.push(action.running);
        const attached = action.kind === 'relayout' ? { ...action.running.attached, config: action.next.config } : (prepared.get(action.name) as AttachedConfig);
        next.set(action.name, await this.restartStreams({ loaded: action.next, attached }));
      }
    }
    const switchedAt = performance.now();
    this.live = next;
    const retired = this.options.scraper.serve(this.attached);
    if (prepared.size > 0) postAttachMark();
    // The old objects count until they are detached, which waits for the scrapes still reading them.
    for (const entry of retiring) this.stopStreams(entry);
    await retired;
    detachAll(retiring.map(({ attached }) => attached));
    const replaced = actions.some(({ kind }) => kind === 'replace');
    return describeActions(actions, replaced ? (performance.now() - switchedAt).toFixed(1) : undefined);
  }

  /** Loads and attaches every new object and checks it; on any failure closes all of them. */
  private async prepare(actions: readonly ReloadAction<LiveConfig>[]): Promise<Map<string, AttachedConfig>> {
    const prepared = new Map<string, AttachedConfig>();
    try {
      for (const action of actions) {
        if (action.kind === 'relayout') this.checkRelayout(action.running, action.next);
        if (action.kind !== 'replace' && action.kind !== 'add') continue;
        let attached: AttachedConfig;
        try {
          attached = await attachConfig(action.next, this.options.btfPath, this.options.log);
        } catch (error) {
          throw new ReloadFailure('kernel', messageOf(error));
        }
        prepared.set(action.name, attached);
        const missed = missedAttachments([attached]);
        if (this.options.strict && missed.length > 0) throw new ReloadFailure('kernel', `config ${action.name}: missed attachments (module:prog): ${missed.join(', ')}`);
        try {
          EventStreams.check(attached);
        } catch (error) {
          throw new ReloadFailure('config', messageOf(error));
        }
      }
    } catch (error) {
      detachAll([...prepared.values()]);
      throw error;
    }
    return prepared;
  }

  /** A new layout must fit the maps that stay loaded, as it would at startup. */
  private checkRelayout(running: LiveConfig, next: LoadedConfig): void {
    const attached = { ...running.attached, config: next.config };
    const problems = validateConfigAgainstMaps(next.config, running.attached.object.maps());
    try {
      if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
      EventStreams.check(attached);
    } catch (error) {
      throw new ReloadFailure('config', `config ${next.config.name}: ${messageOf(error)}`);
    }
  }

  /** Opens a config's perf and ring buffers and starts its cgroup_id_map sync. */
  private async startStreams(entry: { loaded: LoadedConfig; attached: AttachedConfig }): Promise<LiveConfig> {
    await this.options.events.start(entry.attached);
    return { ...entry, stopCgroupSync: syncCgroupIdMaps([entry.attached], this.options.cgroups, this.options.log) };
  }

  /**
   * As startStreams, past a reload's point of no return (the maps were checked in prepare, so only the
   * system can refuse now, e.g. memory for a perf buffer): a failure is logged, the reload goes on.
   */
  private async restartStreams(entry: { loaded: LoadedConfig; attached: AttachedConfig }): Promise<LiveConfig> {
    try {
      return await this.startStreams(entry);
    } catch (error) {
      this.options.log.warn(`config ${entry.attached.config.name}: its event streams did not restart: ${messageOf(error)}`);
      return { ...entry, stopCgroupSync: () => undefined };
    }
  }

  private stopStreams(entry: LiveConfig): void {
    entry.stopCgroupSync();
    this.options.events.stop(entry.attached);
  }
}

/** `kept a; new layout b; replaced c (old detached 3.2 ms after the new attached); added d; removed e`. */
function describeActions(actions: readonly ReloadAction<LiveConfig>[], overlapMs: string | undefined): string {
  const groups: [ReloadAction<LiveConfig>['kind'], string][] = [
    ['keep', 'kept'],
    ['relayout', 'new layout'],
    ['replace', 'replaced'],
    ['add', 'added'],
    ['remove', 'removed'],
  ];
  const parts = groups.flatMap(([kind, words]) => {
    const names = actions.filter((action) => action.kind === kind).map(({ name }) => name);
    if (names.length === 0) return [];
    const overlap = kind === 'replace' && overlapMs !== undefined ? ` (old objects detached ${overlapMs} ms after the switch: no gap)` : '';
    return [`${words} ${names.join(', ')}${overlap}`];
  });
  return parts.join('; ');
}
