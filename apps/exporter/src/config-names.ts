// --config.names: a comma separated list on the command line, or `@FILE`, a file read at startup and again
// at every reload, so a deployment adds or removes configs by editing a file (a ConfigMap, a drop-in)
// without changing the command line the service manager holds.
import { readFileSync } from 'node:fs';
import { StartupError } from './config-loader';
import { describeFileError } from './file-errors';

export type ConfigNamesSource = { list: readonly string[] } | { file: string };

/** Names separated by commas, blanks or line breaks; `#` comments out the rest of its line. */
export function splitConfigNames(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((name) => name !== '');
}

/** The flag's value as given: `@FILE` names a file, anything else is the list itself. */
export function configNamesSource(value: string): ConfigNamesSource {
  return value.startsWith('@') ? { file: value.slice(1) } : { list: splitConfigNames(value) };
}

/** The names to load now. @throws StartupError when the file cannot be read or lists no config. */
export function readConfigNames(source: ConfigNamesSource): string[] {
  if ('list' in source) return [...source.list];
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    throw new StartupError(`--config.names: cannot read ${source.file}: ${describeFileError(error)}`);
  }
  const names = splitConfigNames(text);
  if (names.length === 0) throw new StartupError(`--config.names: ${source.file} lists no config`);
  return names;
}
