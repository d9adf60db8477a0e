// The rate budget as a value: each event (a request handed out, an answer's report, a window that
// resets, a 429, a wait announced) is a function from one state to the next.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  announced,
  blocked,
  expired,
  MAX_WAIT_MS,
  reported,
  spent,
  throttled,
  UNKNOWN_BUDGET,
  waitedOut,
} from '../../src/cloudflare/budget-state.js';

const NOW = 1_000_000;

describe('the rate budget', () => {
  it('holds nothing while nothing is known', () => {
    expect(blocked(UNKNOWN_BUDGET, NOW)).toBeUndefined();
    expect(blocked(spent(spent(UNKNOWN_BUDGET)), NOW)).toBeUndefined();
  });

  it('holds the next request until the reset once the reported requests are spent, counting those still out', () => {
    const state = reported(UNKNOWN_BUDGET, { remaining: 2, resetSeconds: 30 }, NOW, 1);
    expect(blocked(state, NOW)).toBeUndefined();
    expect(blocked(spent(state), NOW)).toEqual({ until: NOW + 30_000, reason: 'budget' });
    // Once the window has reset, what is left is unknown again.
    expect(blocked(expired(spent(state), NOW + 30_000), NOW + 30_000)).toBeUndefined();
    expect(blocked(waitedOut(spent(state)), NOW)).toBeUndefined();
  });

  it('believes no reset further away than the five-minute window', () => {
    const state = reported(UNKNOWN_BUDGET, { remaining: 0, resetSeconds: 3_600 }, NOW, 0);
    expect(state.remaining).toBeUndefined();
    expect(blocked(state, NOW)).toBeUndefined();
  });

  it('keeps the quota a report gives, for the log line, announced once per window', () => {
    const state = reported(UNKNOWN_BUDGET, { remaining: 0, resetSeconds: 10, quota: 1200 }, NOW, 0);
    const first = announced(state, NOW, 10_000);
    expect(first.message).toBe(
      'Rate budget: no requests of 1200 left in this window for these credentials; waiting 10 s for it to reset rather than be blocked for five minutes.',
    );
    expect(announced(first.state, NOW + 1, 9_999).message).toBeUndefined();
  });

  it('pauses every request after a 429: Retry-After, else the reported reset, else the backoff; never past the window', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 10 * MAX_WAIT_MS })),
        fc.option(fc.integer({ min: 1, max: 300 })),
        fc.integer({ min: 1, max: 8_000 }),
        (retryAfterMs, resetSeconds, backoffMs) => {
          const before =
            resetSeconds === null ? UNKNOWN_BUDGET : reported(UNKNOWN_BUDGET, { remaining: 5, resetSeconds }, NOW, 0);
          const { state, pausedMs } = throttled(before, { retryAfterMs: retryAfterMs ?? undefined, backoffMs }, NOW);
          const expected =
            retryAfterMs !== null && retryAfterMs > 0
              ? retryAfterMs
              : resetSeconds !== null
                ? resetSeconds * 1000
                : backoffMs;
          expect(pausedMs).toBe(Math.min(expected, MAX_WAIT_MS));
          expect(blocked(state, NOW)).toEqual({ until: NOW + pausedMs, reason: 'paused' });
        },
      ),
    );
  });
});
