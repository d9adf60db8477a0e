// Attack, family 6: messages. A failure whose error annotation does not name the permission it
// needs: a refused group-name lookup, and a Super Administrator check whose group listing was refused.
import { describe, expect, it } from 'vitest';
import { seeded } from '../helpers/fixture.ts';

const GROUP_LIST = /\/iam\/user_groups$/;

describe('a refused read names the permission it needs in the annotation', () => {
  it('bundle: user-group-name looked up with a token that may not read user groups (403)', async () => {
    const { sim, ann, bundle } = await seeded();
    sim.faults.push({ kind: 'status', status: 403, method: 'GET', path: GROUP_LIST });
    const result = await bundle({ 'member-id': ann.id, 'user-group-name': 'Engineers' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('HTTP 403');
    // Every other 403 of the run says which permission to add (Account Settings Read/Write, SCIM Provisioning).
    expect(result.errors[0]).toMatch(/permission/);
  });

  it('in process: the Super Administrator check could not list the user groups (403)', async () => {
    const { sim, engineers, run } = await seeded();
    sim.faults.push({ kind: 'status', status: 403, method: 'GET', path: GROUP_LIST });
    const result = await run({ 'member-email': 'ann@example.com', 'user-group-id': engineers.id });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('HTTP 403');
    expect(result.errors[0]).toMatch(/permission/);
  });
});

describe('a warning that says nothing was to be removed', () => {
  it('bundle: is not given in a run that removed the account membership', async () => {
    const { sim, account, bundle } = await seeded();
    const cy = sim.addMember(account, 'cy@example.com');
    const result = await bundle({
      'all-groups': 'true',
      'member-email': 'cy@example.com',
      'remove-from-account': 'true',
    });
    expect(result.exitCode).toBe(0);
    expect(sim.accounts.get(account)!.members.has(cy.id)).toBe(false);
    expect(result.outputs.removed).toBe('true');
    expect(result.warnings.join('\n')).not.toMatch(/nothing to remove/);
    expect(result.summary).not.toMatch(/nothing to remove/);
  });
});

describe('a group name with an invisible character, in the annotation', () => {
  it('bundle: a group that does not hold the member is shown by code point, not as the plain name it imitates', async () => {
    const { sim, account, bundle } = await seeded();
    // A second group whose name differs from "Engineers" by a zero-width space only; ann is in the real one.
    sim.addGroup(account, 'Engineers\u200b', []);
    const result = await bundle({ 'user-group-name': 'Engineers\u200b', 'member-email': 'ann@example.com' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('is not in this group');
    // As it stands the line reads: "Engineers" (id): ann@example.com is not in this group.
    expect(result.errors[0]).toContain('Engineers<U+200B>');
  });
});
