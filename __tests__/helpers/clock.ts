// A clock that moves only when the code under test sleeps: waits cost no time, and each is recorded.
export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every wait asked for, in order, in milliseconds. */
  readonly sleeps: number[];
}

export function fakeClock(start = Date.now()): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    // Concurrent waits overlap, as real ones do: each ends at its own deadline, not after the others.
    async sleep(ms) {
      sleeps.push(ms);
      const until = now + Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
      now = Math.max(now, until);
    },
    sleeps,
  };
}
