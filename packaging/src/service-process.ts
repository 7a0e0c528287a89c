// Runs the installed exporter the way ebpf-exporter.service would, for the end-to-end test. systemd is not
// PID 1 on the build machines, so `systemctl start` cannot run the unit; setpriv applies the part of it that
// decides whether BPF works: an unprivileged user (nobody stands in for the DynamicUser), no new privileges,
// and exactly the capabilities of the unit and its drop-ins as ambient, inheritable and bounding sets.
import { execa, type ResultPromise } from 'execa';
import { freePort, parseSamples, type Sample } from '@ebpf-exporter/test-support';
import { setprivCapabilities } from './systemd-unit';

const NOBODY = 65534;

export interface ServiceProcess {
  url: string;
  output(): string;
  /** SIGTERM, as systemctl stop sends; resolves with the exit code. */
  stop(): Promise<number | undefined>;
}

export async function startAsService(command: string, args: readonly string[], capabilities: readonly string[]): Promise<ServiceProcess> {
  const port = await freePort();
  const caps = setprivCapabilities(capabilities);
  const child: ResultPromise<{ reject: false; all: true }> = execa(
    'setpriv',
    [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      '--no-new-privs',
      `--inh-caps=${caps}`,
      `--ambient-caps=${caps}`,
      `--bounding-set=${caps}`,
      command,
      ...args,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { reject: false, all: true, cwd: '/' },
  );
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exporter exited early (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`exporter did not listen within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return (await child).exitCode;
    },
  };
}

export type { Sample };

export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  return parseSamples(await response.text());
}
