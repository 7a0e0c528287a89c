// Bundles the exporter into one ESM file with esbuild (fast, and it follows the workspace packages'
// TypeScript sources), then places the native addon and the dashboard assets beside it: the layout the
// launcher, the .deb and the container image all use.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'dist/apps/exporter');
const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  // The password-check worker is a file of its own: a worker thread starts from a file (password-verifier.ts).
  entryPoints: { main: join(root, 'apps/exporter/src/main.ts'), 'bcrypt-worker': join(root, 'apps/exporter/src/bcrypt-worker.ts') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies (fastify, @prometheus-io/client) call require(); give the ESM bundle a real one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: {
    __EBPF_EXPORTER_BUILD__: JSON.stringify({
      version: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
      revision: git('rev-parse', '--short=12', 'HEAD'),
      branch: git('rev-parse', '--abbrev-ref', 'HEAD'),
      date: new Date().toISOString(),
    }),
  },
});
copyFileSync(join(root, 'libs/bpf-native/build/Release/bpf_native.node'), join(out, 'bpf_native.node'));
const dashboard = join(root, 'dist/apps/dashboard');
if (existsSync(dashboard)) cpSync(dashboard, join(out, 'dashboard'), { recursive: true });
