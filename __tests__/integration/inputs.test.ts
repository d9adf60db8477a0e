// Invalid inputs fail the step with a message naming the input, before any request, and still
// leave a complete record: outputs and a summary that says why.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../simulator/runner.ts';
import { json, seeded } from '../helpers/fixture.ts';

const G = 'a'.repeat(32);
const M = 'b'.repeat(32);

// [what, inputs over a valid base, the input the message must name, a phrase it must contain]
const cases: Array<[string, Record<string, string>, string, string]> = [
  ['account-id too short', { 'account-id': 'abc123' }, 'account-id', '32-character hexadecimal ID'],
  ['account-id missing', { 'account-id': '' }, 'account-id', 'required'],
  ['user-group-id with a path', { 'user-group-id': `${G}/../../x` }, 'user-group-id', '32-character hexadecimal ID'],
  ['user-group-id with a query', { 'user-group-id': `${G}?x=1` }, 'user-group-id', '32-character hexadecimal ID'],
  ['user-group-id with an encoded slash', { 'user-group-id': `${G.slice(3)}%2F` }, 'user-group-id', '32-character hexadecimal ID'],
  ['one bad user-group-id among good ones', { 'user-group-id': `${G}\n${'c'.repeat(31)}g` }, 'user-group-id', '32-character hexadecimal ID'],
  ['no group at all', { 'user-group-id': '' }, 'user-group-id', 'required'],
  ['member-id not hex', { 'member-id': 'z'.repeat(32) }, 'member-id', '32-character hexadecimal ID'],
  ['member-id with a newline inside', { 'member-id': `${M.slice(0, 16)}\n${M.slice(16)}` }, 'member-id', '32-character hexadecimal ID'],
  ['no member', { 'member-id': '' }, 'member-id', 'required'],
  ['both member-id and member-email', { 'member-email': 'ann@example.com' }, 'member-email', 'exactly one'],
  ['member-email without @', { 'member-id': '', 'member-email': 'ann.example.com' }, 'member-email', 'one email address'],
  ['member-email with two @', { 'member-id': '', 'member-email': 'ann@x@example.com' }, 'member-email', 'one email address'],
  ['member-email with a space', { 'member-id': '', 'member-email': 'ann smith@example.com' }, 'member-email', 'one email address'],
  ['member-email of 120,000 characters', { 'member-id': '', 'member-email': `${'a'.repeat(120_000)}@example.com` }, 'member-email', 'at most 254 characters'],
  ['user-group-id with all-groups', { 'all-groups': 'true' }, 'all-groups', 'only one way'],
  ['user-group-name with user-group-id', { 'user-group-name': 'Engineers' }, 'user-group-name', 'only one way'],
  ['all-groups not a boolean', { 'user-group-id': '', 'all-groups': 'yes' }, 'all-groups', 'true or false'],
  ['dry-run not a boolean', { 'dry-run': '1' }, 'dry-run', 'true or false'],
  ['if-not-member unknown', { 'if-not-member': 'ignore' }, 'if-not-member', 'fail, skip'],
  ['max-retries negative', { 'max-retries': '-1' }, 'max-retries', 'whole number from 0 to 10'],
  ['max-retries too large', { 'max-retries': '1000' }, 'max-retries', 'whole number from 0 to 10'],
  ['timeout-seconds zero', { 'timeout-seconds': '0' }, 'timeout-seconds', 'from 1 to 600'],
  ['timeout-seconds not a number', { 'timeout-seconds': 'ten' }, 'timeout-seconds', 'from 1 to 600'],
  ['concurrency fractional', { concurrency: '2.5' }, 'concurrency', 'whole number from 1 to 50'],
  ['api-base-url over http to a public host', { 'api-base-url': 'http://api.cloudflare.com/client/v4' }, 'api-base-url', 'https:'],
  ['api-base-url not a URL', { 'api-base-url': 'api.cloudflare.com' }, 'api-base-url', 'absolute URL'],
  ['api-base-url with credentials', { 'api-base-url': 'https://user:pw@api.example.com/client/v4' }, 'api-base-url', 'credentials'],
  ['api-base-url on a loopback look-alike', { 'api-base-url': 'http://127.0.0.1.example.com/client/v4' }, 'api-base-url', 'https:'],
  ['no credentials', { 'api-token': '' }, 'api-token', 'no Cloudflare credentials'],
  ['api-token and api-key', { 'api-key': 'global-key-0123' }, 'api-key', 'not both'],
  ['api-key without api-email', { 'api-token': '', 'api-key': 'global-key-0123' }, 'api-email', 'required with api-key'],
  ['api-email alone', { 'api-token': '', 'api-email': 'a@example.com' }, 'api-key', 'without api-key'],
  ['api-token on two lines', { 'api-token': 'cfut_first-half\ncfut_second-half' }, 'api-token', 'must be one line'],
  ['api-token with its Bearer prefix', { 'api-token': 'Bearer cfut_abcdef0123456789' }, 'api-token', 'remove the "Bearer " prefix'],
  ['api-token with a space inside', { 'api-token': 'cfut_abc def0123456789' }, 'api-token', 'cannot be sent in an HTTP header'],
  ['api-key on two lines', { 'api-token': '', 'api-email': 'a@example.com', 'api-key': 'key-part-one\nkey-part-two' }, 'api-key', 'must be one line'],
  ['protected-members entry neither id nor email', { 'protected-members': 'ann' }, 'protected-members', 'member IDs'],
  ['required-permission unknown', { 'required-permission': 'owner' }, 'required-permission', 'read, triage, write, maintain, admin, none'],
  ['comment-on-issue not a boolean', { 'comment-on-issue': 'on' }, 'comment-on-issue', 'true or false'],
];

