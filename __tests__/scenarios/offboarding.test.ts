// Offboarding: by email, from several or all groups, dry runs, re-runs, protected members.
import { describe, expect, it } from 'vitest';
import { deletes, json, seeded } from '../helpers/fixture.ts';

describe('several groups', () => {
  it('accepts IDs separated by commas and newlines, and removes from each', async () => {
    const { sim, account, joann, engineers, billing, run } = await seeded();
    const result = await run({ 'user-group-id': `${engineers.id},\n ${billing.id}\n\n`, 'member-id': joann.id });
    expect(result.exitCode).toBe(0);
    expect(deletes(sim)).toHaveLength(2);
    expect(json(result.outputs['removed-groups']).sort()).toEqual([engineers.id, billing.id].sort());
    expect(sim.group(account, billing.id).memberIds).toEqual([]);
  });

  it('fails a SCIM-managed group even with if-not-member: skip', async () => {
    const { sim, account, ann, run } = await seeded();
    const scim = sim.addGroup(account, 'Okta Engineers', [ann.id], { scim: true });
    const result = await run({ 'user-group-id': scim.id, 'member-id': ann.id, 'if-not-member': 'skip' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('HTTP 400 Bad Request: 1015: This user group is managed by SCIM');
    expect(result.errors[0]).toContain('The member is still in the group.');
    expect(result.outputs['skipped-groups']).toBe('[]');
    expect(sim.group(account, scim.id).memberIds).toEqual([ann.id]);
  });
});

describe('not a member of a group', () => {
  it('fails by default, naming the group', async () => {
    const { ann, billing, run } = await seeded();
    const result = await run({ 'user-group-id': billing.id, 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe(
      `Could not remove member ${ann.id} in 1 of 1 user group:\n- ${billing.id}: member ${ann.id} is not in this group (set if-not-member: skip to accept that).`,
    );
  });

  it('never skips when the group cannot be listed to confirm', async () => {
    const { sim, ann, billing, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 403, method: 'GET' });
    const result = await run({ 'user-group-id': billing.id, 'member-id': ann.id, 'if-not-member': 'skip' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('Could not confirm whether the member is in the group');
    expect(result.outputs['skipped-groups']).toBe('[]');
  });

  it('is idempotent: a re-run after a removal skips what is already done', async () => {
    const { sim, engineers, billing, run } = await seeded();
    const inputs = {
      'user-group-id': `${engineers.id}\n${billing.id}`,
      'member-email': 'joann@example.com',
      'if-not-member': 'skip',
    };
    expect((await run(inputs)).outputs.removed).toBe('true');
    const again = await run(inputs);
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({
      removed: 'false',
      'removed-groups': '[]',
      'skipped-groups': JSON.stringify([engineers.id, billing.id]),
    });
    expect(deletes(sim)).toHaveLength(4);
    expect(again.summary).toContain('➖ not a member');
  });
});

describe('user-group-name', () => {
  it('refuses before any DELETE when a name matches no group or several', async () => {
    const { sim, account, ann, run } = await seeded();
    sim.addGroup(account, 'Twins');
    sim.addGroup(account, 'Twins');
    const result = await run({ 'user-group-name': 'Engineers\nengineers\nTwins', 'member-id': ann.id });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(
      `user-group-name: no user group is named "engineers" in account ${account} (names match exactly, case included).`,
    );
    expect(result.errors[0]).toMatch(
      /user-group-name: 2 user groups are named "Twins" \([0-9a-f]{32}, [0-9a-f]{32}\); use user-group-id to choose\./,
    );
    expect(result.summary).toContain('Nothing was removed.');
  });
});

describe('all-groups', () => {
  it('finds the member by id by listing each group, and removes from those that hold them', async () => {
    const { sim, joann, engineers, billing, run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-id': joann.id });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs['removed-groups']).sort()).toEqual([engineers.id, billing.id].sort());
    expect(result.outputs).toMatchObject({ id: joann.id, email: 'joann@example.com', status: 'pending' });
    expect(deletes(sim)).toHaveLength(2);
  });

  it('succeeds with a warning when no group holds the member', async () => {
    const { sim, account, run } = await seeded();
    sim.addMember(account, 'loner@example.com');
    const result = await run({ 'all-groups': 'true', 'member-email': 'loner@example.com' });
    expect(result.exitCode).toBe(0);
    expect(result.warnings[0]).toBe(`No user group of account ${account} holds loner@example.com; nothing to remove.`);
    expect(result.outputs).toMatchObject({ removed: 'false', 'removed-groups': '[]', 'skipped-groups': '[]' });
    expect(result.summary).toContain('No user group of the account holds this member');
    expect(deletes(sim)).toEqual([]);
  });

  it('fails when the groups cannot be listed, removing nothing, and never says there was nothing to remove', async () => {
    const { sim, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 403, path: /user_groups$/ });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^Could not list every user group of the account: GET .*HTTP 403 Forbidden/);
    expect(deletes(sim)).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.summary).not.toContain('nothing to remove');
    expect(result.summary).toContain('Nothing was removed.');
  });

  it('retries a burst of 429s as asked and completes the sweep', async () => {
    const { sim, account, ann, run } = await seeded({ latencyMs: 20 });
    for (let i = 0; i < 30; i++) sim.addGroup(account, `Team ${i}`, i === 7 ? [ann.id] : []);
    sim.faults.push({ kind: 'status', status: 429, retryAfter: '1', path: /\/members$/, times: 3 });
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.match(/Retrying GET .* HTTP 429/g)).toHaveLength(3);
    expect(result.outputs.removed).toBe('true');
  });
});

describe('dry-run', () => {
  it('reports a group that does not hold the member', async () => {
    const { ann, billing, run, sim } = await seeded();
    const result = await run({ 'user-group-id': billing.id, 'member-id': ann.id, 'dry-run': 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe(
      `Could not check ann@example.com in 1 of 1 user group:\n- ${billing.id}: ann@example.com is not in this group (set if-not-member: skip to accept that).`,
    );
    expect(deletes(sim)).toEqual([]);
  });
});

describe('protected-members', () => {
  it('refuses a protected email before any request', async () => {
    const { sim, engineers, run } = await seeded();
    const result = await run({
      'user-group-id': engineers.id,
      'member-email': 'Ann@example.com',
      'protected-members': 'root@example.com, ANN@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.errors[0]).toBe(
      'protected-members: Ann@example.com is protected and is never removed; nothing was removed. Take it out of protected-members only if this removal is intended.',
    );
    expect(result.summary).not.toContain('nothing to remove');
  });

  it('reads the email of a member given by id to check protected emails', async () => {
    const { sim, account, ann, engineers, run } = await seeded();
    const result = await run({
      'user-group-id': engineers.id,
      'member-id': ann.id,
      'protected-members': 'ANN@example.com',
    });
    expect(result.exitCode).toBe(1);
    expect(sim.requestLines()).toEqual([`GET /accounts/${account}/members/${ann.id}`]);
    expect(result.errors[0]).toContain('protected-members: ann@example.com is protected');
  });

  it('lets an unprotected member through', async () => {
    const { joann, engineers, run } = await seeded();
    const result = await run({
      'user-group-id': engineers.id,
      'member-id': joann.id,
      'protected-members': 'ann@example.com',
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.removed).toBe('true');
  });
});
