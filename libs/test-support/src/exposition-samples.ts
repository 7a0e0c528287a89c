export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const unescapeLabelValue = (value: string): string => value.replace(/\\(n|"|\\)/g, (_match, c: string) => (c === 'n' ? '\n' : c));

/** Go writes infinities as `+Inf`/`-Inf`, which Number() does not read. */
const parseValue = (text: string): number => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));

/** Parses the sample lines of the text exposition format, for assertions; `promtool check metrics` checks the syntax. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = unescapeLabelValue(pair[2] as string);
    }
    samples.push({ name: match[1] as string, labels, value: parseValue(match[3] as string) });
  }
  return samples;
}
