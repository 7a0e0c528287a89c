import { execa, type Result } from 'execa';

/**
 * Runs `command < inputPath > outputPath` with the files opened by sh, not streamed through Node:
 * execa's file redirection copies through JS streams and is ~15x slower than `xz -d` itself on a
 * 60 MB kernel, and its typings do not take raw file descriptors.
 */
export async function filterFile(command: [string, ...string[]], inputPath: string, outputPath: string): Promise<Result> {
  return execa('sh', ['-c', 'in=$1 out=$2; shift 2; exec "$@" <"$in" >"$out"', 'filter', inputPath, outputPath, ...command], {
    reject: false,
  });
}
