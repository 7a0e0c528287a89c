import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ADDON_BUILD_PATH } from '../test-fixtures/fixtures.js';
import { ADDON_PATH_ENV, addonCandidates, loadFirstAddon } from './loader.js';
import type { NativeAddon } from './native.js';

const require = createRequire(import.meta.url);

describe('addonCandidates', () => {
  it('tries the environment variable, then beside the running script, then the package build', () => {
    expect(addonCandidates({ [ADDON_PATH_ENV]: '/opt/x/bpf_native.node' }, '/srv/exporter/main.js', '/repo/libs/bpf-native')).toEqual([
      '/opt/x/bpf_native.node',
      '/srv/exporter/bpf_native.node',
      '/repo/libs/bpf-native/build/Release/bpf_native.node',
    ]);
  });

  it('skips what is not set', () => {
    expect(addonCandidates({}, undefined, '/p')).toEqual(['/p/build/Release/bpf_native.node']);
  });
});

describe('loadFirstAddon', () => {
  it('loads the first candidate that exists and reports its path', () => {
    expect(existsSync(ADDON_BUILD_PATH)).toBe(true);
    const loaded = loadFirstAddon(['/nonexistent/bpf_native.node', ADDON_BUILD_PATH], (path) => require(path));
    expect(loaded.path).toBe(ADDON_BUILD_PATH);
    expect(loaded.addon.libbpfMajorVersion()).toBe(1);
  });

  it('fails with one actionable message when nothing loads', () => {
    expect(() => loadFirstAddon(['/nonexistent/a.node', '/nonexistent/b.node'], (path) => require(path))).toThrow(
      /bpf_native\.node not found or libbpf\.so\.1 missing: run `npx nx build bpf-native` \/ `apt-get install libbpf1` \(tried \/nonexistent\/a\.node: .*; \/nonexistent\/b\.node: /,
    );
  });

  it('refuses a libbpf whose major version is not 1', () => {
    // A test double: no libbpf 2 exists to link against here. Only the two version calls are reached.
    const fromTheFuture = { libbpfMajorVersion: () => 2, libbpfVersion: () => 'v2.0' } as unknown as NativeAddon;
    expect(() => loadFirstAddon(['/any'], () => fromTheFuture)).toThrow(expect.objectContaining({ code: 'ENOTSUP', message: expect.stringMatching(/libbpf v2\.0 is not supported/) }));
  });
});
