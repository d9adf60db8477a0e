import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, CloudflareClient, parseRetryAfter } from '../../src/cloudflare.js';
import { proxyFor } from '../../src/http.js';

const ORIGIN = 'https://api.test';
const ACCOUNT = 'a'.repeat(32);
const GROUP = 'b'.repeat(32);
const MEMBER = 'c'.repeat(32);
const MEMBERS_PATH = `/client/v4/accounts/${ACCOUNT}/iam/user_groups/${GROUP}/members`;

let agent: MockAgent | undefined;
afterEach(async () => {
  agent?.assertNoPendingInterceptors();
  await agent?.close();
  agent = undefined;
});

function setup(options: { maxRetries?: number; timeoutMs?: number; concurrency?: number } = {}) {
  agent = new MockAgent();
  agent.disableNetConnect();
  const sleeps: number[] = [];
  const logs: string[] = [];
  const client = new CloudflareClient({
    baseUrl: `${ORIGIN}/client/v4`,
    accountId: ACCOUNT,
    credentials: { scheme: 'token', token: 't0ken' },
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 1000,
    concurrency: options.concurrency ?? 4,
    dispatcher: agent,
    log: (message) => logs.push(message),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
  });
  return { client, pool: agent.get(ORIGIN), sleeps, logs };
}

const ok = (result: unknown, result_info?: unknown) => ({ success: true, errors: [], messages: [], result, ...(result_info ? { result_info } : {}) });
const failure = (...errors: unknown[]) => ({ success: false, errors, messages: [], result: null });
const members = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: (from + i).toString(16).padStart(32, '0'), email: `m${from + i}@example.com` }));
const page = (n: number) => `${MEMBERS_PATH}?page=${n}&per_page=50`;

