// --capabilities.keep: after everything is attached the exporter needs few or no capabilities (reading maps
// through already-open descriptors needs none), so it can give them up as upstream does with libcap.
import { dropCapabilities } from '@ebpf-exporter/bpf-native';
import type { Logger } from './logger';

/** Linux capability names by number (<linux/capability.h>), as libcap spells them. */
export const CAPABILITY_NAMES: readonly string[] = [
  'cap_chown', 'cap_dac_override', 'cap_dac_read_search', 'cap_fowner', 'cap_fsetid', 'cap_kill', 'cap_setgid',
  'cap_setuid', 'cap_setpcap', 'cap_linux_immutable', 'cap_net_bind_service', 'cap_net_broadcast', 'cap_net_admin',
  'cap_net_raw', 'cap_ipc_lock', 'cap_ipc_owner', 'cap_sys_module', 'cap_sys_rawio', 'cap_sys_chroot', 'cap_sys_ptrace',
  'cap_sys_pacct', 'cap_sys_admin', 'cap_sys_boot', 'cap_sys_nice', 'cap_sys_resource', 'cap_sys_time',
  'cap_sys_tty_config', 'cap_mknod', 'cap_lease', 'cap_audit_write', 'cap_audit_control', 'cap_setfcap',
  'cap_mac_override', 'cap_mac_admin', 'cap_syslog', 'cap_wake_alarm', 'cap_block_suspend', 'cap_audit_read',
  'cap_perfmon', 'cap_bpf', 'cap_checkpoint_restore',
];

/** `all`: change nothing; otherwise the capability numbers to keep (empty for `none`). */
export type CapabilityPolicy = 'all' | number[];

export class CapabilityError extends Error {}

/** Parses `all`, `none` or a comma separated list of names such as `cap_bpf,cap_perfmon` (any case). */
export function parseCapabilitiesKeep(value: string): CapabilityPolicy {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'all') return 'all';
  if (trimmed === 'none') return [];
  const names = trimmed.split(',').map((name) => name.trim());
  return names.map((name) => {
    const number = CAPABILITY_NAMES.indexOf(name);
    if (number === -1) {
      throw new CapabilityError(`--capabilities.keep: unknown capability ${JSON.stringify(name)}: expected all, none or names like cap_bpf,cap_perfmon,cap_syslog`);
    }
    return number;
  });
}

export function keepsCapability(policy: CapabilityPolicy, name: string): boolean {
  return policy === 'all' || policy.includes(CAPABILITY_NAMES.indexOf(name));
}

/**
 * Drops every capability the policy does not keep, on all threads; `all` leaves them alone. Called once
 * programs, maps, perf/ring buffers and the cgroup watch are open, so none of them needs a capability
 * afterwards (upstream needs CAP_IPC_LOCK for perf buffers opened later). What degrades without CAP_SYSLOG:
 * ksym/kstack use the /proc/kallsyms copy read before the drop, so symbols of modules loaded later are
 * unknown. Everything else the decoders read (/proc/partitions, /sys/class/net, cgroup directories, pci.ids)
 * is world-readable.
 */
export function applyCapabilityPolicy(policy: CapabilityPolicy, log: Logger): void {
  if (policy === 'all') return;
  const threads = dropCapabilities(policy);
  const kept = policy.map((number) => CAPABILITY_NAMES[number]).join(',') || 'none';
  log.info(`Dropped capabilities on ${threads} threads, keeping: ${kept}`);
}

/** What loading and attaching a tracing config needs on kernels with CAP_BPF (5.8+); cgroup and XDP programs also need cap_net_admin. */
const RELOAD_CAPABILITIES = ['cap_bpf', 'cap_perfmon'] as const;

/** Why a process under this policy cannot load configs again once it has dropped capabilities, if it cannot. */
export function reloadImpossibility(policy: CapabilityPolicy, flag: string): string | undefined {
  const missing = RELOAD_CAPABILITIES.filter((name) => !keepsCapability(policy, name));
  if (missing.length === 0) return undefined;
  return `--capabilities.keep=${flag} drops ${missing.join(', ')}, which loading a config needs: keep at least ${RELOAD_CAPABILITIES.join(',')} to reload`;
}
