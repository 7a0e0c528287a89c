// Builds dist/ebpf-exporter_<version>_<arch>.deb from the built exporter (dist/apps/exporter) and the
// compiled examples: stages the installed tree, writes DEBIAN/ metadata, and lets dpkg-deb pack it.
// The Node.js runtime that runs the build (Node 24, from the npm package node-linux-<arch> that npm ci
// installs) is shipped privately in /usr/lib/ebpf-exporter: Debian 12's nodejs is 18, past its end of
// life and too old for Fastify 5, and a private copy keeps the package installable from Debian's
// own archive alone (its shared-library dependencies are declared like any other binary's).
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { chmod, copyFile, cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installedSizeKiB, parseShlibdeps, renderControl } from './control-file';
import { bundledPackageNames, lockedPackages, renderCopyright, type BundledPackage } from './copyright-file';
import { debFileName, INSTALL_PATHS, PACKAGE_NAME } from './layout';
import { renderManPage } from './manual-page';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const DEBIAN_DIR = join(REPO_ROOT, 'packaging/debian');
const MAINTAINER = 'ebpf-exporter-ts maintainers <maintainers@users.noreply.r-seed-a253a737.example>';
// The oldest Node.js line still supported upstream (24 LTS); package.json engines says the same.
const MIN_NODE_MAJOR = 24;

export interface BuildDebOptions {
  /** Directory the .deb is written to (default: <repo>/dist). */
  outDir?: string;
  /** The Node.js binary to ship (default: the one running this build). */
  nodeBinary?: string;
}

export interface BuiltDeb {
  path: string;
  version: string;
  architecture: string;
  depends: string[];
  installedSizeKiB: number;
}

