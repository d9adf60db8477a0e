// The Cloudflare client against undici's MockAgent: pagination, the shape of answers, retries,
// the shared pause and the rate budget. A fake clock moves only when the client sleeps.
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRetryAfter } from '../../src/cloudflare/answer.js';
import { auditRays } from '../../src/cloudflare/audit-client.js';
import { readBudget } from '../../src/cloudflare/budget.js';
import { CloudflareClient } from '../../src/cloudflare/client.js';
import { Pacer } from '../../src/cloudflare/pacer.js';
import { ApiError } from '../../src/cloudflare/api-error.js';
import { Transport } from '../../src/cloudflare/transport.js';
import type { Credentials } from '../../src/model.js';
import { realClock, Watchdog } from '../../src/watchdog.js';
import { fakeClock } from '../helpers/clock.ts';

const ORIGIN = 'https://api.test';
const ACCOUNT = 'a'.repeat(32);
const GROUP = 'b'.repeat(32);
const MEMBER = 'c'.repeat(32);
const GROUPS_PATH = `/client/v4/accounts/${ACCOUNT}/iam/user_groups`;
const MEMBERS_PATH = `${GROUPS_PATH}/${GROUP}/members`;

let agent: MockAgent | undefined;
afterEach(async () => {
  agent?.assertNoPendingInterceptors();
  await agent?.close();
  agent = undefined;
});

function setup(
  options: { maxRetries?: number; timeoutMs?: number; concurrency?: number; credentials?: Credentials } = {},
) {
  agent = new MockAgent();
  agent.disableNetConnect();
  const logs: string[] = [];
  const clock = fakeClock(1_000_000);
  const watchdog = new Watchdog(clock);
  const log = (message: string) => void logs.push(message);
  const pacer = new Pacer({ concurrency: options.concurrency ?? 4, clock, watchdog, log });
  const requests = new Transport({
    baseUrl: `${ORIGIN}/client/v4`,
    credentials: options.credentials ?? { scheme: 'token', token: 't0ken' },
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 1000,
    dispatcher: agent,
    pacer,
    clock,
    watchdog,
    log,
    excerpt: (text, limit) => text.slice(0, limit),
    random: () => 1,
  });
  const client = new CloudflareClient(requests, ACCOUNT);
  return { client, transport: requests, pool: agent.get(ORIGIN), sleeps: clock.sleeps, logs, clock, watchdog };
}

const ok = (result: unknown, result_info?: unknown) => ({
  success: true,
  errors: [],
  messages: [],
  result,
  ...(result_info ? { result_info } : {}),
});
const failure = (...errors: unknown[]) => ({ success: false, errors, messages: [], result: null });
const ids = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: (from + i).toString(16).padStart(32, '0') }));
const page = (n: number) => `${MEMBERS_PATH}?page=${n}&per_page=500`;

