// The paths of a removal by group ID, run as the runner runs the bundle: the common case (one
// DELETE), each way of giving credentials, a refusal by the API, a retried fault, invalid inputs
// and the proxy. Their variants run in this process: ../scenarios.
import { describe, expect, it } from 'vitest';
import { json, READ_TOKEN, runBundle, seeded, TOKEN } from '../helpers/fixture.ts';
import { proxy } from '../helpers/proxy.ts';

const G = 'a'.repeat(32);
const M = 'b'.repeat(32);

describe('removing one member from one group', () => {
  it('sends exactly one DELETE and sets every output', async () => {
    const { sim, account, ann, engineers, bundle: run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });

    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
    ]);
    expect(sim.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
    expect(result.outputs).toEqual({
      id: ann.id,
      email: 'ann@example.com',
      status: 'accepted',
      removed: 'true',
      'removed-groups': JSON.stringify([engineers.id]),
      'skipped-groups': '[]',
      'remaining-access': '',
      'access-remains': '',
      members: JSON.stringify([
        {
          id: ann.id,
          email: 'ann@example.com',
          status: 'accepted',
          removedGroups: [engineers.id],
          skippedGroups: [],
        },
      ]),
      // The one DELETE reads nothing of the account: whether it holds the member was not read.
      accounts: JSON.stringify([
        {
          id: account,
          members: [
            {
              id: ann.id,
              email: 'ann@example.com',
              status: 'accepted',
              removedGroups: [engineers.id],
              skippedGroups: [],
              inAccount: null,
            },
          ],
        },
      ]),
      result: JSON.stringify({
        member: { id: ann.id, email: 'ann@example.com', status: 'accepted' },
        dryRun: false,
        // With the DELETE's cf-ray, by which the account's audit log knows it.
        groups: [{ id: engineers.id, outcome: 'removed', rays: [sim.requests[0]!.ray] }],
      }),
    });
    expect(result.stdout).toContain(`Removing member ${ann.id} from user group ${engineers.id} in account ${account}.`);
    expect(result.summary).toContain('| User group | ID | Outcome |');
    expect(result.summary).toContain(`| \` ${engineers.id} \` | ✅ removed · cf-ray \` ${sim.requests[0]!.ray} \` |`);
    expect(result.stderr).toBe('');
  });

  it('masks the token before anything else is printed', async () => {
    const { ann, engineers, bundle: run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
  });

  it('uses the Global API key scheme with api-email and api-key, and never both schemes', async () => {
    const { sim, ann, engineers, base } = await seeded({ globalKeys: { 'admin@example.com': 'global-key-123' } });
    const result = await runBundle({
      'account-id': base['account-id'],
      'api-base-url': base['api-base-url'],
      'api-email': 'admin@example.com',
      'api-key': 'global-key-123',
      'user-group-id': engineers.id,
      'member-id': ann.id,
    });
    expect(result.exitCode).toBe(0);
    const headers = sim.requests[0]!.headers;
    expect(headers['x-auth-email']).toBe('admin@example.com');
    expect(headers['x-auth-key']).toBe('global-key-123');
    expect(headers.authorization).toBeUndefined();
  });

  it('falls back to CLOUDFLARE_* variables when no credential input is given', async () => {
    const { sim, account, ann, engineers, baseUrl } = await seeded();
    const result = await runBundle(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env: { CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: baseUrl } },
    );
    expect(result.exitCode).toBe(0);
    expect(sim.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`);
  });

  it('explains a 403 with the permission the token needs', async () => {
    const { sim, account, ann, engineers, bundle: run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': READ_TOKEN });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
    const [message] = result.errors;
    expect(message).toContain('HTTP 403 Forbidden');
    expect(message).toContain('10000: Authentication error');
    expect(message).toContain(`"Account Settings Write" or "SCIM Provisioning" permission on account ${account}`);
    expect(message).toContain('9109');
    expect(result.outputs.removed).toBe('false');
    expect(JSON.parse(result.outputs.result!).groups[0].outcome).toBe('failed');
    expect(result.stdout).not.toMatch(/\n\s+at /);
  });

  it('fail the step before any request, and still leave a complete record', async () => {
    const { sim, bundle: run } = await seeded();
    const result = await run({ 'user-group-id': G, 'member-id': M, 'max-retries': '-1' });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors).toEqual(['max-retries: expected a whole number from 0 to 10, got "-1".']);
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(result.outputs).toMatchObject({ removed: 'false', 'removed-groups': '[]', 'skipped-groups': '[]' });
    expect(json(result.outputs.result).failure).toContain('max-retries');
    expect(result.summary).toContain('The run stopped before any request to Cloudflare; nothing was removed.');
  });

  it('retries a 5xx with an HTML body and reports it by status, not as a parse crash', async () => {
    const { sim, ann, engineers, bundle: run } = await seeded();
    sim.faults.push({ kind: 'html', status: 502 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      '(attempt 2 of 4): HTTP 502 Bad Gateway with a body that is not a Cloudflare JSON answer (text/html)',
    );
  });

  it('sends the Cloudflare requests through HTTPS_PROXY, unless NO_PROXY names the host', async () => {
    const { ann, engineers, bundle: run } = await seeded();
    const { url, tunnels } = await proxy();
    const inputs = {
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'api-base-url': 'https://api.cloudflare.invalid/client/v4',
      'max-retries': '0',
    };
    const through = await run(inputs, { env: { HTTPS_PROXY: url } });
    expect(through.exitCode).toBe(1);
    // No answer to the DELETE: a read must settle it, through the proxy too.
    expect(tunnels).toEqual(['api.cloudflare.invalid:443', 'api.cloudflare.invalid:443']);

    const direct = await run(inputs, { env: { HTTPS_PROXY: url, NO_PROXY: 'example.com,.cloudflare.invalid' } });
    expect(direct.exitCode).toBe(1);
    expect(direct.errors[0]).toContain('network error');
    expect(tunnels).toHaveLength(2);
  });
});
