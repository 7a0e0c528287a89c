import { describe, expect, it } from 'vitest';
import { CAPABILITY_NAMES, CapabilityError, keepsCapability, parseCapabilitiesKeep, reloadImpossibility } from './capabilities';

describe('parseCapabilitiesKeep', () => {
  it('reads all, none and lists of names in any case', () => {
    expect(parseCapabilitiesKeep('all')).toBe('all');
    expect(parseCapabilitiesKeep('none')).toEqual([]);
    expect(parseCapabilitiesKeep('cap_bpf, CAP_PERFMON,cap_syslog')).toEqual([39, 38, 34]);
  });

  it('names the unknown capability', () => {
    expect(() => parseCapabilitiesKeep('cap_bpf,cap_flying')).toThrow(new CapabilityError('--capabilities.keep: unknown capability "cap_flying": expected all, none or names like cap_bpf,cap_perfmon,cap_syslog'));
    expect(() => parseCapabilitiesKeep('')).toThrow(CapabilityError);
  });

  it('numbers capabilities as <linux/capability.h> does', () => {
    expect(CAPABILITY_NAMES.indexOf('cap_sys_admin')).toBe(21);
    expect(CAPABILITY_NAMES.indexOf('cap_checkpoint_restore')).toBe(40);
  });

  it('tells whether a capability survives', () => {
    expect(keepsCapability('all', 'cap_syslog')).toBe(true);
    expect(keepsCapability([34], 'cap_syslog')).toBe(true);
    expect(keepsCapability([39], 'cap_syslog')).toBe(false);
  });
});

describe('reloadImpossibility', () => {
  it('lets a process reload only while it keeps what loading needs', () => {
    expect(reloadImpossibility('all', 'all')).toBeUndefined();
    expect(reloadImpossibility(parseCapabilitiesKeep('cap_bpf,cap_perfmon,cap_syslog'), 'cap_bpf,cap_perfmon,cap_syslog')).toBeUndefined();
    expect(reloadImpossibility(parseCapabilitiesKeep('none'), 'none')).toBe('--capabilities.keep=none drops cap_bpf, cap_perfmon, which loading a config needs: keep at least cap_bpf,cap_perfmon to reload');
    expect(reloadImpossibility(parseCapabilitiesKeep('cap_bpf'), 'cap_bpf')).toMatch(/drops cap_perfmon,/);
  });
});
