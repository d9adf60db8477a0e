// A Cloudflare v4 API simulator for user groups, group members and account members, on
// loopback. It serves the integration tests, `npm run demo`, `npm run bench` and the self-test
// workflow; it is never bundled. Shapes follow Cloudflare's OpenAPI schema; error codes follow
// what third-party SDKs saw from the live API. Where Cloudflare's behaviour is not documented
// (a DELETE of a non-member, how fuzzyEmail treats case, a cap on per_page, result_info) there
// is a mode for each way it may fall, and the tests run the action against each.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { ALL_GRANTS, routeAccess, verify, type Caller, type Grant, type SimToken } from './access.ts';
import { authError, envelope, fail, invalidHeaders, invalidId, noRoute, notFound, ok, type Answer } from './answers.ts';
import { AuditLog, type AuditOptions } from './audit.ts';

interface SimRole {
  id: string;
  name: string;
}

export interface SimPolicy {
  access: 'allow' | 'deny';
  permissionGroups: string[];
  resourceGroups: string[];
  /** What the resource groups cover: the whole account (the default) or one zone. */
  zone?: string;
}

/** The Super Administrator role, as Cloudflare's SCIM documentation names it. */
export const SUPER_ADMIN_ROLE = {
  id: '33666b9c79b9a5273fc7344ff42f953d',
  name: 'Super Administrator - All Privileges',
};

export interface SimMember {
  id: string;
  email: string;
  status: 'accepted' | 'pending';
  roles: SimRole[];
  policies: SimPolicy[];
}

export interface SimGroup {
  id: string;
  name: string;
  memberIds: string[];
  /** Managed by SCIM: DELETE is refused with a 400. */
  scim?: boolean;
  /** Its members cannot be listed: 400 "Policy validation failed", as Cloudflare answers for some groups. */
  unreadable?: boolean;
  /** The group's policies, which its members hold through it. */
  policies: SimPolicy[];
}

type FaultKind =
  | 'status' // `status` with a JSON error envelope (429 adds Retry-After when given)
  | 'html' // `status` with an HTML body, as a proxy or CDN error page
  | 'reset' // the connection is destroyed before any answer
  | 'hang' // no answer at all
  | 'unsuccessful' // 200 with success: false
  | 'malformed' // 200 with a body that is not JSON
  | 'redirect' // 301 to another host
  | 'echo-credentials' // 400 whose error message repeats the credentials sent
  | 'echo-credentials-html' // 502 whose HTML page repeats the credentials sent
  | 'answer' // `status` (default 200) with `body` as the JSON answer
  | 'raw' // `status` (default 200) with `rawBody` as it is (204 with none, text/plain, gzip...); `applied`: the request takes effect first
  | 'apply-then-status' // the request takes effect, then `status` with a JSON error envelope (a 500 after the change)
  | 'apply-then-reset' // the request takes effect, then the connection is destroyed
  | 'slow'; // the request is answered as usual, `delayMs` later

export interface Fault {
  kind: FaultKind;
  method?: string;
  /** Matched against the path below /client/v4, e.g. /members\/[0-9a-f]+$/. */
  path?: RegExp;
  /** How many matching requests it affects; default 1. */
  times?: number;
  status?: number;
  retryAfter?: string;
  /** For 'answer': the JSON body (the request has no effect), or a function of the answer the request had (it takes effect). */
  body?: unknown;
  /** For 'raw': the body, its content type (default text/plain) and content encoding, and whether the request takes effect. */
  rawBody?: string;
  contentType?: string;
  encoding?: string;
  applied?: boolean;
  /** For 'answer': headers added to the answer. */
  headers?: Record<string, string>;
  /** For 'slow': how long the answer is held, in milliseconds. */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body, parsed, where there was one. */
  body?: unknown;
  /** The cf-ray of its answer. */
  ray: string;
  /** Arrival time, on the simulator's clock. */
  at: number;
}

/**
 * A token's grants beyond reading, which token it is, whether it is account-owned or a user's, and
 * the accounts it sees (GET /accounts lists them; any other answers 403); every account by default.
 */
