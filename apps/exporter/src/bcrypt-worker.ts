// A password-check worker (see password-verifier.ts): bcrypt's tens of milliseconds per attempt run here,
// off the event loop that serves scrapes. Plain erasable TypeScript, so Node runs it from source in tests.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

interface CheckRequest {
  id: number;
  password: string;
  hash: string;
}

const port = parentPort;
if (!port) throw new Error('bcrypt-worker.ts runs as a worker thread only');
port.on('message', ({ id, password, hash }: CheckRequest) => {
  let matches = false;
  try {
    matches = bcrypt.compareSync(password, hash);
  } catch {
    // A hash bcryptjs cannot read never matches; parseWebConfig refuses those at startup anyway.
  }
  port.postMessage({ id, matches });
});
