// When the next request may be sent: the most urgent first, as many in flight as the latency needs
// (never more than `concurrency`), at the send rate, never past the rate budget, and all of them
// paused after a 429. Cloudflare allows 1,200 requests per five minutes per user; past that every
// call of the same user, the dashboard's included, is refused for five minutes, so the pacer waits
// for the window to reset instead of running into it.
import type { Clock, Watchdog } from '../watchdog.js';
import type { Budget } from './budget.js';
import { InFlightLimit, SendRate, type Sent } from './send-rate.js';

export type Priority = 'high' | 'normal' | 'low';

const ORDER: Priority[] = ['high', 'normal', 'low'];
/** A reset further away than this is not believed: Cloudflare's window is five minutes. */
export const MAX_WAIT_MS = 300_000;

/** What one attempt tells the pacer: the budget its answer announced, and whether it was refused with a 429. */
export interface Paced<T> {
  value: T;
  budget: Budget;
  /** A 429: the wait its answer asked for (if any), and the backoff to use when neither it nor the budget says. */
  throttled?: { retryAfterMs?: number; backoffMs: number };
}

export interface PacerOptions {
  concurrency: number;
  clock: Clock;
  /** Every wait goes through it, so that a stopped run waits no more. */
  watchdog: Watchdog;
  log: (message: string) => void;
}

interface Waiter {
  go: (turn: Sent) => void;
  fail: (error: unknown) => void;
}

export class Pacer {
  private readonly waiting = new Map<Priority, Waiter[]>(ORDER.map((p) => [p, []]));
  private inFlight = 0;
  private readonly limit: InFlightLimit;
  private readonly rate = new SendRate();
  // Set while one call hands out turns, so that there is only ever one.
  private handing = false;
  // The budget as last reported, and how many requests went out that the report may not count.
  private remaining: number | undefined;
  private resetAt = 0;
  private unreported = 0;
  private quota: number | undefined;
  private announcedReset = 0;
  // A 429 pauses every request, not only the one that got it.
  private pausedUntil = 0;
  private readonly options: PacerOptions;

  constructor(options: PacerOptions) {
    this.options = options;
    this.limit = new InFlightLimit(options.concurrency);
  }

  private now(): number {
    return this.options.clock.now();
  }

  /**
   * Runs one attempt when its turn comes; `send` calls `sent` when the request goes out on its
   * connection. A 429 pauses every request, and says for how long.
   */
  async attempt<T>(
    priority: Priority,
    send: (sent: () => void) => Promise<Paced<T>>,
  ): Promise<{ value: T; pausedMs?: number }> {
    const turn = await new Promise<Sent>((go, fail) => {
      this.waiting.get(priority)!.push({ go, fail });
      void this.handOut();
    });
    let paced: Paced<T>;
    try {
      paced = await send(() => (turn.at = Math.max(turn.at, this.now())));
      this.limit.measured(this.now() - turn.at);
      this.report(paced.budget);
    } finally {
      // The slot is handed on once the caller has reacted to the answer, so the request it sends
      // next (a removal after a lookup) is already waiting, ahead of less urgent ones.
      setImmediate(() => {
        this.inFlight--;
        void this.handOut();
      });
    }
    if (paced.throttled === undefined) return { value: paced.value };
    return { value: paced.value, pausedMs: this.pause(paced.throttled) };
  }

  // Gives turns, most urgent first, while a request is waiting and the in-flight limit allows; the
  // send rate, a 429 pause and a spent budget make it wait first. A stopped run fails every waiter.
  private async handOut(): Promise<void> {
    if (this.handing) return;
    this.handing = true;
    try {
      const waited = new Set<number>();
      while (this.peek() !== undefined && this.inFlight < this.limit.current) {
        this.options.watchdog.check();
        const wait = this.blockedUntil(waited);
        if (wait !== undefined) {
          await this.options.watchdog.wait(wait.until - this.now());
          // The window waited for has reset (answers in flight may have moved its announced end
          // by a moment); the next answer tells the new one.
          if (wait.budget) this.remaining = undefined;
          continue;
        }
        waited.clear();
        this.inFlight++;
        this.unreported++;
        this.take()!.go(this.rate.record(this.now()));
      }
    } catch (error) {
      for (let waiter = this.take(); waiter; waiter = this.take()) waiter.fail(error);
    } finally {
      this.handing = false;
    }
  }

  private peek(): Waiter | undefined {
    for (const priority of ORDER) {
      const first = this.waiting.get(priority)![0];
      if (first) return first;
    }
    return undefined;
  }

  private take(): Waiter | undefined {
    for (const priority of ORDER) {
      const first = this.waiting.get(priority)!.shift();
      if (first) return first;
    }
    return undefined;
  }

  // What the next request waits for, if anything: a 429 pause, a spent budget, the send rate. Each
  // deadline is waited for once, so a clock that the sleep does not move (tests) cannot keep a
  // request waiting for ever.
  private blockedUntil(waited: Set<number>): { until: number; budget: boolean } | undefined {
    const now = this.now();
    if (this.remaining !== undefined && now >= this.resetAt) {
      // A new window: unknown until the next answer reports it.
      this.remaining = undefined;
      this.unreported = 0;
    }
    const budget = this.pausedUntil <= now && this.remaining !== undefined && this.remaining - this.unreported <= 0;
    const until =
      this.pausedUntil > now ? this.pausedUntil : budget ? this.resetAt : this.rate.nextAt(this.limit.current);
    if (until <= now || waited.has(until)) return undefined;
    waited.add(until);
    if (budget) this.announce(until - now);
    return { until, budget };
  }

  private report(budget: Budget): void {
    if (budget.quota !== undefined) this.quota = budget.quota;
    if (budget.remaining === undefined) return;
    const resetMs = (budget.resetSeconds ?? 0) * 1000;
    if (resetMs > MAX_WAIT_MS) return;
    this.remaining = budget.remaining;
    this.resetAt = this.now() + resetMs;
    // Requests still in flight when this answer left may not be counted in it yet.
    this.unreported = this.inFlight - 1;
  }

  // Retry-After when given and positive; else the budget's reset where an answer reported one;
  // else the caller's backoff.
  private pause({ retryAfterMs, backoffMs }: { retryAfterMs?: number; backoffMs: number }): number {
    const untilReset = this.resetAt - this.now();
    const reset = this.remaining !== undefined && untilReset > 0 ? Math.ceil(untilReset / 1000) * 1000 : undefined;
    const asked = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : (reset ?? backoffMs);
    const ms = Math.min(asked, MAX_WAIT_MS);
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    return ms;
  }

  private announce(waitMs: number): void {
    if (this.now() < this.announcedReset) return;
    this.announcedReset = this.resetAt;
    const quota = this.quota !== undefined ? ` of ${this.quota}` : '';
    this.options.log(
      `Rate budget: no requests${quota} left in this window for these credentials; waiting ${Math.ceil(waitMs / 1000)} s for it to reset rather than be blocked for five minutes.`,
    );
  }
}
