import { realpath } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runInGuest, pickEngine, KERNELS_FILE, type EngineName } from './guest-runner.ts';
import { KernelMatrixError, loadKernelMatrix, selectKernels } from './kernel-matrix.ts';
import { KernelUnavailableError } from './kernel-sources.ts';
import { positiveInteger, usageText, type OptionTable } from './cli-options.ts';
import { EXIT_HARNESS_FAILURE, EXIT_KERNEL_UNAVAILABLE, EXIT_USAGE } from './exit-codes.ts';

const OPTIONS = {
  kernel: { type: 'string', value: 'ID', help: 'kernel id from vm/kernels.yaml (required)' },
  engine: { type: 'string', value: 'vng|qemu', help: 'default: vng when on PATH, else qemu' },
  share: { type: 'string', multiple: true, value: 'DIR', help: 'host folder the guest may write to (same path; repeatable)' },
  cpus: { type: 'string', value: 'N', help: 'guest CPUs (default 2)' },
  memory: { type: 'string', value: 'MiB', help: 'guest memory (default 1024)' },
  timeout: { type: 'string', value: 'SECONDS', help: 'kill the guest after this long (default 1800)' },
  verbose: { type: 'boolean', help: 'print engine, kernel build and timings on stderr' },
  help: { type: 'boolean', help: 'show this help' },
} satisfies OptionTable;

const USAGE = usageText('./vm/run --kernel <id> [options] [--] <command...>', 'Runs a command inside another kernel, with this machine\'s root shared read-only.', OPTIONS);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.kernel || positionals.length === 0) {
    process.stderr.write(`vm/run: ${values.kernel ? 'a command is required' : '--kernel is required'}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const [spec] = selectKernels(await loadKernelMatrix(KERNELS_FILE), [values.kernel]);
  const engine: EngineName = await pickEngine(values.engine);
  const result = await runInGuest({
    spec: spec!,
    engine,
    command: { argv: positionals, cwd: await realpath(process.cwd()), env: process.env },
    shares: await Promise.all((values.share ?? []).map((share) => realpath(share))),
    cpus: positiveInteger(values.cpus, '--cpus', 2),
    memoryMiB: positiveInteger(values.memory, '--memory', 1024),
    timeoutSeconds: positiveInteger(values.timeout, '--timeout', 1800),
  });
  if (values.verbose) {
    const boot = result.bootSeconds === undefined ? '' : `, booted in ${result.bootSeconds.toFixed(1)} s`;
    process.stderr.write(
      `vm/run: kernel ${spec!.id}${result.kernelBuild ? ` (${result.kernelBuild})` : ''} via ${result.engine}/${result.accelerator}${boot}, ` +
        `exit ${result.exitCode} after ${result.totalSeconds.toFixed(1)} s\n`,
    );
  }
  return result.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof KernelUnavailableError) {
      process.stderr.write(`vm/run: kernel not available here: ${error.message}\n`);
      process.exit(EXIT_KERNEL_UNAVAILABLE);
    }
    const usage = error instanceof KernelMatrixError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`vm/run: ${(error as Error).message}\n`);
    process.exit(usage ? EXIT_USAGE : EXIT_HARNESS_FAILURE);
  },
);
