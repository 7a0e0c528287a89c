import { describe, expect, it } from 'vitest';
import { KERNELS_FILE } from './guest-runner.ts';
import { KernelMatrixError, loadKernelMatrix, parseKernelMatrix, selectKernels } from './kernel-matrix.ts';

describe('kernels.yaml', () => {
  it('lists the Debian, host and fetch-only kernels of the matrix', async () => {
    const kernels = await loadKernelMatrix(KERNELS_FILE);
    expect(kernels.map((kernel) => kernel.id)).toEqual(['5.10', '6.1', '6.12', '6.16', '6.18', '7.2', '7.3', 'host', '5.15', '6.6', 'mainline']);
    const debian61 = kernels.find((kernel) => kernel.id === '6.1')!;
    expect(debian61.source.type).toBe('debian');
    if (debian61.source.type === 'debian') {
      expect(debian61.source.package.test('linux-image-6.1.0-56-amd64')).toBe(true);
      expect(debian61.source.package.test('linux-image-6.1.0-56-cloud-amd64')).toBe(false);
    }
  });
});

describe('parseKernelMatrix', () => {
  const parseError = (text: string) => {
    try {
      parseKernelMatrix(text, 'k.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(KernelMatrixError);
      return (error as Error).message;
    }
    throw new Error('expected a KernelMatrixError');
  };

  it('names file, line, column and field of a bad value', () => {
    const text = 'kernels:\n  - id: a\n    version: "1"\n    arch: x86_64\n    source:\n      type: tarball\n';
    expect(parseError(text)).toBe('k.yaml:6:13: kernels[0].source.type: must be one of debian, ubuntu-mainline, host');
  });

  it('asks for quoted versions when YAML read a number', () => {
    expect(parseError('kernels:\n  - id: a\n    version: 6.1\n    arch: x86_64\n    source: { type: host }\n')).toMatch(
      /^k\.yaml:3:14: kernels\[0\]\.version: must be a non-empty string/,
    );
  });

  it('rejects duplicate ids, bad regexps and unknown arches', () => {
    const entry = (id: string, extra = '') => `  - { id: ${id}, version: "1", arch: x86_64, source: { type: host }${extra} }\n`;
    expect(parseError(`kernels:\n${entry('a')}${entry('a')}`)).toMatch(/^k\.yaml:3:\d+: kernels\[1\]\.id: duplicate id "a"/);
    expect(parseError('kernels:\n  - { id: a, version: "1", arch: x86_64, source: { type: debian, package: "(" } }\n')).toMatch(
      /kernels\[0\]\.source\.package: Invalid regular expression/,
    );
    expect(parseError('kernels:\n  - { id: a, version: "1", arch: arm64, source: { type: host } }\n')).toMatch(/kernels\[0\]\.arch: must be one of x86_64/);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(parseError('kernels: [\n')).toMatch(/^k\.yaml:\d+:\d+: /);
  });
});

describe('selectKernels', () => {
  const all = parseKernelMatrix('kernels:\n  - { id: a, version: "1", arch: x86_64, source: { type: host } }\n  - { id: b, version: "2", arch: x86_64, source: { type: host } }\n', 'k.yaml');

  it('keeps the order asked for', () => {
    expect(selectKernels(all, ['b', 'a']).map((kernel) => kernel.id)).toEqual(['b', 'a']);
  });

  it('names every unknown id and the known ones', () => {
    expect(() => selectKernels(all, ['a', 'x', 'y'])).toThrow('unknown kernel id "x", "y"; known: a, b');
  });
});
