// The exporter's end-to-end helpers: the shared ones from test-support, plus running it to completion and
// promtool.
import { execa } from 'execa';
import { LAUNCHER, REPO_ROOT } from '@ebpf-exporter/test-support';

export {
  bpftoolJson,
  freePort,
  LAUNCHER,
  loadedProgramIds,
  parseSamples,
  programsStillLoaded,
  REPO_ROOT,
  startExporter,
  type RunningExporter,
  type Sample,
} from '@ebpf-exporter/test-support';

/** Runs the exporter to completion (startup errors, --config.check). */
export async function runExporter(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa(LAUNCHER, args, { reject: false, cwd: REPO_ROOT, timeout: 60_000 });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

export async function promtoolCheck(text: string): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await execa('promtool', ['check', 'metrics'], { input: text, reject: false, all: true });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}
