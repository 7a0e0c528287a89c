import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config';
import type { DecoderEnvironment } from '../decoders/decoder';
import { createDecoderRegistry } from '../decoders/registry';
import { formatOpenMetrics, formatText } from '../exposition/text-format';
import { readRecordedMapSource } from '../testing';
import { ConfigCollector } from './config-collector';

// Golden tests in node_exporter style: a recorded map dump in, the exact exposition text out.
// Set UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change (then review the diff).

const FIXTURES = join(import.meta.dirname, '..', '..', 'test-fixtures');
const fixture = (name: string): string => join(FIXTURES, name);

// The host the maps were recorded on, as the decoders saw it (a test double: this machine has other disks,
// interfaces, symbols and cgroups).
const recordingHost: DecoderEnvironment = {
  littleEndian: true,
  arch: 'x86_64',
  kallsyms: () => 'ffffffff81001000 T delayed_work_timer_fn\nffffffffc0a01000 t commit_timeout\t[jbd2]\n',
  partitions: () => 'major minor  #blocks  name\n\n 259        0  500107608 nvme0n1\n 259        1  500107608 nvme1n1\n',
  ifname: (index) => ({ 1: 'lo', 2: 'eth0' })[index],
  cgroupPath: (id) => (id === 4242n || id === 4243n ? '/sys/fs/cgroup/system.slice/cron.service' : undefined),
  pciIds: () => undefined,
};

async function scrape(name: string) {
  const config = parseConfig(readFileSync(fixture(`${name}.yaml`), 'utf8'), `test-fixtures/${name}.yaml`);
  const collector = new ConfigCollector(config, createDecoderRegistry(recordingHost));
  return collector.collect(readRecordedMapSource(fixture(`${name}.maps.json`)));
}

function expectGolden(actual: string, file: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(fixture(file), actual);
  expect(actual).toBe(readFileSync(fixture(file), 'utf8'));
}

/** promtool is installed on every developer machine and in CI (see the workspace setup script). */
function promtoolCheck(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'metrics-golden-')), 'metrics.prom');
  writeFileSync(file, text);
  try {
    return execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool rejected ${file}:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  }
}

/**
 * promtool only reads the text format; OpenMetrics is checked with the Python client's strict parser
 * (Debian package python3-prometheus-client, installed by the workspace setup script).
 */
function openMetricsParse(text: string): string {
  const script = [
    'import sys',
    'from prometheus_client.openmetrics.parser import text_string_to_metric_families',
    'print(len(list(text_string_to_metric_families(sys.stdin.read()))), "families")',
  ].join('\n');
  try {
    return execFileSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const failure = error as { stderr?: string };
    throw new Error(`OpenMetrics parser rejected the text:\n${failure.stderr ?? ''}`);
  }
}

describe('golden exposition', () => {
  it('biolatency: matches the upstream README sample byte for byte', async () => {
    const { families, errors } = await scrape('biolatency');
    expect(errors).toEqual([]);
    expectGolden(formatText(families), 'biolatency.prom');
  });

  it('layouts: every key layout, in text and OpenMetrics', async () => {
    const { families, errors } = await scrape('layouts');
    expect(errors.map(({ metric, error }) => [metric, error.message])).toEqual([
      ['broken_total', 'no recorded map "broken_total" for config "layouts"'],
    ]);
    expectGolden(formatText(families), 'layouts.prom');
    expectGolden(formatOpenMetrics(families), 'layouts.openmetrics.txt');
  });

  it('passes promtool check metrics', async () => {
    for (const name of ['biolatency', 'layouts']) {
      const { families } = await scrape(name);
      // promtool also lints (a counter without _total fails), so the fixtures use lint-clean names.
      expect(() => promtoolCheck(formatText(families))).not.toThrow();
    }
  });

  it('OpenMetrics output passes the strict OpenMetrics parser of prometheus_client', async () => {
    const { families } = await scrape('layouts');
    expect(openMetricsParse(formatOpenMetrics(families))).toBe('11 families');
    expect(() => openMetricsParse('# TYPE x counter\nx_total 1\n')).toThrow(/EOF/);
  });

  it('promtool does reject a broken exposition (so the check above can fail)', () => {
    expect(() => promtoolCheck('# TYPE x counter\nx{a="b} 1\n')).toThrow(/promtool rejected/);
  });
});
