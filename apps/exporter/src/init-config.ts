// `ebpf_exporter init <dir>/<name>.bpf.o`: writes <dir>/<name>.yaml from the object's BTF, never over an
// existing file.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BpfObject } from '@ebpf-exporter/bpf-native';
import { renderScaffold, scaffoldMetrics, type Scaffold } from '@ebpf-exporter/metrics';
import { StartupError } from './config-loader';
import { describeFileError, errorCode } from './file-errors';

const OBJECT_SUFFIX = '.bpf.o';

/** Writes the scaffold next to the object and returns its path. */
export function initConfig(objectPath: string): string {
  if (!objectPath.endsWith(OBJECT_SUFFIX) || basename(objectPath) === OBJECT_SUFFIX) {
    throw new StartupError(`init: ${objectPath} is not named <name>${OBJECT_SUFFIX}, which the config's name comes from`);
  }
  const configPath = `${objectPath.slice(0, -OBJECT_SUFFIX.length)}.yaml`;
  let object: BpfObject;
  try {
    object = BpfObject.open(objectPath);
  } catch (error) {
    throw new StartupError(`init: cannot open ${objectPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let scaffold: Scaffold;
  try {
    scaffold = scaffoldMetrics(object.mapTypes());
  } finally {
    object.close();
  }
  if (scaffold.metrics.length === 0) {
    const skipped = scaffold.skipped.map(({ map, reason }) => `${map}: ${reason}`).join('; ');
    throw new StartupError(`init: no map of ${objectPath} looks like a counter or histogram${skipped ? ` (${skipped})` : ''}; nothing written`);
  }
  const text = renderScaffold(basename(objectPath), scaffold);
  try {
    // 'wx': created here or not at all, so an existing config (or one created meanwhile) is never overwritten.
    writeFileSync(configPath, text, { flag: 'wx' });
  } catch (error) {
    if (errorCode(error) === 'EEXIST') throw new StartupError(`init: ${configPath} already exists; not overwriting it`);
    throw new StartupError(`init: cannot write ${configPath}: ${describeFileError(error)}`);
  }
  return configPath;
}

/** The `init` command: the config's path on stdout, or the reason on stderr and exit 1. */
export function initCommand(objectPath: string): void {
  try {
    process.stdout.write(`${initConfig(objectPath)}\n`);
  } catch (error) {
    process.stderr.write(`ebpf_exporter: error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