interface TokenAccess {
  grants: Grant[];
  id?: string;
  owner?: 'account' | 'user';
  accounts?: string[];
  /** False: the audit log answers 403 to this token. */
  auditLog?: boolean;
}

export interface SimulatorOptions {
  /** Tokens and what they may do: 'write' everything, 'read' only read, or exactly what a TokenAccess grants. */
  tokens?: Record<string, 'write' | 'read' | TokenAccess>;
  /** Global API keys by email. */
  globalKeys?: Record<string, string>;
  /**
   * How a DELETE of a member not in the group is answered (undocumented): 404 with code 404 "...
   * not found in user group", 400 with code 400 "InvalidMember", or 200 as if it were removed.
   */
  notMemberAnswer?: 404 | 400 | 200;
  /** How a DELETE of an account member already gone is answered (undocumented): code 1003 with 404 or 400. */
  goneMemberAnswer?: 404 | 400;
  /** What revoke_user answers for an email with no Access sessions (undocumented). */
  noSessionsAnswer?: boolean;
  /** How the verify endpoints write the token's id: as it is, or in upper case (ids are hexadecimal either way). */
  verifyIdCase?: 'lower' | 'upper';
  /** Whether the fuzzyEmail filter ignores case (undocumented). */
  fuzzyEmail?: 'case-insensitive' | 'case-sensitive';
  /** Serves at most this many entries per page, whatever was asked, and reports it as per_page. */
  perPageCap?: number;
  /** Whether answers carry result_info; false: never, as some Cloudflare lists do. */
  resultInfo?: boolean;
  /**
   * Serves this many entries per page while result_info reports per_page as asked, with honest
   * total_count and total_pages: a page shorter than its per_page that is not the last.
   */
  underfill?: number;
  /** From this page on, every page answers `result: null` while the totals still count every entry. */
  truncateFrom?: number;
  /** Added to every answer, in milliseconds. */
  latencyMs?: number;
  /** The audit log: how long its entries take to appear, and which writes it misses. */
  audit?: AuditOptions;
  /** What POST to a group's members answers (undocumented): the members added, or every member. */
  addMembersAnswer?: 'added' | 'all';
  /** The clock of the rate-budget window and of arrival times (tests share a fake one with the action). */
  now?: () => number;
  /**
   * A rate budget per window, counted over every request; past it, 429 (with Retry-After unless
   * `retryAfter` says otherwise). `headers` says how answers announce it.
   */
  rateLimit?: {
    quota: number;
    windowMs: number;
    headers: 'ietf' | 'legacy' | 'none';
    retryAfter?: 'seconds' | 'zero' | 'none';
  };
  /**
   * Cloudflare's allowance per IP address: a request arriving when this many already arrived in the
   * second before it is refused with a 429 and Retry-After: 1.
   */
  perSecond?: number;
}

interface Account {
  name: string;
  members: Map<string, SimMember>;
  groups: Map<string, SimGroup>;
  tokens: Map<string, SimToken>;
  sessions: Map<string, number>;
  devices: Map<string, number>;
}

const ID = /^[0-9a-f]{32}$/;
// The forms Cloudflare parses before it looks a credential up: an API token of 40 characters, or
// in the scannable form (cfut_, cfat_); a Global API key of 37 hexadecimal characters, or cfk_. A
// value of another form is refused as malformed (400, 6003), not as unknown (403); the seeded
// credentials are taken whatever their form.
const TOKEN_FORM = /^(?:cf[ua]t_[\w-]{40,}|[\w-]{40})$/;
const KEY_FORM = /^(?:[0-9a-f]{37}|cfk_[\w-]{40,})$/i;
// per_page bounds of Cloudflare's schema: 1 to 500 on the user-group endpoints, 5 to 50 on account members.
const MAX_GROUP_PER_PAGE = 500;
const API_PREFIX = '/client/v4';

function newId(): string {
  return randomBytes(16).toString('hex');
}