describe('pagination', () => {
  it('stops at a page shorter than the per_page the server reports', async () => {
    const { client, pool } = setup();
    pool
      .intercept({ path: page(1) })
      .reply(200, ok(ids(0, 500), { page: 1, per_page: 500, count: 500, total_count: 520 }));
    pool.intercept({ path: page(2) }).reply(200, ok(ids(500, 20), { page: 2, per_page: 500, count: 20 }));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(520);
  });

  it('keeps going when the server caps per_page below what was asked', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 50), { page: 1, per_page: 50 }));
    pool.intercept({ path: page(2) }).reply(200, ok(ids(50, 50), { page: 2, per_page: 50 }));
    pool.intercept({ path: page(3) }).reply(200, ok(ids(100, 7), { page: 3, per_page: 50 }));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(107);
  });

  it('without result_info, reads until an empty page, however short the pages are', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 3)));
    pool.intercept({ path: page(2) }).reply(200, ok(ids(3, 2)));
    pool.intercept({ path: page(3) }).reply(200, ok([]));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(5);
  });

  it('pages on past a short page while the totals say more follow', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 30), { page: 1, per_page: 500, total_pages: 3 }));
    pool.intercept({ path: page(2) }).reply(200, ok(ids(30, 30), { page: 2, per_page: 500, total_count: 70 }));
    pool.intercept({ path: page(3) }).reply(200, ok(ids(60, 10), { page: 3, per_page: 500, total_count: 70 }));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(70);
  });

  it('reads a page that ends the listing before its totals once more, and fails if it still does', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 30), { page: 1, per_page: 500, total_count: 90 }));
    pool.intercept({ path: page(2) }).reply(200, { success: true, errors: [], messages: [], result: null });
    pool.intercept({ path: page(2) }).reply(200, ok([], { page: 2, per_page: 500, total_count: 90 }));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(
      `GET /accounts/${ACCOUNT}/iam/user_groups/${GROUP}/members page 2: the listing ends after 1 pages and 30 entries (read twice), but its answers announced 90 entries; nothing is concluded from a listing that contradicts itself: run the job again.`,
    );
  });

  it('goes on when the page read once more has the entries after all', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 30), { page: 1, per_page: 500, total_pages: 2 }));
    pool.intercept({ path: page(2) }).reply(200, ok([], { page: 2, per_page: 500, total_pages: 2 }));
    pool.intercept({ path: page(2) }).reply(200, ok(ids(30, 5), { page: 2, per_page: 500, total_pages: 2 }));
    expect(await client.listGroupMembers(GROUP)).toHaveLength(35);
  });

  it('fails when a listing names one id twice with different data', async () => {
    const { client, pool } = setup();
    const path = `/client/v4/accounts/${ACCOUNT}/members?page=1&per_page=50`;
    const member = (email: string) => ({ id: MEMBER, user: { email }, status: 'accepted' });
    pool
      .intercept({ path })
      .reply(200, ok([member('ann@example.com'), member('owner@example.com')], { page: 1, per_page: 50 }));
    await expect(client.listAccountMembers()).rejects.toThrow(
      `names ${MEMBER} twice with different data; refusing to guess which is right.`,
    );
  });

  it('reads result: null with no result_info as an empty group', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, { success: true, errors: [], messages: [], result: null });
    expect(await client.listGroupMembers(GROUP)).toEqual([]);
  });

  it('fails when a page repeats earlier entries only, or names another page', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 2)));
    pool.intercept({ path: page(2) }).reply(200, ok(ids(0, 2)));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(
      `GET ${MEMBERS_PATH.slice(10)} page 2: repeats earlier entries only; the listing does not advance.`,
    );
    pool.intercept({ path: page(1) }).reply(200, ok(ids(0, 2), { page: 3, per_page: 500 }));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(
      'page 1: the answer says it is page 3; the listing does not advance.',
    );
  });

  it('counts an id repeated within a page once, and lower-cases ids', async () => {
    const { client, pool } = setup();
    pool
      .intercept({ path: page(1) })
      .reply(200, ok([{ id: MEMBER.toUpperCase() }, { id: MEMBER }], { page: 1, per_page: 500 }));
    expect(await client.listGroupMembers(GROUP)).toEqual([MEMBER]);
  });

  it('hands each page to onPage as it arrives, and stops when onPage says so', async () => {
    const { client, pool } = setup();
    pool
      .intercept({ path: `${GROUPS_PATH}?page=1&per_page=500` })
      .reply(200, ok(ids(0, 500), { page: 1, per_page: 500 }));
    pool
      .intercept({ path: `${GROUPS_PATH}?page=2&per_page=500` })
      .reply(200, ok(ids(500, 3), { page: 2, per_page: 500 }));
    const pages: number[] = [];
    expect(await client.listGroups({ onPage: (groups) => void pages.push(groups.length) })).toHaveLength(503);
    expect(pages).toEqual([500, 3]);
    pool
      .intercept({ path: `${GROUPS_PATH}?page=1&per_page=500` })
      .reply(200, ok(ids(0, 500), { page: 1, per_page: 500 }));
    expect(await client.listGroups({ onPage: () => false })).toHaveLength(500);
  });
});

