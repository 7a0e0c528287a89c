// The files under packaging/debian name installed paths too: they must agree with layout.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debFileName, DEFAULT_CONFIG_NAMES, INSTALL_PATHS } from './layout';
import { parseUnit } from './systemd-unit';

const DEBIAN_DIR = join(import.meta.dirname, '../debian');
const read = (name: string): Promise<string> => readFile(join(DEBIAN_DIR, name), 'utf8');

describe('packaging/debian agrees with the layout', () => {
  it('the launcher runs the private node on the bundle in the library directory', async () => {
    expect(await read('ebpf_exporter')).toContain(`exec ${INSTALL_PATHS.libDir}/node --max-semi-space-size=4 $source_maps ${INSTALL_PATHS.libDir}/main.mjs "$@"`);
  });

  it('the defaults file loads the default configs from the installed examples', async () => {
    const args = /^ARGS="(.*)"$/m.exec(await read('default'))?.[1]?.split(' ');
    expect(args).toEqual([`--config.dir=${INSTALL_PATHS.examples}`, `--config.names=${DEFAULT_CONFIG_NAMES.join(',')}`]);
  });

  it('the unit starts the launcher with the defaults file', async () => {
    const unit = parseUnit(await read('ebpf-exporter.service'));
    expect(unit.get('Service.ExecStart')?.[0]?.split(' ')[0]).toBe(INSTALL_PATHS.launcher);
    expect(unit.get('Service.EnvironmentFile')).toEqual([`-${INSTALL_PATHS.defaults}`]);
  });
});

describe('debFileName', () => {
  it('is <package>_<version>_<architecture>.deb', () => {
    expect(debFileName('0.1.0', 'amd64')).toBe('ebpf-exporter_0.1.0_amd64.deb');
  });
});
