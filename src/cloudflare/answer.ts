// What one HTTP answer of the Cloudflare API means: its v4 envelope, or why it is a failure, in
// API terms (status, error codes and messages, error_chain, documentation_url). Every field of an
// answer may be anything: each is checked before it is used.
import { STATUS_CODES } from 'node:http';

export interface Answer {
  /** The HTTP status: 200 for most, but a 2xx is not always 200. */
  status: number;
  result: unknown;
  /** `result_info`, when the answer has an object there. */
  info: Record<string, unknown> | undefined;
}

export type Attempt = (
  | { ok: true; answer: Answer }
  | {
      ok: false;
      retryable: boolean;
      message: string;
      status?: number;
      codes?: Array<number | string>;
      retryAfterMs?: number;
      foreign?: boolean;
      /** A 2xx without a Cloudflare envelope: the request may have taken effect. */
      unclear?: boolean;
      /** The run stopped while the request was in flight. */
      stopped?: boolean;
    }
) & {
  /** The answer's `cf-ray` header, where it carried one that looks like one. */
  ray?: string;
};

const RAY = /^[0-9a-f]{16}(-[A-Za-z0-9]{2,5})?$/i;

/** The `cf-ray` header of an answer, which identifies the request in the account's audit log; never anything else. */
export function rayOf(header: (name: string) => string | undefined): string | undefined {
  const value = header('cf-ray')?.trim();
  return value !== undefined && RAY.test(value) ? value : undefined;
}

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
    const to = location ? ` to ${oneLine(excerpt(location, 200))}` : '';
    return { ok: false, retryable: false, foreign: true, status, message: `${statusText} redirect${to} not followed` };
  }
  const envelope = parseEnvelope(body);
  const success = status >= 200 && status < 300;
  if (envelope === undefined) {
    const message = `${statusText} with a body that is not a Cloudflare JSON answer ${notJson(header, body, excerpt)}`;
    return {
      ok: false,
      retryable,
      foreign: !retryable,
      status,
      retryAfterMs,
      message,
      ...(success && { unclear: true }),
    };
  }
  if (success && envelope.success === true) {
    const info = isObject(envelope.result_info) ? envelope.result_info : undefined;
    return { ok: true, answer: { status, result: envelope.result, info } };
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

// The content type, and the start of the body: enough to tell an HTML error page from anything
// else. A compressed body (the action asks for none) is named by its encoding, not shown.
function notJson(header: (name: string) => string | undefined, body: string, excerpt: Excerpt): string {
  const type = oneLine(excerpt(header('content-type') ?? 'no content-type', 100));
  const encoding = header('content-encoding');
  if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding)) {
    return `(${type}), compressed as ${JSON.stringify(excerpt(encoding, 40))}, which the action did not ask for`;
  }
  const text = body.replace(/\s+/g, ' ').trim();
  const shown = text === '' ? '(empty body)' : JSON.stringify(excerpt(text, 200));
  return `(${type}): ${shown}`;
}

/**
 * Text from an answer inside a message: on one line, so that it can never start a log line of
 * its own (a line break in an error message could otherwise print a fake line for another group).
 */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]/g, (br) =>
    br === '\r' ? '\\r' : br === '\n' ? '\\n' : `\\u${br.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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
  const code = typeof entry.code === 'number' || typeof entry.code === 'string' ? oneLine(String(entry.code)) : '?';
  let text = `${code}: ${typeof entry.message === 'string' ? oneLine(entry.message) : '(no message)'}`;
  if (typeof entry.documentation_url === 'string' && entry.documentation_url !== '') {
    text += ` (see ${oneLine(entry.documentation_url)})`;
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
  // JSON.stringify gives undefined for a function or a symbol: then its kind says enough.
  const text = JSON.stringify(value) ?? typeof value;
  if (text.length <= 60) return text;
  if (typeof value === 'string') return `a text of ${value.length} characters`;
  return Array.isArray(value) ? `a list of ${value.length} entries` : `a ${typeof value}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
