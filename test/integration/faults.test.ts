// Faults from the API and the network, against the bundled action.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { seeded, TOKEN } from '../fixture.ts';

const DELETE_PATH = /\/members\/[0-9a-f]{32}$/;

describe('retries', () => {
  it('honours Retry-After on a 429 and logs each retry with its attempt number and reason', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 429, retryAfter: '1', times: 2 });
    const started = Date.now();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(sim.requests).toHaveLength(3);
    expect(result.stdout).toContain('in 1.0 s (attempt 2 of 4): HTTP 429 Too Many Requests: 971: Please wait and consider throttling your request speed.');
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

  it('retries a 5xx with an HTML body and reports it by status, not as a parse crash', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'html', status: 502 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('(attempt 2 of 4): HTTP 502 Bad Gateway with a body that is not a Cloudflare JSON answer (text/html)');
  });

  it('stops after max-retries and fails with the last reason', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'html', status: 503, times: 10 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'max-retries': '1' });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(2);
    expect(result.errors[0]).toContain('HTTP 503 Service Unavailable with a body that is not a Cloudflare JSON answer (text/html)');
    expect(result.errors[0]).toContain('(after 2 attempts)');
    expect(result.errors[0]).toContain(engineers.id);
  });

  it('sends one request only with max-retries 0', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 500 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'max-retries': '0' });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(1);
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
    const { sim, account, ann, engineers, run } = await seeded({ notMemberAnswer: 404 });
    sim.faults.push({ kind: 'apply-then-reset', path: DELETE_PATH });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
      `GET /accounts/${account}/iam/user_groups/${engineers.id}/members?page=1&per_page=50`,
    ]);
    expect(result.outputs.removed).toBe('true');
    expect(JSON.parse(result.outputs.result!).groups[0]).toMatchObject({ outcome: 'removed', note: expect.stringContaining('earlier attempt') });
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

  it('reports malformed JSON with its status', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'malformed' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('HTTP 200 OK with a body that is not a Cloudflare JSON answer (application/json): "{\\"success\\": true, \\"result\\": ["; check api-base-url');
    expect(result.stdout).not.toContain('SyntaxError');
  });

  it('never follows a redirect', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'redirect' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(result.errors[0]).toContain('HTTP 301 Moved Permanently redirect to https://elsewhere.example/client/v4/ not followed; check api-base-url');
  });

  it('redacts credentials the API echoes back, in the log, the outputs and the summary', async () => {
    const { sim, ann, engineers, run } = await seeded({ globalKeys: { 'admin@example.com': 'global-key-secret-42' } });
    sim.faults.push({ kind: 'echo-credentials' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': '', 'api-email': 'admin@example.com', 'api-key': 'global-key-secret-42' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Invalid request headers: *** ***');
    for (const text of [result.stdout.replace(/^::add-mask::.*$/gm, ''), JSON.stringify(result.outputs), result.summary]) {
      expect(text).not.toContain('global-key-secret-42');
      expect(text).not.toContain('admin@example.com');
    }
  });

  it('redacts an echoed API token', async () => {
    const { sim, ann, engineers, run } = await seeded();
    sim.faults.push({ kind: 'echo-credentials' });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.errors[0]).toContain('Invalid request headers: Bearer ***');
    expect(result.stdout.replace(/^::add-mask::.*$/gm, '') + result.summary + JSON.stringify(result.outputs)).not.toContain(TOKEN);
  });
});

describe('text from the API in the log', () => {
  it('cannot issue workflow commands', async () => {
    const { sim, account, ann, run } = await seeded();
    const group = sim.addGroup(account, 'Ops\n::add-mask::removed\n::error::forged', [ann.id]);
    const result = await run({ 'user-group-name': group.name.split('\n')[0]!, 'member-id': ann.id });
    expect(result.exitCode).toBe(1); // the name matches no group exactly
    const named = await run({ 'all-groups': 'true', 'member-id': ann.id });
    expect(named.exitCode).toBe(0);
    const lines = named.stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('::'))).toEqual([`::add-mask::${TOKEN}`]);
    expect(named.stdout).toContain(' ::error::forged');
  });
});

describe('proxies', () => {
  // A CONNECT proxy on loopback that counts the tunnels it opens.
  async function proxy(): Promise<{ url: string; tunnels: string[]; server: Server }> {
    const tunnels: string[] = [];
    const server = createServer();
    server.on('connect', (request, client, head) => {
      tunnels.push(request.url ?? '');
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels, server };
  }

  it('sends the Cloudflare requests through HTTP_PROXY, unless NO_PROXY names the host', async () => {
    const { ann, joann, engineers, billing, run, baseUrl } = await seeded();
    const { url, tunnels, server } = await proxy();
    try {
      const through = await run({ 'user-group-id': engineers.id, 'member-id': ann.id }, { env: { HTTP_PROXY: url } });
      expect(through.exitCode).toBe(0);
      expect(tunnels).toEqual([new URL(baseUrl).host]);

      const direct = await run({ 'user-group-id': billing.id, 'member-id': joann.id }, { env: { HTTP_PROXY: url, NO_PROXY: 'example.com,127.0.0.1' } });
      expect(direct.exitCode).toBe(0);
      expect(tunnels).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
