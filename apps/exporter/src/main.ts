// Entry point: flags, attach, serve, and a clean shutdown that leaves nothing attached.
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { integerLineWriter, libbpfVersion, postAttachMark, setLogHandler } from '@ebpf-exporter/bpf-native';
import { dashboardConfigInfo, dashboardPlugin } from '@ebpf-exporter/dashboard-server';
import { createDecoderRegistry } from '@ebpf-exporter/metrics';
import { buildApp } from './app';
import { attachConfigs, detachAll, missedAttachments, type AttachedConfig } from './bpf-runtime';
import { buildInfo, versionBanner } from './build-info';
import { applyCapabilityPolicy, keepsCapability, parseCapabilitiesKeep, reloadImpossibility } from './capabilities';
import { systemCgroupMonitor } from './cgroups/cgroup-monitor';
import { loadConfigs, StartupError } from './config-loader';
import { readConfigNames } from './config-names';
import { FlagError, helpText, parseCommandLine, type Flags } from './flags';
import { initCommand } from './init-config';
import { decodesKernelSymbols, hostDecoderEnvironment, kallsymsSnapshot } from './host-environment';
import { parseListenAddress } from './listen-address';
import { createLogger, type Logger } from './logger';
import { EventStreams } from './events/event-streams';
import { checkFamilyNames } from './family-names';
import { dumpMaps } from './maps-dump';
import { ProcessMetrics } from './process-metrics';
import { ObservedScrapes } from './observed-scrapes';
import { LiveConfigs } from './live-configs';
import { Scraper } from './scraper';
import { systemdNotifier } from './sd-notify';
import { ensureKernelMounts } from './system-mounts';
import { activatedSocketFd } from './socket-activation';
import { memoryReleaser } from './memory-release';
import { loadWebConfig } from './web-config';

/** How long SIGTERM waits for open requests before detaching anyway: well inside systemd's and kubelet's kill timeouts. */
const SHUTDOWN_GRACE_MS = 1000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

// V8 "pretenures" an allocation site once most of its objects survive young-generation collections: from
// then on they are allocated in the old generation. In a first scrape of a big map some decoding sites got
// that verdict, and millions of short-lived label strings piled up as old-generation garbage between full
// collections (over 90 MB at 1M series). The flag is read when the collector decides, so setting it here
// is in time: a cold 1M scrape then peaks at 214 MiB instead of 233, and runs 15% faster. The launchers'
// --max-semi-space-size cannot move here: V8 sizes the young generation when it starts.
setFlagsFromString('--no-allocation-site-pretenuring');
// Node 24's V8 grows the old generation by up to 4x its live size after a collection when it sees a high
// allocation rate, which every scrape is: over 1,000 scrapes of a 10k map the RSS then climbed from 124 to
// 150 MiB and stayed there (Node 20: flat at ~113). A fixed 1.25x keeps it flat at ~110 MiB, at no
// measurable cost per 100k scrape (88 ms of CPU either way). Read at every collection, so in time here.
setFlagsFromString('--heap-growing-percent=25');

function fail(message: string): never {
  process.stderr.write(`ebpf_exporter: error: ${message}\n`);
  process.exit(1);
}

