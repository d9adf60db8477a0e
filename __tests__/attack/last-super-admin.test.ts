// Attack, family 3: the last Super Administrator. Ways the account can end with no Super
// Administrator: a user-group-name run with member-id (no guard at all), and a deny that takes
// the grant of "another one" away when the allow and the deny come from different places (a
// direct policy and a group's policy, or two groups).
import { describe, expect, it } from 'vitest';
import { SUPER_ADMIN_ROLE, type SimPolicy } from '../../simulator/cloudflare.ts';
import { seeded } from '../helpers/fixture.ts';

const SUPER: SimPolicy = { access: 'allow', permissionGroups: [SUPER_ADMIN_ROLE.name], resourceGroups: ['All'] };
const DENY: SimPolicy = { ...SUPER, access: 'deny' };

describe('a group given by name, the member given by id', () => {
  it('bundle: keeps the only Super Administrator (through that group) in the group', async () => {
    const { sim, account, bundle } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com');
    const admins = sim.addGroup(account, 'Admins', [owner.id], { policies: [SUPER] });
    const result = await bundle({ 'member-id': owner.id, 'user-group-name': 'Admins' });
    // The contract: the guard applies wherever the run reads the account anyway, groups by name included.
    expect(sim.group(account, admins.id).memberIds).toEqual([owner.id]);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Super Administrator');
  });

  it('in process: the dry run refuses, and the same inputs without dry-run remove the only one', async () => {
    const { sim, account, run } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com');
    const admins = sim.addGroup(account, 'Admins', [owner.id], { policies: [SUPER] });
    const dry = await run({ 'member-id': owner.id, 'user-group-name': 'Admins', 'dry-run': 'true' });
    expect(dry.exitCode).toBe(1);
    expect(dry.errors[0]).toContain('the only accepted Super Administrator');
    await run({ 'member-id': owner.id, 'user-group-name': 'Admins' });
    expect(sim.group(account, admins.id).memberIds).toEqual([owner.id]);
  });
});

describe('"another one" whose grant a deny from elsewhere takes away', () => {
  // The owner is Super Administrator by role; "deputy" looks like another one, but a deny on the
  // same permission group, from another source, makes deputy's grant unclear at best.
  const cases: Array<[string, (fixture: Awaited<ReturnType<typeof seeded>>, deputyId: string) => void]> = [
    [
      'a direct allow, and a deny through a user group',
      ({ sim, account }, deputyId) => {
        sim.member(account, deputyId).policies = [SUPER];
        sim.addGroup(account, 'No super admins', [deputyId], { policies: [DENY] });
      },
    ],
    [
      'an allow through a user group, and a direct deny',
      ({ sim, account }, deputyId) => {
        sim.member(account, deputyId).policies = [DENY];
        sim.addGroup(account, 'Admins', [deputyId], { policies: [SUPER] });
      },
    ],
    [
      'an allow through one user group, and a deny through another',
      ({ sim, account }, deputyId) => {
        sim.addGroup(account, 'Admins', [deputyId], { policies: [SUPER] });
        sim.addGroup(account, 'No super admins', [deputyId], { policies: [DENY] });
      },
    ],
    [
      'the legacy role, and a deny through a user group',
      ({ sim, account }, deputyId) => {
        sim.member(account, deputyId).roles = [SUPER_ADMIN_ROLE];
        sim.addGroup(account, 'No super admins', [deputyId], { policies: [DENY] });
      },
    ],
  ];
  for (const [what, arrange] of cases) {
    it(`in process: is not counted when deputy holds ${what}`, async () => {
      const fixture = await seeded();
      const { sim, account, run } = fixture;
      const owner = sim.addMember(account, 'owner@example.com', 'accepted', undefined, {
        roles: [SUPER_ADMIN_ROLE],
        policies: [],
      });
      const deputy = sim.addMember(account, 'deputy@example.com');
      arrange(fixture, deputy.id);
      const result = await run({
        'all-groups': 'true',
        'member-email': 'owner@example.com',
        'remove-from-account': 'true',
      });
      expect(sim.accounts.get(account)!.members.has(owner.id)).toBe(true);
      expect(result.exitCode).toBe(1);
    });
  }

  it('bundle: the owner is not removed from the account when the deputy is denied through a group', async () => {
    const { sim, account, bundle } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com', 'accepted', undefined, {
      roles: [SUPER_ADMIN_ROLE],
      policies: [],
    });
    const deputy = sim.addMember(account, 'deputy@example.com', 'accepted', undefined, {
      roles: [],
      policies: [SUPER],
    });
    sim.addGroup(account, 'No super admins', [deputy.id], { policies: [DENY] });
    const result = await bundle({
      'all-groups': 'true',
      'member-email': 'owner@example.com',
      'remove-from-account': 'true',
    });
    expect(sim.accounts.get(account)!.members.has(owner.id)).toBe(true);
    expect(result.exitCode).toBe(1);
  });
});

