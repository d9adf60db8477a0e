// The common case, run as the runner runs the bundle: member-id + one user-group-id.
import { describe, expect, it } from 'vitest';
import { seeded, TOKEN } from '../helpers/fixture.ts';

describe('removing one member from one group', () => {
  it('trims and lower-cases IDs', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': `  ${engineers.id.toUpperCase()}\n`, 'member-id': ` ${ann.id} ` });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()).toEqual([
      `DELETE /accounts/${account}/iam/user_groups/${engineers.id}/members/${ann.id}`,
    ]);
  });

  it('takes credential inputs as one set, ignoring every CLOUDFLARE_* credential variable', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env: { CLOUDFLARE_API_KEY: 'env-key-value', CLOUDFLARE_EMAIL: 'env@example.com' } },
    );
    expect(result.exitCode).toBe(0);
    expect(sim.requests[0]!.headers['x-auth-key']).toBeUndefined();
    expect(sim.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
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
    const error = {
      code: 6003,
      message: 'Invalid request headers',
      documentation_url: 'https://developers.cloudflare.com/fundamentals/api/',
      error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }],
    };
    sim.faults.push({
      kind: 'answer',
      status: 400,
      body: { success: false, errors: [error], messages: [], result: null },
    });
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain(
      'HTTP 400 Bad Request: 6003: Invalid request headers (see https://developers.cloudflare.com/fundamentals/api/) [caused by 6111: Invalid format for Authorization header]',
    );
    expect(result.errors[0]).toContain('a Global API key goes in api-key together with api-email');
  });
});
