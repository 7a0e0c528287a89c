import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { renderManPage } from './manual-page';

const HELP = `usage: ebpf_exporter --config.dir=DIR --config.names=NAMES [<flags>]

Flags:
      --config.dir=DIR   Directory with <name>.yaml configs.
.starts with a dot, and a \\backslash
`;

describe('renderManPage', () => {
  const page = renderManPage(HELP, '0.1.0', new Date('2026-01-02T03:04:05Z'));

  it('formats without groff warnings', async () => {
    const { stderr } = await execa('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: page });
    expect(stderr).toBe('');
  });

  it('shows the --help text verbatim, escaped for roff', async () => {
    const { stdout } = await execa('groff', ['-man', '-Tutf8', '-P-cbou'], { input: page });
    expect(stdout).toContain('--config.dir=DIR   Directory with <name>.yaml configs.');
    expect(stdout).toContain('.starts with a dot, and a \\backslash');
    expect(page).toMatch(/^\.TH EBPF_EXPORTER 1 "2026-01-02" "ebpf_exporter 0\.1\.0"/);
  });
});
