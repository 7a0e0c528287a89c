import { describe, expect, it } from 'vitest';
import { aptOptions, sourcesList, splitKernelPackages } from './debian-apt.ts';

describe('the private apt state', () => {
  it('lists every suite of the mirror, security from its own archive', () => {
    const list = sourcesList('http://deb.debian.org/debian');
    const signed = 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]';
    expect(list).toContain(`${signed} http://deb.debian.org/debian bullseye main\n`);
    expect(list).toContain(`${signed} http://deb.debian.org/debian-security bookworm-security main\n`);
    expect(list).toContain(`${signed} http://deb.debian.org/debian experimental main\n`);
  });

  it('points every apt path it writes at its own folder, never the machine sources', () => {
    const options = aptOptions('/c/apt');
    expect(options).toContain('Dir::Etc::sourcelist=/c/apt/sources.list');
    expect(options).toContain('Dir::Etc::sourceparts=/dev/null');
    expect(options).toContain('Dir::State::Lists=/c/apt/lists');
    expect(options).toContain('Dir::Cache=/c/apt/cache');
  });
});

describe('splitKernelPackages', () => {
  it('takes the linux-base, linux-binary and linux-modules packages of a 6.19+ image package', () => {
    const depends =
      'dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.2.13+deb14-amd64 (= 7.2.13-1), ' +
      'linux-binary-7.2.13+deb14-amd64 (= 7.2.13-1), linux-modules-7.2.13+deb14-amd64 (= 7.2.13-1)';
    expect(splitKernelPackages(depends)).toEqual([
      'linux-base-7.2.13+deb14-amd64',
      'linux-binary-7.2.13+deb14-amd64',
      'linux-modules-7.2.13+deb14-amd64',
    ]);
  });

  it('takes nothing from an image package that holds the kernel itself', () => {
    expect(splitKernelPackages('kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool')).toEqual([]);
    // 6.18's image names a linux-base-<release> that no suite carries.
    const trixie618 = 'dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, kmod, linux-base-6.18.15+deb13-amd64 (= 6.18.15-1~bpo13+1)';
    expect(splitKernelPackages(trixie618)).toEqual([]);
  });
});