describe('answers of the wrong shape', () => {
  it.each<[string, unknown, string]>([
    ['a result that is not a list', { id: MEMBER }, '"result" is not a list.'],
    ['a null entry', [null], 'entry 1 is not a group member: it is null.'],
    [
      'an id that is a number',
      [{ id: 7 }],
      'entry 1 is not a group member: its "id" is 7, not 32 hexadecimal characters.',
    ],
    ['an id with a path in it', [{ id: `${GROUP}/..` }], `its "id" is "${GROUP}/..", not 32 hexadecimal characters.`],
    ['a long id, never shown cut', [{ id: 'x'.repeat(100) }], 'its "id" is a text of 100 characters'],
  ])('fails the listing on %s', async (_what, result, message) => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(200, ok(result));
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(message);
  });

  it('fails a group listing whose name is not text', async () => {
    const { client, pool } = setup();
    pool
      .intercept({ path: `${GROUPS_PATH}?name=Ops&page=1&per_page=500` })
      .reply(200, ok([{ id: GROUP, name: { text: 'Ops' } }]));
    await expect(client.listGroups({ name: 'Ops' })).rejects.toThrow(
      'entry 1 is not a user group: "name" is {"text":"Ops"}, not text.',
    );
  });

  it('builds no request for an id that is not 32 hexadecimal characters', async () => {
    const { client } = setup();
    await expect(client.listGroupMembers('../../members')).rejects.toThrow(
      'Refusing to build a request for the id "../../members": not 32 hexadecimal characters.',
    );
    await expect(client.removeGroupMember(GROUP, `${MEMBER}/x`)).rejects.toThrow(ApiError);
  });

  it('says a DELETE removed the member only when its answer plainly says so, and keeps what it says of them', async () => {
    const { client, pool } = setup();
    const path = `${MEMBERS_PATH}/${MEMBER}`;
    const answer = (status: number, body: string | object) =>
      pool.intercept({ path, method: 'DELETE' }).reply(status, body);
    answer(200, ok({ id: MEMBER, email: 'ann@example.com', status: 'accepted' }));
    expect(await client.removeGroupMember(GROUP, MEMBER)).toEqual({
      removed: true,
      rays: [],
      email: 'ann@example.com',
      status: 'accepted',
    });
    answer(200, ok({ id: MEMBER, status: 'accepted\n::warning::x' }));
    expect(await client.removeGroupMember(GROUP, MEMBER)).toEqual({ removed: true, rays: [] });
    answer(200, ok({ id: 'd'.repeat(32), email: 'mallory@example.com' }));
    expect(await client.removeGroupMember(GROUP, MEMBER)).toEqual({
      removed: false,
      rays: [],
      unclear: `the answer names another member, "${'d'.repeat(32)}"`,
    });
    answer(200, ok(null));
    expect(await client.removeGroupMember(GROUP, MEMBER)).toEqual({
      removed: false,
      rays: [],
      unclear: 'the answer names no member',
    });
    // The answer's cf-ray, where it carries one that looks like one: how the audit log knows the request.
    pool
      .intercept({ path, method: 'DELETE' })
      .reply(200, ok({ id: MEMBER }), { headers: { 'cf-ray': '8a1b2c3d4e5f6a7b-SJC' } });
    expect((await client.removeGroupMember(GROUP, MEMBER)).rays).toEqual(['8a1b2c3d4e5f6a7b-SJC']);
    pool
      .intercept({ path, method: 'DELETE' })
      .reply(200, ok({ id: MEMBER }), { headers: { 'cf-ray': '::warning::not a ray' } });
    expect((await client.removeGroupMember(GROUP, MEMBER)).rays).toEqual([]);
    answer(202, ok({ id: MEMBER }));
    expect(await client.removeGroupMember(GROUP, MEMBER)).toEqual({
      removed: false,
      rays: [],
      unclear: 'HTTP 202 instead of 200',
    });
    for (const [status, body] of [
      [204, ''],
      [200, 'deleted'],
    ] as const) {
      answer(status, body);
      const error = (await client.removeGroupMember(GROUP, MEMBER).catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.unclear).toBe(true);
    }
  });

  it('says a POST added the member only when its answer lists them, and sends their id alone', async () => {
    const { client, pool } = setup();
    const answer = (status: number, body: string | object, headers: Record<string, string> = {}) =>
      pool
        .intercept({ path: MEMBERS_PATH, method: 'POST', body: JSON.stringify([{ id: MEMBER }]) })
        .reply(status, body, { headers });
    answer(200, ok([{ id: MEMBER.toUpperCase(), email: 'ann@example.com' }]), { 'cf-ray': '8a1b2c3d4e5f6a7b-SJC' });
    expect(await client.addGroupMember(GROUP, MEMBER)).toEqual({ added: true, rays: ['8a1b2c3d4e5f6a7b-SJC'] });
    // An answer that lists every member of the group (undocumented) names them too.
    answer(200, ok([...ids(1, 3), { id: MEMBER }]));
    expect(await client.addGroupMember(GROUP, MEMBER)).toEqual({ added: true, rays: [] });
    answer(200, ok([{ id: 'd'.repeat(32) }]));
    expect(await client.addGroupMember(GROUP, MEMBER)).toEqual({
      added: false,
      rays: [],
      unclear: 'the answer does not list the member',
    });
    answer(200, ok({ id: MEMBER }));
    expect(await client.addGroupMember(GROUP, MEMBER)).toEqual({
      added: false,
      rays: [],
      unclear: `"result" is {"id":"${MEMBER}"}, not a list`,
    });
    answer(201, ok([{ id: MEMBER }]));
    expect(await client.addGroupMember(GROUP, MEMBER)).toEqual({
      added: false,
      rays: [],
      unclear: 'HTTP 201 instead of 200',
    });
    await expect(client.addGroupMember(GROUP, '../members')).rejects.toThrow(ApiError);
  });

  it('reads an account member with its roles and direct policies', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `/client/v4/accounts/${ACCOUNT}/members/${MEMBER}` }).reply(
      200,
      ok({
        id: MEMBER,
        status: 'accepted',
        user: { email: 'ann@example.com' },
        roles: [{ id: 'r1', name: 'Administrator' }, 42],
        policies: [
          {
            access: 'allow',
            permission_groups: [{ id: 'p', name: 'DNS Write' }, { id: 'q' }],
            resource_groups: [{ name: 'Account' }],
          },
          null,
        ],
      }),
    );
    expect(await client.getAccountMember(MEMBER)).toEqual({
      id: MEMBER,
      email: 'ann@example.com',
      emails: ['ann@example.com'],
      status: 'accepted',
      roles: ['Administrator', '(a role the answer does not name)'],
      policies: [
        {
          access: 'allow',
          permissionGroups: ['DNS Write', 'permission group q'],
          resourceGroups: ['Account'],
          scope: 'unknown',
        },
        { permissionGroups: [], resourceGroups: [], scope: 'unknown' },
      ],
    });
  });

  it('tells what a policy covers from its scope keys and the account id, never from names', async () => {
    const { client, pool } = setup();
    const scoped = (name: string, key: string, objects: string[]) => ({
      access: 'allow',
      permission_groups: [{ id: 'p', name: 'Super Administrator - All Privileges' }],
      resource_groups: [{ id: 'r', name, scope: [{ key, objects: objects.map((object) => ({ key: object })) }] }],
    });
    const account = `com.cloudflare.api.account.${ACCOUNT}`;
    pool.intercept({ path: `/client/v4/accounts/${ACCOUNT}/members/${MEMBER}` }).reply(
      200,
      ok({
        id: MEMBER,
        user: { email: 'ann@example.com' },
        policies: [
          scoped('anything', account, ['*']),
          scoped('Whole account', account, [`com.cloudflare.api.account.zone.${'9'.repeat(32)}`]),
          scoped(`com.cloudflare.api.account.${ACCOUNT}`, `com.cloudflare.api.account.${'8'.repeat(32)}`, ['*']),
          { ...scoped('x', account, ['*']), resource_groups: [{ id: 'r', name: 'All', scope: 'everything' }] },
        ],
      }),
    );
    const { policies } = await client.getAccountMember(MEMBER);
    expect(policies?.map((policy) => policy.scope)).toEqual(['account', 'part', 'part', 'unknown']);
  });
});

