// The variants of ../bundle/accounts.test.ts, in this process: the inputs several accounts take,
// every account listed (or too many), what each account costs, a dry run, tokens in an account
// that does not hold the person, the last Super Administrator of one account, several people.
import { describe, expect, it } from 'vitest';
import { SUPER_ADMIN_ROLE } from '../../simulator/cloudflare.ts';
import { deletes, fleet, json } from '../helpers/fixture.ts';

const SWEEP = { 'all-groups': 'true', 'member-email': 'ann@example.com' };

describe('the inputs of several accounts', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    [
      'a member ID',
      { 'member-email': '', 'member-id': 'c'.repeat(32) },
      'member-id: with more than one account-id, give the person by member-email',
    ],
    [
      'group IDs',
      { 'all-groups': 'false', 'user-group-id': 'd'.repeat(32) },
      'user-group-id: with more than one account-id, use all-groups: true',
    ],
    [
      'group names with all-accounts',
      { 'account-id': '', 'all-accounts': 'true', 'all-groups': 'false', 'user-group-name': 'Engineers' },
      'user-group-name: with all-accounts, use all-groups: true',
    ],
    [
      'account IDs beside all-accounts',
      { 'all-accounts': 'true' },
      'account-id, all-accounts: give account IDs or all-accounts: true, not both.',
    ],
    [
      'devices without sessions',
      { 'revoke-devices': 'true' },
      'revoke-devices: works with revoke-access-sessions: true',
    ],
    [
      'an account ID that is not one',
      { 'account-id': `${'a'.repeat(32)},not-an-id` },
      'account-id: expected 32-character hexadecimal IDs; 1 entries are not, such as "not-an-id".',
    ],
    [
      'more than 50 accounts',
      { 'account-id': Array.from({ length: 51 }, (_, i) => `${i}`.padStart(32, 'b')).join('\n') },
      'account-id: at most 50 accounts in one run, got 51.',
    ],
  ];
  for (const [what, inputs, problem] of cases) {
    it(`refuses ${what} before any request`, async () => {
      const { sim, run } = await fleet(2, [0]);
      const result = await run({ ...SWEEP, ...inputs });
      expect(result.exitCode).toBe(1);
      expect(sim.requests).toEqual([]);
      expect(result.errors[0]).toContain(problem);
      expect(result.outputs.accounts).toBe('[]');
    });
  }
});

describe('all-accounts', () => {
  it('fails, never truncates, when the credentials see more than 50 accounts', async () => {
    const { sim, run } = await fleet(51, [0]);
    const result = await run({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(
      'all-accounts: these credentials see 51 accounts, more than the 50 one run covers',
    );
    expect(result.outputs.accounts).toBe('[]');
    expect(result.summary).toContain('The run stopped before any account was read; nothing was removed.');
  });

  it('says so, and names the permission, when the accounts cannot be listed', async () => {
    const { sim, run } = await fleet(2, [0]);
    sim.faults.push({ kind: 'status', status: 403, path: /^\/accounts$/ });
    const result = await run({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('all-accounts: could not list the accounts these credentials see');
    expect(result.errors[0]).toContain('Check the credentials');
  });
});

describe('what several accounts cost', () => {
  it('is the member list of every account, and one sweep of each account that holds the person', async () => {
    const { sim, run } = await fleet(4, [1, 3]);
    const result = await run(SWEEP);
    expect(result.exitCode).toBe(0);
    // 4 member lists; in each of the 2 holding accounts a group page, 3 lookups and 2 DELETEs.
    expect(sim.requests).toHaveLength(4 + 2 * (1 + 3 + 2));
  });

  it('changes nothing in a dry run, in any account', async () => {
    const { sim, run, held } = await fleet(3, [0, 2]);
    const result = await run({ ...SWEEP, 'dry-run': 'true', 'revoke-access-sessions': 'true' });
    expect(result.exitCode).toBe(0);
    expect(sim.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect([held(0).length, held(2).length]).toEqual([2, 2]);
    const entries = json(result.outputs.members);
    expect(entries.map((entry: { accountId: string; inAccount: boolean }) => entry.inAccount)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('finds the tokens the person created in an account that does not hold them', async () => {
    const { sim, ids, run } = await fleet(2, [0]);
    const left = sim.addToken(ids[1]!, { name: 'left behind', creator: 'ann@example.com' });
    const result = await run({ ...SWEEP, 'member-tokens': 'disable' });
    expect(result.exitCode).toBe(0);
    expect(sim.token(ids[1]!, left.id).status).toBe('disabled');
  });
});

describe('each account on its own', () => {
  it('keeps the only Super Administrator of one account, and removes the person from the others', async () => {
    const { sim, ids, run, held } = await fleet(2, [0, 1]);
    sim.member(
      ids[1]!,
      [...sim.accounts.get(ids[1]!)!.members.values()].find((m) => m.email === 'ann@example.com')!.id,
    ).roles = [SUPER_ADMIN_ROLE];
    const result = await run({ ...SWEEP, 'remove-from-account': 'true' });
    expect(result.exitCode).toBe(1);
    expect(held(0)).toEqual([]);
    const covered = json(result.outputs.accounts);
    expect(
      covered.map(
        (account: { members: Array<{ account: { outcome: string } }> }) => account.members[0]!.account.outcome,
      ),
    ).toEqual(['removed', 'failed']);
    expect(result.errors[0]).toContain(
      `Account ${ids[1]}: Account membership: ann@example.com is the only accepted Super Administrator`,
    );
  });

  it('handles several people in several accounts, each where they are', async () => {
    const { sim, ids, run } = await fleet(2, [0]);
    sim.addMember(ids[1]!, 'bob@example.com');
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com\nbob@example.com' });
    expect(result.exitCode).toBe(0);
    const presence = json(result.outputs.members).map(
      (entry: { email: string; accountId: string; inAccount: boolean }) => [
        entry.email,
        entry.accountId,
        entry.inAccount,
      ],
    );
    expect(presence).toEqual([
      ['ann@example.com', ids[0], true],
      ['bob@example.com', ids[0], false],
      ['ann@example.com', ids[1], false],
      ['bob@example.com', ids[1], true],
    ]);
  });
});
