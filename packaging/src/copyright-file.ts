// /usr/share/doc/ebpf-exporter/copyright in Debian's machine-readable format (DEP-5). The package ships
// three things under other licenses than the project's own: the npm packages esbuild bundled into
// main.mjs, the Node.js runtime, and the BPF examples (dual MIT/GPL, as the kernel requires).

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
}

export interface CopyrightInputs {
  bundled: readonly BundledPackage[];
  nodeVersion: string;
  nodeLicenseText: string;
}

const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/**
 * npm package names in a bundle's source map, each once. The paths are not always real (esbuild keeps the
 * paths of a package's own source map, laid out as on its author's machine), the names are.
 */
export function bundledPackageNames(sources: readonly string[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    const at = source.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const [first, second] = source.slice(at + 'node_modules/'.length).split('/');
    if (!first || !second) continue;
    const name = first.startsWith('@') ? `${first}/${second}` : first;
    // Build leftovers such as @js-sdsl/.build-data are folders inside a package, not packages.
    if (!name.split('/').some((part) => part.startsWith('.'))) names.add(name);
  }
  return [...names].sort();
}

/** Versions and licenses of the named packages, from a package-lock.json (lockfileVersion 2 or 3). */
export function lockedPackages(lockfile: string, names: readonly string[]): BundledPackage[] {
  const { packages } = JSON.parse(lockfile) as { packages?: Record<string, { version?: string; license?: string; dev?: boolean }> };
  const wanted = new Set(names);
  const found = new Map<string, BundledPackage>();
  for (const [path, entry] of Object.entries(packages ?? {})) {
    const at = path.lastIndexOf('node_modules/');
    const name = at < 0 ? '' : path.slice(at + 'node_modules/'.length);
    if (!wanted.has(name) || entry.dev || !entry.version) continue;
    found.set(`${name}@${entry.version}`, { name, version: entry.version, license: entry.license ?? 'unknown' });
  }
  const missing = names.filter((name) => ![...found.values()].some((p) => p.name === name));
  if (missing.length > 0) throw new Error(`package-lock.json has no production entry for bundled package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** A license text as a DEP-5 field continuation: every line indented, empty lines as " .". */
function continuation(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line.trimEnd()}`))
    .join('\n');
}

export function renderCopyright(inputs: CopyrightInputs): string {
  const bundledList = inputs.bundled.map((p) => `${p.name} ${p.version} (${p.license})`).join('\n');
  const paragraphs = [
    [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name: ebpf-exporter-ts',
      'Comment: A Prometheus exporter for custom eBPF metrics, config-compatible with cloudflare/ebpf_exporter.',
    ].join('\n'),
    ['Files: *', 'Copyright: ebpf-exporter-ts contributors', 'License: MIT'].join('\n'),
    [
      'Files: usr/lib/ebpf-exporter/main.mjs usr/lib/ebpf-exporter/main.mjs.map usr/lib/ebpf-exporter/bcrypt-worker.mjs usr/lib/ebpf-exporter/bcrypt-worker.mjs.map',
      'Copyright: ebpf-exporter-ts contributors and the authors of the npm packages listed below',
      'License: MIT',
      `Comment: main.mjs and bcrypt-worker.mjs are esbuild bundles that also contain these npm packages, each under its own license:\n${continuation(bundledList)}`,
    ].join('\n'),
    [
      'Files: usr/lib/ebpf-exporter/node',
      'Copyright: Node.js contributors and the authors of the projects Node.js bundles',
      'License: Node.js',
      `Comment: The Node.js ${inputs.nodeVersion} runtime of the build machine, shipped privately (see README.md).`,
    ].join('\n'),
    [
      'Files: usr/share/ebpf-exporter/examples/* usr/lib/ebpf-exporter/examples/*',
      'Copyright: ebpf-exporter-ts contributors',
      'License: MIT or GPL-2',
      'Comment: The BPF programs declare "Dual MIT/GPL" so that the kernel lets them call GPL-only helpers.',
    ].join('\n'),
    `License: MIT\n${continuation(MIT_TEXT)}`,
    'License: GPL-2\n On Debian systems the full text of the GNU General Public License version 2 is in\n /usr/share/common-licenses/GPL-2.',
    `License: Node.js\n${continuation(inputs.nodeLicenseText)}`,
  ];
  return `${paragraphs.join('\n\n')}\n`;
}