describe('account member records', () => {
  it('carries every email a record gives, and leaves out a status the API does not document', async () => {
    const { client, pool } = setup();
    const path = `/client/v4/accounts/${ACCOUNT}/members/${MEMBER}`;
    pool
      .intercept({ path })
      .reply(200, ok({ id: MEMBER, email: 'owner@example.com', user: { email: 'ann@example.com' }, status: 'x\ny' }));
    expect(await client.getAccountMember(MEMBER)).toEqual({
      id: MEMBER,
      email: 'ann@example.com',
      emails: ['ann@example.com', 'owner@example.com'],
    });
    pool
      .intercept({ path })
      .reply(200, ok({ id: MEMBER, email: 'ANN@example.com', user: { email: 'ann@example.com' } }));
    expect((await client.getAccountMember(MEMBER)).emails).toEqual(['ann@example.com']);
  });
});

describe('retries', () => {
  const deletePath = `${MEMBERS_PATH}/${MEMBER}`;

  it('waits as long as Retry-After says, then succeeds', async () => {
    const { client, pool, sleeps, logs } = setup();
    pool
      .intercept({ path: deletePath, method: 'DELETE' })
      .reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '7' } });
    pool.intercept({ path: deletePath, method: 'DELETE' }).reply(200, ok({ id: MEMBER, status: 'accepted' }));
    expect(await client.removeGroupMember(GROUP, MEMBER)).toEqual({ removed: true, status: 'accepted', rays: [] });
    expect(sleeps).toEqual([7000]);
    expect(logs).toEqual([
      `Retrying DELETE /accounts/${ACCOUNT}/iam/user_groups/${GROUP}/members/${MEMBER} in 7.0 s (attempt 2 of 4): HTTP 429 Too Many Requests: 971: slow down.`,
    ]);
  });

  it('on a 429 with Retry-After 0, waits for the budget reset the headers announced', async () => {
    const { client, pool, sleeps } = setup();
    pool.intercept({ path: deletePath, method: 'DELETE' }).reply(429, failure({ code: 971, message: 'slow down' }), {
      headers: { 'retry-after': '0', ratelimit: '"default";r=0;t=42' },
    });
    pool.intercept({ path: deletePath, method: 'DELETE' }).reply(200, ok({ id: MEMBER }));
    await client.removeGroupMember(GROUP, MEMBER);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(42_000);
  });

  it('backs off exponentially without Retry-After, up to max-retries', async () => {
    const { client, pool, sleeps } = setup({ maxRetries: 3 });
    pool.intercept({ path: deletePath, method: 'DELETE' }).reply(503, 'busy').times(4);
    const error = await client.removeGroupMember(GROUP, MEMBER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect((error as ApiError).message).toContain(
      'HTTP 503 Service Unavailable with a body that is not a Cloudflare JSON answer (no content-type): "busy" (after 4 attempts).',
    );
    expect((error as ApiError).earlierAttemptUncertain).toBe(true);
    expect((error as ApiError).foreign).toBe(false);
  });

  it('does not retry a 4xx', async () => {
    const { client, pool, sleeps } = setup();
    pool
      .intercept({ path: deletePath, method: 'DELETE' })
      .reply(404, failure({ code: 404, message: 'Member not found in user group' }));
    const error = (await client.removeGroupMember(GROUP, MEMBER).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(404);
    expect(error.codes).toEqual([404]);
    expect(error.earlierAttemptUncertain).toBe(false);
    expect(sleeps).toEqual([]);
  });

  it('retries network errors and timeouts', async () => {
    const { client, pool, logs } = setup({ timeoutMs: 20 });
    pool.intercept({ path: page(1) }).replyWithError(new Error('socket hang up'));
    pool
      .intercept({ path: page(1) })
      .reply(200, ok([]))
      .delay(100);
    pool.intercept({ path: page(1) }).reply(200, ok([]));
    expect(await client.listGroupMembers(GROUP)).toEqual([]);
    expect(logs[0]).toContain('(attempt 2 of 4): network error: socket hang up.');
    expect(logs[1]).toContain('(attempt 3 of 4): no answer within 0.02 s (timeout-seconds).');
  });

  it('pauses every request after a 429, not only the one that got it', async () => {
    const { client, pool, sleeps } = setup();
    pool
      .intercept({ path: page(1) })
      .reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '30' } });
    pool.intercept({ path: page(1) }).reply(200, ok([]));
    pool.intercept({ path: `${MEMBERS_PATH}/${MEMBER}`, method: 'DELETE' }).reply(200, ok({ id: MEMBER }));
    await Promise.all([
      client.listGroupMembers(GROUP),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => client.removeGroupMember(GROUP, MEMBER)),
    ]);
    expect(sleeps.filter((ms) => ms > 20_000).length).toBeGreaterThanOrEqual(1);
  });

  it('refuses to wait longer than the five-minute window', async () => {
    const { client, pool, sleeps } = setup();
    pool
      .intercept({ path: page(1) })
      .reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '301' } });
    await expect(client.listGroupMembers(GROUP)).rejects.toThrow(
      'Cloudflare asked to wait 301 s, longer than its five-minute rate-limit window; run the job again later.',
    );
    expect(sleeps).toEqual([]);
  });

  it('marks a redirect and a non-JSON 4xx as not the API, and never retries them', async () => {
    const { client, pool, sleeps } = setup();
    pool.intercept({ path: page(1) }).reply(302, '', { headers: { location: 'https://elsewhere.test/' } });
    const redirect = (await client.listGroupMembers(GROUP).catch((e: unknown) => e)) as ApiError;
    expect(redirect.foreign).toBe(true);
    expect(redirect.message).toContain('HTTP 302 Found redirect to https://elsewhere.test/ not followed');
    pool.intercept({ path: page(1) }).reply(404, '<html>nginx</html>', { headers: { 'content-type': 'text/html' } });
    expect(((await client.listGroupMembers(GROUP).catch((e: unknown) => e)) as ApiError).foreign).toBe(true);
    expect(sleeps).toEqual([]);
  });
});

