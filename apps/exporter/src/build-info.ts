// Version facts baked in by the bundler (apps/exporter/build.mjs); running from source they are read
// from the environment the bundler would have used.
import type { BuildInfo } from './builtin-metrics';

declare const __EBPF_EXPORTER_BUILD__: { version: string; revision: string; branch: string; date: string } | undefined;

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };

export function buildInfo(): BuildInfo & { date: string } {
  const baked = typeof __EBPF_EXPORTER_BUILD__ === 'undefined' ? undefined : __EBPF_EXPORTER_BUILD__;
  return {
    version: baked?.version ?? '0.0.0-dev',
    revision: baked?.revision ?? 'unknown',
    branch: baked?.branch ?? 'unknown',
    date: baked?.date ?? '',
    runtimeVersion: `node${process.versions.node}`,
    os: process.platform,
    arch: GO_ARCH[process.arch] ?? process.arch,
  };
}

/** The banner `--version` prints, laid out like prometheus/common's version.Print. */
export function versionBanner(info = buildInfo()): string {
  return [
    `ebpf_exporter, version ${info.version} (branch: ${info.branch}, revision: ${info.revision})`,
    `  build date:       ${info.date}`,
    `  node version:     ${info.runtimeVersion}`,
    `  platform:         ${info.os}/${info.arch}`,
    '',
  ].join('\n');
}
