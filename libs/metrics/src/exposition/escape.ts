// Escaping exactly as client_golang's expfmt writers do it.

const LABEL_VALUE_SPECIALS = /[\\"\n]/;
const HELP_SPECIALS = /[\\\n]/;

/** Label values (both formats) and OpenMetrics HELP text: backslash, double quote and newline. */
export function escapeQuoted(value: string): string {
  if (!LABEL_VALUE_SPECIALS.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * A label set as both exposition formats write it between the braces: `a="x",b="y"`. Quotes delimit every
 * value and the escaping is reversible, so equal texts mean equal label sets.
 */
export function renderLabelPairs(names: readonly string[], values: readonly string[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < names.length; i++) pairs.push(`${names[i] as string}="${escapeQuoted(values[i] as string)}"`);
  // join builds one flat string, where += would leave a rope: the text is kept across scrapes and copied
  // into every exposition, and copying a rope is several times slower.
  return pairs.join(',');
}

const UNESCAPED: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/**
 * The label values of a text made by renderLabelPairs, in order. Lets a producer keep only the rendered
 * text of a label set and still compare or hand out its values when it rarely needs them. Label names hold
 * no quotes or commas, so each value runs from the first quote after a name to the next unescaped quote.
 */
export function parseLabelValues(text: string): string[] {
  const values: string[] = [];
  for (let open = text.indexOf('"'); open !== -1; ) {
    let value = '';
    let run = open + 1;
    let i = run;
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] !== '\\') continue;
      value += text.slice(run, i) + (UNESCAPED[text[i + 1] as string] ?? '');
      run = ++i + 1;
    }
    values.push(value + text.slice(run, i));
    // After the closing quote: the end, or `,name="` and the next value.
    open = i + 1 < text.length ? text.indexOf('"', i + 1) : -1;
  }
  return values;
}

/** Text 0.0.4 HELP lines: backslash and newline only. */
export function escapeHelp(help: string): string {
  if (!HELP_SPECIALS.test(help)) return help;
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
