// One Cloudflare API request: the v4 envelope, error text, retries on 429 / 5xx / network errors /
// timeouts only, a time limit per attempt, no redirects. Speaks in API terms (status, codes,
// messages) and knows nothing of the action's inputs or of GitHub.
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { readBudget, type Pacer, type Priority } from './pacing.js';

export type Credentials = { scheme: 'token'; token: string } | { scheme: 'global-key'; email: string; key: string };

/** A request that failed for good: after retries, or at once when retrying cannot help. */
export class ApiError extends Error {
  readonly status: number | undefined;
  readonly codes: Array<number | string>;
  /** An earlier attempt may have reached the API (timeout, network error, 5xx) before this answer. */
  readonly earlierAttemptUncertain: boolean;
  /** The answer is not one the API gives (a redirect, a body that is no JSON envelope, an entry of the wrong shape). */
  readonly foreign: boolean;

  constructor(message: string, details: { status?: number; codes?: Array<number | string>; earlierAttemptUncertain?: boolean; foreign?: boolean } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = details.status;
    this.codes = details.codes ?? [];
    this.earlierAttemptUncertain = details.earlierAttemptUncertain ?? false;
    this.foreign = details.foreign ?? false;
  }
}

export interface RequesterOptions {
  baseUrl: string;
  credentials: Credentials;
  maxRetries: number;
  timeoutMs: number;
  dispatcher: Dispatcher;
  pacer: Pacer;
  log: (message: string) => void;
  /** Redacts, then cuts: any excerpt of an answer goes through it, so no credential survives a cut. */
  excerpt: (text: string, limit: number) => string;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface Answer {
  result: unknown;
  /** `result_info`, when the answer has an object there. */
  info: Record<string, unknown> | undefined;
}

interface ErrorEntry {
  code?: unknown;
  message?: unknown;
  documentation_url?: unknown;
  error_chain?: unknown;
}

type Attempt =
  | { ok: true; answer: Answer }
  | { ok: false; retryable: boolean; message: string; status?: number; codes?: Array<number | string>; retryAfterMs?: number; foreign?: boolean };

const MAX_RETRY_AFTER_MS = 600_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ERROR_ENTRIES = 20;
const MAX_CHAIN_DEPTH = 4;
const MAX_ERROR_TEXT = 4_000;

export class Requester {
  private readonly random: () => number;
  private readonly options: RequesterOptions;

  constructor(options: RequesterOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
  }

  async send(method: 'GET' | 'DELETE', path: string, query: Record<string, string>, priority: Priority): Promise<Answer> {
    const { maxRetries, pacer } = this.options;
    let uncertain = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await pacer.attempt(priority, () => this.attempt(method, path, query));
      if (outcome.ok) return outcome.answer;
      const tooLong = (outcome.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS;
      if (!outcome.retryable || attempt > maxRetries || tooLong) {
        const suffix = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        const waitNote = tooLong ? ` Cloudflare asked to wait ${Math.ceil(outcome.retryAfterMs! / 1000)} s, longer than this action waits; run it again later.` : '';
        const { status, codes, foreign } = outcome;
        throw new ApiError(`${method} ${path}: ${outcome.message}${suffix}.${waitNote}`, { status, codes, foreign, earlierAttemptUncertain: uncertain });
      }
      uncertain ||= outcome.status === undefined || outcome.status >= 500;
      const delay = this.delay(outcome, attempt);
      this.options.log(`Retrying ${method} ${path} in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${maxRetries + 1}): ${outcome.message}.`);
      // A 429 waits through the shared pause, with every other request.
      if (outcome.status === 429) pacer.pause(delay);
      else await this.options.sleep(delay);
    }
  }

  // Retry-After when given and positive; for a 429 without it (or with 0), the budget's reset
  // where an answer reported one; otherwise exponential backoff with jitter.
  private delay(outcome: Extract<Attempt, { ok: false }>, attempt: number): number {
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > 0) return outcome.retryAfterMs;
    const reset = outcome.status === 429 ? this.options.pacer.secondsToReset() : undefined;
    if (reset !== undefined) return reset * 1000;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }

