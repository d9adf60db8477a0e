// When the next request may be sent: at most `concurrency` in flight, the most urgent first, never
// past the rate budget, and all of them paused after a 429. Cloudflare allows 1,200 requests per
// five minutes; past that every call of the same user, the dashboard's included, is refused for
// five minutes, so the pacer waits for the window to reset instead of running into it.
import type { Clock, Watchdog } from '../watchdog.js';
import type { Budget } from './budget.js';

export type Priority = 'high' | 'normal' | 'low';

const ORDER: Priority[] = ['high', 'normal', 'low'];
/** A reset further away than this is not believed: Cloudflare's window is five minutes. */
export const MAX_WAIT_MS = 300_000;
/** Cloudflare allows 200 requests per second per IP: no more starts than that in any second. */
const PER_SECOND = 200;

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

export class Pacer {
  private free: number;
  private readonly waiting = new Map<Priority, Array<() => void>>(ORDER.map((p) => [p, []]));
  private inFlight = 0;
  // The budget as last reported, and how many requests went out that the report may not count.
  private remaining: number | undefined;
  private resetAt = 0;
  private unreported = 0;
  private quota: number | undefined;
  private announcedReset = 0;
  // A 429 pauses every request, not only the one that got it.
  private pausedUntil = 0;
  // When the latest PER_SECOND requests started, oldest first.
  private readonly starts: number[] = [];
  private readonly options: PacerOptions;

  constructor(options: PacerOptions) {
    this.options = options;
    this.free = options.concurrency;
  }

  private now(): number {
    return this.options.clock.now();
  }

  /** Runs one attempt when a slot, the pause and the budget allow it; a 429 pauses every request, and says for how long. */
  async attempt<T>(priority: Priority, send: () => Promise<Paced<T>>): Promise<{ value: T; pausedMs?: number }> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.get(priority)!.push(resolve));
    try {
      this.options.watchdog.check();
      await this.waitForTurn();
      await this.spaceOut();
      this.inFlight++;
      this.unreported++;
      let paced: Paced<T>;
      try {
        paced = await send();
        this.report(paced.budget);
      } finally {
        this.inFlight--;
      }
      if (paced.throttled === undefined) return { value: paced.value };
      return { value: paced.value, pausedMs: this.pause(paced.throttled) };
    } finally {
      // Handed over once the caller has reacted to the answer, so the request it sends next
      // (a removal after a lookup) is already queued, ahead of less urgent ones.
      setImmediate(() => this.release());
    }
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

  // Waits out a 429 pause and an exhausted budget; each deadline is waited for once, so a clock
  // that the sleep does not move (tests) cannot keep a request waiting for ever.
  private async waitForTurn(): Promise<void> {
    const waited = new Set<number>();
    for (;;) {
      const now = this.now();
      if (this.remaining !== undefined && now >= this.resetAt) {
        // A new window: unknown until the next answer reports it.
        this.remaining = undefined;
        this.unreported = 0;
      }
      const budgetSpent = this.remaining !== undefined && this.remaining - this.unreported <= 0;
      const paused = this.pausedUntil > now;
      const until = paused ? this.pausedUntil : budgetSpent ? this.resetAt : undefined;
      if (until === undefined || waited.has(until)) return;
      waited.add(until);
      if (!paused) this.announce(until - now);
      await this.options.watchdog.wait(until - now);
      // The window waited for has reset (answers in flight may have moved its announced end by a
      // moment); the next answer tells the new one.
      if (!paused) this.remaining = undefined;
    }
  }

  private announce(waitMs: number): void {
    if (this.now() < this.announcedReset) return;
    this.announcedReset = this.resetAt;
    const quota = this.quota !== undefined ? ` of ${this.quota}` : '';
    this.options.log(
      `Rate budget: no requests${quota} left in this window for these credentials; waiting ${Math.ceil(waitMs / 1000)} s for it to reset rather than be blocked for five minutes.`,
    );
  }

  // Keeps the run under Cloudflare's 200 requests per second per IP, however low the latency.
  private async spaceOut(): Promise<void> {
    const now = this.now();
    const oldest = this.starts.length === PER_SECOND ? this.starts.shift()! : undefined;
    const start = oldest !== undefined ? Math.max(now, oldest + 1000) : now;
    this.starts.push(start);
    if (start > now) await this.options.watchdog.wait(start - now);
  }

  private release(): void {
    for (const priority of ORDER) {
      const next = this.waiting.get(priority)!.shift();
      if (next) return next();
    }
    this.free++;
  }
}
