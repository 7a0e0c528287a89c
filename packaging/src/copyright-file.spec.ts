import { describe, expect, it } from 'vitest';
import { bundledPackageNames, lockedPackages, renderCopyright } from './copyright-file';

describe('bundledPackageNames', () => {
  it('takes the innermost package of each node_modules path, scoped or not, once', () => {
    expect(
      bundledPackageNames([
        '<define:__EBPF_EXPORTER_BUILD__>',
        '../../../libs/metrics/src/index.ts',
        '../../../node_modules/fastify/lib/route.js',
        '../../../node_modules/fastify/fastify.js',
        '../../../node_modules/@fastify/static/node_modules/glob/dist/esm/index.js',
        '../../../node_modules/@fastify/static/index.js',
        '../../../node_modules/@js-sdsl/.build-data/copied-source/src/index.ts',
      ]),
    ).toEqual(['@fastify/static', 'fastify', 'glob']);
  });
});

describe('lockedPackages', () => {
  const lockfile = JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'root' },
      'node_modules/fastify': { version: '5.1.0', license: 'MIT' },
      'node_modules/glob': { version: '11.0.0', license: 'ISC' },
      'node_modules/@fastify/static/node_modules/glob': { version: '10.4.0', license: 'ISC' },
      'node_modules/vitest': { version: '4.0.0', license: 'MIT', dev: true },
    },
  });

  it('lists every locked version of the bundled names, skipping development-only entries', () => {
    expect(lockedPackages(lockfile, ['fastify', 'glob'])).toEqual([
      { name: 'fastify', version: '5.1.0', license: 'MIT' },
      { name: 'glob', version: '10.4.0', license: 'ISC' },
      { name: 'glob', version: '11.0.0', license: 'ISC' },
    ]);
  });

  it('names bundled packages the lockfile has no production entry for', () => {
    expect(() => lockedPackages(lockfile, ['fastify', 'vitest', 'left-pad'])).toThrow('no production entry for bundled packages vitest, left-pad');
  });
});

describe('renderCopyright', () => {
  const text = renderCopyright({
    bundled: [{ name: 'fastify', version: '5.1.0', license: 'MIT' }],
    nodeVersion: 'v20.20.2',
    nodeLicenseText: 'Node.js is licensed for use as follows:\n\nCopyright Node.js contributors.\n',
  });

  it('is DEP-5: paragraphs separated by one empty line, continuation lines indented, empty ones as " ."', () => {
    const paragraphs = text.trimEnd().split('\n\n');
    expect(paragraphs[0]).toMatch(/^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/);
    for (const paragraph of paragraphs) {
      for (const line of paragraph.split('\n')) expect(line).toMatch(/^([A-Z][A-Za-z-]*: |[ ])/);
    }
    expect(text).toContain('License: Node.js\n Node.js is licensed for use as follows:\n .\n Copyright Node.js contributors.\n');
  });

  it('lists the bundled npm packages and the shipped Node.js version', () => {
    expect(text).toContain('\n fastify 5.1.0 (MIT)\n');
    expect(text).toContain('The Node.js v20.20.2 runtime');
  });

  it('has a standalone license paragraph for every license a Files paragraph names', () => {
    const named = new Set([...text.matchAll(/^Files: .*\n(?:.*\n)*?License: (.+)$/gm)].flatMap((m) => (m[1] as string).split(' or ')));
    const standalone = new Set([...text.matchAll(/(?:^|\n\n)License: (.+)/g)].map((m) => m[1] as string));
    for (const license of named) expect(standalone).toContain(license);
  });
});
