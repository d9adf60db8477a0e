// How fast requests may start. Cloudflare allows 200 requests per second per IP address, and other
// jobs behind the same runner address share that allowance: the run keeps to 150, counted at the
// moment each request is sent, and spreads them over the second rather than sending them in bursts
// that the network could bunch up on the way.

/** At most this many requests are sent in any window of WINDOW_MS. */
export const PER_SECOND = 150;
/** A second, and a little more, so that delays on the way cannot squeeze 151 into one second at the API. */
const WINDOW_MS = 1015;
/** At most BURST requests in any BURST-th of the window: late timers are made up, bursts stay small. */
const BURST = 10;
const BURST_MS = (WINDOW_MS * BURST) / PER_SECOND;

/** The send times of the latest PER_SECOND requests, and the earliest moment the next may go. */
export class SendRate {
  private readonly sent: number[] = [];

  /** The earliest time the next request may be sent. */
  nextAt(): number {
    const { sent } = this;
    const window = sent.length >= PER_SECOND ? sent[sent.length - PER_SECOND]! + WINDOW_MS : -Infinity;
    const burst = sent.length >= BURST ? sent[sent.length - BURST]! + BURST_MS : -Infinity;
    return Math.max(window, burst);
  }

  record(at: number): void {
    this.sent.push(at);
    if (this.sent.length > PER_SECOND) this.sent.shift();
  }
}

/**
 * How many requests need to be in flight to keep to PER_SECOND at the latency measured so far:
 * round trips times the rate, with room for the spread of latencies. Until the first answer, all.
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
    if (this.latencyMs === undefined) return this.most;
    const needed = Math.ceil(((PER_SECOND * this.latencyMs) / 1000) * 1.5) + 2;
    return Math.min(this.most, needed);
  }
}
