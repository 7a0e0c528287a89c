// The BTF layout check at startup and in --config.check: runs right after open, before anything reaches
// the kernel, so a label that does not match its key struct stops the exporter with the struct's layout.
import type { BpfObject } from '@ebpf-exporter/bpf-native';
import { checkLabelLayouts, formatLayoutFindings, type Config } from '@ebpf-exporter/metrics';
import type { Logger } from './logger';

/** Throws the errors (every one, each metric's layout once); logs the warnings. */
export function checkObjectLayouts(config: Config, object: BpfObject, log: Logger): void {
  const findings = checkLabelLayouts(config, object.mapTypes());
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  if (warnings.length > 0) log.warn(`config ${config.name}: suspicious label layout:\n${formatLayoutFindings(warnings)}`);
  const errors = findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) throw new Error(`labels do not match the key structs in ${config.name}.bpf.o:\n${formatLayoutFindings(errors)}`);
}
