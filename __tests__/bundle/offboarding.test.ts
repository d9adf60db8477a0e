// The paths of an offboarding, run as the runner runs the bundle: a sweep of every group by email
// with the access that remains, a dry run, groups by name, a member not in the account, a protected
// member, and a group that fails among others. Their variants run in this process: ../scenarios.
import { describe, expect, it } from 'vitest';
import { deletes, json, offboarding, seeded } from '../helpers/fixture.ts';

describe('offboarding', () => {
  it('after a sweep by email: membership, roles, policies, and the SCIM-managed group that still holds them', async () => {
    const { sim, account, dana, engineers, okta, bundle: run } = await offboarding();
    const result = await run({ 'all-groups': 'true', 'member-email': 'dana@example.com' });
    expect(result.exitCode).toBe(1);
    expect(json(result.outputs['removed-groups'])).toEqual([engineers.id]);
    const access = json(result.outputs['remaining-access']);
    expect(access).toEqual({
      complete: true,
      inAccount: true,
      status: 'accepted',
      roles: ['Administrator Read Only'],
      policies: [
        {
          access: 'allow',
          permissionGroups: ['Zone Read', 'DNS Write'],
          resourceGroups: ['Account example'],
          scope: 'account',
        },
      ],
      groups: [
        { id: okta.id, name: 'Okta Admins', why: expect.stringContaining('1015: This user group is managed by SCIM') },
      ],
      sessions: 'not-checked',
    });
    expect(result.outputs['access-remains']).toBe('true');
    expect(result.summary).toContain('### Access that remains');
    expect(result.summary).toContain('- Direct roles (deprecated in favour of policies): ` Administrator Read Only `.');
    expect(result.summary).toContain('  - ` allow `: ` Zone Read `, ` DNS Write ` on ` Account example `');
    expect(result.summary).toContain(`  - \` Okta Admins \` (\` ${okta.id} \`)`);
    expect(result.summary).toContain(
      'End the membership too (`remove-from-account: true`, or Manage Account > Members); for a group managed by SCIM, remove the person in the identity provider.',
    );
    // The account member list already carried roles and policies: no request for the report.
    expect(sim.requestLines().filter((l) => l.includes(`/members/${dana.id}`) && l.startsWith('GET'))).toEqual([]);
    expect(sim.requestLines().filter((l) => l.startsWith(`GET /accounts/${account}/members`))).toHaveLength(1);
  });

  it('looks everything up, sends no DELETE, and says what would be removed', async () => {
    const { sim, account, joann, engineers, bundle: run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-email': 'joann@example.com', 'dry-run': 'true' });
    expect(result.exitCode).toBe(0);
    expect(deletes(sim)).toEqual([]);
    expect(sim.group(account, engineers.id).memberIds).toContain(joann.id);
    expect(result.outputs).toMatchObject({
      id: joann.id,
      email: 'joann@example.com',
      status: 'pending',
      removed: 'false',
      'removed-groups': '[]',
    });
    const parsed = json(result.outputs.result);
    expect(parsed.dryRun).toBe(true);
    expect(parsed.groups.map((g: { outcome: string }) => g.outcome)).toEqual(['would-remove', 'would-remove']);
    expect(result.summary).toContain('**Dry run**: nothing was removed');
    expect(result.summary).toContain('| ` Billing ` |');
    expect(result.stdout).toContain(
      'Dry run: checking which memberships of joann@example.com in every user group that holds it',
    );
  });

  it('matches names exactly, one per line, commas included', async () => {
    const { sim, account, ann, bundle: run } = await seeded();
    const comma = sim.addGroup(account, 'Sales, EMEA', [ann.id]);
    const result = await run({ 'user-group-name': 'Engineers\nSales, EMEA', 'member-id': ann.id });
    expect(result.exitCode).toBe(0);
    expect(json(result.outputs.result).groups).toEqual([
      { id: expect.any(String), name: 'Engineers', outcome: 'removed', rays: [expect.stringMatching(/-SJC$/)] },
      { id: comma.id, name: 'Sales, EMEA', outcome: 'removed', rays: [expect.stringMatching(/-SJC$/)] },
    ]);
    expect(result.summary).toContain('| ` Sales, EMEA ` |');
  });

  it('by email: says so, apart from "not in this group", and fails without removing anything', async () => {
    const { sim, account, engineers, bundle: run } = await seeded();
    const result = await run({ 'user-group-id': engineers.id, 'member-email': 'anne@example.com' });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(
      `No member of account ${account} has the email anne@example.com: check for a typo`,
    );
    expect(result.outputs).toMatchObject({
      id: '',
      email: 'anne@example.com',
      status: '',
      removed: 'false',
      'skipped-groups': JSON.stringify([engineers.id]),
    });
    expect(json(result.outputs.result).notInAccount).toBe(true);
  });

  it('refuses a protected id found by an email lookup, before any DELETE', async () => {
    const { sim, ann, bundle: run } = await seeded();
    const result = await run({ 'all-groups': 'true', 'member-email': 'ann@example.com', 'protected-members': ann.id });
    expect(result.exitCode).toBe(1);
    expect(deletes(sim)).toEqual([]);
    expect(result.errors[0]).toContain(`protected-members: ${ann.id} is protected`);
    expect(result.warnings).toEqual([]);
  });

  it('attempts every group when one fails, then fails naming it, with complete outputs', async () => {
    const { sim, account, joann, engineers, billing, bundle: run } = await seeded();
    const broken = sim.addGroup(account, 'Broken', [joann.id]);
    sim.faults.push({ kind: 'html', status: 500, path: new RegExp(broken.id), times: 10 });
    const result = await run({
      'user-group-id': [engineers.id, broken.id, billing.id].join(','),
      'member-email': 'joann@example.com',
      'max-retries': '1',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^Could not remove joann@example\\.com in 1 of 3 user groups:\\n- ${broken.id}: The answer to the removal was unclear \\(DELETE /accounts/${account}/iam/user_groups/${broken.id}/members/${joann.id}: HTTP 500`,
      ),
    );
    expect(json(result.outputs['removed-groups']).sort()).toEqual([engineers.id, billing.id].sort());
    expect(result.outputs.removed).toBe('true');
    expect(json(result.outputs.result).groups.map((g: { id: string; outcome: string }) => [g.id, g.outcome])).toEqual([
      [engineers.id, 'removed'],
      [broken.id, 'unknown'],
      [billing.id, 'removed'],
    ]);
    expect(result.summary).toContain(
      `| \` ${broken.id} \` | ❓ unknown, check it: \` The answer to the removal was unclear (DELETE`,
    );
    expect(result.summary).toContain(
      '**Failed:**\n\n```text\nCould not remove joann@example.com in 1 of 3 user groups:',
    );
  });
});
