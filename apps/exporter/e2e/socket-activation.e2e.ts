// Socket activation without systemd: the test plays systemd's part, opening the listening socket,
// passing it as fd 3 with LISTEN_FDS/LISTEN_PID, and closing its own copy.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LAUNCHER, REPO_ROOT } from './exporter-process';

describe('--web.listen-address=fd://0', () => {
  it('serves on the socket passed in', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    // `exec` keeps the shell's pid through the launcher into node, so LISTEN_PID=$$ names the exporter.
    // execa types have no slot for a raw descriptor in stdio; node's spawn passes it as fd 3.
    const child = spawn('sh', ['-c', `LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@"`, LAUNCHER, '--config.dir=examples', '--config.names=timers', '--web.listen-address=fd://0'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe', fd],
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null]>;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      let body = '';
      for (let attempt = 0; attempt < 100 && !body.includes('ebpf_exporter_enabled_configs'); attempt++) {
        await new Promise((r) => setTimeout(r, 200));
        body = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
      }
      expect(body).toContain('ebpf_exporter_enabled_configs{name="timers"} 1');
    } finally {
      child.kill('SIGTERM');
    }
    const [exitCode] = await exited;
    expect(output).toContain('Listening on fd://0 (socket activation)');
    expect(exitCode).toBe(0);
  });
});
