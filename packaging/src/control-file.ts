// The DEBIAN/control paragraph (deb-control(5)): field order as dpkg-gencontrol writes it, the long
// description folded into continuation lines, with " ." standing for an empty line.

export interface ControlFields {
  package: string;
  version: string;
  architecture: string;
  maintainer: string;
  installedSizeKiB: number;
  depends: readonly string[];
  section: string;
  homepage?: string;
  synopsis: string;
  description: string;
}

export function renderControl(fields: ControlFields): string {
  if (fields.synopsis.length > 80) throw new Error(`control: Description synopsis is ${fields.synopsis.length} characters, at most 80`);
  const longDescription = fields.description
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line}`))
    .join('\n');
  const lines = [
    `Package: ${fields.package}`,
    `Version: ${fields.version}`,
    `Architecture: ${fields.architecture}`,
    `Maintainer: ${fields.maintainer}`,
    `Installed-Size: ${fields.installedSizeKiB}`,
    `Depends: ${fields.depends.join(', ')}`,
    `Section: ${fields.section}`,
    'Priority: optional',
    ...(fields.homepage ? [`Homepage: ${fields.homepage}`] : []),
    `Description: ${fields.synopsis}`,
    longDescription,
  ];
  return `${lines.join('\n')}\n`;
}

/** Turns `dpkg-shlibdeps -O` output ("shlibs:Depends=libc6 (>= 2.34), libbpf1 (>= 1:1.0)") into a list. */
export function parseShlibdeps(output: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith('shlibs:Depends='));
  if (!line) throw new Error(`dpkg-shlibdeps printed no shlibs:Depends line: ${output.trim() || '(nothing)'}`);
  return line
    .slice('shlibs:Depends='.length)
    .split(',')
    .map((dep) => dep.trim())
    .filter((dep) => dep !== '');
}

/** Installed-Size as dpkg-gencontrol counts it: each file's size rounded up to whole KiB, each directory 1 KiB. */
export function installedSizeKiB(entries: readonly { kind: 'file' | 'directory' | 'symlink'; bytes: number }[]): number {
  return entries.reduce((total, entry) => total + (entry.kind === 'file' ? Math.ceil(entry.bytes / 1024) : 1), 0);
}
