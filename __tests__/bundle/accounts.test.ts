// Every account the leaver holds, one run of the bundle per path: a list of accounts, every
// account the credentials see, one account of many that refuses, a protected member in one
// account, a person in none, and their WARP devices. Variants run in this process.
import { describe, expect, it } from 'vitest';
import { signedBy } from '../../src/signature.ts';
import { deletes, fleet, json, visible } from '../helpers/fixture.ts';

const SWEEP = { 'all-groups': 'true', 'member-email': 'ann@example.com' };

describe('several accounts', () => {
  it('removes the person from their groups in each account that holds them, and reads only the member list of the others', async () => {
    const { sim, ids, accounts, bundle, held } = await fleet(3, [0, 2]);
    const result = await bundle(SWEEP);
    expect(result.exitCode).toBe(0);
    expect([held(0), held(2)]).toEqual([[], []]);
    // The account that does not hold her: its member list, and nothing else.
    expect(sim.requestLines().filter((line) => line.includes(ids[1]!))).toEqual([
      `GET /accounts/${ids[1]}/members?page=1&per_page=50`,
    ]);
    const covered = json(result.outputs.accounts);
    expect(
      covered.map((a: { id: string; members: Array<{ inAccount: boolean }> }) => [a.id, a.members[0]!.inAccount]),
    ).toEqual([
      [ids[0], true],
      [ids[1], false],
      [ids[2], true],
    ]);
    expect(json(result.outputs['removed-groups']).sort()).toEqual(
      [
        accounts[0]!.groups[0]!.id,
        accounts[0]!.groups[1]!.id,
        accounts[2]!.groups[0]!.id,
        accounts[2]!.groups[1]!.id,
      ].sort(),
    );
    // With several accounts the singular outputs describe nothing; result has one entry per account.
    expect([result.outputs.id, result.outputs.email, result.outputs['remaining-access']]).toEqual(['', '', '']);
    expect(json(result.outputs.result).accounts.map((a: { id: string }) => a.id)).toEqual(ids);
    expect(result.summary).toContain('## Offboard ` ann@example.com ` from 3 Cloudflare accounts');
    // Given by ID, an account is shown by its ID: its name would cost a request.
    expect(result.summary).toContain(`### Account \` ${ids[0]} \``);
    expect(result.summary).toContain('Not a member of, nothing changed or failed there: ` ');
  });

  it('signs each member record with record-key, as the restore action checks it', async () => {
    const { ids, accounts, bundle } = await fleet(2, [0]);
    const key = 'r'.repeat(40);
    const result = await bundle({ ...SWEEP, 'record-key': key });
    expect(result.exitCode).toBe(0);
    const [held] = json(result.outputs.accounts);
    const { signature } = held.members[0];
    expect(signature).toMatchObject({ account: ids[0] });
    const restorable = {
      account: ids[0]!,
      memberId: accounts[0]!.ann!.id,
      email: 'ann@example.com',
      removedGroups: held.members[0].removedGroups,
      disabledTokens: [],
      at: signature.at,
    };
    expect(signedBy(key, restorable, signature.value)).toBe(true);
    expect(
      signedBy(
        key,
        { ...restorable, removedGroups: [...restorable.removedGroups, accounts[0]!.groups[2]!.id] },
        signature.value,
      ),
    ).toBe(false);
    expect(visible(result)).not.toContain(key);
  });

  it('covers every account the credentials see, with all-accounts, and no other', async () => {
    const { sim, ids, bundle, held } = await fleet(4, [0, 1, 3], { visible: [0, 1, 2] });
    const result = await bundle({ ...SWEEP, 'account-id': '', 'all-accounts': 'true' });
    expect(result.exitCode).toBe(0);
    expect(sim.requestLines()[0]).toBe('GET /accounts?page=1&per_page=50');
    expect([held(0), held(1)]).toEqual([[], []]);
    // Unseen, so untouched: it is not covered.
    expect(held(3)).toHaveLength(2);
    expect(sim.requests.some((request) => request.path.includes(ids[3]!))).toBe(false);
    expect(json(result.outputs.accounts).map((a: { name: string }) => a.name)).toEqual([
      'Account 0',
      'Account 1',
      'Account 2',
    ]);
  });

  it('goes on past an account that refuses, and fails naming it, even with if-not-in-account: skip', async () => {
    const { ids, bundle, held } = await fleet(3, [0, 2], { visible: [0, 2] });
    const result = await bundle({ ...SWEEP, 'if-not-in-account': 'skip' });
    expect(result.exitCode).toBe(1);
    expect([held(0), held(2)]).toEqual([[], []]);
    expect(result.errors[0]).toContain(`Account ${ids[1]}: Could not list the members of account ${ids[1]}`);
    expect(result.errors[0]).toContain('HTTP 403');
    const covered = json(result.outputs.accounts);
    expect(covered[1].members[0].inAccount).toBeNull();
  });

  it('refuses the whole run, before any write anywhere, when the person is protected in one account', async () => {
    const { sim, accounts, bundle } = await fleet(3, [0, 2]);
    const result = await bundle({ ...SWEEP, 'protected-members': accounts[2]!.ann!.id });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(`protected-members: ${accounts[2]!.ann!.id} is protected`);
    expect(result.outputs.removed).toBe('false');
  });

  it('fails when no account holds the person, and ends green with if-not-in-account: skip', async () => {
    const { sim, bundle } = await fleet(3, []);
    const refused = await bundle(SWEEP);
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain('No member of any of the 3 accounts is ann@example.com');
    const skipped = await bundle({ ...SWEEP, 'if-not-in-account': 'skip' });
    expect(skipped.exitCode).toBe(0);
    expect(deletes(sim)).toEqual([]);
  });

  it('ends the WARP devices and WARP sessions too, with revoke-devices', async () => {
    const { sim, ids, bundle } = await fleet(2, [0]);
    sim.addDevices(ids[0]!, 'ann@example.com', 2);
    sim.addSessions(ids[0]!, 'ann@example.com');
    const result = await bundle({ ...SWEEP, 'revoke-access-sessions': 'true', 'revoke-devices': 'true' });
    expect(result.exitCode).toBe(0);
    expect(sim.devices(ids[0]!, 'ann@example.com')).toBe(0);
    const revocations = sim.requests.filter((request) => request.path.endsWith('/revoke_user'));
    // Access does not need membership: asked of every account covered.
    expect(revocations).toHaveLength(2);
    for (const revocation of revocations)
      expect(revocation.body).toEqual({ email: 'ann@example.com', devices: true, warp_session_reauth: true });
    expect(json(result.outputs.result).accounts[0].sessions).toEqual({ outcome: 'revoked', devices: true });
  });
});
