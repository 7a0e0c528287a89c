import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';

export type Accelerator = 'kvm' | 'tcg';

/**
 * KVM when the host can really run it: /dev/kvm must be usable AND the CPU must advertise hardware
 * virtualisation (vmx/svm). Some sandboxes (Firecracker with a paravirtual "kvm-pvm") expose a
 * /dev/kvm that opens but fails on the first real guest instruction stream, so the device alone is
 * not proof. `VM_ACCEL=kvm|tcg` overrides the guess.
 */
export async function detectAccelerator(env: NodeJS.ProcessEnv = process.env): Promise<Accelerator> {
  const forced = env['VM_ACCEL'];
  if (forced === 'kvm' || forced === 'tcg') return forced;
  if (forced) throw new Error(`VM_ACCEL must be kvm or tcg, not "${forced}"`);
  const deviceUsable = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!deviceUsable) return 'tcg';
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
  return hasHardwareVirtualisation(cpuinfo) ? 'kvm' : 'tcg';
}

export function hasHardwareVirtualisation(cpuinfo: string): boolean {
  return /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
}
