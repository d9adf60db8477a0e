// When the run stops: on a signal at once, or after ten minutes without a usable answer; waits
// never outlast either.
import { describe, expect, it } from 'vitest';
import { NO_PROGRESS_LIMIT_MS, StoppedError, Watchdog } from '../../src/watchdog.js';
import { fakeClock } from '../helpers/clock.ts';

describe('Watchdog', () => {
  it('refuses to start anything once stopped, and keeps the first reason', async () => {
    const watchdog = new Watchdog(fakeClock());
    watchdog.check();
    watchdog.stop('SIGINT');
    watchdog.stop('SIGTERM');
    expect(watchdog.reason).toBe('SIGINT');
    expect(() => watchdog.check()).toThrow(StoppedError);
    await expect(watchdog.wait(1_000)).rejects.toMatchObject({ reason: 'SIGINT', sent: false });
  });

  it('ends a wait at the limit without progress, and stops the run there', async () => {
    const clock = fakeClock(0);
    const watchdog = new Watchdog(clock);
    await watchdog.wait(300_000);
    watchdog.progress();
    await watchdog.wait(300_000);
    await expect(watchdog.wait(400_000)).rejects.toMatchObject({ reason: 'no-progress' });
    expect(clock.sleeps).toEqual([300_000, 300_000, 300_000]);
    expect(clock.now()).toBe(300_000 + NO_PROGRESS_LIMIT_MS);
  });

  it('says since when it is stopped', () => {
    const clock = fakeClock(0);
    const watchdog = new Watchdog(clock);
    expect(watchdog.sinceStop()).toBeUndefined();
    watchdog.stop('SIGTERM');
    expect(watchdog.sinceStop()).toBe(0);
  });
});
