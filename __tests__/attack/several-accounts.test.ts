// Attack on several accounts in one run (issue 28): who the person is across accounts, protection
// when one account cannot be read, what the record says of accounts it read, and account names
// from GET /accounts in the log.
import { describe, expect, it } from 'vitest';
import { deletes, fleet, json } from '../helpers/fixture.ts';

const SWEEP = { 'all-groups': 'true', 'member-email': 'ann@example.com' };

describe('the person given in another ASCII case than Cloudflare stores', () => {
  it('bundle: is found where they are a member, and the run does not say that no account holds them', async () => {
    const { bundle, held } = await fleet(3, [0]);
    // Contract: member-email is matched "ignoring ASCII case only"; the address is the same person.
    const result = await bundle({ ...SWEEP, 'member-email': 'Ann@Example.com' });
    // She was found in account 0 and removed from its groups...
    expect(held(0)).toEqual([]);
    // ...so "if-not-in-account applies when the person is in none of them" does not apply.
    expect(result.errors.join('\n')).not.toContain('No member of any of the 3 accounts');
    expect(result.exitCode).toBe(0);
    // One person, not two.
    expect(result.summary).toContain('## Offboard ` Ann@Example.com ` from 3 Cloudflare accounts');
  });
});

describe('protected by member id in an account whose member list cannot be read', () => {
  it('bundle: no write anywhere, since protection depends on the account that was not read', async () => {
    const { sim, ids, accounts, bundle } = await fleet(2, [0, 1]);
    // Account 1 refuses its member list: whether ann there is the protected member cannot be told.
    sim.faults.push({ kind: 'status', status: 403, path: new RegExp(`^/accounts/${ids[1]}/members$`) });
    const result = await bundle({ ...SWEEP, 'protected-members': accounts[1]!.ann!.id });
    expect(result.exitCode).toBe(1);
    // Contract v1.3: "A protected member in any account refuses the whole run before any write";
    // v1.0: "Where the email cannot be determined ... and protection depends on it: refuse."
    expect(deletes(sim)).toEqual([]);
  });
});

describe('a run refused because the person is protected in one account', () => {
  it('does not say "could not be read" (inAccount: null) of the accounts it read', async () => {
    const { accounts, run } = await fleet(3, [0, 2]);
    const result = await run({ ...SWEEP, 'protected-members': accounts[2]!.ann!.id });
    expect(result.exitCode).toBe(1);
    const covered = json(result.outputs.accounts);
    // Every member list was read: ann is a member of accounts 0 and 2, not of account 1. The
    // output's own definition: inAccount is null only "when that account's member list could not be read".
    expect(covered.map((a: { members: Array<{ inAccount: unknown }> }) => a.members[0]!.inAccount)).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe('an account name with a line break, from GET /accounts', () => {
  it('bundle: never starts a log line of its own', async () => {
    const { sim, ids, bundle } = await fleet(2, [0]);
    sim.accounts.get(ids[0]!)!.name = 'Production\nForged: ann@example.com kept every group';
    const result = await bundle({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
    expect(result.exitCode).toBe(0);
    // Contract, "Log": "outside text never starts a new log line of its own (line breaks in API
    // text are shown escaped)".
    expect(result.stdout.split('\n').filter((line) => line.startsWith('Forged:'))).toEqual([]);
  });
});

describe('an account name of 1.5 million characters, from GET /accounts', () => {
  it('leaves every output within the bound that group names keep', async () => {
    const { sim, ids, run } = await fleet(2, [0]);
    sim.accounts.get(ids[0]!)!.name = 'N'.repeat(1_500_000);
    const result = await run({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
    expect(result.exitCode).toBe(0);
    // Contract, "Size": "each output value bounded" (GitHub allows 1 MB per output; the action's
    // own bound is 900,000 characters, and a group name is cut at 1,000).
    for (const name of ['accounts', 'result'] as const) expect(result.outputs[name]!.length).toBeLessThan(900_000);
  });
});

describe('holds: a GET /accounts listing that lies', () => {
  const lies: Array<[string, (body: { result: Array<Record<string, unknown>>; result_info: object }) => unknown]> = [
    [
      'an account twice with different names',
      (b) => ({ ...b, result: [...b.result, { ...b.result[0], name: 'Other' }] }),
    ],
    [
      'totals that announce a page that never comes',
      (b) => ({ ...b, result_info: { ...b.result_info, total_pages: 2, total_count: 80 } }),
    ],
    ['an id that is not one', (b) => ({ ...b, result: [...b.result, { id: '../../user', name: 'x' }] })],
  ];
  for (const [what, lie] of lies) {
    it(`fails before any write: ${what}`, async () => {
      const { sim, run } = await fleet(2, [0, 1]);
      sim.faults.push({ kind: 'answer', path: /^\/accounts$/, times: 5, body: lie });
      const result = await run({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
      expect(result.exitCode).toBe(1);
      expect(sim.requests.filter((request) => request.method !== 'GET')).toEqual([]);
      expect(result.outputs.accounts).toBe('[]');
    });
  }

  it('takes an account listed twice alike (in another case) once', async () => {
    const { sim, run } = await fleet(2, [0, 1]);
    sim.faults.push({
      kind: 'answer',
      path: /^\/accounts$/,
      body: (b: { result: Array<{ id: string }> }) => ({
        ...b,
        result: [...b.result, { ...b.result[0], id: b.result[0]!.id.toUpperCase() }],
      }),
    });
    const result = await run({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.accounts)).toHaveLength(2);
  });
});

describe('holds: protection in one account of several', () => {
  it('by email in another case: no write anywhere', async () => {
    const { sim, run } = await fleet(3, [0, 2]);
    const result = await run({ ...SWEEP, 'protected-members': 'ANN@example.COM' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
  });

  it('by a second email that only one account’s record carries: no write anywhere', async () => {
    const { sim, ids, run } = await fleet(3, [0, 2]);
    sim.faults.push({
      kind: 'answer',
      path: new RegExp(`^/accounts/${ids[2]}/members$`),
      body: (b: { result: Array<{ email: string; user: { email: string } }> }) => ({
        ...b,
        result: b.result.map((m) =>
          m.email === 'ann@example.com' ? { ...m, user: { ...m.user, email: 'boss@example.com' } } : m,
        ),
      }),
    });
    const result = await run({ ...SWEEP, 'protected-members': 'boss@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain('protected-members: boss@example.com is protected');
  });
});