describe('error text', () => {
  it('lists every error with its chain and documentation URL, codes of any kind', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: page(1) }).reply(
      400,
      failure(
        {
          code: 7003,
          message: 'Could not route',
          documentation_url: 'https://developers.cloudflare.com/x',
          error_chain: [{ code: '7000', message: 'No route' }],
        },
        { code: 400, message: 'InvalidMember' },
      ),
    );
    const error = (await client.listGroupMembers(GROUP).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toContain(
      'HTTP 400 Bad Request: 7003: Could not route (see https://developers.cloudflare.com/x) [caused by 7000: No route]; 400: InvalidMember.',
    );
    expect(error.codes).toEqual([7003, '7000', 400]);
  });

  it('bounds a hostile error chain', async () => {
    const { client, pool } = setup();
    let chain: Record<string, unknown> = { code: 1, message: 'deepest' };
    for (let i = 0; i < 50; i++) chain = { code: 1, message: `level ${i}`, error_chain: [chain] };
    pool.intercept({ path: page(1) }).reply(400, failure(...Array.from({ length: 100 }, () => chain)));
    const error = (await client.listGroupMembers(GROUP).catch((e: unknown) => e)) as ApiError;
    expect(error.message).not.toContain('deepest');
    expect(error.message.length).toBeLessThan(5_000);
  });

  it('sends the Global API key scheme alone', async () => {
    const { client, pool } = setup({ credentials: { scheme: 'global-key', email: 'me@example.com', key: 'k3y' } });
    pool
      .intercept({
        path: page(1),
        headers: (h) => h['x-auth-email'] === 'me@example.com' && h['x-auth-key'] === 'k3y' && !('authorization' in h),
      })
      .reply(200, ok([]));
    expect(await client.listGroupMembers(GROUP)).toEqual([]);
  });
});

