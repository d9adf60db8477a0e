// Several members in one run, in this process against the simulator: who refuses the whole run,
// entries that name one member, a member not in the account, a dry run, one member failing among
// others, and the steps beyond the groups for each.
import { describe, expect, it } from 'vitest';
import { deletes, json, team } from '../helpers/fixture.ts';

const SUPER_ADMIN = {
  roles: [{ id: 'e'.repeat(32), name: 'Super Administrator - All Privileges' }],
  policies: [],
};

const THREE = 'ann@example.com\nbob@example.com\ncy@example.com';

describe('several members', () => {
  it('refuses the whole run, before any DELETE, when one of them is protected', async () => {
    const { sim, run } = await team(40);
    const result = await run({ 'all-groups': 'true', 'member-email': THREE, 'protected-members': 'BOB@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain('bob@example.com: protected-members: bob@example.com is protected');
    expect(result.errors[0]).toContain('ann@example.com: Not started: the run was refused because of bob@example.com');
    expect(json(result.outputs.members)).toHaveLength(3);
    expect(result.outputs.removed).toBe('false');
  });

  it('refuses the whole run when one of them cannot be told apart from another member', async () => {
    const { sim, account, run } = await team(10);
    sim.addMember(account, 'Cy@example.com');
    const result = await run({ 'all-groups': 'true', 'member-email': THREE });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toMatch(/cy@example.com: 2 members of account \w+ have the email cy@example.com/);
  });

  it('handles two entries that name one member once', async () => {
    const { sim, ann, held, run } = await team(40);
    const before = held(ann);
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com, ANN@example.com' });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.members)).toHaveLength(1);
    expect(deletes(sim)).toHaveLength(before.length);
    const byIdAndEmail = await team(40);
    const both = await byIdAndEmail.run({
      'all-groups': 'true',
      'member-id': `${byIdAndEmail.ann.id}\n${byIdAndEmail.bob.id}\n${byIdAndEmail.ann.id.toUpperCase()}`,
    });
    expect(json(both.outputs.members)).toHaveLength(2);
  });

  it('goes on for the others when one is not in the account, and fails naming that one', async () => {
    const { ann, bob, held, run } = await team(40);
    const inputs = { 'all-groups': 'true', 'member-email': 'ann@example.com\ngone@example.com\nbob@example.com' };
    const result = await run(inputs);
    expect(result.exitCode).toBe(1);
    expect([held(ann), held(bob)]).toEqual([[], []]);
    expect(result.errors[0]).toMatch(/^gone@example.com: No member of account \w+ has the email gone@example.com/);
    expect(result.errors[0]).not.toContain('ann@example.com:');
    const skipped = await (await team(40)).run({ ...inputs, 'if-not-in-account': 'skip' });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.warnings.join('\n')).toContain('has the email gone@example.com');
    expect(json(skipped.outputs.members)[1]).toMatchObject({ email: 'gone@example.com', notInAccount: true });
  });

  it('gives a member whom no group holds a row of their own that says so', async () => {
    const { sim, account, run } = await team(10);
    sim.addMember(account, 'dee@example.com');
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com\ndee@example.com' });
    expect(result.exitCode).toBe(0);
    expect(result.summary).toContain('| ` dee@example.com ` |  | | ` no user group holds this member ` |');
    expect(result.warnings.join('\n')).toContain('holds dee@example.com; nothing to remove');
  });

  it('in a dry run, says for each what would be removed and sends no DELETE', async () => {
    const { sim, ann, cy, held, run } = await team(40);
    const result = await run({ 'all-groups': 'true', 'member-email': THREE, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(deletes(sim)).toEqual([]);
    const outcomes = json(result.outputs.result).members.map((m: { groups: Array<{ outcome: string }> }) =>
      m.groups.map((g) => g.outcome),
    );
    expect(outcomes[0]).toEqual(held(ann).map(() => 'would-remove'));
    expect(outcomes[2]).toEqual(held(cy).map(() => 'would-remove'));
    expect(result.summary).toContain('**Dry run**');
  });

  it('does not stop the others when a removal fails for one', async () => {
    const { sim, ann, bob, cy, held, run } = await team(40);
    const bobsFirst = held(bob)[0]!;
    sim.faults.push({
      kind: 'status',
      status: 403,
      method: 'DELETE',
      path: new RegExp(`${bobsFirst}/members/${bob.id}`),
    });
    const result = await run({ 'all-groups': 'true', 'member-email': THREE });
    expect(result.exitCode).toBe(1);
    expect([held(ann), held(bob), held(cy)]).toEqual([[], [bobsFirst], []]);
    expect(result.errors[0]).toMatch(/^bob@example.com: Could not remove bob@example.com in 1 of \d+ user groups/);
    expect(json(result.outputs['skipped-groups'])).toEqual([]);
  });

  it('with remove-from-account and member-tokens: each one’s tokens, then their memberships', async () => {
    const { sim, account, ann, bob, cy, run } = await team(40);
    const annToken = sim.addToken(account, { name: 'ann-deploy', creator: 'ann@example.com' });
    const cyToken = sim.addToken(account, { name: 'cy-ci', creator: 'cy@example.com' });
    const result = await run({
      'all-groups': 'true',
      'member-email': THREE,
      'remove-from-account': 'true',
      'member-tokens': 'disable',
    });
    expect(result.exitCode).toBe(0);
    const members = sim.accounts.get(account)!.members;
    expect([ann, bob, cy].map((m) => members.has(m.id))).toEqual([false, false, false]);
    expect([sim.token(account, annToken.id).status, sim.token(account, cyToken.id).status]).toEqual([
      'disabled',
      'disabled',
    ]);
    // The token list is read once for all three.
    expect(sim.requestLines().filter((l) => /^GET \/accounts\/\w+\/tokens\?/.test(l))).toHaveLength(1);
    const entries = json(result.outputs.members);
    expect(entries.map((m: { account: { outcome: string } }) => m.account.outcome)).toEqual([
      'removed',
      'removed',
      'removed',
    ]);
    expect(entries[1].tokens.outcome).toBe('not-needed');
  });

  it('never removes the account’s Super Administrators when the run takes every one of them', async () => {
    const { sim, account, run } = await team(10);
    const owner = sim.addMember(account, 'owner@example.com', 'accepted', undefined, SUPER_ADMIN);
    const deputy = sim.addMember(account, 'deputy@example.com', 'accepted', undefined, SUPER_ADMIN);
    const result = await run({
      'all-groups': 'true',
      'member-id': `${owner.id}\n${deputy.id}`,
      'remove-from-account': 'true',
    });
    expect(result.exitCode).toBe(1);
    const members = sim.accounts.get(account)!.members;
    expect([members.has(owner.id), members.has(deputy.id)]).toEqual([true, true]);
    expect(result.errors[0]).toContain(
      'no accepted member outside those this run takes it from (deputy@example.com) is one: taking that away would lock the account out',
    );
  });
});
