// When the Cloudflare client may send its next request: at most `concurrency` in flight, listing
// pages first, and never past the token's rate budget. Cloudflare allows 1,200 requests per five
// minutes per token; past that every call of the token, the dashboard's included, is refused
// (429) for five minutes. Every answer says how much is left (`Ratelimit`, older
// `x-ratelimit-*`), so the client waits for the window to reset instead of running into it.

/** Listing pages unlock further work; a removal finishes a group's; a lookup starts one. */
export type Priority = 'listing' | 'removal' | 'lookup';

const ORDER: Priority[] = ['listing', 'removal', 'lookup'];
/** A reset further away than this is not believed: the window is five minutes. */
const MAX_BUDGET_WAIT_MS = 900_000;
/** Cloudflare allows 200 requests per second per IP: no more starts than that in any second. */
const PER_SECOND = 200;

export interface Budget {
  /** Requests left in the current window, as the latest answer reported them. */
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds?: number;
  /** The window's quota, where reported (for messages only). */
  quota?: number;
}

export interface PacerOptions {
  concurrency: number;
  sleep: (ms: number) => Promise<void>;
  now?: () => number;
  log: (message: string) => void;
}

export class Pacer {
  private free: number;
  private readonly waiting = new Map<Priority, Array<() => void>>(ORDER.map((p) => [p, []]));
  private readonly now: () => number;
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
    this.now = options.now ?? Date.now;
  }

  /** Runs one attempt of a request when a slot and the budget allow it. */
  async attempt<T>(priority: Priority, send: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.get(priority)!.push(resolve));
    try {
      await this.waitForTurn();
      await this.spaceOut();
      this.inFlight++;
      this.unreported++;
      try {
        return await send();
      } finally {
        this.inFlight--;
      }
    } finally {
      // Handed over once the caller has reacted to the answer, so the removal it asks for next
      // is already queued, ahead of waiting lookups.
      setImmediate(() => this.release());
    }
  }

  /** What an answer's headers said about the budget. */
  report(budget: Budget): void {
    if (budget.quota !== undefined) this.quota = budget.quota;
    if (budget.remaining === undefined) return;
    const resetMs = (budget.resetSeconds ?? 0) * 1000;
    if (resetMs > MAX_BUDGET_WAIT_MS) return;
    this.remaining = budget.remaining;
    this.resetAt = this.now() + resetMs;
    // Requests still in flight when this answer left may not be counted in it yet.
    this.unreported = this.inFlight - 1;
  }

  /** After a 429: every request waits until then. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Seconds until the budget resets, where an answer said so. */
  secondsToReset(): number | undefined {
    const ms = this.resetAt - this.now();
    return this.remaining !== undefined && ms > 0 ? Math.ceil(ms / 1000) : undefined;
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
      if (!paused && now >= this.announcedReset) {
        this.announcedReset = this.resetAt;
        const quota = this.quota !== undefined ? ` of ${this.quota}` : '';
        this.options.log(`Rate budget: no requests${quota} left in this window for these credentials; waiting ${Math.ceil((until - now) / 1000)} s for it to reset rather than be blocked for five minutes.`);
      }
      await this.options.sleep(until - now);
      // The window waited for has reset (answers in flight may have moved its announced end by a
      // moment); the next answer tells the new one.
      if (!paused) this.remaining = undefined;
    }
  }

  // Keeps the run under Cloudflare's 200 requests per second per IP, however low the latency.
  private async spaceOut(): Promise<void> {
    const now = this.now();
    const oldest = this.starts.length === PER_SECOND ? this.starts.shift()! : undefined;
    const start = oldest !== undefined ? Math.max(now, oldest + 1000) : now;
    this.starts.push(start);
    if (start > now) await this.options.sleep(start - now);
  }

  private release(): void {
    for (const priority of ORDER) {
      const next = this.waiting.get(priority)!.shift();
      if (next) return next();
    }
    this.free++;
  }
}

/**
 * The budget from an answer's headers: `Ratelimit: "default";r=<left>;t=<seconds>` and
 * `Ratelimit-Policy: "<name>";q=<quota>;w=<window>` (several items possible: the tightest
 * counts), else `ratelimit-remaining` / `x-ratelimit-remaining` with `-reset` and `-limit`.
 */
export function readBudget(header: (name: string) => string | undefined): Budget {
  const budget: Budget = {};
  const items = parseItems(header('ratelimit'));
  const tightest = items.filter((item) => item.r !== undefined).sort((a, b) => a.r! - b.r!)[0];
  if (tightest) {
    budget.remaining = tightest.r;
    budget.resetSeconds = tightest.t;
  } else {
    const remaining = number(header('ratelimit-remaining') ?? header('x-ratelimit-remaining'));
    if (remaining !== undefined) {
      budget.remaining = remaining;
      const reset = number(header('ratelimit-reset') ?? header('x-ratelimit-reset'));
      // Seconds until the reset, or (some older APIs) the reset as a Unix time.
      budget.resetSeconds = reset !== undefined && reset > 1e9 ? Math.max(0, reset - Date.now() / 1000) : reset;
    }
  }
  const policy = parseItems(header('ratelimit-policy')).filter((item) => item.q !== undefined).sort((a, b) => a.q! - b.q!)[0];
  const quota = policy?.q ?? number(header('ratelimit-limit') ?? header('x-ratelimit-limit'));
  if (quota !== undefined) budget.quota = quota;
  return budget;
}

// Items of a structured-field list: `"name";key=value;key=value, "other";...`; numbers only.
function parseItems(value: string | undefined): Array<Record<string, number | undefined>> {
  if (!value) return [];
  return value.split(',').map((item) => {
    const params: Record<string, number | undefined> = {};
    for (const param of item.split(';').slice(1)) {
      const [key, raw] = param.split('=', 2).map((part) => part.trim());
      if (key) params[key] = number(raw);
    }
    return params;
  });
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
