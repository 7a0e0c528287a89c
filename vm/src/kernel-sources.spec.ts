import { release } from 'node:os';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cacheRoot } from './guest-runner.ts';
import { KernelUnavailableError, latestStableTag, mainlinePackages, newestFirst, kernelLayout, resolveKernel } from './kernel-sources.ts';

describe('newestFirst', () => {
  it('compares the numbers in package names numerically', () => {
    const names = ['linux-image-6.1.0-9-amd64', 'linux-image-6.1.0-56-amd64', 'linux-image-6.1.0-10-amd64', 'linux-image-6.1.0-56-cloud-amd64'];
    expect(newestFirst(names, /^linux-image-6\.1\.0-\d+-amd64$/)).toEqual(['linux-image-6.1.0-56-amd64', 'linux-image-6.1.0-10-amd64', 'linux-image-6.1.0-9-amd64']);
    expect(newestFirst(names, /^linux-image-5/)).toEqual([]);
  });

  it('orders 7.2.13+deb14 after 7.2.12+deb13 and 7.3.4 after 7.3', () => {
    expect(newestFirst(['linux-image-7.2.12+deb13-amd64', 'linux-image-7.2.13+deb14-amd64'], /^linux-image-7\.2\./)[0]).toBe('linux-image-7.2.13+deb14-amd64');
  });
});

describe('kernelLayout', () => {
  it('finds /boot/vmlinuz-* with /lib/modules (bookworm and older)', () => {
    expect(kernelLayout('/r', ['config-6.1.0-57-amd64', 'vmlinuz-6.1.0-57-amd64'], ['6.1.0-57-amd64'], [])).toEqual({
      bzImage: '/r/boot/vmlinuz-6.1.0-57-amd64',
      modulesDir: '/r/lib/modules/6.1.0-57-amd64',
    });
  });

  it('finds /boot/vmlinuz-* with /usr/lib/modules (trixie, 6.16 to 6.18)', () => {
    expect(kernelLayout('/r', ['vmlinuz-6.16.12+deb13-amd64'], [], ['6.16.12+deb13-amd64'])).toEqual({
      bzImage: '/r/boot/vmlinuz-6.16.12+deb13-amd64',
      modulesDir: '/r/usr/lib/modules/6.16.12+deb13-amd64',
    });
  });

  it('finds /usr/lib/modules/<release>/vmlinuz (split linux-binary/linux-modules packages, 6.19+)', () => {
    expect(kernelLayout('/r', [], [], ['7.2.13+deb14-amd64'])).toEqual({
      bzImage: '/r/usr/lib/modules/7.2.13+deb14-amd64/vmlinuz',
      modulesDir: '/r/usr/lib/modules/7.2.13+deb14-amd64',
    });
    expect(kernelLayout('/r', [], [], [])).toBeUndefined();
  });
});

// Ubuntu's mainline index cannot be reached from this machine, so these are recorded excerpts of its
// HTML listings (the format virtme-ng also parses), not live pages.
const ROOT_INDEX = `<a href="v6.9.12/">v6.9.12/</a> <a href="v6.10-rc7/">v6.10-rc7/</a> <a href="v6.10/">v6.10/</a>
<a href="v6.10.3/">v6.10.3/</a> <a href="v6.9/">v6.9/</a> <a href="daily/">daily/</a>`;
const BUILD_INDEX = `<a href="CHECKSUMS">CHECKSUMS</a>
<a href="linux-headers-6.6.0-060600-generic_6.6.0-060600.202310301232_amd64.deb">h</a>
<a href="linux-image-unsigned-6.6.0-060600-generic_6.6.0-060600.202310301232_amd64.deb">i</a>
<a href="linux-image-unsigned-6.6.0-060600-lowlatency_6.6.0-060600.202310301232_amd64.deb">l</a>
<a href="linux-modules-6.6.0-060600-generic_6.6.0-060600.202310301232_amd64.deb">m</a>`;

describe('Ubuntu mainline listings', () => {
  it('picks the newest stable release, never an -rc', () => {
    expect(latestStableTag(ROOT_INDEX)).toBe('v6.10.3');
  });

  it('picks the generic image and modules packages', () => {
    expect(mainlinePackages(BUILD_INDEX)).toEqual({
      image: 'linux-image-unsigned-6.6.0-060600-generic_6.6.0-060600.202310301232_amd64.deb',
      modules: 'linux-modules-6.6.0-060600-generic_6.6.0-060600.202310301232_amd64.deb',
    });
    expect(mainlinePackages('<a href="CHECKSUMS">')).toBeUndefined();
  });
});

describe('resolveKernel on this machine', () => {
  const hostImage = existsSync(`/boot/vmlinuz-${release()}`) || existsSync(`/lib/modules/${release()}/vmlinuz`);

  it.skipIf(hostImage)('reports the host kernel as not available, saying why', async () => {
    const resolving = resolveKernel({ id: 'host', version: 'host', arch: 'x86_64', source: { type: 'host' } }, cacheRoot());
    await expect(resolving).rejects.toBeInstanceOf(KernelUnavailableError);
    await expect(resolving).rejects.toThrow(`no bootable image of the running kernel ${release()}`);
  });

  it('reports a Debian package that apt does not know as not available', async () => {
    const resolving = resolveKernel({ id: 'x', version: '9.9', arch: 'x86_64', source: { type: 'debian', package: /^linux-image-9\.9\.0-\d+-amd64$/ } }, cacheRoot());
    await expect(resolving).rejects.toThrow(/no package matching \/\^linux-image-9\\.9/);
  }, 30_000);
});
