// Command-line flags, kept name-for-name and default-for-default with upstream's kingpin flags so that
// existing service files and `sudo ./ebpf_exporter ...` lines keep working. Help text is generated from
// the same table, so the two can never drift apart.

import { parseGoDuration } from '@ebpf-exporter/metrics';
import { configNamesSource, type ConfigNamesSource } from './config-names';

export type FlagValue = string | number | boolean;

interface FlagSpec {
  name: string;
  kind: 'string' | 'int' | 'bool';
  help: string;
  default?: FlagValue;
  required?: boolean;
  placeholder?: string;
}

export const FLAG_SPECS: readonly FlagSpec[] = [
  { name: 'config.dir', kind: 'string', required: true, placeholder: 'DIR', help: 'Directory with <name>.yaml configs and their <name>.bpf.o objects.' },
  { name: 'config.names', kind: 'string', required: true, placeholder: 'NAMES', help: 'Comma separated names of the configs to load, or @FILE: a file listing them, read again at every reload.' },
  { name: 'config.check', kind: 'bool', default: false, help: 'Load and attach every config, then exit.' },
  { name: 'config.strict', kind: 'bool', default: false, help: 'Exit with an error when any program fails to attach.' },
  { name: 'config.skip-cache-size', kind: 'int', default: 0, placeholder: 'N', help: 'Size of the per-metric cache of keys a decoder skipped (0 disables it).' },
  { name: 'config.cache-size', kind: 'int', default: 1048576, placeholder: 'N', help: 'Keys whose decoded labels are kept per metric: those of its last scrape, at most this many (0 = unbounded).' },
  { name: 'config.max-series', kind: 'int', default: 1048576, placeholder: 'N', help: 'Most series one metric may have; a metric with more is left out of that scrape and counted (0 = no limit).' },
  { name: 'config.scrape-timeout', kind: 'string', default: '5s', placeholder: 'DURATION', help: 'Longest one config may take in a scrape (Go duration, 0 = no limit); a config over it is left out of that scrape and counted.' },
  { name: 'debug', kind: 'bool', default: false, help: 'Serve /maps and print libbpf debug output.' },
  { name: 'log.no-timestamps', kind: 'bool', default: false, help: 'Leave the date and time out of log lines.' },
  { name: 'web.listen-address', kind: 'string', default: ':9435', placeholder: 'ADDR', help: 'Address to listen on for HTTP requests.' },
  { name: 'web.telemetry-path', kind: 'string', default: '/metrics', placeholder: 'PATH', help: 'Path under which to expose metrics.' },
  { name: 'web.max-requests', kind: 'int', default: 40, placeholder: 'N', help: 'Scrapes served at the same time; more are answered 503 at once (0 = no limit).' },
  { name: 'web.max-connections', kind: 'int', default: 512, placeholder: 'N', help: 'Open HTTP connections; more are closed as they arrive (0 = no limit).' },
  { name: 'web.enable-lifecycle', kind: 'bool', default: false, help: 'Enable reloading the configs over HTTP (POST /-/reload), as Prometheus does; SIGHUP always reloads.' },
  { name: 'web.config.file', kind: 'string', default: '', placeholder: 'FILE', help: 'Prometheus exporter-toolkit web config (TLS, basic auth).' },
  { name: 'histograms.native', kind: 'bool', default: true, help: 'In the protobuf exposition, serve histograms whose bounds are powers of two as native histograms (schema 0).' },
  { name: 'histograms.classic', kind: 'bool', default: true, help: 'In the protobuf exposition, keep classic buckets beside native ones (histograms without native buckets always keep theirs).' },
  { name: 'btf.path', kind: 'string', default: '', placeholder: 'FILE', help: 'BTF file to use instead of /sys/kernel/btf/vmlinux (e.g. from btfhub).' },
  { name: 'capabilities.keep', kind: 'string', default: 'all', placeholder: 'CAPS', help: 'Capabilities to keep once attached: all, none or a list like cap_bpf,cap_perfmon,cap_syslog.' },
  { name: 'dashboard.prometheus-url', kind: 'string', default: '', placeholder: 'URL', help: 'Prometheus-compatible server the dashboard queries; empty uses the in-memory history.' },
  { name: 'dashboard.history-window', kind: 'int', default: 3600, placeholder: 'SECONDS', help: 'How much in-memory history the dashboard keeps.' },
  { name: 'dashboard.history-resolution', kind: 'int', default: 5, placeholder: 'SECONDS', help: 'Interval between two in-memory history samples.' },
  { name: 'dashboard.history-memory', kind: 'int', default: 16, placeholder: 'MIB', help: 'Memory the in-memory history may hold for sample values; series beyond it are not recorded.' },
  { name: 'version', kind: 'bool', default: false, help: 'Show version information and exit.' },
  { name: 'help', kind: 'bool', default: false, help: 'Show this help and exit.' },
];

export interface Flags {
  configDir: string;
  configNames: ConfigNamesSource;
  configCheck: boolean;
  configStrict: boolean;
  skipCacheSize: number;
  labelCacheSize: number;
  maxSeries: number;
  scrapeTimeoutMs: number;
  debug: boolean;
  logNoTimestamps: boolean;
  listenAddress: string;
  telemetryPath: string;
  webConfigFile: string;
  enableLifecycle: boolean;
  maxRequests: number;
  maxConnections: number;
  histogramsNative: boolean;
  histogramsClassic: boolean;
  btfPath: string;
  capabilitiesKeep: string;
  dashboardPrometheusUrl: string;
  dashboardHistoryWindow: number;
  dashboardHistoryResolution: number;
  /** MiB. */
  dashboardHistoryMemory: number;
}