async function run(flags: Flags, log: Logger): Promise<void> {
  // The web config (TLS material included) is checked before anything is mounted, loaded or attached.
  const webConfig = flags.webConfigFile ? loadWebConfig(flags.webConfigFile) : undefined;
  setLogHandler((level, message) => (level === 'warn' ? log.warn(message) : log.debug(message)));
  log.debug(`libbpf ${libbpfVersion()}`);
  ensureKernelMounts(log);

  if (flags.btfPath && !existsSync(flags.btfPath)) throw new StartupError(`--btf.path: ${flags.btfPath} does not exist`);
  const capabilities = parseCapabilitiesKeep(flags.capabilitiesKeep);
  // A process that dropped what loading needs cannot reload; refused now rather than at the first POST.
  const reloadImpossible = reloadImpossibility(capabilities, flags.capabilitiesKeep);
  if (reloadImpossible && flags.enableLifecycle && !flags.configCheck) throw new StartupError(`--web.enable-lifecycle: ${reloadImpossible}`);
  const notifier = systemdNotifier(process.env, log);
  notifier.status('parsing config...');
  const configs = loadConfigs(flags.configDir, readConfigNames(flags.configNames));
  checkFamilyNames(configs.map(({ config }) => config));
  notifier.status('creating exporter...');
  // Started while fanotify_init is still allowed (CAP_SYS_ADMIN); keeps working after the drop.
  const cgroups = systemCgroupMonitor(readFileSync('/proc/self/mountinfo', 'utf8'), (error) =>
    log.info(`Using on-demand resolution for cgroups (fanotify not available: ${error instanceof Error ? error.message : String(error)})`),
  );
  notifier.status('attaching configs...');
  const started = performance.now();
  const attached: AttachedConfig[] = await attachConfigs(configs, flags.btfPath, log);
  // One-shot hook for BPF code that needs to initialise after everything is attached (upstream's
  // post_attach_mark): programs attach `uprobe/<addon path>:post_attach_mark`.
  postAttachMark();
  log.info(`Started with ${attached.length} programs found in the config in ${Math.round(performance.now() - started)}ms`);

  const missed = missedAttachments(attached);
  const failChecks = (message: string): never => {
    cgroups.close();
    detachAll(attached);
    fail(message);
  };
  if (flags.configStrict && missed.length > 0) failChecks(`Missed attachments (module:prog): ${missed.join(', ')}`);
  for (const entry of attached) {
    try {
      EventStreams.check(entry);
    } catch (error) {
      failChecks(error instanceof Error ? error.message : String(error));
    }
  }
  if (flags.configCheck) {
    cgroups.close();
    detachAll(attached);
    log.info('Config check successful, exiting');
    return;
  }

  // Without CAP_SYSLOG /proc/kallsyms shows zero addresses: ksym/kstack keep the copy read before the drop.
  const snapshotKallsyms = !keepsCapability(capabilities, 'cap_syslog') && decodesKernelSymbols(configs.map(({ config }) => config));
  const kallsyms = snapshotKallsyms ? kallsymsSnapshot() : undefined;
  const decoders = createDecoderRegistry(hostDecoderEnvironment({ cgroups, kallsyms }));
  let countDecoderError = (_config: string): void => undefined;
  const events = new EventStreams(decoders, log, (config, error) => {
    countDecoderError(config);
    log.debug(`config ${config}: event record skipped: ${error.message}`);
  });
  const scraper: Scraper = new Scraper({
    decoders,
    processMetrics: new ProcessMetrics(),
    eventMetrics: events,
    build: buildInfo(),
    log,
    labelCacheSize: flags.labelCacheSize,
    maxSeries: flags.maxSeries,
    skipCacheSize: flags.skipCacheSize,
    scrapeTimeoutMs: flags.scrapeTimeoutMs,
    reloadStatus: () => configSet.status(),
  });
  countDecoderError = (config) => scraper.countDecoderError(config);
  const configSet: LiveConfigs = new LiveConfigs({
    configDir: flags.configDir,
    configNames: flags.configNames,
    btfPath: flags.btfPath,
    strict: flags.configStrict,
    scraper,
    events,
    cgroups,
    log,
    reloadImpossible,
  });
  const releaseAll = async (): Promise<void> => {
    await events.close();
    await configSet.close();
    cgroups.close();
  };
  try {
    await configSet.start(configs, attached);
  } catch (error) {
    await events.close();
    cgroups.close();
    detachAll(attached);
    throw error;
  }
  // Everything that needs privileges is open now (programs, maps, perf/ring buffers, the fanotify watch).
  applyCapabilityPolicy(capabilities, log);
  // The dashboard's history records the scrapes Prometheus makes, and reads the maps itself only without them.
  const scrapes = new ObservedScrapes(scraper);
  const configNames = (): string[] => configSet.attached.map(({ config }) => config.name);
  const app = await buildApp({
    integerLines: integerLineWriter(),
    histograms: { native: flags.histogramsNative, classic: flags.histogramsClassic },
    afterScrape: memoryReleaser(),
    families: scrapes,
    telemetryPath: flags.telemetryPath,
    configNames,
    reload: flags.enableLifecycle ? () => configSet.reload() : undefined,
    maxRequests: flags.maxRequests,
    maxConnections: flags.maxConnections,
    webConfig,
    mapsDump: flags.debug ? () => scraper.read(dumpMaps) : undefined,
    registerDashboard: async (server) => {
      await server.register(dashboardPlugin, {
        prefix: '/dashboard',
        families: () => scraper.families(),
        scrapes,
        configs: () => configSet.attached.map(({ config }) => dashboardConfigInfo(config)),
        prometheusUrl: flags.dashboardPrometheusUrl || undefined,
        historyWindowSeconds: flags.dashboardHistoryWindow,
        historyResolutionSeconds: flags.dashboardHistoryResolution,
        historyMaxBytes: flags.dashboardHistoryMemory * 1024 * 1024,
      });
    },
  });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}, shutting down`);
    notifier.stopping();
    // Closing HTTP waits for requests in flight, and a slow client can keep one open for as long as it
    // likes: past the grace period, programs are detached and objects closed without waiting any longer.
    const gaveUp = await Promise.race([app.close().then(() => false), delay(SHUTDOWN_GRACE_MS).then(() => true)]);
    if (gaveUp) log.warn(`Still closing after ${SHUTDOWN_GRACE_MS} ms, detaching without waiting for open requests`);
    await releaseAll();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Prometheus' convention: SIGHUP reloads (the systemd unit's ExecReload sends it).
  process.on('SIGHUP', () => {
    if (stopping) return;
    notifier.reloading();
    void configSet.reload().then(() => notifier.ready(`ready with ${configNames().length} configs`));
  });

  try {
    const fd = activatedSocketFd(flags.listenAddress);
    if (fd === undefined) {
      const { host, port } = parseListenAddress(flags.listenAddress);
      log.info(`Listening on ${await app.listen({ host, port })}`);
    } else {
      // Fastify's listen() takes no descriptor; its server does, and routes the same way once ready.
      await app.ready();
      await new Promise<void>((resolve, reject) => app.server.once('error', reject).listen({ fd }, resolve));
      log.info(`Listening on ${flags.listenAddress} (socket activation)`);
    }
    notifier.ready(`ready with ${attached.length} configs`);
  } catch (error) {
    await releaseAll();
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof FlagError) fail(`${error.message}, try --help`);
    throw error;
  }
  if (parsed.action === 'help') return void process.stdout.write(helpText());
  if (parsed.action === 'version') return void process.stdout.write(versionBanner());
  if (parsed.action === 'init') return initCommand(parsed.objectPath);
  const log = createLogger({ timestamps: !parsed.flags.logNoTimestamps, debug: parsed.flags.debug });
  try {
    await run(parsed.flags, log);
  } catch (error) {
    // Startup errors are for users: one line naming the config and the cause, no stack trace.
    if (parsed.flags.debug && error instanceof Error) log.debug(error.stack ?? '');
    fail(error instanceof Error ? error.message : String(error));
  }
}

void main(process.argv.slice(2));
