// Bundles the exporter into one ESM file with esbuild (fast, and it follows the workspace packages'
// TypeScript sources), then places the native addon and the dashboard assets beside it: the layout the
// launcher, the .deb and the container image all use.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// @fastify/compress asks `payload instanceof Response` of every reply, and reading the global `Response` makes
// Node load its whole fetch implementation (undici): +2.9 MB of heap and ~90 ms of CPU at the first scrape of an
// exporter that never fetches. Fastify itself tells a Response by its toString tag; the bundle uses that test.
// The build fails if a new version of the file no longer has the line, so the patch is never silently lost.
const COMPRESS_RESPONSE_CHECK = 'return obj instanceof Response';
const noFetchForCompress = {
  name: 'no-fetch-for-compress',
  setup(build) {
    build.onLoad({ filter: /@fastify[\\/]compress[\\/]lib[\\/]utils\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (!source.includes(COMPRESS_RESPONSE_CHECK)) throw new Error(`${path}: no '${COMPRESS_RESPONSE_CHECK}' to replace any more`);
      const tagCheck = "return typeof obj === 'object' && obj !== null && Object.prototype.toString.call(obj) === '[object Response]'";
      return { contents: source.replace(COMPRESS_RESPONSE_CHECK, tagCheck), loader: 'js' };
    });
  },
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
  plugins: [noFetchForCompress],
  // Licence comments gathered at the end: their non-ASCII names are escaped there, off every mapped line.
  legalComments: 'eof',
  minifyWhitespace: true,
  minifySyntax: true,
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
// V8 keeps a script's source for its whole life, as Latin-1 only if every character fits: one `→` in a comment
// or a `μ` in a regex (esbuild escapes strings but not those) doubled the 5 MB bundle to 10 MB of UTF-16.
for (const file of ['main.mjs', 'bcrypt-worker.mjs']) {
  const path = join(out, file);
  const code = readFileSync(path, 'utf8');
  // \uXXXX means the same character in comments, strings, templates, regexes and identifiers alike. Made after
  // the source map, each escape shifts the rest of its line there: code keeps its own ASCII (go-duration.ts),
  // so what this escapes is meant to be the licence comments at the end.
  const ascii = code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== code) writeFileSync(path, ascii);
}
copyFileSync(join(root, 'libs/bpf-native/build/Release/bpf_native.node'), join(out, 'bpf_native.node'));
const dashboard = join(root, 'dist/apps/dashboard');
if (existsSync(dashboard)) cpSync(dashboard, join(out, 'dashboard'), { recursive: true });