describe('concurrency and order', () => {
  it('tells the pacer when each request goes out on its connection', async () => {
    const { pool } = setup();
    const sent: string[] = [];
    const pacer = {
      attempt: (_priority: string, send: (sent: () => void) => Promise<unknown>) =>
        send(() => sent.push('out')).then((value) => ({ value: (value as { value: unknown }).value })),
    } as unknown as Pacer;
    const clock = fakeClock(0);
    const transport = new Transport({
      baseUrl: `${ORIGIN}/client/v4`,
      credentials: { scheme: 'token', token: 't0ken' },
      maxRetries: 0,
      timeoutMs: 1000,
      dispatcher: agent!,
      pacer,
      clock,
      watchdog: new Watchdog(clock),
      log: () => {},
      excerpt: (text) => text,
    });
    pool.intercept({ path: page(1) }).reply(200, ok([]));
    await new CloudflareClient(transport, ACCOUNT).listGroupMembers(GROUP);
    expect(sent).toEqual(['out']);
  });

  it('keeps at most `concurrency` requests in flight, across calls', async () => {
    const { client, pool } = setup({ concurrency: 2 });
    let started = 0;
    pool
      .intercept({ path: /members\?/ })
      .reply(() => {
        started++;
        return { statusCode: 200, data: ok([]) };
      })
      .delay(200)
      .times(5);
    const all = Promise.all(['1', '2', '3', '4', '5'].map((c) => client.listGroupMembers(c.repeat(32))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The first goes alone: its answer tells what is left of the rate budget.
    expect(started).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(started).toBe(3);
    await all;
    expect(started).toBe(5);
  });

  it('sends listing pages ahead of waiting lookups', async () => {
    const { client, pool } = setup({ concurrency: 1 });
    const order: string[] = [];
    pool
      .intercept({ path: /members\?/ })
      .reply((options) => {
        order.push(
          String(options.path).includes('/members?') && !String(options.path).includes('user_groups?')
            ? 'lookup'
            : 'listing',
        );
        return { statusCode: 200, data: ok([]) };
      })
      .delay(20)
      .times(3);
    pool.intercept({ path: `${GROUPS_PATH}?page=1&per_page=500` }).reply(() => {
      order.push('listing');
      return { statusCode: 200, data: ok([]) };
    });
    const lookups = ['1', '2', '3'].map((c) => client.listGroupMembers(c.repeat(32)));
    const listing = client.listGroups();
    await Promise.all([...lookups, listing]);
    expect(order).toEqual(['lookup', 'listing', 'lookup', 'lookup']);
  });
});

describe('rate budget', () => {
  it('reads the IETF headers, the tightest item counting', () => {
    const header = (values: Record<string, string>) => (name: string) => values[name];
    expect(
      readBudget(header({ ratelimit: '"default";r=17;t=42', 'ratelimit-policy': '"default";q=1200;w=300' })),
    ).toEqual({ remaining: 17, resetSeconds: 42, quota: 1200 });
    expect(readBudget(header({ ratelimit: '"burst";r=90;t=1, "default";r=3;t=200' }))).toEqual({
      remaining: 3,
      resetSeconds: 200,
    });
    expect(
      readBudget(header({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '60', 'x-ratelimit-limit': '1200' })),
    ).toEqual({ remaining: 5, resetSeconds: 60, quota: 1200 });
    expect(readBudget(header({ ratelimit: 'garbage;r=x' }))).toEqual({});
    expect(readBudget(header({}))).toEqual({});
  });

  it('waits for the window to reset when no request is left, and says so once', async () => {
    const { client, pool, sleeps, logs } = setup({ concurrency: 1 });
    const budget = (r: number) => ({
      headers: { ratelimit: `"default";r=${r};t=30`, 'ratelimit-policy': '"default";q=1200;w=300' },
    });
    pool.intercept({ path: page(1) }).reply(200, ok([]), budget(1));
    pool.intercept({ path: page(1) }).reply(200, ok([]), budget(0));
    pool.intercept({ path: page(1) }).reply(200, ok([]), budget(1199));
    await client.listGroupMembers(GROUP);
    await client.listGroupMembers(GROUP);
    expect(sleeps).toEqual([]);
    await client.listGroupMembers(GROUP);
    expect(sleeps).toEqual([30_000]);
    expect(logs).toEqual([
      'Rate budget: no requests of 1200 left in this window for these credentials; waiting 30 s for it to reset rather than be blocked for five minutes.',
    ]);
  });
});

describe('a deadline', () => {
  const AUDIT_PATH = `/client/v4/accounts/${ACCOUNT}/logs/audit`;
  const audit = (transport: Transport, deadline: number) =>
    auditRays(transport, ACCOUNT, new Date(0), new Date(1), deadline).catch((e: unknown) => e as ApiError);

  it('gives a request up instead of retrying past it', async () => {
    const { transport, pool, sleeps, clock } = setup();
    pool
      .intercept({ path: (path) => path.startsWith(AUDIT_PATH) })
      .reply(429, failure({ code: 971, message: 'slow down' }), { headers: { 'retry-after': '290' } });
    const error = await audit(transport, clock.now() + 60_000);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).pastDeadline).toBe(true);
    expect(sleeps).toEqual([]);
  });

  it('gives a request up at once when a spent budget would hold it past it', async () => {
    const { transport, pool, sleeps, clock } = setup({ concurrency: 1 });
    const entry = { raw: { cf_ray_id: '8e9b1c60ef9e1c9a', status_code: 200 } };
    pool
      .intercept({ path: (path) => path.startsWith(AUDIT_PATH) })
      .reply(200, ok([entry]), { headers: { ratelimit: '"default";r=0;t=120' } });
    expect(await audit(transport, clock.now() + 60_000)).toEqual(['8e9b1c60ef9e1c9a']);
    const error = await audit(transport, clock.now() + 60_000);
    expect((error as ApiError).pastDeadline).toBe(true);
    expect(sleeps).toEqual([]);
  });

  it('counts only entries of requests that succeeded', async () => {
    const { transport, pool, clock } = setup();
    const entry = (ray: string, status_code: unknown) => ({ raw: { cf_ray_id: ray, status_code } });
    pool
      .intercept({ path: (path) => path.startsWith(AUDIT_PATH) })
      .reply(
        200,
        ok([
          entry('1111111111111111', 204),
          entry('2222222222222222', 502),
          entry('3333333333333333', '200'),
          entry('4444444444444444', undefined),
        ]),
      );
    expect(await audit(transport, clock.now() + 60_000)).toEqual(['1111111111111111']);
  });
});

