// `npx nx run packaging:deb`: builds the .deb into dist/ and says what it made.
import { buildDeb } from './build-deb';

try {
  const started = performance.now();
  const deb = await buildDeb();
  process.stdout.write(
    `${deb.path}: ${deb.installedSizeKiB} KiB installed, Depends: ${deb.depends.join(', ')} (${Math.round(performance.now() - started)} ms)\n`,
  );
} catch (error) {
  process.stderr.write(`packaging: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