  private async attempt(method: string, path: string, query: Record<string, string>): Promise<Attempt> {
    const { baseUrl, timeoutMs, dispatcher, credentials } = this.options;
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers: { ...authHeaders(credentials), accept: 'application/json', 'user-agent': 'cloudflare-remove-group-member' },
        signal: controller.signal,
      });
      const header = (name: string) => {
        const value = response.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      this.options.pacer.report(readBudget(header));
      const body = await readBody(response.body);
      if (body === undefined) return { ok: false, retryable: false, status: response.statusCode, message: `HTTP ${response.statusCode}: the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB` };
      return this.interpret(response.statusCode, header, body);
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, retryable: true, message: `no answer within ${timeoutMs / 1000} s (timeout-seconds)` };
      return { ok: false, retryable: true, message: `network error: ${describeNetworkError(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }

  private interpret(status: number, header: (name: string) => string | undefined, body: string): Attempt {
    const statusText = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
    const retryable = status === 429 || status >= 500;
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(header('retry-after')) : undefined;
    if (status >= 300 && status < 400) {
      const location = header('location');
      return { ok: false, retryable: false, foreign: true, status, message: `${statusText} redirect${location ? ` to ${this.options.excerpt(location, 200)}` : ''} not followed` };
    }
    let envelope: { success?: unknown; errors?: unknown; result?: unknown; result_info?: unknown };
    try {
      envelope = JSON.parse(body);
      if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new Error('not an object');
    } catch {
      const type = header('content-type') ?? 'no content-type';
      const text = body.replace(/\s+/g, ' ').trim();
      const shown = text === '' ? '(empty body)' : JSON.stringify(this.options.excerpt(text, 200));
      return { ok: false, retryable, foreign: !retryable, status, retryAfterMs, message: `${statusText} with a body that is not a Cloudflare JSON answer (${this.options.excerpt(type, 100)}): ${shown}` };
    }
    if (status >= 200 && status < 300 && envelope.success === true) {
      const info = typeof envelope.result_info === 'object' && envelope.result_info !== null ? (envelope.result_info as Record<string, unknown>) : undefined;
      return { ok: true, answer: { result: envelope.result, info } };
    }
    const errors = (Array.isArray(envelope.errors) ? envelope.errors : []).slice(0, MAX_ERROR_ENTRIES) as ErrorEntry[];
    const codes = flatten(errors, 0).map((entry) => entry.code).filter((code): code is number | string => typeof code === 'number' || typeof code === 'string');
    const described = errors.length > 0 ? errors.map((entry) => formatError(entry, 0)).join('; ') : 'no error details';
    const prefix = status < 300 ? `${statusText} but success is not true` : statusText;
    return { ok: false, retryable, status, codes, retryAfterMs, message: this.options.excerpt(`${prefix}: ${described}`, MAX_ERROR_TEXT) };
  }
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}

async function readBody(body: AsyncIterable<Buffer>): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Every field of an error entry is checked: an answer may carry anything in any of them.
function formatError(entry: ErrorEntry, depth: number): string {
  if (typeof entry !== 'object' || entry === null) return `? (an error entry that is not an object: ${describeValue(entry)})`;
  const code = typeof entry.code === 'number' || typeof entry.code === 'string' ? entry.code : '?';
  let text = `${code}: ${typeof entry.message === 'string' ? entry.message : '(no message)'}`;
  if (typeof entry.documentation_url === 'string' && entry.documentation_url !== '') text += ` (see ${entry.documentation_url})`;
  const chain = Array.isArray(entry.error_chain) ? (entry.error_chain.slice(0, MAX_ERROR_ENTRIES) as ErrorEntry[]) : [];
  if (chain.length > 0 && depth < MAX_CHAIN_DEPTH) text += ` [caused by ${chain.map((inner) => formatError(inner, depth + 1)).join('; ')}]`;
  return text;
}

function flatten(errors: ErrorEntry[], depth: number): ErrorEntry[] {
  return errors.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const chain = Array.isArray(entry.error_chain) && depth < MAX_CHAIN_DEPTH ? (entry.error_chain.slice(0, MAX_ERROR_ENTRIES) as ErrorEntry[]) : [];
    return [entry, ...flatten(chain, depth + 1)];
  });
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code;
  const message = cause?.message && cause.message !== error.message ? `${error.message} (${cause.message})` : error.message;
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

/**
 * A value from an answer, for a message: short values in full (JSON-quoted), longer ones only by
 * their kind and size, so that no cut-off piece of an echoed credential can reach a message.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= 60) return text;
  if (typeof value === 'string') return `a text of ${value.length} characters`;
  return Array.isArray(value) ? `a list of ${value.length} entries` : `a ${typeof value}`;
}