export class FlagError extends Error {}

export type ParsedCommandLine = { action: 'help' } | { action: 'version' } | { action: 'init'; objectPath: string } | { action: 'run'; flags: Flags };

function specFor(name: string): FlagSpec {
  const spec = FLAG_SPECS.find((s) => s.name === name);
  if (!spec) throw new FlagError(`unknown long flag '--${name}'`);
  return spec;
}

function durationFlag(name: string, raw: string): number {
  try {
    const ms = parseGoDuration(raw);
    if (ms >= 0) return ms;
  } catch {
    // reported below, in the flag parser's words
  }
  throw new FlagError(`expected a duration like 5s or 500ms for '--${name}', got '${raw}'`);
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  if (spec.kind === 'string') return raw;
  if (spec.kind === 'int') {
    if (!/^-?\d+$/.test(raw)) throw new FlagError(`expected an integer for '--${spec.name}', got '${raw}'`);
    return Number.parseInt(raw, 10);
  }
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new FlagError(`expected true or false for '--${spec.name}', got '${raw}'`);
}

/** Parses argv the way kingpin does: `--name=value`, `--name value`, `--bool`, `--no-bool`, `-h`. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  // `init <name>.bpf.o` is a command of its own (a scaffold from the object's BTF), not a flag.
  if (argv[0] === 'init') {
    if (argv.length !== 2 || (argv[1] as string).startsWith('-')) throw new FlagError(`usage: ebpf_exporter init <dir>/<name>.bpf.o`);
    return { action: 'init', objectPath: argv[1] as string };
  }
  const values = new Map<string, FlagValue>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') return { action: 'help' };
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument '${arg}'`);
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    let name = eq === -1 ? body : body.slice(0, eq);
    let raw = eq === -1 ? undefined : body.slice(eq + 1);
    if (raw === undefined && name.startsWith('no-') && FLAG_SPECS.some((s) => s.name === name.slice(3) && s.kind === 'bool')) {
      name = name.slice(3);
      raw = 'false';
    }
    const spec = specFor(name);
    if (raw === undefined) {
      if (spec.kind === 'bool') raw = 'true';
      else {
        const next = argv[++i];
        if (next === undefined) throw new FlagError(`expected argument for flag '--${name}'`);
        raw = next;
      }
    }
    values.set(name, convert(spec, raw));
  }
  if (values.get('help') === true) return { action: 'help' };
  if (values.get('version') === true) return { action: 'version' };
  for (const spec of FLAG_SPECS) {
    if (spec.required && !values.has(spec.name)) throw new FlagError(`required flag --${spec.name} not provided`);
  }
  const get = <T extends FlagValue>(name: string): T => (values.has(name) ? values.get(name) : specFor(name).default) as T;
  const names = configNamesSource(get<string>('config.names'));
  if ('list' in names && names.list.length === 0) throw new FlagError('--config.names lists no config');
  return {
    action: 'run',
    flags: {
      configDir: get('config.dir'),
      configNames: names,
      configCheck: get('config.check'),
      configStrict: get('config.strict'),
      skipCacheSize: get('config.skip-cache-size'),
      labelCacheSize: get('config.cache-size'),
      maxSeries: get('config.max-series'),
      scrapeTimeoutMs: durationFlag('config.scrape-timeout', get('config.scrape-timeout')),
      debug: get('debug'),
      logNoTimestamps: get('log.no-timestamps'),
      listenAddress: get('web.listen-address'),
      telemetryPath: get('web.telemetry-path'),
      webConfigFile: get('web.config.file'),
      enableLifecycle: get('web.enable-lifecycle'),
      maxRequests: get('web.max-requests'),
      maxConnections: get('web.max-connections'),
      histogramsNative: get('histograms.native'),
      histogramsClassic: get('histograms.classic'),
      btfPath: get('btf.path'),
      capabilitiesKeep: get('capabilities.keep'),
      dashboardPrometheusUrl: get('dashboard.prometheus-url'),
      dashboardHistoryWindow: get('dashboard.history-window'),
      dashboardHistoryResolution: get('dashboard.history-resolution'),
      dashboardHistoryMemory: get('dashboard.history-memory'),
    },
  };
}

export function helpText(): string {
  const rows = FLAG_SPECS.map((spec) => {
    const value = spec.kind === 'bool' ? '' : `=${spec.placeholder ?? 'VALUE'}`;
    const prefix = spec.name === 'help' ? '-h, ' : '    ';
    const suffix = spec.required ? ' (required)' : spec.default !== undefined && spec.kind !== 'bool' && spec.default !== '' ? ` (default: ${JSON.stringify(spec.default)})` : '';
    return [`  ${prefix}--${spec.name}${value}`, `${spec.help}${suffix}`] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    'usage: ebpf_exporter --config.dir=DIR --config.names=NAMES [<flags>]',
    '       ebpf_exporter init DIR/NAME.bpf.o   (writes DIR/NAME.yaml from the object\'s BTF, never over a file)',
    '',
    'Prometheus exporter for custom eBPF metrics.',
    '',
    'Flags:',
    ...rows.map(([left, right]) => left.padEnd(width) + right),
    '',
  ].join('\n');
}
