import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixture } from '../test-fixtures/fixtures.js';
import { readU64 } from '../test-fixtures/bytes.js';
import { BpfObject } from './index.js';

const SYS_KILL = 62n; // x86_64
const opened: BpfObject[] = [];

async function emitter(): Promise<BpfObject> {
  const object = BpfObject.open(fixture('event-buffers'));
  opened.push(object);
  object.setGlobalU64('target_tgid', BigInt(process.pid));
  await object.load();
  expect(object.attachAll()).toMatchObject([{ attached: true }]);
  return object;
}

function kills(count: number): void {
  for (let i = 0; i < count; i++) process.kill(process.pid, 0);
}

afterEach(() => {
  for (const object of opened.splice(0)) object.close();
});

describe('event buffers', () => {
  it('delivers perf buffer records to JS from the poll thread', async () => {
    const object = await emitter();
    const records: Uint8Array[] = [];
    let lost = 0;
    object.openPerfBuffer('perf_records', (record) => records.push(record), (count) => (lost += count), { pageCount: 8 });
    kills(10);
    await vi.waitFor(() => expect(records.length).toBe(10), { timeout: 5000 });
    // perf records are padded to 8 bytes after the 4-byte size header: at least our 16 bytes.
    expect(records.every((record) => record.byteLength >= 16 && readU64(record) === SYS_KILL)).toBe(true);
    expect(records.map((record) => readU64(record, 8)).sort((a, b) => Number(a - b))).toEqual([...Array(10).keys()].map(BigInt));
    expect(lost).toBe(0);
  });

  it('delivers ring buffer records in order, and stops at close()', async () => {
    const object = await emitter();
    const sequences: bigint[] = [];
    const buffer = object.openRingBuffer('ring_records', (record) => sequences.push(readU64(record, 8)));
    kills(20);
    await vi.waitFor(() => expect(sequences).toHaveLength(20), { timeout: 5000 });
    expect(sequences).toEqual([...Array(20).keys()].map(BigInt));

    buffer.close();
    kills(5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sequences).toHaveLength(20);
  });

  it('refuses a map of the wrong type', async () => {
    const object = await emitter();
    expect(() => object.openRingBuffer('perf_records', () => {})).toThrow(expect.objectContaining({ code: 'EINVAL', map: 'perf_records' }));
    expect(() => object.openPerfBuffer('ring_records', () => {}, () => {}, { pageCount: 3 })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('lets the process exit cleanly with buffers and a log handler still open', () => {
    const script = fileURLToPath(new URL('../test-fixtures/exit-with-open-buffers.ts', import.meta.url));
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(output.trim()).toBe('records=200');
  });
});
