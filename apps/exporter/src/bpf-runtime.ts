// Opens, loads and attaches one BPF object per config, and undoes all of it on shutdown. Per-program
// attach failures are kept (they become `ebpf_program_attached 0`), everything else is a startup error.
import { readFileSync } from 'node:fs';
import { BpfObject, type ProgramInfo } from '@ebpf-exporter/bpf-native';
import { validateConfigAgainstMaps, type Config } from '@ebpf-exporter/metrics';
import { StartupError, type LoadedConfig } from './config-loader';
import { resolveKaddrs } from './kaddrs';
import { checkObjectLayouts } from './label-layouts';
import type { Logger } from './logger';

export interface AttachedConfig {
  config: Config;
  object: BpfObject;
  programs: ProgramInfo[];
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** Opens, loads and attaches one config's object; on failure nothing of it stays open. */
export async function attachConfig({ config, objectPath }: LoadedConfig, btfPath: string, log: Logger): Promise<AttachedConfig> {
  let object: BpfObject;
  try {
    object = BpfObject.open(objectPath, btfPath ? { btfPath } : undefined);
  } catch (error) {
    throw new StartupError(`config ${config.name}: cannot open ${objectPath}: ${describeError(error)}`);
  }
  try {
    checkObjectLayouts(config, object, log);
    if (config.kaddrs.length > 0) {
      const addresses = resolveKaddrs(readFileSync('/proc/kallsyms', 'latin1'), config.kaddrs);
      for (const [symbol, address] of addresses) object.setGlobalU64(`kaddr_${symbol}`, address);
    }
    try {
      await object.load();
    } catch (error) {
      throw new Error(`loading ${objectPath} failed: ${describeError(error)} (run with --debug for the verifier log)`);
    }
    const problems = validateConfigAgainstMaps(config, object.maps());
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
    const programs = object.attachAll();
    for (const program of programs) {
      if (!program.attached) {
        log.warn(`config ${config.name}: program ${program.name} (${program.section}) failed to attach: ${program.error?.message ?? 'unknown error'}`);
      }
    }
    return { config, object, programs };
  } catch (error) {
    object.close();
    throw error instanceof StartupError ? error : new StartupError(`config ${config.name}: ${describeError(error)}`);
  }
}

/** Attaches every config in order; on any failure, what was already attached is detached before rethrowing. */
export async function attachConfigs(configs: readonly LoadedConfig[], btfPath: string, log: Logger): Promise<AttachedConfig[]> {
  const attached: AttachedConfig[] = [];
  try {
    for (const loaded of configs) attached.push(await attachConfig(loaded, btfPath, log));
  } catch (error) {
    detachAll(attached);
    throw error;
  }
  return attached;
}

export function missedAttachments(attached: readonly AttachedConfig[]): string[] {
  return attached.flatMap(({ config, programs }) => programs.filter((p) => !p.attached).map((p) => `${config.name}:${p.name}`));
}

export function detachAll(attached: readonly AttachedConfig[]): void {
  for (const { object } of attached) object.close();
}
