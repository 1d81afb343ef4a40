/** A callback on a run's second boundaries; see {@link everySecond}. */
export interface SecondClock {
  stop(): void;
}

/**
 * Calls `tick(n)` at `startAt + n` seconds (epoch ms) for n = 0, 1, 2, … until it returns false
 * or the clock is stopped: the per-second /proc samplers take their readings on the run's
 * second boundaries, so a reading's second is the series' second.
 */
export function everySecond(startAt: number, tick: (second: number) => boolean): SecondClock {
  let second = 0;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(
      () => {
        const more = tick(second);
        second++;
        if (more && timer !== null) schedule();
      },
      Math.max(0, startAt + second * 1000 - Date.now()),
    );
  };
  schedule();
  return {
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
