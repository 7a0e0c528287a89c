import { execa } from 'execa';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnit, serviceCapabilities, setprivCapabilities } from './systemd-unit';

const DEBIAN_DIR = join(import.meta.dirname, '../debian');
const UNIT_FILE = join(DEBIAN_DIR, 'ebpf-exporter.service');
const unitText = await readFile(UNIT_FILE, 'utf8');
const dropIn = (name: string): Promise<string> => readFile(join(DEBIAN_DIR, 'dropins', name), 'utf8');

describe('parseUnit', () => {
  it('collects repeated keys per section in order', () => {
    const settings = parseUnit('[Service]\n# comment\nA=1\n\nA=2 3\n[Install]\nWantedBy=x\n');
    expect(settings.get('Service.A')).toEqual(['1', '2 3']);
    expect(settings.get('Install.WantedBy')).toEqual(['x']);
  });

  it('names the line that is neither a section nor a setting', () => {
    expect(() => parseUnit('[Service]\nA=1\nbogus\n')).toThrow('unit line 3: expected [Section] or Key=value, got "bogus"');
  });
});

describe('the shipped service', () => {
  const settings = parseUnit(unitText);

  it('runs as a dynamic user holding only CAP_BPF and CAP_PERFMON', () => {
    expect(settings.get('Service.DynamicUser')).toEqual(['yes']);
    expect(serviceCapabilities(settings)).toEqual(['CAP_BPF', 'CAP_PERFMON']);
    expect(settings.get('Service.CapabilityBoundingSet')).toEqual(['CAP_BPF CAP_PERFMON']);
  });

  it('takes its flags from /etc/default/ebpf-exporter', () => {
    expect(settings.get('Service.EnvironmentFile')).toEqual(['-/etc/default/ebpf-exporter']);
    expect(settings.get('Service.ExecStart')).toEqual(['/usr/bin/ebpf_exporter $ARGS']);
  });

  it('reloads with SIGHUP, as the exporter expects', () => {
    expect(settings.get('Service.ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
  });

  it('rates as "OK" or better in systemd-analyze security (exposure at most 3.0 of 10)', async () => {
    const { stdout } = await execa('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT_FILE]);
    const exposure = Number(/Overall exposure level for ebpf-exporter\.service: ([\d.]+)/.exec(stdout)?.[1]);
    expect(exposure).toBeLessThanOrEqual(3.0);
  });

  it('each drop-in adds exactly the capability its comment names', async () => {
    const expected: Record<string, string> = {
      'ksym.conf': 'CAP_SYSLOG',
      'dac-read-search.conf': 'CAP_DAC_READ_SEARCH',
      'probes.conf': 'CAP_SYS_ADMIN',
      'xdp.conf': 'CAP_NET_ADMIN',
    };
    expect((await readdir(join(DEBIAN_DIR, 'dropins'))).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, capability] of Object.entries(expected)) {
      const merged = parseUnit(await dropIn(name), parseUnit(unitText));
      expect(serviceCapabilities(merged)).toEqual(['CAP_BPF', 'CAP_PERFMON', capability].sort());
    }
  });

  it('lets the ksym drop-in see /proc/kallsyms (ProtectKernelTunables= hides it)', async () => {
    const merged = parseUnit(await dropIn('ksym.conf'), parseUnit(unitText));
    expect(merged.get('Service.ProtectKernelTunables')?.at(-1)).toBe('no');
  });
});

describe('serviceCapabilities', () => {
  it('merges assignments, resets on an empty one, and keeps only what the bounding set allows', () => {
    const settings = parseUnit(
      '[Service]\nAmbientCapabilities=CAP_SYS_ADMIN\nAmbientCapabilities=\nAmbientCapabilities=CAP_BPF CAP_SYSLOG\nCapabilityBoundingSet=CAP_BPF\n',
    );
    expect(serviceCapabilities(settings)).toEqual(['CAP_BPF']);
  });
});

describe('setprivCapabilities', () => {
  it('spells capabilities as setpriv wants them, starting from none', () => {
    expect(setprivCapabilities(['CAP_BPF', 'CAP_PERFMON'])).toBe('-all,+bpf,+perfmon');
  });
});