describe('"another one" whose record does not list its policies', () => {
  it('in process: a legacy role with the policies left out of the member list is not proof (a deny may be among them)', async () => {
    const { sim, account, run } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com', 'accepted', undefined, {
      roles: [SUPER_ADMIN_ROLE],
      policies: [],
    });
    const deputy = sim.addMember(account, 'deputy@example.com', 'accepted', undefined, {
      roles: [SUPER_ADMIN_ROLE],
      policies: [DENY],
    });
    // The member list leaves deputy's policies out (the deny among them); the run cannot see it.
    sim.faults.push({
      kind: 'answer',
      method: 'GET',
      path: /\/members$/,
      times: 10,
      body: (body: { result: Array<Record<string, unknown>> }) => ({
        ...body,
        result: body.result.map((m) => (m.id === deputy.id ? { ...m, policies: undefined } : m)),
      }),
    });
    const result = await run({
      'all-groups': 'true',
      'member-email': 'owner@example.com',
      'remove-from-account': 'true',
    });
    expect(sim.accounts.get(account)!.members.has(owner.id)).toBe(true);
    expect(result.exitCode).toBe(1);
  });
});

describe('a grant the answers do not make clear counts as one (doubt protects)', () => {
  it('in process: a group policy whose permission group is named by id only (the schema makes `name` optional)', async () => {
    const { sim, account, run } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com');
    const admins = sim.addGroup(account, 'Admins', [owner.id], { policies: [SUPER] });
    // The group listing gives each permission group as { id, meta } only.
    sim.faults.push({
      kind: 'answer',
      method: 'GET',
      path: /\/iam\/user_groups$/,
      times: 10,
      body: (body: { result: Array<{ policies: Array<{ permission_groups: Array<{ name?: string }> }> }> }) => ({
        ...body,
        result: body.result.map((group) => ({
          ...group,
          policies: group.policies.map((policy) => ({
            ...policy,
            permission_groups: policy.permission_groups.map(({ name: _name, ...rest }) => rest),
          })),
        })),
      }),
    });
    const result = await run({ 'all-groups': 'true', 'member-email': 'owner@example.com' });
    expect(sim.group(account, admins.id).memberIds).toEqual([owner.id]);
    expect(result.exitCode).toBe(1);
  });

  it("in process: a group given by id that the account's group listing does not show", async () => {
    const { sim, account, run } = await seeded();
    const owner = sim.addMember(account, 'owner@example.com');
    const admins = sim.addGroup(account, 'Admins', [owner.id], { policies: [SUPER] });
    // The listing leaves Admins out, consistently with its own totals.
    sim.faults.push({
      kind: 'answer',
      method: 'GET',
      path: /\/iam\/user_groups$/,
      times: 10,
      body: (body: { result: Array<{ id: string }>; result_info: object }) => {
        const result = body.result.filter((group) => group.id !== admins.id);
        return {
          ...body,
          result,
          result_info: { ...body.result_info, count: result.length, total_count: result.length },
        };
      },
    });
    const result = await run({ 'user-group-id': admins.id, 'member-email': 'owner@example.com' });
    expect(sim.group(account, admins.id).memberIds).toEqual([owner.id]);
    expect(result.exitCode).toBe(1);
  });
});
