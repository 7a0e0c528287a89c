import { describe, expect, it } from 'vitest';
import { installedSizeKiB, parseShlibdeps, renderControl } from './control-file';

const fields = {
  package: 'ebpf-exporter',
  version: '0.1.0',
  architecture: 'amd64',
  maintainer: 'Team <team@example.org>',
  installedSizeKiB: 42,
  depends: ['libbpf1 (>= 1:1.0.0)', 'libc6 (>= 2.34)'],
  section: 'net',
  synopsis: 'Prometheus exporter for custom eBPF metrics',
  description: 'First paragraph\nwraps here.\n\nSecond paragraph.',
};

describe('renderControl', () => {
  it('writes the fields in dpkg order with a folded long description', () => {
    expect(renderControl(fields)).toBe(
      [
        'Package: ebpf-exporter',
        'Version: 0.1.0',
        'Architecture: amd64',
        'Maintainer: Team <team@example.org>',
        'Installed-Size: 42',
        'Depends: libbpf1 (>= 1:1.0.0), libc6 (>= 2.34)',
        'Section: net',
        'Priority: optional',
        'Description: Prometheus exporter for custom eBPF metrics',
        ' First paragraph',
        ' wraps here.',
        ' .',
        ' Second paragraph.',
        '',
      ].join('\n'),
    );
  });

  it('refuses a synopsis longer than 80 characters', () => {
    expect(() => renderControl({ ...fields, synopsis: 'x'.repeat(81) })).toThrow('Description synopsis is 81 characters, at most 80');
  });
});

describe('parseShlibdeps', () => {
  it('splits the shlibs:Depends substitution variable', () => {
    expect(parseShlibdeps('shlibs:Depends=libbpf1 (>= 1:1.0.0), libc6 (>= 2.34), libstdc++6 (>= 6)\n')).toEqual([
      'libbpf1 (>= 1:1.0.0)',
      'libc6 (>= 2.34)',
      'libstdc++6 (>= 6)',
    ]);
  });

  it('says what dpkg-shlibdeps printed when the line is missing', () => {
    expect(() => parseShlibdeps('warning: something\n')).toThrow('dpkg-shlibdeps printed no shlibs:Depends line: warning: something');
  });
});

describe('installedSizeKiB', () => {
  it('rounds each file up to whole KiB and counts directories and symlinks as 1 KiB', () => {
    expect(
      installedSizeKiB([
        { kind: 'directory', bytes: 0 },
        { kind: 'file', bytes: 1 },
        { kind: 'file', bytes: 1024 },
        { kind: 'file', bytes: 1025 },
        { kind: 'symlink', bytes: 0 },
      ]),
    ).toBe(1 + 1 + 1 + 2 + 1);
  });
});