export async function buildDeb(options: BuildDebOptions = {}): Promise<BuiltDeb> {
  const outDir = options.outDir ?? join(REPO_ROOT, 'dist');
  const nodeBinary = options.nodeBinary ?? process.execPath;
  const nodeVersion = await supportedNodeVersion(nodeBinary);
  const exporterDist = join(REPO_ROOT, 'dist/apps/exporter');
  for (const built of ['main.mjs', 'main.mjs.map', 'bcrypt-worker.mjs', 'bpf_native.node', 'dashboard/index.html']) {
    if (!existsSync(join(exporterDist, built))) throw new Error(`${join(exporterDist, built)} is missing: run \`npx nx build exporter\` first`);
  }
  const version = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const architecture = (await execa('dpkg', ['--print-architecture'])).stdout.trim();

  const stage = await mkdtemp(join(tmpdir(), 'ebpf-exporter-deb-'));
  try {
    const at = (installPath: string): string => join(stage, installPath);
    const put = async (source: string, installPath: string, mode: number): Promise<void> => {
      await mkdir(dirname(at(installPath)), { recursive: true });
      await copyFile(source, at(installPath));
      await chmod(at(installPath), mode);
    };

    await put(join(DEBIAN_DIR, 'ebpf_exporter'), INSTALL_PATHS.launcher, 0o755);
    await put(nodeBinary, `${INSTALL_PATHS.libDir}/node`, 0o755);
    for (const file of ['main.mjs', 'main.mjs.map', 'bcrypt-worker.mjs', 'bcrypt-worker.mjs.map']) await put(join(exporterDist, file), `${INSTALL_PATHS.libDir}/${file}`, 0o644);
    // A shared object is 0644 in Debian; node dlopens it all the same.
    await put(join(exporterDist, 'bpf_native.node'), `${INSTALL_PATHS.libDir}/bpf_native.node`, 0o644);
    // Debug symbols stay in the build tree; .dynsym (what Node and dlopen resolve) is kept by --strip-unneeded.
    await execa('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', at(`${INSTALL_PATHS.libDir}/node`), at(`${INSTALL_PATHS.libDir}/bpf_native.node`)]);

    await cp(join(exporterDist, 'dashboard'), at(INSTALL_PATHS.dashboard), { recursive: true });
    // The exporter serves the dashboard found beside main.mjs; the assets live in /usr/share.
    await symlink(relative(INSTALL_PATHS.libDir, INSTALL_PATHS.dashboard), at(`${INSTALL_PATHS.libDir}/dashboard`));

    const examples = await exampleNames();
    for (const name of examples) {
      await put(join(REPO_ROOT, 'examples', `${name}.yaml`), `${INSTALL_PATHS.examples}/${name}.yaml`, 0o644);
      await put(join(REPO_ROOT, 'examples', `${name}.bpf.o`), `${INSTALL_PATHS.bpfObjects}/${name}.bpf.o`, 0o644);
      await symlink(relative(INSTALL_PATHS.examples, `${INSTALL_PATHS.bpfObjects}/${name}.bpf.o`), at(`${INSTALL_PATHS.examples}/${name}.bpf.o`));
    }
    // DWARF is most of each object; libbpf needs only the BTF sections (types and CO-RE relocations), which stay.
    await execa('llvm-strip', ['-g', ...examples.map((name) => at(`${INSTALL_PATHS.bpfObjects}/${name}.bpf.o`))]);

    await put(join(DEBIAN_DIR, 'default'), INSTALL_PATHS.defaults, 0o644);
    await put(join(DEBIAN_DIR, 'ebpf-exporter.service'), INSTALL_PATHS.unit, 0o644);
    await put(join(REPO_ROOT, 'packaging/README.md'), `${INSTALL_PATHS.doc}/README.md`, 0o644);
    for (const dropIn of await readdir(join(DEBIAN_DIR, 'dropins'))) {
      await put(join(DEBIAN_DIR, 'dropins', dropIn), `${INSTALL_PATHS.doc}/examples/${dropIn}`, 0o644);
    }
    await writeFile(at(`${INSTALL_PATHS.doc}/changelog.gz`), gzipSync(changelog(version), { level: 9 }));
    const helpText = (await execa(nodeBinary, [join(exporterDist, 'main.mjs'), '--help'])).stdout;
    await mkdir(at('/usr/share/man/man1'), { recursive: true });
    await writeFile(at('/usr/share/man/man1/ebpf_exporter.1.gz'), gzipSync(renderManPage(helpText, version, new Date()), { level: 9 }));
    await put(join(DEBIAN_DIR, 'lintian-overrides'), `/usr/share/lintian/overrides/${PACKAGE_NAME}`, 0o644);
    await writeFile(
      at(`${INSTALL_PATHS.doc}/copyright`),
      renderCopyright({
        bundled: await bundledPackages(join(exporterDist, 'main.mjs.map')),
        nodeVersion,
        nodeLicenseText: await readFile(nodeLicenseFile(nodeBinary), 'utf8'),
      }),
    );

    const depends = await sharedLibraryDepends(stage, [`${INSTALL_PATHS.libDir}/node`, `${INSTALL_PATHS.libDir}/bpf_native.node`]);
    const entries = await treeEntries(stage);
    await normalizeModes(stage, entries);
    await mkdir(join(stage, 'DEBIAN'));
    for (const script of ['postinst', 'prerm', 'postrm']) await put(join(DEBIAN_DIR, script), `DEBIAN/${script}`, 0o755);
    await writeFile(join(stage, 'DEBIAN/conffiles'), `${INSTALL_PATHS.defaults}\n`);
    await writeFile(join(stage, 'DEBIAN/md5sums'), await md5sums(stage, entries));
    const size = installedSizeKiB(entries);
    await writeFile(
      join(stage, 'DEBIAN/control'),
      renderControl({
        package: PACKAGE_NAME,
        version,
        architecture,
        maintainer: MAINTAINER,
        installedSizeKiB: size,
        depends,
        section: 'net',
        synopsis: 'Prometheus exporter for custom eBPF metrics',
        description: `Loads eBPF programs described by YAML configs (the format of cloudflare's
ebpf_exporter), reads their maps on every scrape and serves counters and
histograms on /metrics, plus a dashboard with latency heatmaps.

Runs as a systemd service with only CAP_BPF and CAP_PERFMON; compiled
examples are in /usr/share/ebpf-exporter/examples.`,
      }),
    );

    await mkdir(outDir, { recursive: true });
    const path = join(outDir, debFileName(version, architecture));
    await execa('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', stage, path]);
    return { path, version, architecture, depends, installedSizeKiB: size };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Examples with both a config and a compiled object (expectation files are test data, not configs). */
