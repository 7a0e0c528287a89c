import type { NativeErrorDetails } from './native.js';

/**
 * A libbpf or kernel failure. `code` is the errno name (`ENOENT`, `EPERM`, `ENOTSUPP`...), stable to test
 * against; `object`, `program` and `map` name what the failure concerns where there is one.
 */
export class BpfError extends Error {
  readonly code: string;
  readonly errno: number;
  declare readonly object?: string;
  declare readonly program?: string;
  declare readonly map?: string;

  constructor(message: string, details: NativeErrorDetails) {
    super(message);
    this.name = 'BpfError';
    this.code = details.code;
    this.errno = details.errno;
    if (details.object !== undefined) this.object = details.object;
    if (details.program !== undefined) this.program = details.program;
    if (details.map !== undefined) this.map = details.map;
  }
}

const EINVAL = 22;

/** The error for arguments refused before they reach the kernel. */
export function invalidArgument(message: string, subject: Omit<NativeErrorDetails, 'code' | 'errno'>): BpfError {
  return new BpfError(message, { code: 'EINVAL', errno: EINVAL, ...subject });
}
