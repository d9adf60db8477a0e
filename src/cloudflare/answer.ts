// What one HTTP answer of the Cloudflare API means: its v4 envelope, or why it is a failure, in
// API terms (status, error codes and messages, error_chain, documentation_url). Every field of an
// answer may be anything: each is checked before it is used.
import { STATUS_CODES } from 'node:http';

export interface Answer {
  result: unknown;
  /** `result_info`, when the answer has an object there. */
  info: Record<string, unknown> | undefined;
}

export type Attempt =
  | { ok: true; answer: Answer }
  | {
      ok: false;
      retryable: boolean;
      message: string;
      status?: number;
      codes?: Array<number | string>;
      retryAfterMs?: number;
      foreign?: boolean;
    };

/** Redacts, then cuts: every excerpt of an answer goes through it, so no credential survives a cut. */
export type Excerpt = (text: string, limit: number) => string;

interface ErrorEntry {
  code?: unknown;
  message?: unknown;
  documentation_url?: unknown;
  error_chain?: unknown;
}

const MAX_ERROR_ENTRIES = 20;
const MAX_CHAIN_DEPTH = 4;
const MAX_ERROR_TEXT = 4_000;

export function interpret(
  status: number,
  header: (name: string) => string | undefined,
  body: string,
  excerpt: Excerpt,
  now = Date.now(),
): Attempt {
  const statusText = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const retryable = status === 429 || status >= 500;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(header('retry-after'), now) : undefined;
  if (status >= 300 && status < 400) {
    const location = header('location');
    const to = location ? ` to ${excerpt(location, 200)}` : '';
    return { ok: false, retryable: false, foreign: true, status, message: `${statusText} redirect${to} not followed` };
  }
  const envelope = parseEnvelope(body);
  if (envelope === undefined) {
    const message = `${statusText} with a body that is not a Cloudflare JSON answer ${notJson(header, body, excerpt)}`;
    return { ok: false, retryable, foreign: !retryable, status, retryAfterMs, message };
  }
  if (status >= 200 && status < 300 && envelope.success === true) {
    const info = isObject(envelope.result_info) ? envelope.result_info : undefined;
    return { ok: true, answer: { result: envelope.result, info } };
  }
  const errors = (Array.isArray(envelope.errors) ? envelope.errors : []).slice(0, MAX_ERROR_ENTRIES) as ErrorEntry[];
  const codes = flatten(errors, 0)
    .map((entry) => entry.code)
    .filter((code): code is number | string => typeof code === 'number' || typeof code === 'string');
  const described = errors.length > 0 ? errors.map((entry) => formatError(entry, 0)).join('; ') : 'no error details';
  const prefix = status < 300 ? `${statusText} but success is not true` : statusText;
  return {
    ok: false,
    retryable,
    status,
    codes,
    retryAfterMs,
    message: excerpt(`${prefix}: ${described}`, MAX_ERROR_TEXT),
  };
}

// The content type, and the start of the body: enough to tell an HTML error page from anything else.
function notJson(header: (name: string) => string | undefined, body: string, excerpt: Excerpt): string {
  const type = header('content-type') ?? 'no content-type';
  const text = body.replace(/\s+/g, ' ').trim();
  const shown = text === '' ? '(empty body)' : JSON.stringify(excerpt(text, 200));
  return `(${excerpt(type, 100)}): ${shown}`;
}

function parseEnvelope(body: string): Record<string, unknown> | undefined {
  try {
    const envelope: unknown = JSON.parse(body);
    return isObject(envelope) ? envelope : undefined;
  } catch {
    return undefined;
  }
}

function formatError(entry: ErrorEntry, depth: number): string {
  if (typeof entry !== 'object' || entry === null) {
    return `? (an error entry that is not an object: ${describeValue(entry)})`;
  }
  const code = typeof entry.code === 'number' || typeof entry.code === 'string' ? entry.code : '?';
  let text = `${code}: ${typeof entry.message === 'string' ? entry.message : '(no message)'}`;
  if (typeof entry.documentation_url === 'string' && entry.documentation_url !== '') {
    text += ` (see ${entry.documentation_url})`;
  }
  const chain = errorChain(entry);
  if (chain.length > 0 && depth < MAX_CHAIN_DEPTH) {
    text += ` [caused by ${chain.map((inner) => formatError(inner, depth + 1)).join('; ')}]`;
  }
  return text;
}

function errorChain(entry: ErrorEntry): ErrorEntry[] {
  return Array.isArray(entry.error_chain) ? (entry.error_chain.slice(0, MAX_ERROR_ENTRIES) as ErrorEntry[]) : [];
}

function flatten(errors: ErrorEntry[], depth: number): ErrorEntry[] {
  return errors.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const chain = depth < MAX_CHAIN_DEPTH ? errorChain(entry) : [];
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
