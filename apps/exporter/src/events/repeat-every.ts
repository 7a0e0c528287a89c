// setInterval for any period. Node turns delays above 2^31-1 ms (24.8 days) into 1 ms, and a flush_interval
// such as 720h is longer than that: long periods are waited out in steps no timer can overflow.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface Repeating {
  cancel(): void;
}

/**
 * Calls `tick` every `periodMs` until cancelled, without keeping the process alive.
 * @param now a monotonic clock in ms, so wall clock jumps neither skip nor repeat ticks.
 */
export function repeatEvery(periodMs: number, tick: () => void, now: () => number = () => performance.now()): Repeating {
  let due = now() + periodMs;
  let timer: NodeJS.Timeout | undefined;
  const wait = (): void => {
    timer = setTimeout(
      () => {
        if (now() >= due) {
          due += periodMs;
          tick();
        }
        wait();
      },
      Math.min(Math.max(due - now(), 0), MAX_TIMER_DELAY_MS),
    );
    timer.unref();
  };
  wait();
  return { cancel: () => clearTimeout(timer) };
}