describe('invalid inputs', () => {
  it.each(cases)('%s', async (_what, inputs, input, phrase) => {
    const { sim, base } = await seeded();
    const result = await runAction({ ...base, 'user-group-id': G, 'member-id': M, ...inputs });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(input);
    expect(result.errors[0]).toContain(phrase);
    expect(result.errors[0]!.length).toBeLessThan(1_000);
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(result.outputs).toMatchObject({ removed: 'false', 'removed-groups': '[]', 'skipped-groups': '[]' });
    expect(json(result.outputs.result).failure).toContain(input);
    expect(result.summary).toContain('The run stopped before any request to Cloudflare; nothing was removed.');
  });

  it('lists every invalid input at once, one line each', async () => {
    const { sim, base } = await seeded();
    const result = await runAction({ ...base, 'user-group-id': 'x', 'member-id': 'y', 'max-retries': 'many' });
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]!.split('\n')).toEqual([
      'Invalid inputs:',
      '- user-group-id: expected a 32-character hexadecimal ID, got "x".',
      '- member-id: expected a 32-character hexadecimal ID, got "y".',
      '- max-retries: expected a whole number from 0 to 10, got "many".',
    ]);
  });

  it('keeps the message short for thousands of invalid IDs', async () => {
    const { sim, base } = await seeded();
    const ids = Array.from({ length: 900 }, (_, i) => `not-an-id-${i}`).join('\n');
    const result = await runAction({ ...base, 'user-group-id': ids, 'member-id': M });
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toBe('user-group-id: expected a 32-character hexadecimal ID; 900 entries are not, such as "not-an-id-0", "not-an-id-1", "not-an-id-2".');
    const many = await runAction({ ...base, 'user-group-id': Array.from({ length: 6000 }, (_, i) => `x${i}`).join(','), 'member-id': M });
    expect(many.errors[0]).toBe('user-group-id: at most 1000 entries, got 6000.');
  });

  it('never shows a credential it refuses, nor sends it', async () => {
    const { sim, base } = await seeded();
    const result = await runAction({ ...base, 'user-group-id': G, 'member-id': M, 'api-token': 'Bearer cfut_secret-value-42' });
    expect(sim.requests).toEqual([]);
    expect(result.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('secret-value-42');
    expect(result.summary + JSON.stringify(result.outputs)).not.toContain('secret-value-42');
  });

  it('reads CLOUDFLARE_API_KEY without CLOUDFLARE_EMAIL as an error naming api-email', async () => {
    const { sim, base } = await seeded();
    const result = await runAction({ 'account-id': base['account-id'], 'api-base-url': base['api-base-url'], 'user-group-id': G, 'member-id': M }, { env: { CLOUDFLARE_API_KEY: 'env-key-value' } });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toContain('api-email: required with api-key');
    expect(result.errors[0]).toContain('read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY');
  });

  it('accepts the YAML 1.2 spellings of booleans and a plain-http loopback base URL', async () => {
    const { sim, account, ann, engineers, base } = await seeded();
    const result = await runAction({ ...base, 'user-group-id': engineers.id, 'member-id': ann.id, 'dry-run': 'True', 'all-groups': 'FALSE' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.removed).toBe('false');
    expect(sim.requestLines()).toEqual([`GET /accounts/${account}/members/${ann.id}`, `GET /accounts/${account}/iam/user_groups/${engineers.id}/members?page=1&per_page=500`]);
  });
});
