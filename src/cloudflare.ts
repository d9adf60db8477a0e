// The Cloudflare API client: one request with retries, the v4 envelope, pagination, and the
// few endpoints the action uses. It knows nothing of GitHub.
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Credentials } from './inputs.js';

interface CloudflareErrorEntry {
  code?: number | string;
  message?: string;
  documentation_url?: string;
  error_chain?: CloudflareErrorEntry[];
}

interface ResultInfo {
  page?: number;
  per_page?: number;
  total_count?: number;
  total_pages?: number;
}

export interface UserGroup {
  id: string;
  name?: string;
}

export interface Member {
  id: string;
  email?: string;
  status?: string;
}

/** A request that failed for good: after retries, or at once when retrying cannot help. */
export class ApiError extends Error {
  readonly status: number | undefined;
  readonly codes: Array<number | string>;
  /** An earlier attempt may have reached the API (timeout, network error, 5xx) before this answer. */
  readonly earlierAttemptUncertain: boolean;

  constructor(message: string, status: number | undefined, codes: Array<number | string>, earlierAttemptUncertain = false) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.codes = codes;
    this.earlierAttemptUncertain = earlierAttemptUncertain;
  }
}

export interface ClientOptions {
  baseUrl: string;
  accountId: string;
  credentials: Credentials;
  maxRetries: number;
  timeoutMs: number;
  /** Requests in flight at once, across everything this client sends. */
  concurrency: number;
  dispatcher: Dispatcher;
  log: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const PER_PAGE = 50;
const MAX_PAGES = 1000;
const MAX_RETRY_AFTER_MS = 600_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;

type Attempt =
  | { ok: true; result: unknown; info: ResultInfo | undefined }
  | { ok: false; retryable: boolean; message: string; status?: number; codes?: Array<number | string>; retryAfterMs?: number };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CloudflareClient {
  private readonly options: Required<ClientOptions>;
  private readonly slots: Slots;
  // A 429 pauses every request of this run, not only the one that got it.
  private pausedUntil = 0;

  constructor(options: ClientOptions) {
    this.options = { ...options, sleep: options.sleep ?? wait, random: options.random ?? Math.random };
    this.slots = new Slots(options.concurrency);
  }

  /** All user groups (or those with this exact name); `onPage` sees each page as it arrives. */
  async listGroups(filter: { name?: string; onPage?: (groups: UserGroup[]) => void } = {}): Promise<UserGroup[]> {
    return this.listAll<UserGroup>(`${this.account()}/iam/user_groups`, filter.name ? { name: filter.name } : {}, filter.onPage);
  }

  async listGroupMembers(groupId: string, filter: { fuzzyEmail?: string } = {}): Promise<Member[]> {
    const query: Record<string, string> = filter.fuzzyEmail ? { fuzzyEmail: filter.fuzzyEmail } : {};
    return this.listAll<Member>(`${this.account()}/iam/user_groups/${encodeURIComponent(groupId)}/members`, query);
  }

  async getAccountMember(memberId: string): Promise<Member> {
    const { result } = await this.send('GET', `${this.account()}/members/${encodeURIComponent(memberId)}`);
    const member = result as { id?: string; status?: string; email?: string; user?: { email?: string } } | null;
    return { id: member?.id ?? memberId, email: member?.user?.email ?? member?.email, status: member?.status };
  }

  async removeMember(groupId: string, memberId: string): Promise<Member> {
    const path = `${this.account()}/iam/user_groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(memberId)}`;
    const { result } = await this.send('DELETE', path);
    const member = result as Partial<Member> | null;
    return { id: member?.id ?? memberId, email: member?.email, status: member?.status };
  }

  private account(): string {
    return `/accounts/${encodeURIComponent(this.options.accountId)}`;
  }

  // Pages until a short or empty page; result_info is used when present, never required.
  private async listAll<T extends { id: string }>(path: string, query: Record<string, string>, onPage?: (batch: T[]) => void): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) throw new ApiError(`GET ${path}: stopped after ${MAX_PAGES} pages; the listing does not end.`, undefined, []);
      const { result, info } = await this.send('GET', path, { ...query, page: String(page), per_page: String(PER_PAGE) });
      if (result !== null && result !== undefined && !Array.isArray(result)) {
        throw new ApiError(`GET ${path}: expected a list in "result", got ${typeof result}.`, undefined, []);
      }
      const batch = (result ?? []) as T[];
      if (batch.length === 0) break;
      // The same id twice (within a page or across pages) is one item.
      const fresh = batch.filter((item) => !seen.has(item.id) && seen.add(item.id));
      if (fresh.length === 0) throw new ApiError(`GET ${path}: page ${page} repeats earlier results; pagination is not advancing.`, undefined, []);
      items.push(...fresh);
      onPage?.(fresh);
      const pageSize = Math.min(info?.per_page ?? PER_PAGE, PER_PAGE);
      if (info?.total_count !== undefined && items.length >= info.total_count) break;
      if (info?.total_pages !== undefined && page >= info.total_pages) break;
      if (batch.length < pageSize) break;
    }
    return items;
  }

  async send(method: string, path: string, query: Record<string, string> = {}): Promise<{ result: unknown; info?: ResultInfo }> {
    const { maxRetries } = this.options;
    let uncertain = false;
    for (let attempt = 1; ; attempt++) {
      // A DELETE finishes a group's work, so it goes ahead of the reads waiting for a slot.
      const outcome = await this.slots.use(method !== 'GET', async () => {
        const pause = this.pausedUntil - Date.now();
        if (pause > 0) await this.options.sleep(pause);
        return this.attempt(method, path, query);
      });
      if (outcome.ok) return { result: outcome.result, info: outcome.info };
      const tooLong = (outcome.retryAfterMs ?? 0) > MAX_RETRY_AFTER_MS;
      if (!outcome.retryable || attempt > maxRetries || tooLong) {
        const suffix = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        const waitNote = tooLong ? ` Cloudflare asked to wait ${Math.ceil(outcome.retryAfterMs! / 1000)} s, longer than this action waits; run it again later.` : '';
        throw new ApiError(`${method} ${path}: ${outcome.message}${suffix}.${waitNote}`, outcome.status, outcome.codes ?? [], uncertain);
      }
      uncertain ||= outcome.status === undefined || outcome.status >= 500;
      const delay = outcome.retryAfterMs ?? this.backoff(attempt);
      this.options.log(`Retrying ${method} ${path} in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${maxRetries + 1}): ${outcome.message}.`);
      // A 429 waits through the shared pause at the top of the loop, with every other request.
      if (outcome.status === 429) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
      else await this.options.sleep(delay);
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling * (0.5 + this.options.random() / 2));
  }

  private async attempt(method: string, path: string, query: Record<string, string>): Promise<Attempt> {
    const { baseUrl, timeoutMs, dispatcher } = this.options;
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers: { ...authHeaders(this.options.credentials), accept: 'application/json', 'user-agent': 'cloudflare-remove-group-member' },
        signal: controller.signal,
      });
      const body = await response.body.text();
      return interpret(response.statusCode, response.headers, body, this.options);
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, retryable: true, message: `no answer within ${timeoutMs / 1000} s (timeout-seconds)` };
      return { ok: false, retryable: true, message: `network error: ${describeNetworkError(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A counting semaphore: at most `size` tasks run at once; the rest wait in order, urgent ones first. */
class Slots {
  private free: number;
  private readonly waiting = { urgent: [] as Array<() => void>, normal: [] as Array<() => void> };

  constructor(size: number) {
    this.free = size;
  }

  async use<T>(urgent: boolean, task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting[urgent ? 'urgent' : 'normal'].push(resolve));
    try {
      return await task();
    } finally {
      // Handed over after the caller has reacted to the answer, so a DELETE it asks for next is
      // already waiting, ahead of the reads.
      setImmediate(() => this.release());
    }
  }

  private release(): void {
    const next = this.waiting.urgent.shift() ?? this.waiting.normal.shift();
    if (next) next();
    else this.free++;
  }
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}

function interpret(status: number, headers: Record<string, string | string[] | undefined>, body: string, client: Pick<ClientOptions, 'accountId' | 'credentials'>): Attempt {
  const statusText = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const retryable = status === 429 || status >= 500;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(header(headers, 'retry-after')) : undefined;
  if (status >= 300 && status < 400) {
    const location = header(headers, 'location');
    return { ok: false, retryable: false, status, message: `${statusText} redirect${location ? ` to ${location}` : ''} not followed; check api-base-url` };
  }
  let envelope: { success?: unknown; errors?: CloudflareErrorEntry[]; result?: unknown; result_info?: ResultInfo };
  try {
    envelope = JSON.parse(body);
    if (typeof envelope !== 'object' || envelope === null) throw new Error('not an object');
  } catch {
    const type = header(headers, 'content-type') ?? 'no content-type';
    const hint = retryable ? '' : '; check api-base-url';
    return { ok: false, retryable, status, retryAfterMs, message: `${statusText} with a body that is not a Cloudflare JSON answer (${type}): ${snippet(body)}${hint}` };
  }
  if (status >= 200 && status < 300 && envelope.success === true) {
    return { ok: true, result: envelope.result, info: envelope.result_info };
  }
  const errors = Array.isArray(envelope.errors) ? envelope.errors : [];
  const codes = flatten(errors).map((entry) => entry.code).filter((code): code is number | string => code !== undefined);
  const described = errors.length > 0 ? errors.map(formatError).join('; ') : 'no error details';
  const prefix = status < 300 ? `${statusText} but success is not true` : statusText;
  const hint = errorHint(status, codes, client);
  return { ok: false, retryable, status, codes, retryAfterMs, message: `${prefix}: ${described}${hint ? `. ${hint}` : ''}` };
}

function formatError(entry: CloudflareErrorEntry): string {
  let text = `${entry.code ?? '?'}: ${entry.message ?? '(no message)'}`;
  if (entry.documentation_url) text += ` (see ${entry.documentation_url})`;
  if (Array.isArray(entry.error_chain) && entry.error_chain.length > 0) {
    text += ` [caused by ${entry.error_chain.map(formatError).join('; ')}]`;
  }
  return text;
}

function flatten(errors: CloudflareErrorEntry[]): CloudflareErrorEntry[] {
  return errors.flatMap((entry) => [entry, ...flatten(Array.isArray(entry.error_chain) ? entry.error_chain : [])]);
}

function errorHint(status: number, codes: Array<number | string>, { accountId, credentials }: Pick<ClientOptions, 'accountId' | 'credentials'>): string {
  const has = (code: number) => codes.some((c) => String(c) === String(code));
  if (has(9109)) {
    return 'The token is restricted by client IP (code 9109), and GitHub-hosted runners use changing addresses: remove the IP filter or use a self-hosted runner with a fixed address';
  }
  if ((status === 401 || status === 403) && credentials.scheme === 'global-key') {
    return `Check api-email and api-key: they must belong to a user with access to account ${accountId} who may change its user groups; an API token with "Account Settings Write" or "SCIM Provisioning" is recommended instead. User groups may also need an Enterprise plan`;
  }
  if (status === 401 || status === 403) {
    return `Check the credentials: the token needs the "Account Settings Write" or "SCIM Provisioning" permission on account ${accountId}. Tokens restricted by client IP fail on GitHub-hosted runners (code 9109). User groups may also need an Enterprise plan`;
  }
  if (status === 400 && (has(6003) || has(6111) || has(6103) || has(6102))) {
    return 'The credentials are malformed: an API token goes in api-token; a Global API key goes in api-key together with api-email';
  }
  return '';
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '') return '(empty body)';
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code;
  const message = cause?.message && cause.message !== error.message ? `${error.message} (${cause.message})` : error.message;
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
