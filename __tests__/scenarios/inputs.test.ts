// Invalid inputs fail the step with a message naming the input, before any request, and still
// leave a complete record: outputs and a summary that says why. Every kind of invalid input: the
// settings' unit table.
import { describe, expect, it } from 'vitest';
import { EMPTY_VALUE_CAUSES } from '../../src/settings/credentials.ts';
import { seeded } from '../helpers/fixture.ts';
import { runInProcess } from '../helpers/in-process.ts';

const G = 'a'.repeat(32);
const M = 'b'.repeat(32);

describe('invalid inputs', () => {
  it('lists every invalid input at once, one line each', async () => {
    const { sim, base, run } = await seeded();
    const result = await run({ ...base, 'user-group-id': 'x', 'member-id': 'y', 'max-retries': 'many' });
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]!.split('\n')).toEqual([
      'Invalid inputs:',
      '- user-group-id: expected a 32-character hexadecimal ID, got "x".',
      '- member-id: expected a 32-character hexadecimal ID, got "y".',
      '- max-retries: expected a whole number from 0 to 10, got "many".',
    ]);
  });

  it('keeps the message short for thousands of invalid IDs', async () => {
    const { sim, base, run } = await seeded();
    const ids = Array.from({ length: 900 }, (_, i) => `not-an-id-${i}`).join('\n');
    const result = await run({ ...base, 'user-group-id': ids, 'member-id': M });
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toBe(
      'user-group-id: expected a 32-character hexadecimal ID; 900 entries are not, such as "not-an-id-0", "not-an-id-1", "not-an-id-2".',
    );
    const many = await run({
      ...base,
      'user-group-id': Array.from({ length: 6000 }, (_, i) => `x${i}`).join(','),
      'member-id': M,
    });
    expect(many.errors[0]).toBe('user-group-id: at most 1000 entries, got 6000.');
  });

  it('never shows a credential it refuses, nor sends it', async () => {
    const { sim, base, run } = await seeded();
    const result = await run({
      ...base,
      'user-group-id': G,
      'member-id': M,
      'api-token': 'Bearer cfut_secret-value-42',
    });
    expect(sim.requests).toEqual([]);
    expect(result.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('secret-value-42');
    expect(result.summary + JSON.stringify(result.outputs)).not.toContain('secret-value-42');
  });

  it('reads CLOUDFLARE_API_KEY without CLOUDFLARE_EMAIL as an error naming api-email', async () => {
    const { sim, base, clock } = await seeded();
    const result = await runInProcess(
      { 'account-id': base['account-id'], 'api-base-url': base['api-base-url'], 'user-group-id': G, 'member-id': M },
      { env: { CLOUDFLARE_API_KEY: 'env-key-value' }, clock },
    );
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain('api-email: required with api-key');
    expect(result.errors[0]).toContain('read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY');
  });

  it('says why a secret can arrive empty when account-id and the credentials are', async () => {
    const { sim, base, run } = await seeded();
    const result = await run({ ...base, 'account-id': '', 'api-token': '', 'user-group-id': G, 'member-id': M });
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]!.split('\n')).toEqual([
      'Invalid inputs:',
      `- account-id: required (or set CLOUDFLARE_ACCOUNT_ID, or all-accounts: true): the 32-character Cloudflare account ID. ${EMPTY_VALUE_CAUSES}`,
      '- api-token: no Cloudflare credentials: set api-token (recommended), or api-email with api-key.',
    ]);
  });

  it('accepts the YAML 1.2 spellings of booleans and a plain-http loopback base URL', async () => {
    const { sim, account, ann, engineers, base, run } = await seeded();
    const result = await run({
      ...base,
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'dry-run': 'True',
      'all-groups': 'FALSE',
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.removed).toBe('false');
    // The group's policies (from the listing) say whether the removal could take a Super Administrator's grant.
    expect(sim.requestLines()).toEqual([
      `GET /accounts/${account}/members/${ann.id}`,
      `GET /accounts/${account}/iam/user_groups/${engineers.id}/members?page=1&per_page=500`,
      `GET /accounts/${account}/iam/user_groups?page=1&per_page=500`,
    ]);
  });
});
