// The access that remains after an all-groups run: account membership, direct roles and policies,
// and the groups that still hold the member, with what to do next.
import { describe, expect, it } from 'vitest';
import { json, offboarding, seeded } from '../helpers/fixture.ts';

describe('remaining access', () => {
  it('after a sweep by id: the same report from the one account member read the sweep makes anyway', async () => {
    const { sim, account, dana, okta, run } = await offboarding();
    const result = await run({ 'all-groups': 'true', 'member-id': dana.id });
    const access = json(result.outputs['remaining-access']);
    expect(access.roles).toEqual(['Administrator Read Only']);
    expect(access.groups.map((g: { id: string }) => g.id)).toEqual([okta.id]);
    expect(sim.requestLines().filter((l) => l.startsWith(`GET /accounts/${account}/members/`))).toEqual([
      `GET /accounts/${account}/members/${dana.id}`,
    ]);
  });

  it('reads the member once more when the account member list leaves out roles and policies', async () => {
    const { sim, account, dana, run } = await offboarding();
    sim.faults.push({
      kind: 'answer',
      path: /\/members$/,
      body: (body: { result: Array<Record<string, unknown>> }) => ({
        ...body,
        result: body.result.map(({ id, email, status, user }) => ({ id, email, status, user })),
      }),
    });
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
    expect(json(result.outputs['remaining-access'])).toEqual({
      complete: true,
      inAccount: true,
      status: 'pending',
      roles: [],
      policies: [],
      groups: [],
      sessions: 'not-checked',
    });
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
