// How fast requests may start. Cloudflare allows 200 requests per second per IP address, and other
// jobs behind the same runner address share that allowance: the run keeps to 150, counted at the
// moment each request goes out on its connection (a new connection can take a while), and spreads
// them over the second: in a stretch of time, no more than the cap allows in it and one round
// trip's worth of requests.

/** At most this many requests are sent in any window of WINDOW_MS. */
const PER_SECOND = 150;
/** A second, and a little more, so that delays on the way cannot squeeze 151 into one second at the API. */
const WINDOW_MS = 1015;
/** The smallest burst allowed: a few requests may always go together. */
const MIN_BURST = 10;

export class SendRate {
  // The time of each turn, by its number: when it was handed out, then when its request went out.
  private readonly times = new Map<number, number>();
  private next = 0;

  /**
   * The earliest time the next request may be sent: after the PER_SECOND-th latest send by
   * WINDOW_MS, and after the `burst`-th latest by the time the cap gives `burst` requests.
   */
  nextAt(burst: number): number {
    const times = [...this.times.values()].sort((a, b) => b - a);
    const most = Math.max(MIN_BURST, Math.min(burst, PER_SECOND));
    const window = times.length >= PER_SECOND ? times[PER_SECOND - 1]! + WINDOW_MS : -Infinity;
    const spread = times.length >= most ? times[most - 1]! + (WINDOW_MS * most) / PER_SECOND : -Infinity;
    return Math.max(window, spread);
  }

  /** A turn handed out at `at`: its number. */
  record(at: number): number {
    const turn = this.next++;
    this.times.set(turn, at);
    // Twice the cap: a turn whose request went out late still counts where it belongs.
    this.times.delete(turn - 2 * PER_SECOND);
    return turn;
  }

  /** The turn's request went out at `at` (never earlier than its turn came). */
  sent(turn: number, at: number): void {
    const handedOut = this.times.get(turn);
    if (handedOut !== undefined) this.times.set(turn, Math.max(handedOut, at));
  }
}

/**
 * How many requests need to be in flight to keep to PER_SECOND at the latency measured so far:
 * round trips times the rate, with room for the spread of latencies. Until the first answer, a few.
 */
export class InFlightLimit {
  private latencyMs: number | undefined;
  private readonly most: number;

  constructor(most: number) {
    this.most = most;
  }

  /** One round trip's time; recent ones weigh most. */
  measured(ms: number): void {
    this.latencyMs = this.latencyMs === undefined ? ms : this.latencyMs * 0.8 + ms * 0.2;
  }

  get current(): number {
    if (this.latencyMs === undefined) return Math.min(this.most, MIN_BURST);
    const needed = Math.ceil(((PER_SECOND * this.latencyMs) / 1000) * 1.5) + 2;
    return Math.min(this.most, needed);
  }
}
