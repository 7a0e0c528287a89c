import type { ParseArgsConfig } from 'node:util';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { help: string; value?: string };
export type OptionTable = Record<string, OptionSpec>;

/** Help text generated from the same table that parseArgs reads, so the two cannot drift apart. */
export function usageText(synopsis: string, summary: string, options: OptionTable): string {
  const rows = Object.entries(options).map(([name, option]) => [`--${name}${option.value ? ` ${option.value}` : ''}`, option.help] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return `usage: ${synopsis}\n\n${summary}\n\n${rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`).join('\n')}\n`;
}

export function positiveInteger(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw Object.assign(new Error(`${flag} must be a positive integer, not "${raw}"`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return value;
}

/** Splits a comma-separated flag value (`--kernels 6.1,6.12`), ignoring empty items. */
export function commaList(raw: string | undefined): string[] | undefined {
  return raw?.split(',').map((item) => item.trim()).filter(Boolean);
}
