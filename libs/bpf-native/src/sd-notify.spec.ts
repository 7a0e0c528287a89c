import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sdNotify } from './index.js';

// Node cannot bind a unix datagram socket, so a few lines of Python stand in for systemd's receiver:
// it prints each datagram as one JSON line (the name's leading `@` means abstract, as in NOTIFY_SOCKET).
const RECEIVER = `
import json, socket, sys
name = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind('\\0' + name[1:] if name.startswith('@') else name)
print('bound', flush=True)
for _ in range(int(sys.argv[2])):
    print(json.dumps(sock.recv(4096).decode()), flush=True)
`;

const receivers: ChildProcess[] = [];
const dirs: string[] = [];

async function receive(name: string, count: number): Promise<() => Promise<string[]>> {
  const child = spawn('python3', ['-c', RECEIVER, name, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  receivers.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  while (!output.startsWith('bound\n')) await once(child.stdout!, 'data');
  return async () => {
    if (child.exitCode === null) await once(child, 'exit');
    return output.split('\n').slice(1, -1).map((line) => JSON.parse(line) as string);
  };
}

afterEach(() => {
  for (const child of receivers.splice(0)) child.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('sdNotify', () => {
  it('sends datagrams in order to a filesystem socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-notify-'));
    dirs.push(dir);
    const messages = await receive(join(dir, 'notify'), 2);
    sdNotify(join(dir, 'notify'), 'STATUS=attaching configs...');
    sdNotify(join(dir, 'notify'), 'READY=1\nSTATUS=ready');
    expect(await messages()).toEqual(['STATUS=attaching configs...', 'READY=1\nSTATUS=ready']);
  });

  it('reaches an abstract socket named with @', async () => {
    const name = `@ebpf-exporter-test-${process.pid}`;
    const messages = await receive(name, 1);
    sdNotify(name, 'STOPPING=1');
    expect(await messages()).toEqual(['STOPPING=1']);
  });

  it('fails with the errno when nobody listens', () => {
    expect(() => sdNotify('/nonexistent/notify', 'READY=1')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => sdNotify('', 'READY=1')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});
