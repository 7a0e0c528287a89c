// ebpf_exporter(1), made from the exporter's own --help so the page never lists other flags than the
// binary has. Debian wants a manual page for every command in /usr/bin.
import { INSTALL_PATHS, SERVICE_NAME } from './layout';

/** Escapes text for roff: backslashes, and a leading dot or quote that would read as a request. */
function roff(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1');
}

export function renderManPage(helpText: string, version: string, date: Date): string {
  const day = date.toISOString().slice(0, 10);
  return [
    `.TH EBPF_EXPORTER 1 "${day}" "ebpf_exporter ${version}" "User Commands"`,
    '.SH NAME',
    'ebpf_exporter \\- Prometheus exporter for custom eBPF metrics',
    '.SH SYNOPSIS',
    '.B ebpf_exporter',
    '\\-\\-config.dir=DIR \\-\\-config.names=NAMES [FLAGS]',
    '.SH DESCRIPTION',
    'Loads the eBPF programs of the named configs (YAML files beside compiled BPF objects), reads their maps',
    'on every scrape and serves the metrics they describe in the Prometheus text format.',
    '.SH OPTIONS',
    'As printed by \\fBebpf_exporter \\-\\-help\\fR:',
    '.PP',
    '.nf',
    roff(helpText.trimEnd()),
    '.fi',
    '.SH FILES',
    `.TP\n.I ${INSTALL_PATHS.examples}\nExample configs and their compiled BPF objects.`,
    `.TP\n.I ${INSTALL_PATHS.defaults}\nFlags for the ${SERVICE_NAME} systemd service.`,
    `.TP\n.I ${INSTALL_PATHS.doc}/examples/\nsystemd drop-ins granting the capabilities some configs need.`,
    '.SH SEE ALSO',
    '.BR systemd.exec (5),',
    '.BR capabilities (7)',
    '',
  ].join('\n');
}
