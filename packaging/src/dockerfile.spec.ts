// The container image definition: linted (dockerfile-utils, the linter behind VS Code's Docker support;
// hadolint is not packaged for Debian or npm) and checked to install the same layout as the .deb.
// No Docker engine runs on the build machines, so the image itself is not built here.
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_NAMES, DEFAULT_PORT, INSTALL_PATHS, PACKAGE_NAME } from './layout';

const REPO_ROOT = join(import.meta.dirname, '../..');
const text = await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);

function problems(content: string): string[] {
  return validate(content).map((d) => `Dockerfile:${d.range.start.line + 1}: ${d.message}`);
}

function jsonArguments(keyword: string): unknown {
  const instruction = dockerfile.getInstructions().find((i) => i.getKeyword() === keyword);
  return JSON.parse(instruction?.getArgumentsContent() ?? 'null');
}

describe('Dockerfile', () => {
  it('lints clean', () => {
    expect(problems(text)).toEqual([]);
  });

  it('is linted for real: a second ENTRYPOINT is reported', () => {
    expect(problems(`${text}ENTRYPOINT ["/bin/true"]\n`).join('\n')).toMatch(/ENTRYPOINT/);
  });

  it('builds on Debian 12 (bookworm) in every stage', () => {
    const images = dockerfile.getFROMs().map((from) => from.getImage());
    expect(images).toHaveLength(2);
    for (const image of images) expect(image).toMatch(/bookworm/);
  });

  it('builds the .deb with the Nx target and installs it, so the image has the package layout', () => {
    expect(text).toMatch(/npx nx run packaging:deb/);
    const copy = dockerfile.getCOPYs().find((c) => c.getFromFlag() !== null);
    expect(copy?.getArgumentsContent()).toContain(`/dist/${PACKAGE_NAME}_*.deb`);
    expect(text).toMatch(new RegExp(`apt-get install -y --no-install-recommends /tmp/${PACKAGE_NAME}_\\*\\.deb`));
  });

  it('runs the packaged launcher on the default configs and exposes the default port', () => {
    expect(jsonArguments('ENTRYPOINT')).toEqual([INSTALL_PATHS.launcher]);
    expect(jsonArguments('CMD')).toEqual([`--config.dir=${INSTALL_PATHS.examples}`, `--config.names=${DEFAULT_CONFIG_NAMES.join(',')}`]);
    expect(dockerfile.getInstructions().find((i) => i.getKeyword() === 'EXPOSE')?.getArgumentsContent()).toBe(String(DEFAULT_PORT));
  });
});

describe('.dockerignore', () => {
  it('leaves out what the checkout built, so the build stage compiles everything itself', async () => {
    const patterns = (await readFile(join(REPO_ROOT, '.dockerignore'), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(patterns).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '**/build', '**/*.bpf.o']));
  });
});
