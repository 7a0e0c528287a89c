import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADDON_BUILD_PATH, fixture } from '../test-fixtures/fixtures.js';
import { readU64, u32 } from '../test-fixtures/bytes.js';
import { BpfObject, addonPath, postAttachMark } from './index.js';

const opened: BpfObject[] = [];

async function loaded(name: string, globals: Record<string, bigint> = {}): Promise<BpfObject> {
  const object = BpfObject.open(fixture(name));
  opened.push(object);
  for (const [global, value] of Object.entries(globals)) object.setGlobalU64(global, value);
  await object.load();
  return object;
}

function counter(object: BpfObject, map: string, slot: number): bigint {
  const value = object.map(map).lookup(u32(slot));
  return value ? readU64(value) : 0n;
}

// A veth pair of our own for the xdp/ test: what goes out of TX_IF is received on RX_IF (the fixture's
// SEC("xdp/bpfnative-rx")). A permanent neighbour entry lets datagrams leave without waiting for ARP.
const RX_IF = 'bpfnative-rx';
const TX_IF = 'bpfnative-tx';
const PEER_ADDRESS = '10.255.77.2';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

function removeTestVeth(): void {
  try {
    ip('link', 'del', TX_IF);
  } catch {
    // not there: nothing to remove
  }
}

beforeAll(() => {
  removeTestVeth();
  ip('link', 'add', TX_IF, 'type', 'veth', 'peer', 'name', RX_IF);
  ip('addr', 'add', '10.255.77.1/30', 'dev', TX_IF);
  ip('link', 'set', RX_IF, 'up');
  ip('link', 'set', TX_IF, 'up');
  ip('neigh', 'replace', PEER_ADDRESS, 'lladdr', '02:00:00:00:00:02', 'dev', TX_IF, 'nud', 'permanent');
});

afterAll(removeTestVeth);

async function sendDatagramsToPeer(count: number): Promise<void> {
  const socket = createSocket('udp4');
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => socket.send('ping', 9, PEER_ADDRESS, (error) => (error ? reject(error) : resolve())));
  }
  socket.close();
}

afterEach(() => {
  for (const object of opened.splice(0)) object.close();
});

describe('custom SEC() handlers', () => {
  it('attaches perf_event/type=..,config=..,frequency=.. on every online CPU and xdp/<ifname>', async () => {
    const object = await loaded('custom-sections');
    const programs = object.attachAll();
    expect(programs.map(({ name, attached, error }) => ({ name, attached, error }))).toEqual([
      { name: 'on_cpu_clock', attached: true, error: undefined },
      { name: 'on_test_veth', attached: true, error: undefined },
    ]);

    await sendDatagramsToPeer(5);
    await vi.waitFor(() => expect(counter(object, 'hits', 0)).toBeGreaterThan(0n), { timeout: 5000 });
    await vi.waitFor(() => expect(counter(object, 'hits', 1)).toBeGreaterThanOrEqual(5n), { timeout: 5000 });
  });

  it('reports unknown perf_event keys and missing interfaces per program', async () => {
    const object = await loaded('bad-sections');
    const programs = object.attachAll();
    expect(programs.find((program) => program.name === 'unknown_key')).toMatchObject({
      attached: false,
      error: { code: 'EINVAL', message: expect.stringMatching(/unknown key 'period' \(expected type, config, frequency\)/) },
    });
    expect(programs.find((program) => program.name === 'missing_interface')).toMatchObject({
      attached: false,
      error: { code: 'ENODEV', message: expect.stringMatching(/xdp\/no-such-if0/) },
    });
  });
});

describe('post_attach_mark', () => {
  it('fires uprobes on the addon, in upstream\'s /proc/self/exe form and by the addon\'s path', async () => {
    // The fixture's second uprobe names the addon this package builds; another one would not be hooked.
    expect(addonPath()).toBe(ADDON_BUILD_PATH);
    const object = await loaded('post-attach', { target_tgid: BigInt(process.pid) });
    expect(object.attachAll().map(({ name, attached }) => ({ name, attached }))).toEqual([
      { name: 'on_mark_by_self_exe', attached: true },
      { name: 'on_mark_by_addon_path', attached: true },
    ]);
    postAttachMark();
    postAttachMark();
    expect(counter(object, 'marks', 0)).toBe(2n);
    expect(counter(object, 'marks', 1)).toBe(2n);
  });
});
