// The common case, run as the runner runs the bundle: member-id + one user-group-id.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../simulator/runner.ts';
import { READ_TOKEN, seeded, TOKEN } from '../helpers/fixture.ts';

describe('removing one member from one group', () => {
  it('sends exactly one DELETE and sets every output', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });

    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([`DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`]);
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
      result: JSON.stringify({
        member: { id: ann.id, email: 'ann@example.com', status: 'accepted' },
        dryRun: false,
        groups: [{ id: engineers.id, outcome: 'removed' }],
      }),
    });
    expect(result.stdout).toContain(`Removing member ${ann.id} from user group ${engineers.id} in account ${account}.`);
    expect(result.summary).toContain('| User group | ID | Outcome |');
    expect(result.summary).toContain(`| \` ${engineers.id} \` | ✅ removed |`);
    expect(result.stderr).toBe('');
  });

  it('masks the token before anything else is printed', async () => {
    const { ann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
  });

  it('trims and lower-cases IDs', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': `  ${engineers.id.toUpperCase()}\n`, 'member-id': ` ${ann.id} ` });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([`DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`]);
  });

  it('uses the Global API key scheme with api-email and api-key, and never both schemes', async () => {
    const { sim, ann, engineers, base } = await seeded({ globalKeys: { 'admin@example.com': 'global-key-123' } });
    const result = await runAction({
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
    const result = await runAction(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env: { CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: baseUrl } },
    );
    expect(result.exitCode).toBe(0);
    expect(sim.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`);
  });

  it('takes credential inputs as one set, ignoring every CLOUDFLARE_* credential variable', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id }, { env: { CLOUDFLARE_API_KEY: 'env-key-value', CLOUDFLARE_EMAIL: 'env@example.com' } });
    expect(result.exitCode).toBe(0);
    expect(sim.requests[0]!.headers['x-auth-key']).toBeUndefined();
    expect(sim.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('explains a 403 with the permission the token needs', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
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

  it('fails at once on a 4xx other than 429, without retrying', async () => {
    const { ann, engineers, run, sim } = await seeded();
    sim.faults.push({ kind: 'status', status: 409 });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(result.errors[0]).toContain('HTTP 409 Conflict: 10409: Simulated 409');
    expect(result.stdout).not.toContain('Retrying');
  });

  it('shows nested error_chain entries, documentation links and the hint for a malformed credential', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const error = { code: 6003, message: 'Invalid request headers', documentation_url: 'https://developers.cloudflare.com/fundamentals/api/', error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }] };
    sim.faults.push({ kind: 'answer', status: 400, body: { success: false, errors: [error], messages: [], result: null } });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('HTTP 400 Bad Request: 6003: Invalid request headers (see https://developers.cloudflare.com/fundamentals/api/) [caused by 6111: Invalid format for Authorization header]');
    expect(result.errors[0]).toContain('a Global API key goes in api-key together with api-email');
  });
});