async function exampleNames(): Promise<string[]> {
  const files = await readdir(join(REPO_ROOT, 'examples'));
  const names = files.filter((f) => f.endsWith('.yaml') && !f.endsWith('.expect.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  const missing = names.filter((name) => !files.includes(`${name}.bpf.o`));
  if (missing.length > 0) throw new Error(`examples/${missing[0]}.bpf.o is missing: run \`npx nx build examples\` first`);
  return names.sort();
}

/**
 * The version of the Node.js to ship (`v24.x.y`); refused when past its end of life, as a build run by the
 * machine's own node 20 would be.
 */
async function supportedNodeVersion(nodeBinary: string): Promise<string> {
  const version = (await execa(nodeBinary, ['--version'])).stdout.trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= MIN_NODE_MAJOR)) {
    throw new Error(`${nodeBinary} is Node.js ${version}; the package ships Node.js ${MIN_NODE_MAJOR} or newer (run the build from node_modules/.bin, as nx does)`);
  }
  return version;
}

/** The license of the Node.js that is shipped: beside a tarball install, or in Debian's doc directory. */
function nodeLicenseFile(nodeBinary: string): string {
  const candidates = [resolve(nodeBinary, '../../LICENSE'), resolve(nodeBinary, '../../share/doc/node/LICENSE'), '/usr/share/doc/nodejs/LICENSE'];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`Node.js LICENSE not found (looked at ${candidates.join(', ')}); the package must carry it with the runtime`);
  return found;
}

async function bundledPackages(sourceMap: string): Promise<BundledPackage[]> {
  const { sources } = JSON.parse(await readFile(sourceMap, 'utf8')) as { sources: string[] };
  return lockedPackages(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8'), bundledPackageNames(sources));
}

/** Depends of the ELF files, computed by dpkg-shlibdeps from the packages that own their libraries. */
async function sharedLibraryDepends(stage: string, elfFiles: readonly string[]): Promise<string[]> {
  // dpkg-shlibdeps wants to run inside a source tree: give it an empty one.
  const source = await mkdtemp(join(tmpdir(), 'ebpf-exporter-shlibdeps-'));
  try {
    await mkdir(join(source, 'debian'));
    await writeFile(join(source, 'debian/control'), `Source: ${PACKAGE_NAME}\n\nPackage: ${PACKAGE_NAME}\nArchitecture: any\n`);
    const { stdout } = await execa('dpkg-shlibdeps', ['-O', ...elfFiles.map((f) => join(stage, f))], { cwd: source });
    return parseShlibdeps(stdout);
  } finally {
    await rm(source, { recursive: true, force: true });
  }
}

interface TreeEntry {
  path: string;
  kind: 'file' | 'directory' | 'symlink';
  bytes: number;
}

async function treeEntries(root: string, dir = root): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    const stats = await lstat(full);
    const path = relative(root, full);
    if (stats.isSymbolicLink()) entries.push({ path, kind: 'symlink', bytes: 0 });
    else if (stats.isDirectory()) entries.push({ path, kind: 'directory', bytes: 0 }, ...(await treeEntries(root, full)));
    else entries.push({ path, kind: 'file', bytes: stats.size });
  }
  return entries;
}

/** Whatever the build's umask was: directories 0755, executables 0755, other files 0644. */
async function normalizeModes(stage: string, entries: readonly TreeEntry[]): Promise<void> {
  for (const entry of entries) {
    if (entry.kind === 'symlink') continue;
    const full = join(stage, entry.path);
    const executable = entry.kind === 'directory' || ((await lstat(full)).mode & 0o100) !== 0;
    await chmod(full, executable ? 0o755 : 0o644);
  }
}

/** DEBIAN/md5sums: every regular file except conffiles, which dpkg tracks separately. */
async function md5sums(stage: string, entries: readonly TreeEntry[]): Promise<string> {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'file' || `/${entry.path}` === INSTALL_PATHS.defaults) continue;
    lines.push(`${createHash('md5').update(await readFile(join(stage, entry.path))).digest('hex')}  ${entry.path}`);
  }
  return `${lines.join('\n')}\n`;
}

function changelog(version: string): string {
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return `${PACKAGE_NAME} (${version}) unstable; urgency=medium\n\n  * Built from the ebpf-exporter-ts workspace.\n\n -- ${MAINTAINER}  ${date}\n`;
}
