// When the next request may be sent: the most urgent first, one alone until an answer tells the
// rate budget, then as many in flight as the latency needs (never more than `concurrency`), at the
// send rate, never past the rate budget, and all of them paused after a 429. The budget is a value
// changed only by the functions of budget-state.ts; the send rate and the in-flight limit are
// send-rate.ts's.
import type { Clock, Watchdog } from '../watchdog.js';
import type { Budget } from './budget.js';
import {
  announced,
  blocked,
  expired,
  reported,
  spent,
  throttled,
  UNKNOWN_BUDGET,
  waitedOut,
  type BudgetState,
} from './budget-state.js';
import { InFlightLimit, SendRate } from './send-rate.js';

export type Priority = 'high' | 'normal' | 'low';

const ORDER: Priority[] = ['high', 'normal', 'low'];

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
  go: (turn: number) => void;
  fail: (error: unknown) => void;
  /** The time by which it must start, if any. */
  deadline?: number;
}

/** A request that could not start before its deadline: the pacer held it past it. */
export class PastDeadline extends Error {
  constructor() {
    super('it could not start before its deadline');
    this.name = 'PastDeadline';
  }
}

export class Pacer {
  private readonly waiting = new Map<Priority, Waiter[]>(ORDER.map((p) => [p, []]));
  private inFlight = 0;
  private readonly limit: InFlightLimit;
  private readonly rate = new SendRate();
  private budget: BudgetState = UNKNOWN_BUDGET;
  /** Whether any answer came yet: until one says what is left of the budget, one request at a time. */
  private answered = false;
  /** The deadline last waited for: waited for once, so a clock that a wait does not move (tests) cannot hold a request for ever. */
  private waitedFor: number | undefined;
  /** The deadline a wake-up is already waiting for. */
  private wakeAt: number | undefined;
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
   * connection. A 429 pauses every request, and says for how long. With a `deadline`, an attempt
   * that would be held past it fails at once (PastDeadline) instead of waiting.
   */
  async attempt<T>(
    priority: Priority,
    send: (sent: () => void) => Promise<Paced<T>>,
    deadline?: number,
  ): Promise<{ value: T; pausedMs?: number }> {
    const turn = await new Promise<number>((go, fail) => {
      this.waiting.get(priority)!.push({ go, fail, ...(deadline !== undefined && { deadline }) });
      this.handOut();
    });
    let paced: Paced<T>;
    let sentAt = this.now();
    try {
      paced = await send(() => {
        sentAt = Math.max(sentAt, this.now());
        this.rate.sent(turn, sentAt);
      });
      this.limit.measured(this.now() - sentAt);
      this.budget = reported(this.budget, paced.budget, this.now(), this.inFlight - 1);
      this.answered = true;
    } finally {
      // The slot is handed on once the caller has reacted to the answer, so the request it sends
      // next (a removal after a lookup) is already waiting, ahead of less urgent ones.
      setImmediate(() => {
        this.inFlight--;
        this.handOut();
      });
    }
    if (paced.throttled === undefined) return { value: paced.value };
    const pause = throttled(this.budget, paced.throttled, this.now());
    this.budget = pause.state;
    return { value: paced.value, pausedMs: pause.pausedMs };
  }

  // Gives turns, most urgent first, while a request is waiting and the in-flight limit allows; when
  // a 429 pause, a spent budget or the send rate holds the next one, wakes up at that deadline. A
  // stopped run fails every waiter.
  private handOut(): void {
    try {
      // Another job of the same credentials may have spent the budget: the first answer says.
      while (this.peek() !== undefined && this.inFlight < (this.answered ? this.limit.current : 1)) {
        this.options.watchdog.check();
        const wait = this.holdsNext();
        if (wait !== undefined && this.failLate(wait.until)) continue;
        if (wait !== undefined) return this.wakeUpAt(wait);
        this.waitedFor = undefined;
        this.inFlight++;
        this.budget = spent(this.budget);
        this.take()!.go(this.rate.record(this.now()));
      }
    } catch (error) {
      this.failAll(error);
    }
  }

  // The deadline the next request waits for, unless it was waited for already.
  private holdsNext(): { until: number; budget: boolean } | undefined {
    const now = this.now();
    this.budget = expired(this.budget, now);
    const block = blocked(this.budget, now);
    const until = block?.until ?? this.rate.nextAt(this.limit.current);
    if (until <= now || until === this.waitedFor) return undefined;
    if (block?.reason === 'budget') {
      const line = announced(this.budget, now, until - now);
      this.budget = line.state;
      if (line.message !== undefined) this.options.log(line.message);
    }
    return { until, budget: block?.reason === 'budget' };
  }

  private wakeUpAt({ until, budget }: { until: number; budget: boolean }): void {
    if (this.wakeAt !== undefined && this.wakeAt <= until) return;
    this.wakeAt = until;
    this.options.watchdog.wait(until - this.now()).then(
      () => {
        if (this.wakeAt === until) this.wakeAt = undefined;
        this.waitedFor = until;
        // The window waited for has reset; the next answer tells the new one.
        if (budget) this.budget = waitedOut(this.budget);
        this.handOut();
      },
      (error: unknown) => this.failAll(error),
    );
  }

  // Fails every waiter whose deadline comes before `until`; says whether there was one.
  private failLate(until: number): boolean {
    let failed = false;
    for (const [priority, waiters] of this.waiting) {
      const late = waiters.filter((waiter) => waiter.deadline !== undefined && waiter.deadline < until);
      if (late.length === 0) continue;
      this.waiting.set(
        priority,
        waiters.filter((waiter) => !late.includes(waiter)),
      );
      for (const waiter of late) waiter.fail(new PastDeadline());
      failed = true;
    }
    return failed;
  }

  private failAll(error: unknown): void {
    for (let waiter = this.take(); waiter; waiter = this.take()) waiter.fail(error);
  }

  private peek(): Waiter | undefined {
    return ORDER.map((priority) => this.waiting.get(priority)![0]).find((waiter) => waiter !== undefined);
  }

  private take(): Waiter | undefined {
    const priority = ORDER.find((each) => this.waiting.get(each)!.length > 0);
    return priority === undefined ? undefined : this.waiting.get(priority)!.shift();
  }
}