export class CloudflareSimulator {
  readonly requests: RecordedRequest[] = [];
  /** The changes requests made, by ray id, as the audit log serves them. */
  readonly audit: AuditLog;
  /** Called with each request as it arrives, before it is answered (a test can stop the run there). */
  onRequest: ((request: RecordedRequest) => void) | undefined;
  readonly accounts = new Map<string, Account>();
  faults: Fault[] = [];
  readonly options: Required<
    Omit<SimulatorOptions, 'perPageCap' | 'rateLimit' | 'now' | 'underfill' | 'truncateFrom' | 'perSecond' | 'audit'>
  > &
    Pick<SimulatorOptions, 'perPageCap' | 'rateLimit' | 'underfill' | 'truncateFrom' | 'perSecond' | 'audit'>;
  private readonly now: () => number;
  /** Answers with status 429, for the tests that count them. */
  tooManyRequests = 0;
  private window = { start: 0, used: 0 };
  /** Arrival times within the last second, for `perSecond`. */
  private arrivals: number[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(options: SimulatorOptions = {}) {
    this.options = {
      tokens: {},
      globalKeys: {},
      notMemberAnswer: 404,
      goneMemberAnswer: 404,
      noSessionsAnswer: true,
      addMembersAnswer: 'added',
      verifyIdCase: 'lower',
      fuzzyEmail: 'case-insensitive',
      resultInfo: true,
      latencyMs: 0,
      ...options,
    };
    this.now = options.now ?? Date.now;
    this.audit = new AuditLog(options.audit);
  }

  // A change a request made, in its account's audit log, by whom.
  private logChange(request: RecordedRequest, status: number): void {
    const account = /^\/accounts\/([0-9a-f]{32})\//.exec(request.path)?.[1];
    if (!account) return;
    const caller = this.authenticate(request.headers);
    const actor =
      'error' in caller
        ? { type: 'user' as const }
        : { type: caller.owner ?? ('user' as const), ...(caller.tokenId && { token_id: caller.tokenId }) };
    this.audit.record({
      account,
      at: request.at,
      method: request.method,
      path: request.path,
      status,
      ray: request.ray,
      actor,
    });
  }

  // ---- seeding -------------------------------------------------------------

  addAccount(accountId = newId(), name = `Account ${accountId.slice(0, 6)}`): string {
    this.accounts.set(accountId, {
      name,
      members: new Map(),
      groups: new Map(),
      tokens: new Map(),
      sessions: new Map(),
      devices: new Map(),
    });
    return accountId;
  }

  /** An account-owned API token, created by `creator` (creator_email_at_creation) where known. */
  addToken(accountId: string, token: Partial<SimToken> & { name: string }): SimToken {
    const policies = [
      {
        id: newId(),
        effect: 'allow',
        permission_groups: [{ id: newId(), name: 'DNS Read' }],
        resources: { [`com.cloudflare.api.account.${accountId}`]: '*' },
      },
    ];
    const created: SimToken = { id: newId(), status: 'active', policies, ...token };
    this.account(accountId).tokens.set(created.id, created);
    return created;
  }

  /** Live Access sessions of a user, by email. */
  addSessions(accountId: string, email: string, count = 1): void {
    this.account(accountId).sessions.set(email.toLowerCase(), count);
  }

  sessions(accountId: string, email: string): number {
    return this.account(accountId).sessions.get(email.toLowerCase()) ?? 0;
  }

  /** WARP device registrations of a user, by email. */
  addDevices(accountId: string, email: string, count = 1): void {
    this.account(accountId).devices.set(email.toLowerCase(), count);
  }

  devices(accountId: string, email: string): number {
    return this.account(accountId).devices.get(email.toLowerCase()) ?? 0;
  }

  token(accountId: string, tokenId: string): SimToken {
    const token = this.account(accountId).tokens.get(tokenId);
    if (!token) throw new Error(`no token ${tokenId}`);
    return token;
  }

  addMember(
    accountId: string,
    email: string,
    status: SimMember['status'] = 'accepted',
    id = newId(),
    access: Pick<SimMember, 'roles' | 'policies'> = { roles: [], policies: [] },
  ): SimMember {
    const member = { id, email, status, ...access };
    this.account(accountId).members.set(id, member);
    return member;
  }

  addGroup(
    accountId: string,
    name: string,
    memberIds: string[] = [],
    options: { scim?: boolean; unreadable?: boolean; id?: string; policies?: SimPolicy[] } = {},
  ): SimGroup {
    const group = {
      id: options.id ?? newId(),
      name,
      memberIds: [...memberIds],
      scim: options.scim,
      unreadable: options.unreadable,
      policies: options.policies ?? [],
    };
    this.account(accountId).groups.set(group.id, group);
    return group;
  }

  group(accountId: string, groupId: string): SimGroup {
    const group = this.account(accountId).groups.get(groupId);
    if (!group) throw new Error(`no group ${groupId}`);
    return group;
  }

  /** Deletes a user group, as an admin would in the dashboard. */
  deleteGroup(accountId: string, groupId: string): void {
    if (!this.account(accountId).groups.delete(groupId)) throw new Error(`no group ${groupId}`);
  }

  /** Deletes an API token, as an admin would in the dashboard. */
  deleteToken(accountId: string, tokenId: string): void {
    if (!this.account(accountId).tokens.delete(tokenId)) throw new Error(`no token ${tokenId}`);
  }

  member(accountId: string, memberId: string): SimMember {
    const member = this.account(accountId).members.get(memberId);
    if (!member) throw new Error(`no member ${memberId}`);
    return member;
  }

  private account(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    return account;
  }

  // ---- server --------------------------------------------------------------

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`simulator error: ${String(error)}`);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this.baseUrl();
  }

  baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}${API_PREFIX}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests to the API, in order, as "METHOD /path?query" lines without the /client/v4 prefix. */
  requestLines(): string[] {
    return this.requests.map((r) => {
      const query = new URLSearchParams(r.query).toString();
      return `${r.method} ${r.path}${query ? `?${query}` : ''}`;
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const body = await readBody(request);
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const method = request.method ?? 'GET';
    const recorded = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      ...(body !== undefined && { body }),
      at: this.now(),
      ray: `${randomBytes(8).toString('hex')}-SJC`,
    };
    response.setHeader('cf-ray', recorded.ray);
    this.requests.push(recorded);
    this.onRequest?.(recorded);
    const overPerSecond = this.overPerSecond();
    if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));

    if (overPerSecond) {
      this.tooManyRequests++;
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify(envelope(null, [{ code: 971, message: 'Too many requests from this address' }])));
      return;
    }
    const budget = this.spendBudget();
    if (budget.refused) {
      this.tooManyRequests++;
      response.writeHead(429, { 'content-type': 'application/json', ...budget.headers });
      response.end(
        JSON.stringify(
          envelope(null, [{ code: 971, message: 'Please wait and consider throttling your request speed' }]),
        ),
      );
      return;
    }
    let fault = this.takeFault(method, path);
    if (fault?.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, fault!.delayMs ?? 0));
      fault = undefined;
    }
    // A fixed 'answer' replaces the request (no effect); a function of the answer takes effect first.
    const applies =
      ['apply-then-reset', 'apply-then-status'].includes(fault?.kind ?? '') || (fault?.kind === 'raw' && fault.applied);
    const routed = !fault || applies || (fault.kind === 'answer' && typeof fault.body === 'function');
    if (fault && !routed && fault.kind !== 'answer') return this.injectFault(fault, request, response);

    const answer: Answer = routed
      ? this.route(method, path, url.searchParams, request.headers, body)
      : { status: 200, body: null };
    if (routed && method !== 'GET' && answer.status < 300) this.logChange(recorded, answer.status);
    if (fault?.kind === 'apply-then-reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'apply-then-status' || fault?.kind === 'raw') return this.injectFault(fault, request, response);
    if (fault?.kind === 'answer') {
      const body =
        typeof fault.body === 'function' ? (fault.body as (body: unknown) => unknown)(answer.body) : fault.body;
      answer.status = fault.status ?? 200;
      answer.body = body;
      answer.headers = { ...answer.headers, ...fault.headers };
    }
    if (answer.status === 429) this.tooManyRequests++;
    response.writeHead(answer.status, { 'content-type': 'application/json', ...budget.headers, ...answer.headers });
    response.end(JSON.stringify(answer.body));
  }

  // Counts this arrival against the allowance per second, if there is one.
  private overPerSecond(): boolean {
    if (this.options.perSecond === undefined) return false;
    const now = this.now();
    this.arrivals = this.arrivals.filter((at) => now - at < 1000);
    this.arrivals.push(now);
    return this.arrivals.length > this.options.perSecond;
  }

  // Counts this request against the rate budget, if there is one: the headers that announce what
  // is left, and whether the request is refused.
  private spendBudget(): { refused: boolean; headers: Record<string, string> } {
    const limit = this.options.rateLimit;
    if (!limit) return { refused: false, headers: {} };
    const now = this.now();
    if (now - this.window.start >= limit.windowMs) this.window = { start: now, used: 0 };
    const refused = this.window.used >= limit.quota;
    if (!refused) this.window.used++;
    const remaining = limit.quota - this.window.used;
    const reset = Math.max(1, Math.ceil((this.window.start + limit.windowMs - now) / 1000));
    const headers: Record<string, string> = {};
    if (limit.headers === 'ietf') {
      headers.ratelimit = `"default";r=${remaining};t=${reset}`;
      headers['ratelimit-policy'] = `"default";q=${limit.quota};w=${Math.ceil(limit.windowMs / 1000)}`;
    } else if (limit.headers === 'legacy') {
      Object.assign(headers, {
        'x-ratelimit-limit': String(limit.quota),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(reset),
      });
    }
    if (refused && (limit.retryAfter ?? 'seconds') !== 'none')
      headers['retry-after'] = limit.retryAfter === 'zero' ? '0' : String(reset);
    return { refused, headers };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (index === -1) return undefined;
    const fault = this.faults[index]!;
    const times = (fault.times ?? 1) - 1;
    if (times <= 0) this.faults.splice(index, 1);
    else this.faults[index] = { ...fault, times };
    return fault;
  }

  private injectFault(fault: Fault, request: IncomingMessage, response: ServerResponse): void {
    const status = fault.status ?? 500;
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        const error =
          status === 429
            ? { code: 971, message: 'Please wait and consider throttling your request speed' }
            : { code: 10000 + status, message: `Simulated ${status}` };
        response.writeHead(status, headers);
        response.end(JSON.stringify(envelope(null, [error])));
        return;
      }
      case 'html':
        response.writeHead(status, { 'content-type': 'text/html' });
        response.end(
          `<html><head><title>${status} Bad Gateway</title></head><body><h1>${status}</h1><p>cloudflare</p></body></html>`,
        );
        return;
      case 'reset':
      case 'apply-then-reset':
        request.socket.destroy();
        return;
      case 'hang':
        return; // the socket is destroyed on stop()
      case 'unsuccessful':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(envelope(null, [{ code: 1000, message: 'Simulated failure inside a 200' }])));
        return;
      case 'malformed':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"success": true, "result": [');
        return;
      case 'redirect':
        response.writeHead(301, { location: 'https://elsewhere.example/client/v4/' });
        response.end();
        return;
      case 'echo-credentials': {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify(
            envelope(null, [{ code: 6003, message: `Invalid request headers: ${sentCredentials(request)}` }]),
          ),
        );
        return;
      }
      case 'echo-credentials-html':
        response.writeHead(status, { 'content-type': 'text/html' });
        response.end(`<html><body><p>Bad gateway. Request headers: ${sentCredentials(request)}</p></body></html>`);
        return;
      case 'raw': {
        const headers: Record<string, string> = { 'content-type': fault.contentType ?? 'text/plain' };
        if (fault.encoding !== undefined) headers['content-encoding'] = fault.encoding;
        response.writeHead(fault.status ?? 200, headers);
        response.end(fault.rawBody ?? '');
        return;
      }
      case 'apply-then-status':
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(envelope(null, [{ code: 10000 + status, message: `Simulated ${status}` }])));
        return;
      case 'answer':
      case 'slow':
        return; // handled after routing, or before it
    }
  }

  // ---- the API ---------------------------------------------------------------

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: IncomingMessage['headers'],
    body: unknown,
  ): Answer {
    const parts = path.split('/').filter(Boolean);
    const caller = this.authenticate(headers);
    if (path === '/user/tokens/verify')
      return 'error' in caller ? caller.error : verify(caller, 'user', this.options.verifyIdCase);
    if (path === '/accounts' && method === 'GET')
      return 'error' in caller ? caller.error : this.listAccounts(caller, query);
    if (parts[0] !== 'accounts' || parts.length < 3) return noRoute(path);
    if (!ID.test(parts[1]!)) return invalidId(path);
    if ('error' in caller) return caller.error;
    const account = this.accounts.get(parts[1]!);
    if (!account || (caller.accounts && !caller.accounts.has(parts[1]!))) return authError();
    const page = (items: unknown[], min: number, max: number) => this.paged(items, query, min, max);
    const modes = {
      goneMemberAnswer: this.options.goneMemberAnswer,
      noSessionsAnswer: this.options.noSessionsAnswer,
      verifyIdCase: this.options.verifyIdCase,
    };
    const access = routeAccess(account, { method, parts: parts.slice(2), body, caller, page }, modes);
    if (access) return access;
    const idPositions = parts[2] === 'members' ? [1, 3] : [1, 4, 6];
    if (idPositions.some((i) => parts[i] !== undefined && !ID.test(parts[i]))) return invalidId(path);
    const write = caller.grants.has('groups');

    if (parts[2] === 'logs' && parts[3] === 'audit' && parts.length === 4) {
      if (method !== 'GET') return noRoute(path);
      return caller.auditLog === false ? authError() : this.audit.answer(parts[1]!, query, this.now());
    }
    if (parts[2] === 'members') {
      if (method !== 'GET') return noRoute(path);
      if (parts.length === 3) return this.listAccountMembers(account, parts[1]!, query);
      const member = account.members.get(parts[3]!);
      if (!member) return notFound(1003, 'Member not found');
      return ok(accountMemberView(member, parts[1]!));
    }
    if (parts[2] !== 'iam' || parts[3] !== 'user_groups') return noRoute(path);

    if (parts.length === 4) return method === 'GET' ? this.listGroups(account, parts[1]!, query) : noRoute(path);
    const group = account.groups.get(parts[4]!);
    if (!group) return notFound(1002, 'User group not found');
    if (parts.length === 5) return method === 'GET' ? ok(groupView(group, parts[1]!)) : noRoute(path);
    if (parts[5] !== 'members') return noRoute(path);
    if (parts.length === 6 && method === 'POST') return this.addGroupMembers(account, group, body, write);
    if (parts.length === 6) return method === 'GET' ? this.listGroupMembers(account, group, query) : noRoute(path);

    const memberId = parts[6]!;
    const inGroup = group.memberIds.includes(memberId);
    const notInGroup = () =>
      fail(404, [{ code: 404, message: `Member ${memberId} not found in user group ${group.id}` }]);
    if (method === 'GET') {
      const member = account.members.get(memberId);
      return inGroup && member ? ok(memberView(member)) : notInGroup();
    }
    if (method !== 'DELETE') return noRoute(path);
    if (!write) return authError();
    if (group.scim)
      return fail(400, [
        { code: 1015, message: 'This user group is managed by SCIM and cannot be modified through the API' },
      ]);
    if (!inGroup) {
      if (this.options.notMemberAnswer === 200) return ok({ id: memberId });
      if (this.options.notMemberAnswer === 404 && account.members.has(memberId)) return notInGroup();
      return fail(400, [{ code: 400, message: 'InvalidMember' }]);
    }
    group.memberIds = group.memberIds.filter((id) => id !== memberId);
    const member = account.members.get(memberId);
    return ok(member ? memberView(member) : { id: memberId });
  }

  private authenticate(headers: IncomingMessage['headers']): Caller | { error: Answer } {
    const authorization = headers.authorization;
    const key = headers['x-auth-key'];
    const email = headers['x-auth-email'];
    if (authorization !== undefined && (key !== undefined || email !== undefined)) {
      return { error: invalidHeaders(6100, 'Both an API token and a Global API key were sent') };
    }
    if (typeof authorization === 'string') {
      const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
      const access =
        token !== undefined && Object.hasOwn(this.options.tokens, token) ? this.options.tokens[token] : undefined;
      if (token === undefined || (access === undefined && !TOKEN_FORM.test(token))) {
        return { error: invalidHeaders(6111, 'Invalid format for Authorization header') };
      }
      if (access === undefined) return { error: authError() };
      if (typeof access !== 'string')
        return {
          grants: new Set(access.grants),
          tokenId: access.id ?? tokenIdOf(token),
          owner: access.owner ?? 'account',
          ...(access.accounts && { accounts: new Set(access.accounts) }),
          ...(access.auditLog === false && { auditLog: false }),
        };
      return { grants: new Set(access === 'write' ? ALL_GRANTS : []), tokenId: tokenIdOf(token), owner: 'account' };
    }
    if (typeof key === 'string' && typeof email === 'string') {
      if (Object.hasOwn(this.options.globalKeys, email) && this.options.globalKeys[email] === key) {
        return { grants: new Set(ALL_GRANTS) };
      }
      return { error: KEY_FORM.test(key) ? authError() : invalidHeaders(6103, 'Invalid format for X-Auth-Key header') };
    }
    if (typeof key === 'string') return { error: invalidHeaders(6102, 'Invalid format for X-Auth-Email header') };
    return { error: invalidHeaders(6103, 'Invalid format for X-Auth-Key header') };
  }

  private page(query: URLSearchParams, min: number, max: number): { page: number; perPage: number } | Answer {
    const page = Number(query.get('page') ?? '1');
    const perPage = Number(query.get('per_page') ?? '20');
    const cap = this.options.perPageCap;
    if (!Number.isInteger(page) || page < 1)
      return fail(400, [{ code: 1001, message: 'page must be a positive integer' }]);
    if (!Number.isInteger(perPage) || perPage < min || perPage > max) {
      return fail(400, [{ code: 1001, message: `per_page must be between ${min} and ${max}` }]);
    }
    return { page, perPage: cap !== undefined ? Math.min(perPage, cap) : perPage };
  }

  private paged<T>(items: T[], query: URLSearchParams, min: number, max: number, nullWhenEmpty = false): Answer {
    const paging = this.page(query, min, max);
    if ('status' in paging) return paging;
    const { page, perPage } = paging;
    if (items.length === 0 && nullWhenEmpty) return { status: 200, body: envelope(null) };
    const served = Math.min(perPage, this.options.underfill ?? perPage);
    const truncated = this.options.truncateFrom !== undefined && page >= this.options.truncateFrom;
    const slice = truncated ? null : items.slice((page - 1) * served, page * served);
    if (!this.options.resultInfo) return { status: 200, body: envelope(slice) };
    const info: Record<string, number> = {
      page,
      per_page: perPage,
      count: slice?.length ?? 0,
      total_count: items.length,
    };
    if (served < perPage || truncated) info.total_pages = Math.ceil(items.length / served);
    return { status: 200, body: { ...envelope(slice), result_info: info } };
  }

  // Every account the credentials see: "all accounts you have ownership or verified access to".
  private listAccounts(caller: Caller, query: URLSearchParams): Answer {
    const seen = [...this.accounts.entries()].filter(([id]) => !caller.accounts || caller.accounts.has(id));
    const views = seen.map(([id, account]) => ({
      id,
      name: account.name,
      type: 'standard',
      created_on: '2026-01-01T00:00:00Z',
      settings: { enforce_twofactor: false },
    }));
    return this.paged(views, query, 5, 50);
  }

  private listGroups(account: Account, accountId: string, query: URLSearchParams): Answer {
    let groups = [...account.groups.values()];
    const name = query.get('name');
    const fuzzyName = query.get('fuzzyName');
    const id = query.get('id');
    if (name !== null) groups = groups.filter((g) => g.name === name);
    if (fuzzyName !== null) groups = groups.filter((g) => g.name.toLowerCase().includes(fuzzyName.toLowerCase()));
    if (id !== null) groups = groups.filter((g) => g.id === id);
    return this.paged(
      groups.map((group) => groupView(group, accountId)),
      query,
      1,
      MAX_GROUP_PER_PAGE,
    );
  }

  // POST adds account members to a group: adding one who is in it already succeeds (alchemy); one
  // who is no account member is refused; a SCIM-managed group refuses every change.
  private addGroupMembers(account: Account, group: SimGroup, body: unknown, write: boolean): Answer {
    if (!write) return authError();
    if (group.scim)
      return fail(400, [
        { code: 1015, message: 'This user group is managed by SCIM and cannot be modified through the API' },
      ]);
    const ids = Array.isArray(body) ? body.map((entry) => (entry as { id?: unknown } | null)?.id) : [];
    if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || !ID.test(id)))
      return fail(400, [{ code: 1001, message: 'a list of members, each with an id, is required' }]);
    if (ids.some((id) => !account.members.has(id as string)))
      return fail(400, [{ code: 400, message: 'InvalidMember' }]);
    const added = (ids as string[]).filter((id) => !group.memberIds.includes(id));
    group.memberIds.push(...added);
    const shown = this.options.addMembersAnswer === 'all' ? group.memberIds : (ids as string[]);
    return ok(shown.map((id) => memberView(account.members.get(id)!)));
  }

  private listGroupMembers(account: Account, group: SimGroup, query: URLSearchParams): Answer {
    if (group.unreadable) return fail(400, [{ code: 1000, message: 'Policy validation failed' }]);
    const fuzzy = query.get('fuzzyEmail');
    const matches = (email: string) =>
      fuzzy === null ||
      (this.options.fuzzyEmail === 'case-sensitive'
        ? email.includes(fuzzy)
        : email.toLowerCase().includes(fuzzy.toLowerCase()));
    const members = group.memberIds
      .map((id) => account.members.get(id))
      .filter((m): m is SimMember => m !== undefined && matches(m.email))
      .map(memberView);
    // Cloudflare answers an empty group with result: null and no result_info.
    return this.paged(members, query, 1, MAX_GROUP_PER_PAGE, true);
  }

  private listAccountMembers(account: Account, accountId: string, query: URLSearchParams): Answer {
    const members = [...account.members.values()].map((member) => accountMemberView(member, accountId));
    return this.paged(members, query, 5, 50);
  }
}

