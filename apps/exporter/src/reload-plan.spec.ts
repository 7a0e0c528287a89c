import { parseConfig } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import type { LoadedConfig } from './config-loader';
import { planReload, type RunningConfig } from './reload-plan';

const COUNTER = ['metrics:', '  counters:', '    - name: events_total', '      help: Events', '      labels: []', ''];

function loaded(name: string, { yaml = COUNTER, object = 'o1' }: { yaml?: string[]; object?: string } = {}): LoadedConfig {
  const text = yaml.join('\n');
  return { config: parseConfig(text, `/etc/${name}.yaml`), objectPath: `/etc/${name}.bpf.o`, yamlHash: text, objectHash: object };
}

const running = (...configs: LoadedConfig[]): Map<string, RunningConfig> => new Map(configs.map((config) => [config.config.name, { loaded: config }]));
const kinds = (actions: { kind: string; name: string }[]) => actions.map(({ kind, name }) => `${kind} ${name}`);

describe('planReload', () => {
  it('keeps what is unchanged, relayouts a new YAML, replaces a new object, adds and removes by name', () => {
    const now = running(loaded('same'), loaded('yaml'), loaded('object'), loaded('gone'));
    const next = [
      loaded('object', { object: 'o2' }),
      loaded('same'),
      loaded('new'),
      loaded('yaml', { yaml: COUNTER.map((line) => line.replace('Events', 'All events')) }),
    ];
    expect(kinds(planReload(now, next))).toEqual(['replace object', 'keep same', 'add new', 'relayout yaml', 'remove gone']);
  });

  it('loads the object again when its kaddrs change, since they are written into it before it loads', () => {
    const withKaddrs = ['kaddrs:', '  - jiffies', ...COUNTER];
    expect(kinds(planReload(running(loaded('k')), [loaded('k', { yaml: withKaddrs })]))).toEqual(['replace k']);
  });

  it('keeps the running entry itself, so its collector and series carry on', () => {
    const now = running(loaded('same'));
    const [action] = planReload(now, [loaded('same')]);
    expect(action?.kind === 'keep' && action.running).toBe(now.get('same'));
  });
});
