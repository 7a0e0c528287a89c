// bcrypt off the main thread: a wrong-password flood costs ~65 ms of CPU per guess, which on the event loop
// held every other request (authenticated scrapes took 0.4-3.8 s instead of 3 ms). A small pool of worker
// threads checks passwords in arrival order; the event loop only passes messages.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export type PasswordCheck = (password: string, hash: string) => Promise<boolean>;

interface Pending {
  password: string;
  hash: string;
  resolve: (matches: boolean) => void;
  reject: (error: Error) => void;
}

/**
 * The worker's file: the bundle's bcrypt-worker.mjs beside main.mjs (build.mjs), or the TypeScript source
 * beside this file when running from source (tests), which Node runs with its type stripping.
 */
function workerFile(): URL {
  const bundled = new URL('./bcrypt-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(bundled)) ? bundled : new URL('./bcrypt-worker.ts', import.meta.url);
}

/**
 * Leaves a core to the event loop: on 2 cores one worker, so a flood of guesses takes at most one core and
 * the scrapes keep the other; at most 2, since more only serves guesses faster.
 */
export const defaultPoolSize = (): number => Math.max(1, Math.min(2, availableParallelism() - 1));

export class PasswordVerifier {
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private nextId = 0;

  constructor(private readonly size = defaultPoolSize()) {}

  /**
   * Resolves whether the password matches the bcrypt hash. The queue is not capped: each entry is a request
   * on an open connection, which --web.max-connections caps, and rate_limit can refuse them earlier.
   */
  check: PasswordCheck = (password, hash) =>
    new Promise((resolve, reject) => {
      this.queue.push({ password, hash, resolve, reject });
      this.dispatch();
    });

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Pending;
      this.busy.set(worker, job);
      worker.postMessage({ id: this.nextId++, password: job.password, hash: job.hash });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile());
    // An idle pool must not keep the process alive (a clean exit on SIGTERM).
    worker.unref();
    worker.on('message', ({ matches }: { matches: boolean }) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      job?.resolve(matches === true);
      this.idle.push(worker);
      this.dispatch();
    });
    worker.on('error', (error) => {
      // A worker that died takes its job with it (answered 401 by the caller's catch), not the others.
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      job?.reject(error);
      this.dispatch();
    });
    return worker;
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
