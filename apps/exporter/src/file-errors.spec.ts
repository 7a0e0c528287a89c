import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFileError } from './file-errors';

const dir = mkdtempSync(join(tmpdir(), 'file-errors-'));
const failure = (read: () => unknown): unknown => {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};
/** What the kernel gives a process without the right to read, whoever runs the test (root reads everything). */
const permissionDenied = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES', errno: -13 });

describe('describeFileError', () => {
  it('says a directory is a directory', () => expect(describeFileError(failure(() => readFileSync(dir)))).toBe('is a directory (EISDIR)'));
  it('says a missing file is missing', () => expect(describeFileError(failure(() => readFileSync(join(dir, 'nope'))))).toBe('no such file or directory (ENOENT)'));
  it('says permission denied', () => expect(describeFileError(permissionDenied)).toBe('permission denied (EACCES)'));
  it('falls back to the code, then the message', () => {
    expect(describeFileError(Object.assign(new Error('odd'), { code: 'EODD' }))).toBe('EODD');
    expect(describeFileError(new Error('not a file error'))).toBe('not a file error');
  });
});
