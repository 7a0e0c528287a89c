// Cell colours: a perceptually ordered ramp (dark blue through green to yellow, like viridis) sampled
// at fixed steps, with a square-root curve so that rare buckets stay visible next to busy ones.

const STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export const COLOR_STEPS = 64;

const PALETTE: readonly string[] = Array.from({ length: COLOR_STEPS }, (_, i) => interpolate(i / (COLOR_STEPS - 1)));

/** Colour of a cell whose intensity is in (0, 1]; empty cells are not drawn at all. */
export function cellColor(intensity: number): string {
  const index = Math.min(COLOR_STEPS - 1, Math.max(0, Math.round(Math.sqrt(intensity) * (COLOR_STEPS - 1))));
  return PALETTE[index] as string;
}

function interpolate(position: number): string {
  const scaled = position * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const [a, b] = [STOPS[i] as [number, number, number], STOPS[i + 1] as [number, number, number]];
  const channel = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}