function groupView(group: SimGroup, accountId: string) {
  return {
    id: group.id,
    name: group.name,
    created_on: '2026-01-01T00:00:00Z',
    modified_on: '2026-01-01T00:00:00Z',
    policies: group.policies.map((policy, index) => policyView(policy, `${group.id.slice(0, 31)}${index}`, accountId)),
  };
}

function memberView(member: SimMember) {
  return { id: member.id, email: member.email, status: member.status };
}

// A policy as the schema's member_with_policies and user group have it: each resource group scoped
// to the whole account (the account itself, every object in it) or to one zone of it.
function policyView(policy: SimPolicy, id: string, accountId: string) {
  const objects =
    policy.zone === undefined ? [{ key: '*' }] : [{ key: `com.cloudflare.api.account.zone.${policy.zone}` }];
  return {
    id,
    access: policy.access,
    permission_groups: policy.permissionGroups.map((name, i) => ({ id: `${'a'.repeat(31)}${i}`, name, meta: {} })),
    resource_groups: policy.resourceGroups.map((name, i) => ({
      id: `${'b'.repeat(31)}${i}`,
      name,
      scope: [{ key: `com.cloudflare.api.account.${accountId}`, objects }],
      meta: {},
    })),
  };
}

// The account member record: roles and direct policies as the schema's member_with_policies has them.
function accountMemberView(member: SimMember, accountId: string) {
  return {
    id: member.id,
    email: member.email,
    status: member.status,
    user: {
      id: member.id.split('').reverse().join(''),
      email: member.email,
      first_name: null,
      last_name: null,
      two_factor_authentication_enabled: false,
    },
    roles: member.roles.map((role) => ({
      id: role.id,
      name: role.name,
      description: `${role.name} role`,
      permissions: {},
    })),
    policies: member.policies.map((policy, index) =>
      policyView(policy, `${member.id.slice(0, 31)}${index}`, accountId),
    ),
  };
}

function sentCredentials(request: IncomingMessage): string {
  return [request.headers.authorization, request.headers['x-auth-key'], request.headers['x-auth-email']]
    .filter(Boolean)
    .join(' ');
}

/** A token's id, for the verify endpoints: stable for the same token value. */
export function tokenIdOf(token: string): string {
  let hash = 0x811c9dc5;
  for (const char of token) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(4);
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