describe('pagination', () => {
  it('stops at a short page without total_pages', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(members(0, 50), { page: 1, per_page: 50, count: 50, total_count: 73 }));
    pool.intercept({ path: page(2) }).reply(200, ok(members(50, 23)));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(73);
  });

  it('reads result: null with no result_info as an empty group', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, { success: true, errors: [], messages: [], result: null });
    expect(await client.listGroupMembers(GROUP)).toEqual([]);
  });

  it('follows a smaller per_page the API reports', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(members(0, 20), { page: 1, per_page: 20 }));
    pool.intercept({ path: page(2) }).reply(200, ok(members(20, 5), { page: 2, per_page: 20 }));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(25);
  });

  it('stops, with an error, when a page repeats the previous one', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(members(0, 50)));
    pool.intercept({ path: page(2) }).reply(200, ok(members(0, 50)));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow('page 2 repeats earlier results; pagination is not advancing');
  });

  it('counts an id repeated within a page once', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok([{ id: MEMBER, email: 'a@x.com' }, { id: MEMBER, email: 'a@x.com' }]));
    expect(await client.listGroupMembers(GROUP)).toEqual([{ id: MEMBER, email: 'a@x.com' }]);
  });

  it('passes fuzzyEmail through', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `${MEMBERS_PATH}?fuzzyEmail=ann%40example.com&page=1&per_page=50` }).reply(200, ok([{ id: MEMBER, email: 'ann@example.com' }]));
    expect(await client.listGroupMembers(GROUP, { fuzzyEmail: 'ann@example.com' })).toEqual([{ id: MEMBER, email: 'ann@example.com' }]);
  });

  it('refuses a result that is not a list', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok({ id: MEMBER }));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow('expected a list in "result", got object');
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says, then succeeds', async () => {
    const { client, pool, sleeps, logs } = setup();
    pool.intercept({ path: `${MEMBERS_PATH}/${MEMBER}`, method: 'DELETE' }).reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '7' } });
    pool.intercept({ path: `${MEMBERS_PATH}/${MEMBER}`, method: 'DELETE' }).reply(200, ok({ id: MEMBER, status: 'accepted' }));
    expect(await client.removeMember(GROUP, MEMBER)).toEqual({ id: MEMBER, email: undefined, status: 'accepted' });
    expect(sleeps).toEqual([7000]);
    expect(logs).toEqual([`Retrying DELETE /accounts/${ACCOUNT}/iam/user_groups/${GROUP}/members/${MEMBER} in 7.0 s (attempt 2 of 4): HTTP 429 Too Many Requests: 971: slow down.`]);
  });

  it('backs off exponentially without Retry-After, up to max-retries', async () => {
    const { client, pool, sleeps } = setup({ maxRetries: 3 });
    pool.intercept({ path: `${MEMBERS_PATH}/${MEMBER}`, method: 'DELETE' }).reply(503, 'busy').times(4);
    const error = await client.removeMember(GROUP, MEMBER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect((error as ApiError).message).toContain('HTTP 503 Service Unavailable with a body that is not a Cloudflare JSON answer (no content-type): "busy" (after 4 attempts).');
    expect((error as ApiError).earlierAttemptUncertain).toBe(true);
  });

  it('does not retry a 4xx', async () => {
    const { client, pool, sleeps } = setup();
    pool.intercept({ path: `${MEMBERS_PATH}/${MEMBER}`, method: 'DELETE' }).reply(404, failure({ code: 1003, message: 'Member not found' }));
    const error = (await client.removeMember(GROUP, MEMBER).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(404);
    expect(error.codes).toEqual([1003]);
    expect(error.earlierAttemptUncertain).toBe(false);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors and timeouts', async () => {
    const { client, pool, logs } = setup({ timeoutMs: 50 });
    pool.intercept({ path: page(1) }).replyWithError(new Error('socket hang up'));
    pool.intercept({ path: page(1) }).reply(200, ok([])).delay(500);
    pool.intercept({ path: page(1) }).reply(200, ok([]));
    expect(await client.listGroupMembers(GROUP)).toEqual([]);
    expect(logs[0]).toContain('(attempt 2 of 4): network error: socket hang up.');
    expect(logs[1]).toContain('(attempt 3 of 4): no answer within 0.05 s (timeout-seconds).');
  });

  it('pauses every request after a 429, not only the one that got it', async () => {
    const { client, pool, sleeps } = setup();
    pool.intercept({ path: page(1) }).reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '30' } });
    pool.intercept({ path: page(1) }).reply(200, ok([]));
    await client.listGroupMembers(GROUP);
    pool.intercept({ path: `${MEMBERS_PATH}/${MEMBER}`, method: 'DELETE' }).reply(200, ok({ id: MEMBER }));
    await client.removeMember(GROUP, MEMBER);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(29_000);
  });

  it('refuses to wait longer than ten minutes', async () => {
    const { client, pool, sleeps } = setup();
    pool.intercept({ path: page(1) }).reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '3600' } });
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow('Cloudflare asked to wait 3600 s, longer than this action waits; run it again later.');
    expect(sleeps).toEqual([]);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` requests in flight, across calls', async () => {
    const { client, pool } = setup({ concurrency: 2 });
    let started = 0;
    pool.intercept({ path: /members\?/ }).reply(() => {
      started++;
      return { statusCode: 200, data: ok([]) };
    }).delay(400).times(5);
    const groups = ['1', '2', '3', '4', '5'].map((c) => c.repeat(32));
    const all = Promise.all(groups.map((group) => client.listGroupMembers(group)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toBe(2);
    await all;
    expect(started).toBe(5);
  });

  it('hands each page to onPage as it arrives', async () => {
    const { client, pool } = setup();
    const groupsPath = `/client/v4/accounts/${ACCOUNT}/iam/user_groups`;
    pool.intercept({ path: `${groupsPath}?page=1&per_page=50` }).reply(200, ok(members(0, 50)));
    pool.intercept({ path: `${groupsPath}?page=2&per_page=50` }).reply(200, ok(members(50, 3)));
    const pages: number[] = [];
    const all = await client.listGroups({ onPage: (groups) => pages.push(groups.length) });
    expect(pages).toEqual([50, 3]);
    expect(all).toHaveLength(53);
  });
});

describe('error messages', () => {
  it('lists every error with its chain and documentation URL', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(
      400,
      failure(
        { code: 7003, message: 'Could not route', documentation_url: 'https://developers.cloudflare.com/x', error_chain: [{ code: 7000, message: 'No route' }] },
        { code: 1001, message: 'second' },
      ),
    );
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(
      'HTTP 400 Bad Request: 7003: Could not route (see https://developers.cloudflare.com/x) [caused by 7000: No route]; 1001: second.',
    );
  });

  it('names the IP restriction for code 9109', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(403, failure({ code: 9109, message: 'Cannot use the access token from location: 1.2.3.4' }));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow('restricted by client IP (code 9109)');
  });

  it('hints at the permission for a 401', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(401, failure({ code: 10001, message: 'Unauthorized' }));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(`"Account Settings Write" or "SCIM Provisioning" permission on account ${ACCOUNT}`);
  });

  it('points a Global API key user at the user and the account, not at a token', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const client = new CloudflareClient({
      baseUrl: `${ORIGIN}/client/v4`, accountId: ACCOUNT, credentials: { scheme: 'global-key', email: 'me@example.com', key: 'k3y' },
      maxRetries: 0, timeoutMs: 1000, concurrency: 1, dispatcher: agent, log: () => {},
    });
    agent.get(ORIGIN).intercept({ path: page(1) }).reply(403, failure({ code: 10000, message: 'Authentication error' }));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(`Check api-email and api-key: they must belong to a user with access to account ${ACCOUNT}`);
  });

  it('sends the Global API key scheme alone', async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    const client = new CloudflareClient({
      baseUrl: `${ORIGIN}/client/v4`, accountId: ACCOUNT, credentials: { scheme: 'global-key', email: 'me@example.com', key: 'k3y' },
      maxRetries: 0, timeoutMs: 1000, concurrency: 1, dispatcher: agent, log: () => {},
    });
    agent.get(ORIGIN).intercept({ path: page(1), headers: (h) => h['x-auth-email'] === 'me@example.com' && h['x-auth-key'] === 'k3y' && !('authorization' in h) }).reply(200, ok([]));
    expect(await client.listGroupMembers(GROUP)).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('proxyFor', () => {
  const api = new URL('https://api.cloudflare.com/client/v4');
  it.each<[Record<string, string>, string | undefined]>([
    [{}, undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128'],
    [{ https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' }, 'http://lower:3128'],
    [{ HTTP_PROXY: 'http://proxy:3128' }, undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'cloudflare.com' }, undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.cloudflare.com' }, undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', no_proxy: 'example.com, *' }, undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'api.cloudflare.com:443' }, undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'api.cloudflare.com:8443' }, 'http://proxy:3128'],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'flare.com,ple.com' }, 'http://proxy:3128'],
  ])('%j gives %s', (env, expected) => {
    expect(proxyFor(api, env)).toBe(expected);
  });

  it('understands IPv6 entries', () => {
    const loopback = new URL('http://[::1]:8080/client/v4');
    expect(proxyFor(loopback, { HTTP_PROXY: 'http://p:1', NO_PROXY: '::1' })).toBeUndefined();
    expect(proxyFor(loopback, { HTTP_PROXY: 'http://p:1', NO_PROXY: '[::1]:8080' })).toBeUndefined();
    expect(proxyFor(loopback, { HTTP_PROXY: 'http://p:1' })).toBe('http://p:1');
  });
});
