// The .deb end to end, as root on this machine: build, lintian, dpkg -i, systemd-analyze verify, run the
// installed exporter with the service's user and capabilities on the installed examples, scrape real
// series from the kernel, stop it, dpkg --purge, and check that nothing of the package is left.
import { programsStillLoaded } from '@ebpf-exporter/test-support';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb, type BuiltDeb } from './build-deb';
import { INSTALL_PATHS, PACKAGE_NAME, SERVICE_NAME } from './layout';
import { scrape, startAsService, type Sample } from './service-process';
import { parseUnit, serviceCapabilities } from './systemd-unit';

const isRoot = process.getuid?.() === 0;
const hasLintian = existsSync('/usr/bin/lintian');
const DROP_IN_DOCS = `${INSTALL_PATHS.doc}/examples`;

/** What postinst's deb-systemd-helper writes outside the package's own files, and purge must remove. */
const SYSTEMD_STATE = [
  `/etc/systemd/system/multi-user.target.wants/${SERVICE_NAME}`,
  `/var/lib/systemd/deb-systemd-helper-enabled/${SERVICE_NAME}.dsh-also`,
  `/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/${SERVICE_NAME}`,
];

async function installedStatus(): Promise<string> {
  const result = await execa('dpkg-query', ['-W', '-f=${Status}', PACKAGE_NAME], { reject: false });
  return result.exitCode === 0 ? result.stdout : 'not known to dpkg';
}

async function purge(): Promise<void> {
  await execa('dpkg', ['--purge', PACKAGE_NAME], { reject: false });
}

/** Capabilities of the installed unit with the named documentation drop-ins applied. */
async function unitCapabilities(...dropIns: string[]): Promise<string[]> {
  let settings = parseUnit(await readFile(INSTALL_PATHS.unit, 'utf8'));
  for (const dropIn of dropIns) settings = parseUnit(await readFile(`${DROP_IN_DOCS}/${dropIn}`, 'utf8'), settings);
  return serviceCapabilities(settings);
}

/** The flags the installed /etc/default file gives the service, split as systemd splits $ARGS. */
async function defaultArgs(): Promise<string[]> {
  const args = /^ARGS="(.*)"$/m.exec(await readFile(INSTALL_PATHS.defaults, 'utf8'))?.[1];
  if (args === undefined) throw new Error(`${INSTALL_PATHS.defaults}: no ARGS="..." line`);
  return args.split(/\s+/);
}

