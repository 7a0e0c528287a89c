// Finds `<dir>/<name>.yaml` + `<dir>/<name>.bpf.o` pairs, the layout upstream users already have.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type Config } from '@ebpf-exporter/metrics';
import { describeFileError, errorCode } from './file-errors';

export interface LoadedConfig {
  config: Config;
  objectPath: string;
  /** Content hashes a reload compares to tell an unchanged config from a new layout or a new object. */
  yamlHash: string;
  objectHash: string;
}

const sha256 = (content: string | Uint8Array): string => createHash('sha256').update(content).digest('hex');

/** A startup error meant for the user: printed as one line, no stack trace, exit 1. */
export class StartupError extends Error {}

/**
 * libbpf's errors when it reads the object name neither the cause nor the file well: reading it here tells a
 * missing object from an unreadable one before anything is loaded. Returns the content's hash.
 */
function hashObject(name: string, objectPath: string): string {
  let fd: number;
  try {
    fd = openSync(objectPath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw new StartupError(`config ${name}: BPF object ${objectPath} not found (build it first, e.g. npx nx build examples)`);
    throw new StartupError(`config ${name}: cannot read BPF object ${objectPath}: ${describeFileError(error)}`);
  }
  try {
    // Linux opens a directory for reading without complaint; reading it is what fails.
    if (fstatSync(fd).isDirectory()) throw new StartupError(`config ${name}: cannot read BPF object ${objectPath}: is a directory (EISDIR)`);
    return sha256(readFileSync(fd));
  } finally {
    closeSync(fd);
  }
}

function readConfigText(name: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const cause = errorCode(error) === 'ENOENT' ? `no such config (is "${name}" spelled right in --config.names?)` : describeFileError(error);
    throw new StartupError(`config ${name}: cannot read ${file}: ${cause}`);
  }
}

function checkConfigDir(dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    throw new StartupError(`--config.dir: cannot read ${dir}: ${describeFileError(error)}`);
  }
  if (!isDirectory) throw new StartupError(`--config.dir: ${dir} is not a directory`);
}

export function loadConfigs(dir: string, names: readonly string[]): LoadedConfig[] {
  checkConfigDir(dir);
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) throw new StartupError(`--config.names: config ${name} is listed twice`);
    seen.add(name);
    const file = join(dir, `${name}.yaml`);
    const objectPath = join(dir, `${name}.bpf.o`);
    const text = readConfigText(name, file);
    const config = parseConfig(text, file);
    return { config, objectPath, yamlHash: sha256(text), objectHash: hashObject(name, objectPath) };
  });
}
