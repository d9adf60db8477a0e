// One Cloudflare API request: retries on 429 / 5xx / network errors / timeouts only, a time limit
// per attempt, no redirects, each attempt paced. Knows nothing of the action's inputs or of GitHub.
import { StoppedError, type Clock, type Watchdog } from '../watchdog.js';
import { interpret, rayOf, type Answer, type Attempt, type Excerpt } from './answer.js';
import { readBudget } from './budget.js';
import { exchange, MAX_BODY_BYTES, type Endpoint, type Method, type Request } from './exchange.js';
import { MAX_WAIT_MS } from './budget-state.js';
import { PastDeadline, type Pacer, type Paced, type Priority } from './pacer.js';
import { ApiError } from './api-error.js';

export interface TransportOptions extends Endpoint {
  maxRetries: number;
  timeoutMs: number;
  pacer: Pacer;
  clock: Clock;
  /** Every wait goes through it; a stopped run starts no request and ends those in flight. */
  watchdog: Watchdog;
  log: (message: string) => void;
  excerpt: Excerpt;
  random?: () => number;
}

export type { Method } from './exchange.js';

/** An answer, with the `cf-ray` of every attempt that was answered, and whether one before it had no clear answer. */
export type Sent = Answer & { rays: string[]; afterUnclear?: true };

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;

type Failed = Extract<Attempt, { ok: false }>;

export class Transport {
  private readonly random: () => number;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
  }

  /**
   * One request, retried as the rules allow; `body` is sent as JSON. The answer says whether an
   * earlier attempt had no clear answer (it may have taken effect); a stop after such an attempt
   * is a stop of a request that was sent. With a `deadline` (clock time), no wait and no attempt
   * goes past it: the request fails with `pastDeadline` instead.
   */
  async send(
    method: Method,
    path: string,
    query: Record<string, string>,
    priority: Priority,
    body?: unknown,
    deadline?: number,
  ): Promise<Sent> {
    let uncertain = false;
    try {
      return await this.retried({ method, path, query, body }, priority, deadline, () => (uncertain = true));
    } catch (error) {
      if (error instanceof StoppedError && !error.sent && uncertain) throw new StoppedError(error.reason, true);
      throw error;
    }
  }

  private async retried(
    request: Request,
    priority: Priority,
    deadline: number | undefined,
    unclear: () => void,
  ): Promise<Sent> {
    const { maxRetries, pacer, watchdog, clock } = this.options;
    const { method, path } = request;
    let uncertain = false;
    const rays: string[] = [];
    const late = (why: string) =>
      new ApiError(`${method} ${path}: ${why}`, { pastDeadline: true, earlierAttemptUncertain: uncertain, rays });
    for (let attempt = 1; ; attempt++) {
      let paced: Awaited<ReturnType<typeof pacer.attempt<Attempt>>>;
      try {
        paced = await pacer.attempt(priority, (sent) => this.attempt(request, attempt, sent, deadline), deadline);
      } catch (error) {
        if (error instanceof PastDeadline) throw late('given up at its deadline, which came before its turn.');
        throw error;
      }
      const outcome = paced.value;
      if (outcome.ray !== undefined) rays.push(outcome.ray);
      if (outcome.ok || !outcome.retryable) watchdog.progress();
      if (outcome.ok) return { ...outcome.answer, rays, ...(uncertain && { afterUnclear: true as const }) };
      if (outcome.stopped) throw new StoppedError(watchdog.reason ?? 'SIGINT', true);
      const tooLong = (outcome.retryAfterMs ?? 0) > MAX_WAIT_MS;
      if (!outcome.retryable || attempt > maxRetries || tooLong) {
        throw this.failure(method, path, outcome, attempt, tooLong, uncertain, rays);
      }
      if (outcome.status === undefined || outcome.status >= 500) {
        uncertain = true;
        unclear();
      }
      // A 429 waits through the pacer's pause, with every other request.
      const asked = outcome.retryAfterMs ?? 0;
      const delay = paced.pausedMs ?? (asked > 0 ? asked : this.backoff(attempt));
      if (deadline !== undefined && clock.now() + delay > deadline)
        throw late(`given up at its deadline, which comes before the retry: ${outcome.message}.`);
      const next = `attempt ${attempt + 1} of ${maxRetries + 1}`;
      this.options.log(`Retrying ${method} ${path} in ${(delay / 1000).toFixed(1)} s (${next}): ${outcome.message}.`);
      if (paced.pausedMs === undefined) await watchdog.wait(delay);
    }
  }

  private failure(
    method: Method,
    path: string,
    outcome: Failed,
    attempt: number,
    tooLong: boolean,
    uncertain: boolean,
    rays: string[],
  ) {
    const suffix = attempt > 1 ? ` (after ${attempt} attempts)` : '';
    const asked = Math.ceil((outcome.retryAfterMs ?? 0) / 1000);
    const waitNote = tooLong
      ? ` Cloudflare asked to wait ${asked} s, longer than its five-minute rate-limit window; run the job again later.`
      : '';
    const { status, codes, foreign } = outcome;
    const unclear = outcome.unclear === true || status === undefined || status >= 500;
    const message = `${method} ${path}: ${outcome.message}${suffix}.${waitNote}`;
    return new ApiError(message, { status, codes, foreign, unclear, earlierAttemptUncertain: uncertain, rays });
  }

  // Exponential backoff with jitter.
  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }

  private async attempt(
    request: Request,
    attempt: number,
    sent: () => void,
    deadline: number | undefined,
  ): Promise<Paced<Attempt>> {
    const { watchdog, clock } = this.options;
    const timeoutMs = Math.max(0, Math.min(this.options.timeoutMs, (deadline ?? Infinity) - clock.now()));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const signal = AbortSignal.any([controller.signal, watchdog.inFlightSignal]);
    try {
      const { status, header, body } = await exchange(this.options, request, signal, sent);
      const interpreted: Attempt =
        body === undefined
          ? {
              ok: false,
              retryable: false,
              status,
              message: `HTTP ${status}: the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`,
            }
          : interpret(status, header, body, this.options.excerpt, this.options.clock.now());
      const ray = rayOf(header);
      const value: Attempt = ray !== undefined ? { ...interpreted, ray } : interpreted;
      const throttled =
        !value.ok && value.status === 429
          ? { retryAfterMs: value.retryAfterMs, backoffMs: this.backoff(attempt) }
          : undefined;
      return { value, budget: readBudget(header), ...(throttled && { throttled }) };
    } catch (error) {
      if (watchdog.inFlightSignal.aborted)
        return { value: { ok: false, retryable: false, stopped: true, message: 'stopped' }, budget: {} };
      const message = controller.signal.aborted
        ? `no answer within ${timeoutMs / 1000} s${timeoutMs === this.options.timeoutMs ? ' (timeout-seconds)' : ', its deadline'}`
        : `network error: ${describeNetworkError(error)}`;
      return { value: { ok: false, retryable: true, message }, budget: {} };
    } finally {
      clearTimeout(timer);
    }
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code;
  const message =
    cause?.message && cause.message !== error.message ? `${error.message} (${cause.message})` : error.message;
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
