import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dropCapabilities } from './index.js';

interface DropReport {
  threads: number;
  entries: number;
  killsCounted: number;
  capabilities: Array<{ tid: string; eff: string; prm: string; inh: string; bnd: string; amb: string }>;
  unprivilegedLoad: string;
}

// Dropping is irreversible, so each case runs in its own child process.
function dropInChild(keep: number[]): DropReport {
  const script = fileURLToPath(new URL('../test-fixtures/drop-capabilities.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--import', 'tsx', script, keep.join(',')], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(output) as DropReport;
}

const CAP_SYSLOG = 34;
const CAP_BPF = 39;

describe('dropCapabilities', () => {
  it('clears every set on every thread, and open maps keep reading', () => {
    const report = dropInChild([]);
    expect(report.capabilities.length).toBeGreaterThan(5);
    expect(report.threads).toBeGreaterThanOrEqual(report.capabilities.length);
    for (const thread of report.capabilities) {
      expect(thread).toEqual({ tid: thread.tid, eff: '0000000000000000', prm: '0000000000000000', inh: '0000000000000000', bnd: '0000000000000000', amb: '0000000000000000' });
    }
    expect(report.killsCounted).toBe(50);
    expect(report.entries).toBeGreaterThan(0);
    // Loading a new program is what needs the capabilities, and it is now refused.
    expect(report.unprivilegedLoad).toBe('EPERM');
  });

  it('keeps exactly the listed capabilities', () => {
    const report = dropInChild([CAP_SYSLOG, CAP_BPF]);
    const mask = ((1n << BigInt(CAP_SYSLOG)) | (1n << BigInt(CAP_BPF))).toString(16).padStart(16, '0');
    for (const thread of report.capabilities) {
      expect([thread.eff, thread.prm, thread.bnd]).toEqual([mask, mask, mask]);
    }
    expect(report.killsCounted).toBe(50);
  });

  it('refuses what is not a capability number before reaching the kernel', () => {
    expect(() => dropCapabilities([64])).toThrow(RangeError);
    expect(() => dropCapabilities([1.5])).toThrow(RangeError);
  });
});
