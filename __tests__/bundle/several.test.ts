// Several members in one run, as the runner runs the bundle: three people leaving together over a
// few hundred groups, each removed from exactly their own groups, over one read of every group; a
// protected member in the list; a dry run of a list with two entries for one member and one who is
// not in the account; the steps beyond the groups for each. More variants run in this process:
// ../scenarios/several.test.ts.
import { describe, expect, it } from 'vitest';
import { deletes, json, team } from '../helpers/fixture.ts';

describe('several members', () => {
  it('removes each from exactly their own groups, reading each group once', async () => {
    const { sim, account, ann, bob, cy, held, groupCount, bundle: run } = await team(300);
    const before = { ann: held(ann), bob: held(bob), cy: held(cy) };
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com\nbob@example.com, cy@example.com',
    });
    expect(result.exitCode).toBe(0);
    expect([held(ann), held(bob), held(cy)]).toEqual([[], [], []]);
    const members = json(result.outputs.members);
    expect(members.map((m: { email: string }) => m.email)).toEqual([
      'ann@example.com',
      'bob@example.com',
      'cy@example.com',
    ]);
    expect(members.map((m: { removedGroups: string[] }) => [...m.removedGroups].sort())).toEqual([
      [...before.ann].sort(),
      [...before.bob].sort(),
      [...before.cy].sort(),
    ]);
    expect(members.every((m: { accessRemains: boolean }) => m.accessRemains === true)).toBe(true);
    // One read of the account's members and of each group's, one DELETE per membership.
    const lines = sim.requestLines();
    expect(lines.filter((l) => l.startsWith(`GET /accounts/${account}/members`))).toHaveLength(1);
    expect(lines.filter((l) => /^GET \/accounts\/\w+\/iam\/user_groups\/\w+\/members/.test(l))).toHaveLength(
      groupCount,
    );
    const memberships = before.ann.length + before.bob.length + before.cy.length;
    expect(lines.filter((l) => l.startsWith('DELETE'))).toHaveLength(memberships);
    // With several members the singular outputs are empty; the lists are the unions.
    expect(result.outputs).toMatchObject({ id: '', email: '', status: '', 'remaining-access': '', removed: 'true' });
    expect(json(result.outputs['removed-groups']).sort()).toEqual(
      [...new Set([...before.ann, ...before.bob, ...before.cy])].sort(),
    );
    expect(json(result.outputs.result).members).toHaveLength(3);
    expect(result.summary).toContain('## Remove 3 members from Cloudflare user groups');
    expect(result.summary).toContain('| Member | User group | ID | Outcome |');
    expect(result.summary).toContain(`| \` bob@example.com \` | \` Team 2 \` |`);
    expect(result.summary).toContain('### Access that remains: ` cy@example.com `');
    expect(result.stdout).toContain(`Removing 3 members from every user group that holds them in account ${account}.`);
  });

  it('refuses the whole run before any DELETE when one of them is protected', async () => {
    const { sim, bundle: run } = await team(40);
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com\nbob@example.com\ncy@example.com',
      'protected-members': 'cy@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain('cy@example.com: protected-members: cy@example.com is protected');
    expect(json(result.outputs.members)).toHaveLength(3);
    expect(result.outputs.removed).toBe('false');
  });

  it('in a dry run, handles two entries for one member once and goes on past one not in the account', async () => {
    const { sim, ann, held, bundle: run } = await team(40);
    const result = await run({
      'all-groups': 'true',
      'member-email': 'ann@example.com, ANN@example.com, gone@example.com, bob@example.com',
      'if-not-in-account': 'skip',
      'dry-run': 'true',
    });
    expect(result.exitCode).toBe(0);
    expect(deletes(sim)).toEqual([]);
    const members = json(result.outputs.members);
    expect(members.map((m: { email: string }) => m.email)).toEqual([
      'ann@example.com',
      'gone@example.com',
      'bob@example.com',
    ]);
    expect(members[1]).toMatchObject({ notInAccount: true });
    const outcomes = json(result.outputs.result).members[0].groups.map((g: { outcome: string }) => g.outcome);
    expect(outcomes).toEqual(held(ann).map(() => 'would-remove'));
    expect(result.summary).toContain('**Dry run**');
  });

  it('ends each one’s tokens and account membership too', async () => {
    const { sim, account, ann, bob, cy, bundle: run } = await team(40);
    const tokens = [ann, cy].map((m) =>
      sim.addToken(account, {
        name: `deploy of ${m.id}`,
        creator: sim.accounts.get(account)!.members.get(m.id)!.email,
      }),
    );
    const result = await run({
      'all-groups': 'true',
      'member-id': [ann, bob, cy].map((m) => m.id).join('\n'),
      'remove-from-account': 'true',
      'member-tokens': 'disable',
    });
    expect(result.exitCode).toBe(0);
    const members = sim.accounts.get(account)!.members;
    expect([ann, bob, cy].map((m) => members.has(m.id))).toEqual([false, false, false]);
    expect(tokens.map((t) => sim.token(account, t.id).status)).toEqual(['disabled', 'disabled']);
    expect(json(result.outputs.members).map((m: { account: { outcome: string } }) => m.account.outcome)).toEqual([
      'removed',
      'removed',
      'removed',
    ]);
  });
});
