// Why a file could not be read, in words: "no such config" for a directory the exporter may not enter
// sent users hunting for a typo that was not there.
import { getSystemErrorMap } from 'node:util';

/** libuv says "illegal operation on a directory" for EISDIR; users know it as this. */
const PLAIN_WORDS: Readonly<Record<string, string>> = { EISDIR: 'is a directory' };

/** The errno text and code of a failed file operation (`permission denied (EACCES)`), or the error's message. */
export function describeFileError(error: unknown): string {
  const { code, errno } = error as Partial<NodeJS.ErrnoException>;
  if (typeof code !== 'string') return error instanceof Error ? error.message : String(error);
  // getSystemErrorMap, not getSystemErrorMessage (Node 23+): the benchmark still runs the exporter on Node 20.
  const text = PLAIN_WORDS[code] ?? (typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined);
  return text === undefined ? code : `${text} (${code})`;
}

/** The error's code when it is an operating system error (ENOENT, EACCES, ...). */
export const errorCode = (error: unknown): string | undefined => (error as Partial<NodeJS.ErrnoException>).code;
