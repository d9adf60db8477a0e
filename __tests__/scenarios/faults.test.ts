// Faults from the API and the network; waits on a fake clock.
import { describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';
import { proxy } from '../helpers/proxy.ts';

const DELETE_PATH = /\/members\/[0-9a-f]{32}$/;

describe('retries', () => {
  it('honours Retry-After on a 429 and logs each retry with its attempt number and reason', async () => {
    const { sim, ann, engineers, run, clock } = await seeded();
    sim.faults.push({ kind: 'status', status: 429, retryAfter: '1', times: 2 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(clock.sleeps).toEqual([1000, 1000]);
    expect(sim.requests).toHaveLength(3);
    expect(result.stdout).toContain(
      'in 1.0 s (attempt 2 of 4): HTTP 429 Too Many Requests: 971: Please wait and consider throttling your request speed.',
    );
    expect(result.stdout).toContain('(attempt 3 of 4): HTTP 429 Too Many Requests');
    expect(result.outputs.removed).toBe('true');
  });

  it('reads Retry-After as an HTTP date too', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 1500).toUTCString() });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Retrying DELETE \S+ in [01]\.\d s \(attempt 2 of 4\): HTTP 429/);
  });

  it('backs off on a 429 whose Retry-After is 0 or missing, instead of retrying at once', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'status', status: 429 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    const gaps = sim.requests.slice(1).map((r, i) => r.at - sim.requests[i]!.at);
    expect(gaps.every((gap) => gap >= 200)).toBe(true);
    expect(result.stdout.match(/Retrying DELETE \S+ in 0\.[2-9] s|Retrying DELETE \S+ in 1\.0 s/g)).toHaveLength(2);
  });

  it('stops after max-retries, then settles the unclear removal by a read, and fails with every reason', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'html', status: 503, times: 10 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'max-retries': '1' });
    expect(result.exitCode).toBe(1);
    expect(sim.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'GET', 'GET']);
    expect(result.errors[0]).toContain(
      'HTTP 503 Service Unavailable with a body that is not a Cloudflare JSON answer (text/html)',
    );
    expect(result.errors[0]).toContain('(after 2 attempts)');
    expect(result.errors[0]).toContain('The answer to the removal was unclear');
    expect(result.errors[0]).toContain('a read to settle it failed');
    expect(result.errors[0]).toContain(engineers.id);
  });

  it('sends one DELETE only with max-retries 0, and reads the group to settle its unclear 500', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 500 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'max-retries': '0' });
    expect(result.exitCode).toBe(1);
    expect(sim.requests.map((r) => r.method)).toEqual(['DELETE', 'GET']);
    expect(result.errors[0]).toContain(
      'HTTP 500 Internal Server Error: 10500: Simulated 500. The member is still in the group.',
    );
  });

  it('retries a connection reset', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'reset' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\(attempt 2 of 4\): network error: /);
  });

  it('gives up on a hanging request after timeout-seconds and retries', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'hang' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'timeout-seconds': '1' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('(attempt 2 of 4): no answer within 1 s (timeout-seconds).');
  });

  it('counts a removal whose answer was lost as done once the member is confirmed gone', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'apply-then-reset', path: DELETE_PATH });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
      `GET /accounts/${account}/iam/user_groups/${engineers.id}/members?page=1&per_page=500`,
    ]);
    expect(result.outputs.removed).toBe('true');
    expect(JSON.parse(result.outputs.result!).groups[0]).toMatchObject({
      outcome: 'removed',
      note: expect.stringContaining('earlier attempt'),
    });
  });
});

describe('answers that are failures', () => {
  it('treats success: false inside a 200 as a failure, without retrying', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'unsuccessful' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(result.errors[0]).toContain('HTTP 200 OK but success is not true: 1000: Simulated failure inside a 200');
    expect(result.outputs.removed).toBe('false');
  });

  it('reports malformed JSON with its status, and where to look', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'malformed' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(
      'HTTP 200 OK with a body that is not a Cloudflare JSON answer (application/json): "{\\"success\\": true, \\"result\\": ["',
    );
    expect(result.errors[0]).toContain('check api-base-url');
    expect(result.stdout).not.toContain('SyntaxError');
  });

  it('never follows a redirect', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'redirect' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(result.errors[0]).toContain(
      'HTTP 301 Moved Permanently redirect to https://elsewhere.example/client/v4/ not followed. This is not an answer the Cloudflare API gives: check api-base-url',
    );
  });

  it('accepts error codes as integers or strings, below 1000 included', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      status: 409,
      body: {
        success: false,
        errors: [
          { code: '404', message: 'a string code' },
          { code: 7, message: 'a small one' },
        ],
        messages: [],
        result: null,
      },
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.errors[0]).toContain('HTTP 409 Conflict: 404: a string code; 7: a small one');
  });

  it('reports an error list of the wrong shape without crashing', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({
      kind: 'answer',
      status: 409,
      body: { success: false, errors: [null, 5, { code: { x: 1 }, message: ['no'] }], result: null },
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(
      'HTTP 409 Conflict: ? (an error entry that is not an object: null); ? (an error entry that is not an object: 5); ?: (no message)',
    );
    expect(result.outputs.result).toBeTruthy();
  });
});

describe('proxies', () => {
  it('reaches a loopback API directly, whatever the proxy variables say', async () => {
    const { ann, engineers, run } = await seeded();
    const { url, tunnels } = await proxy();
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env: { HTTP_PROXY: url, HTTPS_PROXY: url } },
    );
    expect(result.exitCode).toBe(0);
    expect(tunnels).toEqual([]);
  });
});
