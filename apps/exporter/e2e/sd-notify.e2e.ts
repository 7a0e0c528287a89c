// systemd Type=notify without systemd: the test binds the notify socket itself (a few lines of Python, as
// Node has no unix datagram sockets) and checks the exporter's messages, in order, through a full run.
import { execa } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, LAUNCHER, REPO_ROOT } from './exporter-process';

const RECEIVER = `
import json, socket, sys
name = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind('\\0' + name[1:] if name.startswith('@') else name)
print(json.dumps('bound'), flush=True)
while True:
    print(json.dumps(sock.recv(4096).decode()), flush=True)
`;

const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Binds `name` and collects every datagram sent to it. */
async function bindReceiver(name: string): Promise<{ messages: string[] }> {
  const child: ChildProcess = spawn('python3', ['-c', RECEIVER, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill());
  const received = { messages: [] as string[] };
  let pending = '';
  let bound = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const message = JSON.parse(line) as string;
      if (message === 'bound') bound = true;
      else received.messages.push(message);
    }
  });
  while (!bound) await once(child.stdout!, 'data');
  return received;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function scrapeStatus(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  await response.text();
  return response.status;
}

async function runNotifying(socket: string): Promise<string[]> {
  const receiver = await bindReceiver(socket);
  const port = await freePort();
  const exporter = execa(LAUNCHER, ['--config.dir=examples', '--config.names=timers,cgroup', `--web.listen-address=127.0.0.1:${port}`], {
    cwd: REPO_ROOT,
    reject: false,
    all: true,
    env: { NOTIFY_SOCKET: socket },
  });
  await until(() => receiver.messages.includes('READY=1') || exporter.exitCode !== null, 'READY=1');
  // READY=1 comes once the exporter serves. (Bodies are read: an unread response holds shutdown open.)
  expect(await scrapeStatus(port)).toBe(200);
  exporter.kill('SIGTERM');
  const result = await exporter;
  expect(result.exitCode, `${result.signal} ${result.all}`).toBe(0);
  await until(() => receiver.messages.includes('STOPPING=1'), 'STOPPING=1');
  return receiver.messages;
}

const EXPECTED = [
  'STATUS=parsing config...',
  'STATUS=creating exporter...',
  'STATUS=attaching configs...',
  'STATUS=ready with 2 configs',
  'READY=1',
  'STOPPING=1',
];

describe('sd_notify', () => {
  it('reports status, readiness and stopping to a filesystem socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-notify-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(await runNotifying(join(dir, 'notify'))).toEqual(EXPECTED);
  });

  it('reaches an abstract socket (@name)', async () => {
    expect(await runNotifying(`@ebpf-exporter-e2e-notify-${process.pid}`)).toEqual(EXPECTED);
  });

  it('keeps running when the notify socket is gone, with one warning', async () => {
    const port = await freePort();
    const exporter = execa(LAUNCHER, ['--config.dir=examples', '--config.names=timers', `--web.listen-address=127.0.0.1:${port}`], {
      cwd: REPO_ROOT,
      reject: false,
      all: true,
      env: { NOTIFY_SOCKET: '/nonexistent/notify' },
    });
    let output = '';
    exporter.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes('Listening on') || exporter.exitCode !== null, 'the exporter to listen');
    expect(await scrapeStatus(port)).toBe(200);
    exporter.kill('SIGTERM');
    const result = await exporter;
    expect(result.exitCode, `${result.signal} ${result.all}`).toBe(0);
    expect(output.match(/sd_notify to \/nonexistent\/notify failed/g)).toHaveLength(1);
  });
});