describe('requests per second and in flight', () => {
  // Timers, setImmediate and Date on vitest's fake clock, which fires them in order of their time.
  beforeEach(() => void vi.useFakeTimers({ loopLimit: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  /**
   * Runs `count` attempts through a pacer; each answer takes `latencyMs`; `throttle(i)` makes the
   * i-th a 429; `connectMs(i)` is how long the i-th takes to go out after its turn.
   */
  async function paced(
    count: number,
    latencyMs: number,
    concurrency = 50,
    throttle = (_i: number) => false,
    connectMs = (_i: number) => 0,
  ) {
    const begin = Date.now();
    const pacer = new Pacer({ concurrency, log: () => {}, clock: realClock, watchdog: new Watchdog(realClock) });
    const starts: number[] = [];
    let inFlight = 0;
    const inFlightAt: Array<{ at: number; inFlight: number }> = [];
    const throttled: number[] = [];
    const all = Promise.all(
      Array.from({ length: count }, (_, i) =>
        pacer.attempt('low', async (sent) => {
          if (connectMs(i) > 0) await new Promise((resolve) => setTimeout(resolve, connectMs(i)));
          sent();
          starts.push(Date.now() - begin);
          inFlightAt.push({ at: Date.now() - begin, inFlight: ++inFlight });
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
          inFlight--;
          if (throttle(i)) throttled.push(Date.now() - begin);
          const answer = { value: undefined, budget: {} };
          return throttle(i) ? { ...answer, throttled: { retryAfterMs: 5_000, backoffMs: 1_000 } } : answer;
        }),
      ),
    );
    await vi.runAllTimersAsync();
    await all;
    // Every attempt went out: the checks over consecutive sends below cannot pass for lack of them.
    expect(starts).toHaveLength(count);
    return { starts: starts.sort((a, b) => a - b), inFlightAt, throttled, elapsed: Date.now() - begin };
  }

  it('sends no more than 150 in any second, counted when sent, and nearly that many', async () => {
    const { starts, elapsed } = await paced(600, 40);
    for (let i = 150; i < starts.length; i++) expect(starts[i]! - starts[i - 150]!).toBeGreaterThanOrEqual(1000);
    // 600 at 150 a second: four seconds, and the last round trip.
    expect(elapsed).toBeLessThan(4_000 * 1.05);
  });

  it('counts a request when it goes out on its connection, not when its turn came', async () => {
    // Twenty in a row wait 40 ms for new connections; the others reuse theirs.
    const late = (i: number) => (i >= 200 && i < 220 ? 40 : 0);
    const { starts } = await paced(600, 300, 500, () => false, late);
    for (let i = 150; i < starts.length; i++) expect(starts[i]! - starts[i - 150]!).toBeGreaterThanOrEqual(1000);
  });

  it('spreads them over the second: never more than ten within 68 ms', async () => {
    const { starts } = await paced(300, 5);
    for (let i = 10; i < starts.length; i++) expect(starts[i]! - starts[i - 10]!).toBeGreaterThanOrEqual(67);
  });

  it('keeps as many in flight as the latency needs, up to `concurrency`', async () => {
    // 150 a second at 40 ms needs 6 in flight; at 500 ms, 75, more than the bound of 50.
    const fast = await paced(400, 40);
    const settled = fast.inFlightAt.filter((entry) => entry.at > 500).map((entry) => entry.inFlight);
    expect(Math.max(...settled)).toBeLessThanOrEqual(12);
    const slow = await paced(400, 500);
    expect(Math.max(...slow.inFlightAt.map((entry) => entry.inFlight))).toBe(50);
    const bounded = await paced(100, 500, 8);
    expect(Math.max(...bounded.inFlightAt.map((entry) => entry.inFlight))).toBe(8);
    // Eight at a time, 500 ms each: thirteen rounds.
    expect(bounded.elapsed).toBeGreaterThanOrEqual(13 * 500);
  });

  it('holds back every request of a sweep for the pause a 429 asked for', async () => {
    const { starts, throttled } = await paced(300, 40, 50, (i) => i === 100);
    const [at] = throttled;
    expect(starts.filter((start) => start > at! && start < at! + 5_000)).toEqual([]);
    expect(starts.filter((start) => start >= at! + 5_000).length).toBeGreaterThan(100);
  });

  it('reaches the cap at any latency the bound allows', async () => {
    for (const latencyMs of [10, 40, 150, 300]) {
      const { elapsed } = await paced(450, latencyMs);
      // The first round trip goes alone (its answer tells the rate budget), the last ends the run.
      expect(elapsed, `at ${latencyMs} ms`).toBeLessThan(3_000 * 1.05 + 2 * latencyMs);
    }
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
