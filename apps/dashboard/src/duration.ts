// Durations as people type them in a URL (`15m`, `1h30m`, `90s`, or plain seconds) and as the controls
// label them (`15 min`).

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of `text` (`120`, `15m`, `1h30m`), or `undefined` when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+[smhd])+$/.test(trimmed)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhd])/g)) seconds += Number(amount) * (UNIT_SECONDS[unit as string] as number);
  return seconds;
}

/** `900` reads `15 min`, `5400` reads `1 h 30 min`. */
export function formatDuration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds > 3600 && seconds % 60 === 0) return `${Math.floor(seconds / 3600)} h ${(seconds % 3600) / 60} min`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${Number(seconds.toFixed(1))} s`;
}
