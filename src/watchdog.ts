// When the run must stop: on SIGINT or SIGTERM (a cancelled run, timeout-minutes), or after ten
// minutes in which no request got an answer it could use. Once stopped, no request starts and no
// wait goes on; requests already in flight get a few seconds to finish, then they are aborted.

/** The time, and how to wait; tests pass a fake one. */
export interface Clock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type StopReason = 'SIGINT' | 'SIGTERM' | 'no-progress';

/** Thrown by any wait or request that the stop cut short. */
export class StoppedError extends Error {
  readonly reason: StopReason;
  /** The request had been sent when the stop cut it short: whether it took effect is unknown. */
  readonly sent: boolean;

  constructor(reason: StopReason, sent = false) {
    super(
      sent
        ? `the request was in flight when the run stopped (${describeStop(reason)}); whether it took effect is unknown`
        : `the run stopped (${describeStop(reason)}) before this was done`,
    );
    this.name = 'StoppedError';
    this.reason = reason;
    this.sent = sent;
  }
}

/** Waiting while no request gets an answer it can use ends the run after this long. */
export const NO_PROGRESS_LIMIT_MS = 600_000;
/** How long requests in flight may still finish once the run stops. */
const IN_FLIGHT_GRACE_MS = 3_000;

export function describeStop(reason: StopReason): string {
  if (reason === 'no-progress') return `no request got a usable answer for ${NO_PROGRESS_LIMIT_MS / 60_000} minutes`;
  return `${reason}: the run was cancelled or reached its timeout-minutes`;
}

export class Watchdog {
  private stopReason: StopReason | undefined;
  private stoppedAt: number | undefined;
  private lastProgress: number;
  private readonly starting = new AbortController();
  private readonly inFlight = new AbortController();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
    this.lastProgress = clock.now();
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** Aborted when requests in flight must end. */
  get inFlightSignal(): AbortSignal {
    return this.inFlight.signal;
  }

  /** Milliseconds since the stop, or undefined while running. */
  sinceStop(): number | undefined {
    return this.stoppedAt === undefined ? undefined : this.clock.now() - this.stoppedAt;
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.stoppedAt = this.clock.now();
    this.starting.abort();
    setTimeout(() => this.inFlight.abort(), IN_FLIGHT_GRACE_MS).unref();
  }

  /** A request got an answer it can use. */
  progress(): void {
    this.lastProgress = this.clock.now();
  }

  /** Throws once the run is stopped, or stops it when it has gone too long without progress. */
  check(): void {
    if (this.stopReason === undefined && this.clock.now() - this.lastProgress >= NO_PROGRESS_LIMIT_MS)
      this.stop('no-progress');
    if (this.stopReason !== undefined) throw new StoppedError(this.stopReason);
  }

  /** Waits `ms`, but never past the stop, nor past the limit without progress. */
  async wait(ms: number): Promise<void> {
    this.check();
    const untilLimit = this.lastProgress + NO_PROGRESS_LIMIT_MS - this.clock.now();
    await this.clock.sleep(Math.max(0, Math.min(ms, untilLimit)), this.starting.signal);
    this.check();
  }
}

/** The real clock: its waits end early when their signal aborts. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
