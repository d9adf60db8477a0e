// Credentials of the wrong kind: refused before any request when they certainly are, answered by
// the API as malformed when they slip past, and an email beside a token from the environment
// only warned about. No credential value is ever shown.
import { describe, expect, it } from 'vitest';
import { deletes, seeded, TOKEN, visible } from '../helpers/fixture.ts';

const GLOBAL_KEY = '0123456789abcdef0123456789abcdef01234';

describe('credentials of the wrong kind', () => {
  it('refuses a Global API key in api-token before any request, naming api-key', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': GLOBAL_KEY });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors).toEqual([
      'api-token: the value is a Global API key, not an API token: give it in api-key together with api-email, or create an API token (recommended).',
    ]);
    expect(visible(result)).not.toContain(GLOBAL_KEY);
  });

  it('reports a malformed credential that passes the input checks with the API error chain and the hint', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const malformed = GLOBAL_KEY.slice(1);
    const result = await run({ 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': malformed });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toHaveLength(1);
    expect(result.errors[0]).toContain(
      'HTTP 400 Bad Request: 6003: Invalid request headers [caused by 6111: Invalid format for Authorization header]',
    );
    expect(result.errors[0]).toContain(
      'The credentials are malformed: an API token goes in api-token; a Global API key goes in api-key together with api-email.',
    );
    expect(sim.group(account, engineers.id).memberIds).toContain(ann.id);
    expect(visible(result)).not.toContain(malformed);
  });

  it('goes on with CLOUDFLARE_API_TOKEN beside CLOUDFLARE_EMAIL, warning first, the email unsent', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id, 'api-token': '' },
      { env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_EMAIL: 'ops@example.com' } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([
      'CLOUDFLARE_EMAIL: not used, as the token in CLOUDFLARE_API_TOKEN needs no email. To silence this, give the token in the api-token input, which makes the action ignore the CLOUDFLARE_* credential variables.',
    ]);
    const commands = result.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('::add-mask::'));
    expect(commands[0]).toMatch(/^::warning::CLOUDFLARE_EMAIL: not used/);
    expect(deletes(sim)).toHaveLength(1);
    expect(sim.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sim.requests[0]!.headers['x-auth-email']).toBeUndefined();
    expect(sim.group(account, engineers.id).memberIds).not.toContain(ann.id);
    expect(visible(result)).not.toContain(TOKEN);
  });

  it('does not warn about the variables when the token is an input', async () => {
    const { ann, engineers, run } = await seeded();
    const result = await run(
      { 'user-group-id': engineers.id, 'member-id': ann.id },
      { env: { CLOUDFLARE_API_TOKEN: 'cfut_other-token', CLOUDFLARE_EMAIL: 'ops@example.com' } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
  });
});

describe('the simulator, as the API answers a credential', () => {
  const malformed = (code: number, message: string) => ({
    success: false,
    errors: [{ code: 6003, message: 'Invalid request headers', error_chain: [{ code, message }] }],
    messages: [],
    result: null,
  });

  it('answers a value that is not a token, sent as one, as malformed (400, 6003 and 6111), not unknown', async () => {
    const { account, baseUrl } = await seeded();
    const get = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/accounts/${account}/members`, { headers }).then(async (r) => [r.status, await r.json()]);
    const chain6111 = malformed(6111, 'Invalid format for Authorization header');
    expect(await get({ authorization: `Bearer ${GLOBAL_KEY}` })).toEqual([400, chain6111]);
    expect(await get({ authorization: 'Bearer short-value' })).toEqual([400, chain6111]);
    // An unknown value of a token's form is refused as unknown.
    for (const unknown of ['x'.repeat(40), `cfat_${'y'.repeat(40)}`]) {
      expect((await get({ authorization: `Bearer ${unknown}` }))[0]).toBe(403);
    }
    const key = { 'x-auth-email': 'a@example.com' };
    expect(await get({ ...key, 'x-auth-key': `cfut_${'y'.repeat(40)}` })).toEqual([
      400,
      malformed(6103, 'Invalid format for X-Auth-Key header'),
    ]);
    expect((await get({ ...key, 'x-auth-key': GLOBAL_KEY }))[0]).toBe(403);
  });
});
