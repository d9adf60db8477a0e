// The access that remains after an all-groups run: account membership, direct roles and policies,
// and the groups that still hold the member, with what to do next.
import { describe, expect, it } from 'vitest';
import { json, seeded } from '../helpers/fixture.ts';

const ADMIN_ACCESS = {
  roles: [{ id: 'e'.repeat(32), name: 'Administrator Read Only' }],
  policies: [{ access: 'allow' as const, permissionGroups: ['Zone Read', 'DNS Write'], resourceGroups: ['Account example'] }],
};

async function offboarding() {
  const fixture = await seeded();
  const { sim, account, engineers } = fixture;
  const dana = sim.addMember(fixture.account, 'dana@example.com', 'accepted', undefined, ADMIN_ACCESS);
  sim.group(account, engineers.id).memberIds.push(dana.id);
  const okta = sim.addGroup(account, 'Okta Admins', [dana.id], { scim: true });
  return { ...fixture, dana, okta };
}

describe('remaining access', () => {
  it('after a sweep by email: membership, roles, policies, and the SCIM-managed group that still holds them', async () => {
    const { sim, account, dana, engineers, okta, run } = await offboarding();
    const result = await run({ 'all-groups': 'true', 'member-email': 'dana@example.com' });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs['removed-groups'])).toEqual([engineers.id]);
    const access = json(result.outputs['remaining-access']);
    expect(access).toEqual({
      inAccount: true,
      status: 'accepted',
      roles: ['Administrator Read Only'],
      policies: [{ access: 'allow', permissionGroups: ['Zone Read', 'DNS Write'], resourceGroups: ['Account example'] }],
      groups: [{ id: okta.id, name: 'Okta Admins', why: expect.stringContaining('1015: This user group is managed by SCIM') }],
    });
    expect(result.summary).toContain('### Access that remains');
    expect(result.summary).toContain('- Direct roles: ` Administrator Read Only `.');
    expect(result.summary).toContain('  - ` allow `: ` Zone Read `, ` DNS Write ` on ` Account example `');
    expect(result.summary).toContain(`  - \` Okta Admins \` (\` ${okta.id} \`)`);
    expect(result.summary).toContain('Remove the account member (Manage Account > Members) to end it all; for a group managed by SCIM, remove the person in the identity provider.');
    // The account member list already carried roles and policies: no request for the report.
    expect(sim.requestLines().filter((l) => l.includes(`/members/${dana.id}`) && l.startsWith('GET'))).toEqual([]);
    expect(sim.requestLines().filter((l) => l.startsWith(`GET /accounts/${account}/members`))).toHaveLength(1);
  });

  it('after a sweep by id: the same report from the one account member read the sweep makes anyway', async () => {
    const { sim, account, dana, okta, run } = await offboarding();
    const result = await run({ 'all-groups': 'true', 'member-id': dana.id });
    const access = json(result.outputs['remaining-access']);
    expect(access.roles).toEqual(['Administrator Read Only']);
    expect(access.groups.map((g: { id: string }) => g.id)).toEqual([okta.id]);
    expect(sim.requestLines().filter((l) => l.startsWith(`GET /accounts/${account}/members/`))).toEqual([`GET /accounts/${account}/members/${dana.id}`]);
  });

  it('reads the member once more when the account member list leaves out roles and policies', async () => {
    const { sim, account, dana, run } = await offboarding();
    sim.faults.push({ kind: 'answer', path: /\/members$/, body: (body: { result: Array<Record<string, unknown>> }) => ({ ...body, result: body.result.map(({ id, email, status, user }) => ({ id, email, status, user })) }) });
    const result = await run({ 'all-groups': 'true', 'member-email': 'dana@example.com' });
    expect(json(result.outputs['remaining-access']).roles).toEqual(['Administrator Read Only']);
    expect(sim.requestLines().filter((l) => l === `GET /accounts/${account}/members/${dana.id}`)).toHaveLength(1);
  });

  it('in a dry run: every group that holds the member still does', async () => {
    const { dana, engineers, okta, run } = await offboarding();
    const result = await run({ 'all-groups': 'true', 'member-id': dana.id, 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    const access = json(result.outputs['remaining-access']);
    expect(access.groups).toEqual([
      { id: engineers.id, name: 'Engineers', why: 'dry run: not removed' },
      { id: okta.id, name: 'Okta Admins', why: 'dry run: not removed' },
    ]);
    expect(result.summary).toContain('### Access that remains');
  });

  it('says so when nothing remains beyond the account membership', async () => {
    const { joann, run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-id': joann.id });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs['remaining-access'])).toEqual({ inAccount: true, status: 'pending', roles: [], policies: [], groups: [] });
    expect(result.summary).toContain('Nothing remains beyond the account membership itself.');
  });

  it('is empty for named groups and group ids, and the one-group case stays one request', async () => {
    const { sim, ann, engineers, run } = await seeded();
    const byName = await run({ 'user-group-name': 'Billing', 'member-email': 'joann@example.com' });
    expect(byName.outputs['remaining-access']).toBe('');
    sim.requests.length = 0;
    const one = await run({ 'user-group-id': engineers.id, 'member-id': ann.id });
    expect(one.outputs['remaining-access']).toBe('');
    expect(sim.requests).toHaveLength(1);
    expect(one.summary).not.toContain('Access that remains');
  });
});
