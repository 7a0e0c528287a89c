import { describe, expect, it } from 'vitest';
import { detectAccelerator, hasHardwareVirtualisation } from './accelerator.ts';

describe('detectAccelerator', () => {
  it('takes VM_ACCEL over any guess and rejects other values', async () => {
    await expect(detectAccelerator({ VM_ACCEL: 'tcg' })).resolves.toBe('tcg');
    await expect(detectAccelerator({ VM_ACCEL: 'kvm' })).resolves.toBe('kvm');
    await expect(detectAccelerator({ VM_ACCEL: 'hvf' })).rejects.toThrow('VM_ACCEL must be kvm or tcg, not "hvf"');
  });

  it('needs vmx or svm in the CPU flags, not just a /dev/kvm', () => {
    expect(hasHardwareVirtualisation('processor\t: 0\nflags\t\t: fpu vme sse2 vmx ept\n')).toBe(true);
    expect(hasHardwareVirtualisation('flags\t\t: fpu svm\n')).toBe(true);
    expect(hasHardwareVirtualisation('flags\t\t: fpu vme sse2 hypervisor\nbugs\t\t: vmx_like_name\n')).toBe(false);
  });
});