function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe.skipIf(!isRoot)('the .deb, installed on this machine (needs root)', () => {
  let deb: BuiltDeb;
  let packagedFiles: string[];

  beforeAll(async () => {
    await purge(); // a previous run that died half-way
    const started = performance.now();
    deb = await buildDeb();
    console.log(`built ${basename(deb.path)} in ${Math.round(performance.now() - started)} ms, ${deb.installedSizeKiB} KiB installed`);
    // A shell pipe: the data tarball is bigger than execa's output buffer.
    const { stdout } = await execa('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -t', 'sh', deb.path]);
    packagedFiles = stdout
      .split('\n')
      .map((line) => line.replace(/^\./, '').replace(/\/$/, ''))
      .filter((path) => path !== '');
  });

  afterAll(purge);

  it('declares its Debian dependencies and nothing fetched at install time', () => {
    const names = deb.depends.map((dep) => dep.split(' ')[0]);
    expect(names).toEqual(expect.arrayContaining(['libbpf1', 'libc6', 'libstdc++6']));
  });

  it.skipIf(!hasLintian)('passes lintian without errors or warnings', async () => {
    const { stdout, stderr, exitCode } = await execa('lintian', ['--fail-on', 'error,warning', '--tag-display-limit', '0', deb.path], {
      reject: false,
    });
    console.log(`lintian:\n${stdout}`);
    expect(stdout.split('\n').filter((line) => /^[EW]: /.test(line))).toEqual([]);
    expect(exitCode, stderr).toBe(0);
  });

  it('installs with dpkg -i and lays out the package', async () => {
    await execa('dpkg', ['-i', deb.path]);
    expect(await installedStatus()).toBe('install ok installed');
    for (const path of [INSTALL_PATHS.launcher, `${INSTALL_PATHS.libDir}/node`, `${INSTALL_PATHS.libDir}/bpf_native.node`, `${INSTALL_PATHS.examples}/biolatency.bpf.o`]) {
      expect(existsSync(path), path).toBe(true);
    }
    // postinst enabled the service the way dh_installsystemd would, for when systemd runs.
    for (const path of SYSTEMD_STATE) expect(existsSync(path), path).toBe(true);
    const { stdout } = await execa(INSTALL_PATHS.launcher, ['--version']);
    expect(stdout).toMatch(new RegExp(`^ebpf_exporter, version ${deb.version.replace(/\./g, '\\.')} `));
  });

  it('has a unit that systemd-analyze verify accepts, alone and with each documented drop-in', async () => {
    const verify = async (env: Record<string, string> = {}) => execa('systemd-analyze', ['verify', SERVICE_NAME], { env, reject: false, all: true });
    const alone = await verify();
    expect(alone.all).toBe('');
    expect(alone.exitCode).toBe(0);
    for (const dropIn of ['ksym.conf', 'dac-read-search.conf', 'probes.conf', 'xdp.conf']) {
      // SYSTEMD_UNIT_PATH with a trailing ':' puts a scratch directory before the system's unit directories.
      const unitPath = await mkdtemp(join(tmpdir(), 'ebpf-exporter-units-'));
      try {
        await mkdir(join(unitPath, `${SERVICE_NAME}.d`));
        await writeFile(join(unitPath, `${SERVICE_NAME}.d`, dropIn), await readFile(`${DROP_IN_DOCS}/${dropIn}`));
        const withDropIn = await verify({ SYSTEMD_UNIT_PATH: `${unitPath}:` });
        expect(withDropIn.all, dropIn).toBe('');
        expect(withDropIn.exitCode, dropIn).toBe(0);
      } finally {
        await rm(unitPath, { recursive: true, force: true });
      }
    }
  });

  it('runs the default configs with only the unit\'s capabilities and serves real kernel series', async () => {
    const capabilities = await unitCapabilities();
    expect(capabilities).toEqual(['CAP_BPF', 'CAP_PERFMON']);
    const exporter = await startAsService(INSTALL_PATHS.launcher, await defaultArgs(), capabilities);
    let exitCode: number | undefined;
    let ours: number[] = [];
    try {
      const first = await scrape(exporter.url);
      ours = first.filter((s) => s.name === 'ebpf_exporter_ebpf_program_info').map((s) => Number(s.labels.id));
      expect(ours.length).toBeGreaterThanOrEqual(4); // biolatency: 3 programs, percpu-softirq: 1
      expect(total(first, 'ebpf_exporter_enabled_configs')).toBe(2);

      // Direct writes to a file on the root disk: each 4 KiB write is one block request the kernel completes.
      const device = basename((await execa('findmnt', ['-no', 'SOURCE', '-T', '/var/tmp'])).stdout.trim());
      const scratch = await mkdtemp('/var/tmp/ebpf-exporter-io-');
      await execa('dd', ['if=/dev/zero', `of=${scratch}/data`, 'bs=4k', 'count=64', 'oflag=direct', 'status=none']);
      await rm(scratch, { recursive: true, force: true });
      const second = await scrape(exporter.url);

      const writes = (samples: readonly Sample[]) => total(samples, 'ebpf_exporter_bio_latency_seconds_count', { device, operation: 'write' });
      expect(writes(second) - writes(first)).toBeGreaterThanOrEqual(64);
      expect(total(second, 'ebpf_exporter_softirqs_total')).toBeGreaterThan(0);
      expect(total(second, 'ebpf_exporter_softirqs_total', { vec: 'timer' })).toBeGreaterThan(0);
      expect(total(second, 'ebpf_exporter_decoder_errors_total')).toBe(0);

      // The dashboard assets are reached through the /usr/lib → /usr/share symlink.
      const dashboard = await fetch(`${exporter.url}/dashboard/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toMatch(/<html/i);
    } finally {
      exitCode = await exporter.stop();
    }
    expect(exitCode, exporter.output()).toBe(0);
    expect(await programsStillLoaded(ours), 'programs still loaded after the service stopped').toEqual([]);
  });

  it('resolves kernel symbols for the timers example only with the ksym drop-in\'s CAP_SYSLOG', async () => {
    const args = [`--config.dir=${INSTALL_PATHS.examples}`, '--config.names=timers'];
    const functions = async (capabilities: string[]): Promise<string[]> => {
      const exporter = await startAsService(INSTALL_PATHS.launcher, args, capabilities);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // timers start many times a second
        return (await scrape(exporter.url)).filter((s) => s.name === 'ebpf_exporter_timer_starts_total').map((s) => s.labels.function as string);
      } finally {
        expect(await exporter.stop(), exporter.output()).toBe(0);
      }
    };
    const plain = await functions(await unitCapabilities());
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((f) => f.startsWith('unknown_addr:'))).toBe(true);

    const withSyslog = await functions(await unitCapabilities('ksym.conf'));
    expect(withSyslog.filter((f) => /^[a-z_][a-z0-9_.]*$/.test(f)).length).toBeGreaterThan(0);
  });

  it('purges cleanly: no package files, conffile or systemd state left', async () => {
    await execa('dpkg', ['--purge', PACKAGE_NAME]);
    expect(await installedStatus()).toMatch(/not-installed|not known to dpkg/);
    const left = [...packagedFiles, ...SYSTEMD_STATE, `/var/lib/dpkg/info/${PACKAGE_NAME}.list`].filter(
      (path) => existsSync(path) && !SHARED_DIRECTORIES.has(path),
    );
    expect(left).toEqual([]);
  });
});

/** Directories the package shares with the rest of the system: dpkg rightly leaves them. */
const SHARED_DIRECTORIES = new Set([
  '',
  '/etc',
  '/etc/default',
  '/lib',
  '/lib/systemd',
  '/lib/systemd/system',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/share',
  '/usr/share/doc',
  '/usr/share/lintian',
  '/usr/share/lintian/overrides',
  '/usr/share/man',
  '/usr/share/man/man1',
]);
