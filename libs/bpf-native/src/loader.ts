import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpfError } from './bpf-error.js';
import type { NativeAddon } from './native.js';

/** Environment variable naming the addon file explicitly (packaging, tests). */
export const ADDON_PATH_ENV = 'EBPF_EXPORTER_NATIVE_ADDON';
const ADDON_FILE = 'bpf_native.node';
const SUPPORTED_LIBBPF_MAJOR = 1;

export interface LoadedAddon {
  addon: NativeAddon;
  /** Absolute path of the `.node` file that loaded: a uprobe target for `post_attach_mark`. */
  path: string;
}

/**
 * Where to look, in order: the environment variable, next to the running script (the bundled exporter ships
 * the addon beside its bundle), then this package's own node-gyp output.
 */
export function addonCandidates(env: NodeJS.ProcessEnv, mainScript: string | undefined, packageDir: string | undefined): string[] {
  const candidates: string[] = [];
  const explicit = env[ADDON_PATH_ENV];
  if (explicit) candidates.push(resolve(explicit));
  if (mainScript) candidates.push(join(dirname(mainScript), ADDON_FILE));
  if (packageDir) candidates.push(join(packageDir, 'build', 'Release', ADDON_FILE));
  return candidates;
}

/** Loads the first candidate that dlopens, then refuses a libbpf other than 1.x (the API we compiled against). */
export function loadFirstAddon(candidates: readonly string[], load: (path: string) => unknown): LoadedAddon {
  const failures: string[] = [];
  for (const path of candidates) {
    let addon: NativeAddon;
    try {
      addon = load(path) as NativeAddon;
    } catch (error) {
      failures.push(`${path}: ${firstLine(error)}`);
      continue;
    }
    const major = addon.libbpfMajorVersion();
    if (major !== SUPPORTED_LIBBPF_MAJOR) {
      throw new BpfError(`libbpf ${addon.libbpfVersion()} is not supported: libbpf ${SUPPORTED_LIBBPF_MAJOR}.x is required (apt-get install libbpf1)`, {
        code: 'ENOTSUP',
        errno: 95,
      });
    }
    addon.setErrorClass(BpfError);
    return { addon, path };
  }
  throw new Error(
    'bpf_native.node not found or libbpf.so.1 missing: run `npx nx build bpf-native` / `apt-get install libbpf1`' +
      ` (tried ${failures.join('; ') || 'no location'})`,
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? message;
}

function packageDirectory(): string | undefined {
  // A CommonJS bundle has no import.meta.url; the other two candidates cover that case.
  const url: unknown = import.meta.url;
  return typeof url === 'string' ? dirname(dirname(fileURLToPath(url))) : undefined;
}

let loaded: LoadedAddon | undefined;

/** The addon, loaded once on first use. */
export function nativeAddon(): LoadedAddon {
  if (!loaded) {
    const require = createRequire(import.meta.url ?? __filename);
    loaded = loadFirstAddon(addonCandidates(process.env, process.argv[1], packageDirectory()), (path) => require(path));
  }
  return loaded;
}
